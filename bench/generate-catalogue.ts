/**
 * A deterministic synthetic PTV open API v11 catalogue for the benchmarks.
 *
 *   npm run bench -- generate-catalogue --services 100000 --out bench/out/catalogue.json [--seed N]
 *
 * The records have the shape of the real ones (data/demo/services.ptv.json and the full v11 record
 * data/demo/service-etalukio.json): ~60% LimitedType in 1-3 real municipalities (weighted towards
 * populous ones, extra municipalities from the same region), ~40% Nationwide; 1-3 leaf service
 * classes, 1-2 target groups, mostly PubliclyFunded, organisations and channel links. Names,
 * summaries and descriptions are walks of a word-bigram chain built from the real demo services
 * (so text search meets the real vocabulary and word frequencies); Swedish and English texts (on
 * ~20% of services) come from the sv/en names and descriptions of the PTV service classes.
 * The same seed and size always give the same file, byte for byte.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_SEED, ROOT, Rng, Weighted, fmt, intFlag, mb, parseArgs, strFlag } from './lib.ts';

type LangValue = { language: string; value: string };
interface Municipality {
  code: string;
  name: { fi: string; sv?: string; en?: string };
  region: string | null;
}
interface CodeEntry {
  code: string;
  uri?: string;
  parent?: string | null;
  name: { fi?: string; sv?: string; en?: string };
  description?: { fi?: string; sv?: string; en?: string };
}
interface DemoService {
  serviceNames: { language: string; value: string; type: string }[];
  serviceDescriptions: { language: string; value: string; type: string }[];
}

const readJson = <T>(...path: string[]): T => JSON.parse(readFileSync(join(ROOT, ...path), 'utf8')) as T;

/**
 * Approximate populations (Statistics Finland, end of 2023, rounded) of the 30 largest
 * municipalities; every other municipality counts as 6,000 inhabitants. Services per municipality
 * grow more slowly than the population, so a municipality's weight is population^0.6.
 */
const POPULATION: Record<string, number> = {
  '091': 674_000, '049': 314_000, '837': 255_000, '092': 247_000, '564': 215_000, '853': 202_000,
  '179': 148_000, '297': 125_000, '398': 121_000, '609': 83_000, '286': 79_000, '167': 78_000,
  '405': 73_000, '109': 68_000, '905': 68_000, '743': 65_000, '698': 65_000, '491': 52_000,
  '285': 51_000, '734': 51_000, '638': 51_000, '272': 48_000, '444': 46_000, '106': 47_000,
  '543': 44_000, '186': 45_000, '684': 39_000, '257': 41_000, '858': 39_000, '205': 36_000,
};
export const municipalityWeight = (code: string) => Math.pow(POPULATION[code] ?? 6_000, 0.6);

// ---------------------------------------------------------------------------------------------
// Text: a word-bigram chain over real sentences.

class Chain {
  readonly starts: string[] = [];
  readonly next = new Map<string, string[]>();
  static readonly END = '\u0000';

  constructor(texts: Iterable<string>) {
    for (const text of texts) {
      for (const sentence of text.split(/(?<=[.!?])\s+/)) {
        const words = sentence.split(/\s+/).filter(Boolean);
        if (words.length === 0) continue;
        this.starts.push(words[0]!);
        for (let i = 0; i < words.length; i++) {
          const w = words[i]!;
          let list = this.next.get(w);
          if (!list) this.next.set(w, (list = []));
          list.push(words[i + 1] ?? Chain.END);
        }
      }
    }
    if (this.starts.length === 0) throw new Error('no text to build a chain from');
  }

  /** One sentence of at most `cap` words. */
  sentence(rng: Rng, cap: number): string[] {
    const words = [rng.pick(this.starts)];
    while (words.length < cap) {
      const w = rng.pick(this.next.get(words[words.length - 1]!) ?? [Chain.END]);
      if (w === Chain.END) break;
      words.push(w);
    }
    return words;
  }

  /** Sentences until at least `minWords` words. */
  text(rng: Rng, minWords: number, cap = 30): string {
    const sentences: string[] = [];
    let count = 0;
    while (count < minWords) {
      const s = this.sentence(rng, cap);
      count += s.length;
      let text = s.join(' ');
      text = text.charAt(0).toLocaleUpperCase('fi') + text.slice(1);
      if (!/[.!?]$/.test(text)) text = `${text.replace(/[,;:–-]+$/, '')}.`;
      sentences.push(text);
    }
    return sentences.join(' ');
  }

  /** A name: one sentence of 1-`cap` words without its final full stop. */
  name(rng: Rng, cap: number): string {
    const text = this.sentence(rng, cap).join(' ').replace(/[.,;:]+$/, '');
    return text.charAt(0).toLocaleUpperCase('fi') + text.slice(1);
  }
}

// ---------------------------------------------------------------------------------------------

export interface GenerateOptions {
  services: number;
  seed?: number;
}

export interface GenerateSummary {
  services: number;
  seed: number;
  bytes: number;
  nationwide: number;
  limited: number;
  multilingual: number;
}

interface Org {
  id: string;
  name: string;
  channels: { id: string; name: string }[];
}

/** Yields the synthetic services one by one (same seed and size, same records). */
export function* syntheticServices(options: GenerateOptions): Generator<Record<string, unknown>> {
  const seed = options.seed ?? DEFAULT_SEED;
  const rng = new Rng(seed);

  const demo = readJson<DemoService[]>('data', 'demo', 'services.ptv.json');
  const municipalities = readJson<Municipality[]>('data', 'codelists', 'municipalities.json');
  const classes = readJson<CodeEntry[]>('data', 'codelists', 'service-classes.json');
  const targetGroups = readJson<CodeEntry[]>('data', 'codelists', 'target-groups.json');

  const fiNames = new Chain(demo.flatMap((s) => s.serviceNames.filter((n) => n.type === 'Name' && n.value).map((n) => n.value)));
  const fiTexts = new Chain(demo.flatMap((s) => s.serviceDescriptions.filter((d) => d.value).map((d) => d.value)));
  const nameChain = (lang: 'sv' | 'en') => new Chain([...classes, ...targetGroups].flatMap((c) => (c.name[lang] ? [c.name[lang]!] : [])));
  const textChain = (lang: 'sv' | 'en') => new Chain(classes.flatMap((c) => (c.description?.[lang] ? [c.description[lang]!] : [])));
  const chains = { fi: [fiNames, fiTexts], sv: [nameChain('sv'), textChain('sv')], en: [nameChain('en'), textChain('en')] } as const;

  // Word counts of the real names and summaries: generated texts follow the same distribution.
  const nameLengths = demo.map((s) => (s.serviceNames.find((n) => n.type === 'Name')?.value ?? '').split(/\s+/).filter(Boolean).length || 1);
  const summaryLengths = demo.map((s) => (s.serviceDescriptions.find((d) => d.type === 'Summary')?.value ?? '').split(/\s+/).filter(Boolean).length || 8);

  const byRegion = new Map<string, Municipality[]>();
  for (const m of municipalities) if (m.region) (byRegion.get(m.region) ?? byRegion.set(m.region, []).get(m.region)!).push(m);
  const municipalityDraw = new Weighted(municipalities.map((m) => [m, municipalityWeight(m.code)] as const));

  // Leaf service classes, some far more common than others (Zipf over a seeded order).
  const parents = new Set(classes.map((c) => c.parent).filter(Boolean));
  const leaves = rng.shuffle(classes.filter((c) => !parents.has(c.code)));
  const classDraw = new Weighted(leaves.map((c, i) => [c, 1 / Math.pow(i + 3, 0.9)] as const));
  const group = (code: string) => targetGroups.find((t) => t.code === code)!;
  const targetGroupDraw = new Weighted<CodeEntry>([
    [group('KR1'), 40],
    ...targetGroups.filter((t) => t.parent === 'KR1').map((t) => [t, 30 / 6] as const),
    [group('KR2'), 14],
    ...targetGroups.filter((t) => t.parent === 'KR2').map((t) => [t, 10 / 8] as const),
    [group('KR3'), 6],
  ]);

  const newOrg = (name: string): Org => {
    const channels = Array.from({ length: rng.int(3, 20) }, () => ({ id: rng.uuid(), name: fiNames.name(rng, 4) }));
    return { id: rng.uuid(), name, channels };
  };
  const municipalOrgs = new Map(municipalities.map((m) => [m.code, newOrg(`${m.name.fi} (kunta)`)]));
  const nationalOrgs = Array.from({ length: 150 }, () => newOrg(`${fiNames.name(rng, 2)} (virasto)`));
  const nationalOrgDraw = new Weighted(nationalOrgs.map((o, i) => [o, 1 / (i + 2)] as const));

  const coded = (c: CodeEntry) => ({
    code: c.code,
    uri: c.uri ?? null,
    name: (['fi', 'sv', 'en'] as const).flatMap((language) => (c.name[language] ? [{ language, value: c.name[language]! }] : [])),
  });
  const epochFrom = Date.UTC(2017, 0, 1);
  const epochTo = Date.UTC(2026, 0, 1);

  for (let n = 0; n < options.services; n++) {
    const languages = ['fi'];
    if (rng.chance(0.2)) {
      const x = rng.next();
      if (x < 0.6) languages.push('sv', 'en');
      else if (x < 0.85) languages.push('sv');
      else languages.push('en');
    }
    const names: (LangValue & { type: string })[] = [];
    const descriptions: (LangValue & { type: string })[] = [];
    for (const language of languages as ('fi' | 'sv' | 'en')[]) {
      const [nameC, textC] = chains[language];
      names.push({ language, value: nameC.name(rng, Math.max(1, rng.pick(nameLengths) + rng.int(0, 1))), type: 'Name' });
      const summaryWords = Math.min(60, rng.pick(summaryLengths));
      descriptions.push({ language, value: textC.text(rng, summaryWords), type: 'Summary' });
      descriptions.push({ language, value: textC.text(rng, rng.int(20, 80)), type: 'Description' });
    }
    if (rng.chance(0.15)) names.push({ language: 'fi', value: fiNames.name(rng, 3), type: 'AlternativeName' });

    const nationwide = rng.chance(0.4);
    let areas: unknown[] = [];
    let orgs: Org[];
    if (nationwide) {
      orgs = [nationalOrgDraw.draw(rng)];
    } else {
      const first = municipalityDraw.draw(rng);
      const chosen = new Map([[first.code, first]]);
      const extra = rng.next() < 0.75 ? 0 : rng.next() < 0.7 ? 1 : 2;
      const neighbours = first.region ? (byRegion.get(first.region) ?? []) : [];
      for (let i = 0; i < extra * 3 && chosen.size < extra + 1; i++) {
        const m = neighbours.length > 1 && rng.chance(0.85) ? rng.pick(neighbours) : municipalityDraw.draw(rng);
        chosen.set(m.code, m);
      }
      areas = [...chosen.values()].map((m) => ({
        type: 'Municipality',
        code: null,
        name: null,
        municipalities: [{ code: m.code, name: (['fi', 'sv', 'en'] as const).flatMap((language) => (m.name[language] ? [{ language, value: m.name[language]! }] : [])) }],
      }));
      orgs = [municipalOrgs.get(first.code)!];
    }
    if (rng.chance(0.3)) orgs.push(rng.chance(0.5) ? nationalOrgDraw.draw(rng) : municipalOrgs.get(municipalityDraw.draw(rng).code)!);

    const classCount = rng.next() < 0.55 ? 1 : rng.next() < 0.7 ? 2 : 3;
    const serviceClasses = new Map<string, CodeEntry>();
    while (serviceClasses.size < classCount) {
      const c = classDraw.draw(rng);
      serviceClasses.set(c.code, c);
    }
    const groupCount = rng.chance(0.7) ? 1 : 2;
    const groups = new Map<string, CodeEntry>();
    while (groups.size < groupCount) {
      const g = targetGroupDraw.draw(rng);
      groups.set(g.code, g);
    }
    const owner = orgs[0]!;
    const channelCount = rng.int(1, 3);
    const channels = new Map<string, { id: string; name: string }>();
    for (let i = 0; i < channelCount; i++) {
      const c = rng.pick(owner.channels);
      channels.set(c.id, c);
    }
    const keywordCount = rng.chance(0.4) ? rng.int(1, 5) : 0;
    const keywords = Array.from({ length: keywordCount }, () => ({ language: 'fi', value: fiNames.name(rng, 2).toLocaleLowerCase('fi') }));
    const modified = new Date(epochFrom + rng.next() * (epochTo - epochFrom)).toISOString().replace('Z', '');
    const typeRoll = rng.next();

    yield {
      id: rng.uuid(),
      sourceId: null,
      generalDescriptionId: null,
      type: typeRoll < 0.9 ? 'Service' : typeRoll < 0.97 ? 'PermitOrObligation' : 'ProfessionalQualifications',
      fundingType: rng.chance(0.88) ? 'PubliclyFunded' : 'MarketFunded',
      serviceNames: names,
      serviceChargeType: rng.chance(0.7) ? 'FreeOfCharge' : 'Charged',
      areaType: nationwide ? 'Nationwide' : 'LimitedType',
      areas,
      serviceDescriptions: descriptions,
      languages,
      serviceClasses: [...serviceClasses.values()].map(coded),
      ontologyTerms: [],
      targetGroups: [...groups.values()].map(coded),
      lifeEvents: [],
      keywords,
      requirements: [],
      serviceChannels: [...channels.values()].map((c) => ({ serviceChannel: { id: c.id, name: c.name }, description: [] })),
      organizations: orgs.map((o, i) => ({ organization: { id: o.id, name: o.name }, roleType: i === 0 ? 'Responsible' : 'Producer' })),
      serviceCollections: [],
      publishingStatus: 'Published',
      modified,
    };
  }
}

/** Writes the synthetic catalogue as one JSON array, streamed out in slices. */
export async function generateCatalogue(options: GenerateOptions & { out: string }): Promise<GenerateSummary> {
  const seed = options.seed ?? DEFAULT_SEED;
  const fd = openSync(resolve(options.out), 'w');
  const summary: GenerateSummary = { services: 0, seed, bytes: 0, nationwide: 0, limited: 0, multilingual: 0 };
  try {
    let slice: string[] = [];
    const flush = () => {
      if (slice.length === 0) return;
      const text = slice.join('');
      summary.bytes += writeSync(fd, text);
      slice = [];
    };
    slice.push('[\n');
    for (const service of syntheticServices({ services: options.services, seed })) {
      slice.push(summary.services === 0 ? '' : ',\n', JSON.stringify(service));
      summary.services++;
      if (service.areaType === 'Nationwide') summary.nationwide++;
      else summary.limited++;
      if ((service.languages as string[]).length > 1) summary.multilingual++;
      if (slice.length >= 2000) flush();
    }
    slice.push('\n]\n');
    flush();
  } finally {
    closeSync(fd);
  }
  return summary;
}

export async function main(argv: string[]) {
  const { flags } = parseArgs(argv);
  const services = intFlag(flags, 'services', 100_000, 1, 10_000_000);
  const seed = intFlag(flags, 'seed', DEFAULT_SEED, 0, 0xffffffff);
  const out = strFlag(flags, 'out');
  if (!out) {
    console.error('usage: npm run bench -- generate-catalogue --services N --out FILE [--seed N]');
    process.exit(2);
  }
  const started = process.hrtime.bigint();
  const summary = await generateCatalogue({ services, seed, out });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `wrote ${summary.services.toLocaleString('en-US')} services to ${out}: ${fmt(mb(summary.bytes))} MB, ` +
      `${summary.nationwide.toLocaleString('en-US')} nationwide, ${summary.limited.toLocaleString('en-US')} limited, ` +
      `${summary.multilingual.toLocaleString('en-US')} multilingual, seed ${seed}, ${fmt(seconds)} s`,
  );
}
