/**
 * Quality of the recommender on the expert meter labels of the 1,051 national services.
 *
 *   npm run bench -- recommender-quality [--labels FILE] [--dev-set FILE] [--verbose]
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
 *
 * Then, on the situation development set (bench/situations/dev-set.json, or --dev-set FILE of the
 * same shape): everyday life situations of a Mikkeli resident, each asked in Finnish, Swedish and
 * English as people type them, with hand-marked relevant services (national + Mikkeli's).
 *  - Situations: every query goes to `recommend({ text, textLanguage, filters: { municipality_codes:
 *    ['491'] }, limit: 10 })`. Reported per language: nDCG@10 (binary gains as above; an empty answer
 *    scores 0) and recall@10, each the mean over situations of the mean over that situation's
 *    queries, and the mean number of services returned; next to the same BM25 baseline over the
 *    same candidates (national + Mikkeli services, Finnish name + summary) queried with the raw text.
 *  - Out of domain: questions no public service answers; per language the share answered with no
 *    services and the share answered with fewer than 5, for ours and for BM25.
 *  - --verbose prints, per situation and language, ours' nDCG@10 and top three services of each
 *    query, and what each out-of-domain question got.
 * Relevant ids missing from the catalogue, or neither national nor Mikkeli's, are named in a warning
 * and left out of the scoring.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../src/db/database.ts';
import { importDemo } from '../src/testing/fixtures.ts';
import { Recommender } from '../src/recommender/recommender.ts';
import { METERS, METER_TEXTS, type Meter, type MeterValues } from '../src/recommender/meters.ts';
import { analyserInfo, type TextLanguage } from '../src/recommender/text/analyzer.ts';
import { BENCH_DIR, DEMO_FILE, ROOT, elapsed, fmt, mean, parseArgs, strFlag, table } from './lib.ts';

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

  const verbose = flags.verbose === true;
  const devSetFile = resolve(strFlag(flags, 'dev-set') ?? join(BENCH_DIR, 'situations', 'dev-set.json'));
  const devSet = readDevSet(devSetFile);
  if (typeof devSet === 'string') {
    console.error(`recommender-quality: ${devSet}`);
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

    // 3. and 4. Situations of a Mikkeli resident and out-of-domain questions, from the development set.
    await situationSections(recommender, devSet, devSetFile, verbose);
  } finally {
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Situations of a Mikkeli resident (bench/situations/dev-set.json)

const SITUATION_LANGS = ['fi', 'sv', 'en'] as const;
type SituationLang = (typeof SITUATION_LANGS)[number];
const MUNICIPALITY = '491'; // Mikkeli
const K_SITUATION = 10;
const FEW = 5;

interface Situation {
  id: string;
  queries: Record<SituationLang, string[]>;
  relevant: string[];
  note?: string;
}

interface DevSet {
  situations: Situation[];
  outOfDomain: Record<SituationLang, string[]>;
}

/** The mean of the values that are numbers: a language with no queries leaves the macro mean alone. */
const meanKnown = (values: readonly number[]) => mean(values.filter((v) => !Number.isNaN(v)));

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The development set, or why it cannot be used. */
function readDevSet(file: string): DevSet | string {
  if (!existsSync(file)) return `no situation development set at ${file} (give another with --dev-set FILE)`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return `${file} is not JSON: ${(error as Error).message}`;
  }
  const set = raw as { situations?: unknown; outOfDomain?: unknown };
  if (!set || !Array.isArray(set.situations)) return `${file} has no "situations" list`;
  const bad = (set.situations as Partial<Situation>[]).findIndex(
    (x) =>
      typeof x?.id !== 'string' ||
      !isStrings(x.relevant) ||
      typeof x.queries !== 'object' ||
      x.queries === null ||
      SITUATION_LANGS.some((l) => x.queries![l] !== undefined && !isStrings(x.queries![l])),
  );
  if (bad >= 0) return `${file}: situation ${bad} is not { id, queries: { fi, sv, en: string[] }, relevant: string[] }`;
  const ood = (set.outOfDomain ?? {}) as Partial<Record<SituationLang, unknown>>;
  if (SITUATION_LANGS.some((l) => ood[l] !== undefined && !isStrings(ood[l]))) return `${file}: "outOfDomain" is not { fi, sv, en: string[] }`;
  return {
    situations: (set.situations as Situation[]).map((x) => ({
      ...x,
      queries: Object.fromEntries(SITUATION_LANGS.map((l) => [l, x.queries[l] ?? []])) as Record<SituationLang, string[]>,
    })),
    outOfDomain: Object.fromEntries(SITUATION_LANGS.map((l) => [l, (ood[l] as string[] | undefined) ?? []])) as Record<SituationLang, string[]>,
  };
}

interface CatalogueRecord {
  id: string;
  areaType?: string;
  areas?: { municipalities?: { code?: string }[] }[];
  serviceNames?: { language: string; value: string; type?: string }[];
  serviceDescriptions?: { language: string; value: string; type?: string }[];
}

const fiText = (list: { language: string; value: string; type?: string }[] | undefined, type: string) =>
  list?.find((t) => t.language === 'fi' && t.type === type)?.value ?? list?.find((t) => t.language === 'fi')?.value ?? '';

interface QueryResult {
  ours: string[];
  base: string[];
}

async function situationSections(recommender: Recommender, devSet: DevSet, devSetFile: string, verbose: boolean) {
  // The catalogue the demo import loads: which services a Mikkeli resident can be offered.
  const catalogue = JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as CatalogueRecord[];
  const byId = new Map(catalogue.map((r) => [r.id, r]));
  const isCandidate = (r: CatalogueRecord) =>
    r.areaType === 'Nationwide' || (r.areas ?? []).some((a) => (a.municipalities ?? []).some((m) => m.code === MUNICIPALITY));
  const candidates = catalogue.filter(isCandidate).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const nameOf = (id: string) => fiText(byId.get(id)?.serviceNames, 'Name') || id;

  // Check the labels: every relevant id must be a service of the catalogue, national or Mikkeli's.
  const unknown: string[] = [];
  const elsewhere: string[] = [];
  const situations = devSet.situations.map((s) => {
    const relevant = new Set<string>();
    for (const id of s.relevant) {
      const r = byId.get(id);
      if (!r) unknown.push(`${s.id}: ${id}`);
      else if (!isCandidate(r)) elsewhere.push(`${s.id}: ${id} (${nameOf(id)})`);
      else relevant.add(id);
    }
    return { ...s, relevantSet: relevant };
  });
  const scored = situations.filter((s) => s.relevantSet.size > 0);
  const queryCount = (lang: SituationLang) => scored.reduce((n, s) => n + s.queries[lang].length, 0);
  console.log(
    `\nSituations: ${devSet.situations.length} in ${devSetFile}, ${SITUATION_LANGS.map((l) => `${queryCount(l)} ${l}`).join(' / ')} queries, ` +
      `${fmt(mean(scored.map((s) => s.relevantSet.size)), 1)} relevant services per situation on average; ` +
      `out of domain ${SITUATION_LANGS.map((l) => `${devSet.outOfDomain[l].length} ${l}`).join(' / ')} questions`,
  );
  if (unknown.length) console.log(`  warning: ${unknown.length} relevant ids are not in the catalogue (left out): ${unknown.join(', ')}`);
  if (elsewhere.length)
    console.log(`  warning: ${elsewhere.length} relevant ids are neither national nor Mikkeli's (left out): ${elsewhere.join(', ')}`);
  const empty = situations.filter((s) => s.relevantSet.size === 0).map((s) => s.id);
  if (empty.length) console.log(`  no relevant services (left out of the means): ${empty.join(', ')}`);

  const baseline = new Bm25(
    candidates.map((r) => ({ id: r.id, text: [fiText(r.serviceNames, 'Name'), fiText(r.serviceDescriptions, 'Summary')].filter(Boolean).join(' ') })),
  );
  const filters = { municipality_codes: [MUNICIPALITY] };
  const ask = (text: string, lang: SituationLang): QueryResult => ({
    ours: recommender.recommend({ text, textLanguage: lang, filters, limit: K_SITUATION }).map((r) => r.serviceId),
    base: baseline.search(text, K_SITUATION),
  });

  // 3. Situation questions.
  let t = process.hrtime.bigint();
  interface LangScores {
    oursNdcg: number;
    baseNdcg: number;
    oursRecall: number;
    baseRecall: number;
    oursCount: number;
    baseCount: number;
    oursEmpty: number;
  }
  const perLang = {} as Record<SituationLang, LangScores & { situations: number; queries: number }>;
  const verboseLines: string[] = [];
  for (const lang of SITUATION_LANGS) {
    const rows: LangScores[] = [];
    for (const s of scored) {
      const queries = s.queries[lang];
      if (queries.length === 0) continue;
      const results = queries.map((q) => ask(q, lang));
      const row: LangScores = {
        oursNdcg: mean(results.map((r) => ndcgAt(r.ours, s.relevantSet, K_SITUATION))),
        baseNdcg: mean(results.map((r) => ndcgAt(r.base, s.relevantSet, K_SITUATION))),
        oursRecall: mean(results.map((r) => recallAt(r.ours, s.relevantSet, K_SITUATION))),
        baseRecall: mean(results.map((r) => recallAt(r.base, s.relevantSet, K_SITUATION))),
        oursCount: mean(results.map((r) => r.ours.length)),
        baseCount: mean(results.map((r) => r.base.length)),
        oursEmpty: results.filter((r) => r.ours.length === 0).length,
      };
      rows.push(row);
      if (verbose) {
        verboseLines.push(`${s.id} [${lang}] nDCG@${K_SITUATION} ours ${f3(row.oursNdcg)} (BM25 ${f3(row.baseNdcg)}), ${s.relevantSet.size} relevant`);
        for (const [i, q] of queries.entries()) {
          const r = results[i]!;
          const top = r.ours.slice(0, 3).map((id) => `${s.relevantSet.has(id) ? '+' : '-'} ${nameOf(id)}`);
          verboseLines.push(
            `    "${q}": nDCG ${f3(ndcgAt(r.ours, s.relevantSet, K_SITUATION))}, ${r.ours.length} results${top.length ? `: ${top.join(' | ')}` : ''}`,
          );
        }
      }
    }
    perLang[lang] = {
      situations: rows.length,
      queries: queryCount(lang),
      oursNdcg: mean(rows.map((r) => r.oursNdcg)),
      baseNdcg: mean(rows.map((r) => r.baseNdcg)),
      oursRecall: mean(rows.map((r) => r.oursRecall)),
      baseRecall: mean(rows.map((r) => r.baseRecall)),
      oursCount: mean(rows.map((r) => r.oursCount)),
      baseCount: mean(rows.map((r) => r.baseCount)),
      oursEmpty: rows.reduce((n, r) => n + r.oursEmpty, 0),
    };
  }
  const situationSeconds = elapsed(t);
  const all = (key: keyof LangScores) => meanKnown(SITUATION_LANGS.map((l) => perLang[l][key]));

  console.log(
    `\nSituation questions of a Mikkeli resident: recommend({ text, textLanguage, filters: { municipality_codes: ['${MUNICIPALITY}'] }, limit: ${K_SITUATION} }), ` +
      `${candidates.length.toLocaleString('en-US')} candidates (national + Mikkeli).` +
      `\nbaseline = the same BM25 over the candidates' Finnish name + summary, queried with the raw question; ` +
      `each figure is the mean over situations of the mean over that situation's queries; an empty answer scores 0.\n`,
  );
  if (verbose && verboseLines.length) console.log(`${verboseLines.join('\n')}\n`);
  console.log(
    table(
      [
        'language',
        'situations',
        'queries',
        `nDCG@${K_SITUATION} ours`,
        `nDCG@${K_SITUATION} BM25`,
        `recall@${K_SITUATION} ours`,
        `recall@${K_SITUATION} BM25`,
        'results ours',
        'results BM25',
        'empty ours',
      ],
      [
        ...SITUATION_LANGS.map((l) => {
          const r = perLang[l];
          return [l, r.situations, r.queries, f3(r.oursNdcg), f3(r.baseNdcg), f3(r.oursRecall), f3(r.baseRecall), fmt(r.oursCount, 1), fmt(r.baseCount, 1), r.oursEmpty];
        }),
        [
          'mean (macro)',
          fmt(mean(SITUATION_LANGS.map((l) => perLang[l].situations)), 1),
          fmt(mean(SITUATION_LANGS.map((l) => perLang[l].queries)), 1),
          f3(all('oursNdcg')),
          f3(all('baseNdcg')),
          f3(all('oursRecall')),
          f3(all('baseRecall')),
          fmt(all('oursCount'), 1),
          fmt(all('baseCount'), 1),
          SITUATION_LANGS.reduce((n, l) => n + perLang[l].oursEmpty, 0),
        ],
      ],
    ),
  );
  console.log(
    `\nCross-language ratios of ours' nDCG@${K_SITUATION}: sv/fi ${ratio(perLang.sv.oursNdcg, perLang.fi.oursNdcg)}, en/fi ${ratio(perLang.en.oursNdcg, perLang.fi.oursNdcg)}`,
  );

  // 4. Out-of-domain questions: nothing should come back, or very little.
  t = process.hrtime.bigint();
  const oodRows = SITUATION_LANGS.map((lang) => {
    const questions = devSet.outOfDomain[lang];
    const results = questions.map((q) => ask(q, lang));
    if (verbose)
      for (const [i, q] of questions.entries()) {
        const r = results[i]!;
        console.log(`  ood [${lang}] "${q}": ${r.ours.length} results${r.ours.length ? `, first: ${nameOf(r.ours[0]!)}` : ''}`);
      }
    const share = (pick: (r: QueryResult) => string[], test: (n: number) => boolean) =>
      questions.length ? results.filter((r) => test(pick(r).length)).length / questions.length : Number.NaN;
    return {
      lang,
      questions: questions.length,
      oursNone: share((r) => r.ours, (n) => n === 0),
      oursFew: share((r) => r.ours, (n) => n < FEW),
      oursCount: mean(results.map((r) => r.ours.length)),
      baseNone: share((r) => r.base, (n) => n === 0),
      baseFew: share((r) => r.base, (n) => n < FEW),
      baseCount: mean(results.map((r) => r.base.length)),
    };
  });
  const oodSeconds = elapsed(t);
  const oodMean = (key: 'oursNone' | 'oursFew' | 'oursCount' | 'baseNone' | 'baseFew' | 'baseCount') => meanKnown(oodRows.map((r) => r[key]));
  console.log(`\nOut-of-domain questions (no public service answers them), same request; the higher the shares, the more honest the answer.\n`);
  console.log(
    table(
      ['language', 'questions', 'no services ours', `< ${FEW} ours`, 'results ours', 'no services BM25', `< ${FEW} BM25`, 'results BM25'],
      [
        ...oodRows.map((r) => [r.lang, r.questions, f3(r.oursNone), f3(r.oursFew), fmt(r.oursCount, 1), f3(r.baseNone), f3(r.baseFew), fmt(r.baseCount, 1)]),
        [
          'mean (macro)',
          fmt(mean(oodRows.map((r) => r.questions)), 1),
          f3(oodMean('oursNone')),
          f3(oodMean('oursFew')),
          fmt(oodMean('oursCount'), 1),
          f3(oodMean('baseNone')),
          f3(oodMean('baseFew')),
          fmt(oodMean('baseCount'), 1),
        ],
      ],
    ),
  );
  console.log(`(situation queries ${fmt(situationSeconds * 1000, 0)} ms, out-of-domain queries ${fmt(oodSeconds * 1000, 0)} ms)`);

  const byLang = (pick: (l: SituationLang) => number) => SITUATION_LANGS.map((l) => `${l} ${f3(pick(l))}`).join(' ');
  console.log(
    `\nSummary (situations): nDCG@${K_SITUATION} ours ${byLang((l) => perLang[l].oursNdcg)} vs BM25 ${byLang((l) => perLang[l].baseNdcg)}; ` +
      `recall@${K_SITUATION} ours ${byLang((l) => perLang[l].oursRecall)} vs BM25 ${byLang((l) => perLang[l].baseRecall)}; ` +
      `results ours ${SITUATION_LANGS.map((l) => `${l} ${fmt(perLang[l].oursCount, 1)}`).join(' ')}; ` +
      `out of domain no services ours ${oodRows.map((r) => `${r.lang} ${f3(r.oursNone)}`).join(' ')}, < ${FEW} ours ${oodRows.map((r) => `${r.lang} ${f3(r.oursFew)}`).join(' ')} ` +
      `(BM25 no services ${oodRows.map((r) => `${r.lang} ${f3(r.baseNone)}`).join(' ')}); ` +
      `${scored.length} situations, ${unknown.length + elsewhere.length} bad relevant ids`,
  );
}
