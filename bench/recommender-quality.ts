/**
 * Quality of the recommender on the expert meter labels of the 1,051 national services.
 *
 *   npm run bench -- recommender-quality [--labels FILE]
 *
 * Loads the demo catalogue into an in-memory PGlite, syncs a Recommender and, for each of the ten
 * 3X10D meters, asks for the services of a simulated person who rates that meter 1 and every other
 * meter 8 (so only that meter expresses a need), among national services only (the labels cover
 * exactly those). Relevant = the services whose expert `meters` list holds the meter.
 *
 * Reported per meter and as the macro mean: nDCG@10 (binary gains, gain / log2(rank + 1), the ideal
 * DCG from the number of relevant services) and recall@50, for
 *  - ours: `recommend({ meters })`;
 *  - a plain BM25 baseline (k1 1.2, b 0.75) over the same candidates' Finnish name + summary,
 *    lowercased and split at anything that is not a letter or digit, no stemming, no stopwords,
 *    queried with the meter's Finnish name + profile (METER_TEXTS), implemented here on its own;
 *  - the text path of ours with the same query in Finnish, English and Swedish
 *    (`recommend({ text, textLanguage })`), with the en/fi and sv/fi ratios of the means.
 *
 * The labels are a development set (shared/README.md): this reports on them, the product never
 * reads them. Deterministic: no randomness, ties broken by service id.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../src/db/database.ts';
import { importDemo } from '../src/testing/fixtures.ts';
import { Recommender } from '../src/recommender/recommender.ts';
import { METERS, METER_TEXTS, type Meter, type MeterValues } from '../src/recommender/meters.ts';
import { analyserInfo, type TextLanguage } from '../src/recommender/text/analyzer.ts';
import { ROOT, elapsed, fmt, mean, parseArgs, strFlag, table } from './lib.ts';

const K_NDCG = 10;
const K_RECALL = 50;

interface Label {
  id: string;
  name: string;
  summary: string;
  meters: string[];
  relevant: boolean;
}

// ---------------------------------------------------------------------------------------------
// Metrics

/** nDCG@k with binary gains; the ideal ranking puts min(k, |relevant|) relevant services first. */
export function ndcgAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return Number.NaN;
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i]!)) dcg += 1 / Math.log2(i + 2);
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

export function recallAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return Number.NaN;
  let hits = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i]!)) hits++;
  return hits / relevant.size;
}

// ---------------------------------------------------------------------------------------------
// The baseline: textbook BM25, independent of the product's analyser.

const bm25Tokens = (text: string) => text.toLocaleLowerCase('fi').split(/[^\p{L}\p{N}]+/u).filter(Boolean);

class Bm25 {
  readonly #postings = new Map<string, { doc: number; tf: number }[]>();
  readonly #lengths: number[] = [];
  readonly #ids: string[] = [];
  #avg = 0;

  constructor(
    docs: readonly { id: string; text: string }[],
    readonly k1 = 1.2,
    readonly b = 0.75,
  ) {
    for (const [doc, { id, text }] of docs.entries()) {
      const tokens = bm25Tokens(text);
      this.#ids.push(id);
      this.#lengths.push(tokens.length);
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [term, n] of tf) {
        let list = this.#postings.get(term);
        if (!list) this.#postings.set(term, (list = []));
        list.push({ doc, tf: n });
      }
    }
    this.#avg = mean(this.#lengths) || 1;
  }

  /** Service ids by descending score (a repeated query word counts again), ties by id; zero scores left out. */
  search(query: string, limit: number): string[] {
    const n = this.#ids.length;
    const scores = new Float64Array(n);
    for (const term of bm25Tokens(query)) {
      const list = this.#postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list)
        scores[doc] = scores[doc]! + (idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * this.#lengths[doc]!) / this.#avg));
    }
    const hits: number[] = [];
    for (let d = 0; d < n; d++) if (scores[d]! > 0) hits.push(d);
    hits.sort((a, c) => scores[c]! - scores[a]! || (this.#ids[a]! < this.#ids[c]! ? -1 : 1));
    return hits.slice(0, limit).map((d) => this.#ids[d]!);
  }
}

// ---------------------------------------------------------------------------------------------

interface Scores {
  ndcg: number;
  recall: number;
}

const f3 = (n: number) => fmt(n, 3);
const ratio = (a: number, b: number) => (b > 0 ? f3(a / b) : '-');

export async function main(argv: string[]) {
  const { flags } = parseArgs(argv);
  const labelsFile = resolve(strFlag(flags, 'labels') ?? join(ROOT, '..', 'shared', 'data', 'ptv-sample', 'national-meter-labels.json'));
  if (!existsSync(labelsFile)) {
    console.error(`recommender-quality: no labels at ${labelsFile}\n(they come with the shared data: ../shared/data/ptv-sample/national-meter-labels.json; give another file with --labels FILE)`);
    process.exitCode = 2;
    return;
  }
  const labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as Label[];
  if (!Array.isArray(labels) || labels.some((l) => typeof l?.id !== 'string' || !Array.isArray(l.meters))) {
    console.error(`recommender-quality: ${labelsFile} is not a list of { id, meters[] } records`);
    process.exitCode = 2;
    return;
  }

  const info = analyserInfo();
  console.log(
    `Analyser: lexicon ${info.lexiconWords.toLocaleString('en-US')} Finnish word forms, Voikko ${info.voikko ? 'loaded' : 'not available'}, ` +
      `glossary en ${info.glossary.en.toLocaleString('en-US')} / sv ${info.glossary.sv.toLocaleString('en-US')} entries`,
  );

  let t = process.hrtime.bigint();
  const database = await openDatabase({ kind: 'pglite-memory' });
  try {
    await importDemo(database.db);
    const importSeconds = elapsed(t);
    t = process.hrtime.bigint();
    const recommender = new Recommender();
    await recommender.sync(database.db);
    const syncSeconds = elapsed(t);

    // The candidates: national services in the index, as `only_national_services` sees them.
    const national = recommender.index.docs.filter((d) => d !== undefined && d.nationwide);
    const nationalIds = new Set(national.map((d) => d!.id));
    const labelled = labels.filter((l) => nationalIds.has(l.id)).length;
    console.log(
      `Catalogue: ${recommender.index.size.toLocaleString('en-US')} services indexed (demo import ${fmt(importSeconds)} s, index ${fmt(syncSeconds)} s), ` +
        `${national.length.toLocaleString('en-US')} national; labels: ${labels.length.toLocaleString('en-US')} services in ${labelsFile}, ${labelled.toLocaleString('en-US')} of them indexed as national`,
    );
    if (labelled < labels.length) console.log(`  warning: ${labels.length - labelled} labelled services are not national services of the index`);

    const relevantOf = new Map<Meter, Set<string>>(METERS.map((m) => [m, new Set(labels.filter((l) => l.meters.includes(m)).map((l) => l.id))]));
    const unknown = [...new Set(labels.flatMap((l) => l.meters))].filter((m) => !(METERS as readonly string[]).includes(m));
    if (unknown.length) console.log(`  warning: labels name meters the recommender does not know: ${unknown.join(', ')}`);

    const baseline = new Bm25(national.map((d) => ({ id: d!.id, text: [d!.name.fi, d!.summary.fi].filter(Boolean).join(' ') })));
    const filters = { only_national_services: true };
    const evaluate = (ranked: string[], meter: Meter): Scores => ({
      ndcg: ndcgAt(ranked, relevantOf.get(meter)!, K_NDCG),
      recall: recallAt(ranked, relevantOf.get(meter)!, K_RECALL),
    });
    const ours = (request: { meters?: MeterValues; text?: string; textLanguage?: TextLanguage }) =>
      recommender.recommend({ ...request, filters, limit: K_RECALL }).map((r) => r.serviceId);

    const evaluated = METERS.filter((m) => relevantOf.get(m)!.size > 0);
    const skipped = METERS.filter((m) => relevantOf.get(m)!.size === 0);
    if (skipped.length) console.log(`  no relevant services (left out of the means): ${skipped.join(', ')}`);

    // 1. Meters: ours against the BM25 baseline.
    t = process.hrtime.bigint();
    const meterRows: { meter: Meter; relevant: number; ours: Scores; base: Scores }[] = [];
    for (const meter of evaluated) {
      const meters = Object.fromEntries(METERS.map((m) => [m, m === meter ? 1 : 8])) as MeterValues;
      const query = `${METER_TEXTS[meter].name.fi} ${METER_TEXTS[meter].profile.fi}`;
      meterRows.push({
        meter,
        relevant: relevantOf.get(meter)!.size,
        ours: evaluate(ours({ meters }), meter),
        base: evaluate(baseline.search(query, K_RECALL), meter),
      });
    }
    const meterSeconds = elapsed(t);
    const m = {
      oursNdcg: mean(meterRows.map((r) => r.ours.ndcg)),
      baseNdcg: mean(meterRows.map((r) => r.base.ndcg)),
      oursRecall: mean(meterRows.map((r) => r.ours.recall)),
      baseRecall: mean(meterRows.map((r) => r.base.recall)),
    };
    console.log(
      `\nMeters: a person rating one meter 1 and the others 8, national services only (${national.length.toLocaleString('en-US')} candidates).` +
        `\nours = recommend({ meters }); baseline = BM25 (k1 1.2, b 0.75) over Finnish name + summary, no stemming, query = Finnish meter name + profile.\n`,
    );
    console.log(
      table(
        ['meter', 'relevant', `nDCG@${K_NDCG} ours`, `nDCG@${K_NDCG} baseline`, `recall@${K_RECALL} ours`, `recall@${K_RECALL} baseline`],
        [
          ...meterRows.map((r) => [r.meter, r.relevant, f3(r.ours.ndcg), f3(r.base.ndcg), f3(r.ours.recall), f3(r.base.recall)]),
          ['mean (macro)', fmt(mean(meterRows.map((r) => r.relevant)), 1), f3(m.oursNdcg), f3(m.baseNdcg), f3(m.oursRecall), f3(m.baseRecall)],
        ],
      ),
    );

    // 2. The text path across languages: the same meter query in fi, en and sv.
    t = process.hrtime.bigint();
    const langs = ['fi', 'en', 'sv'] as const;
    const textRows = evaluated.map((meter) => {
      const byLang = Object.fromEntries(
        langs.map((lang) => [
          lang,
          evaluate(ours({ text: `${METER_TEXTS[meter].name[lang]} ${METER_TEXTS[meter].profile[lang]}`, textLanguage: lang }), meter),
        ]),
      ) as Record<(typeof langs)[number], Scores>;
      return { meter, ...byLang };
    });
    const textSeconds = elapsed(t);
    const tm = Object.fromEntries(
      langs.map((lang) => [lang, { ndcg: mean(textRows.map((r) => r[lang].ndcg)), recall: mean(textRows.map((r) => r[lang].recall)) }]),
    ) as Record<(typeof langs)[number], Scores>;
    console.log(
      `\nText path: recommend({ text: meter name + profile, textLanguage }) in Finnish, English and Swedish, national services only.\n`,
    );
    console.log(
      table(
        ['meter', `nDCG@${K_NDCG} fi`, `nDCG@${K_NDCG} en`, `nDCG@${K_NDCG} sv`, `recall@${K_RECALL} fi`, `recall@${K_RECALL} en`, `recall@${K_RECALL} sv`],
        [
          ...textRows.map((r) => [r.meter, f3(r.fi.ndcg), f3(r.en.ndcg), f3(r.sv.ndcg), f3(r.fi.recall), f3(r.en.recall), f3(r.sv.recall)]),
          ['mean (macro)', f3(tm.fi.ndcg), f3(tm.en.ndcg), f3(tm.sv.ndcg), f3(tm.fi.recall), f3(tm.en.recall), f3(tm.sv.recall)],
        ],
      ),
    );
    console.log(
      `\nCross-language ratios of the means: nDCG@${K_NDCG} en/fi ${ratio(tm.en.ndcg, tm.fi.ndcg)}, sv/fi ${ratio(tm.sv.ndcg, tm.fi.ndcg)}; ` +
        `recall@${K_RECALL} en/fi ${ratio(tm.en.recall, tm.fi.recall)}, sv/fi ${ratio(tm.sv.recall, tm.fi.recall)}`,
    );
    console.log(`(meter queries ${fmt(meterSeconds * 1000, 0)} ms, text queries ${fmt(textSeconds * 1000, 0)} ms)`);

    console.log(
      `\nSummary: meters nDCG@${K_NDCG} ours ${f3(m.oursNdcg)} vs BM25 ${f3(m.baseNdcg)}, recall@${K_RECALL} ours ${f3(m.oursRecall)} vs BM25 ${f3(m.baseRecall)}; ` +
        `text nDCG@${K_NDCG} fi ${f3(tm.fi.ndcg)} en ${f3(tm.en.ndcg)} sv ${f3(tm.sv.ndcg)} (en/fi ${ratio(tm.en.ndcg, tm.fi.ndcg)}, sv/fi ${ratio(tm.sv.ndcg, tm.fi.ndcg)}); ` +
        `${evaluated.length} meters, ${labels.length.toLocaleString('en-US')} labelled services`,
    );
  } finally {
    await database.close();
  }
}
