import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Type, { type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { CodeLists } from '../../catalogue/codelists.ts';
import { LANGUAGES, type Language } from '../../catalogue/model.ts';
import { LIFE_EVENT_IDS } from '../life-events.ts';
import { METERS, type Meter } from '../meter-names.ts';
import { tokenize } from '../text/analyzer.ts';
import { fromPackageRoot } from '../../package-root.ts';

/**
 * The situation model: what people go through and how they say it, kept as data in
 * data/situations/ (after the needs taxonomies of 211 services, written for Aurora). Each concept
 * is a life situation ("lost job", "can't pay rent"), with
 * - `label` and `said`: its name, and a sentence for explanations ("You said you lost your job"),
 *   in Finnish, Swedish and English;
 * - `phrasings`: how people type it, first person and colloquial, several per language; these are
 *   what a query is matched to (understand.ts), so they describe the situation, never a service;
 * - `vocabulary`: the words a service description for it uses ("työttömyysturva");
 * - `serviceClasses`, `targetGroups`: PTV codes (checked against data/codelists), `lifeEvents`:
 *   Aurora's life events (life-events.ts), `meters`: the 3X10D areas it touches (none for an
 *   errand that is no area's need, such as registering a car: it then feeds no meter);
 * - `crisis: true` where it means immediate danger, `audience: 'business'` where a company asks.
 *
 * The manifest (data/situations/manifest.json) names the model's version and its files, one per
 * domain. No concept names a catalogue service: the mapping to services goes through the codes and
 * the vocabulary, so the model stays right when the catalogue changes.
 *
 * Extending it (an operator): write a JSON file
 *   { "version": "mikkeli-1", "concepts": [ …new concepts, same shape… ],
 *     "additions": [ { "id": "lost-job", "phrasings": { "fi": ["…"] }, "vocabulary": { … } } ] }
 * and pass its path in `extraFiles` (loadSituationModel). New concepts need new ids; `additions`
 * add phrasings, vocabulary and codes to an existing concept (say, local wording). The file is
 * validated like the shipped ones: an error names the file, the concept and what is wrong, and the
 * model does not load.
 */

export type Localized<T> = Record<Language, T>;

const Text = Type.String({ minLength: 1, maxLength: 300 });
const PhraseList = Type.Array(Text, { maxItems: 200 });
const perLanguage = <T extends TSchema>(item: T) => Type.Object({ fi: item, sv: item, en: item }, { additionalProperties: false });
const ConceptId = Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 80 });
const Codes = Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 40 });

const ConceptSchema = Type.Object(
  {
    id: ConceptId,
    label: perLanguage(Text),
    said: perLanguage(Text),
    phrasings: perLanguage(Type.Array(Text, { minItems: 1, maxItems: 200 })),
    vocabulary: perLanguage(PhraseList),
    serviceClasses: Codes,
    targetGroups: Codes,
    lifeEvents: Codes,
    meters: Type.Array(Type.Unsafe<Meter>(Type.Union(METERS.map((m) => Type.Literal(m))))),
    crisis: Type.Optional(Type.Boolean()),
    audience: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('business')])),
    related: Type.Optional(Type.Array(ConceptId)),
  },
  { additionalProperties: false },
);

const AdditionSchema = Type.Object(
  {
    id: ConceptId,
    phrasings: Type.Optional(Type.Partial(perLanguage(PhraseList))),
    vocabulary: Type.Optional(Type.Partial(perLanguage(PhraseList))),
    serviceClasses: Type.Optional(Codes),
    targetGroups: Type.Optional(Codes),
    lifeEvents: Type.Optional(Codes),
  },
  { additionalProperties: false },
);

const DomainFileSchema = Type.Object({ domain: Type.String({ minLength: 1 }), concepts: Type.Array(ConceptSchema) }, { additionalProperties: false });
const ManifestSchema = Type.Object(
  { name: Type.String(), version: Type.String({ minLength: 1 }), files: Type.Array(Type.String({ pattern: '^[a-z0-9-]+\\.json$' }), { minItems: 1 }) },
  { additionalProperties: false },
);
const ExtensionSchema = Type.Object(
  {
    version: Type.String({ minLength: 1 }),
    concepts: Type.Optional(Type.Array(ConceptSchema)),
    additions: Type.Optional(Type.Array(AdditionSchema)),
  },
  { additionalProperties: false },
);

export type ConceptData = Static<typeof ConceptSchema>;
export type ConceptAddition = Static<typeof AdditionSchema>;
export type DomainFile = Static<typeof DomainFileSchema>;
export type Manifest = Static<typeof ManifestSchema>;
export type ExtensionFile = Static<typeof ExtensionSchema>;

export interface SituationConcept {
  id: string;
  /** The domain file it came from ("work"), or "extension" for an operator's concept. */
  domain: string;
  label: Localized<string>;
  said: Localized<string>;
  phrasings: Localized<string[]>;
  vocabulary: Localized<string[]>;
  serviceClasses: string[];
  targetGroups: string[];
  lifeEvents: string[];
  meters: Meter[];
  crisis: boolean;
  audience: 'person' | 'business';
  related: string[];
}

export interface SituationModel {
  /** The shipped model's version, followed by each extension's ("1.3.0+mikkeli-1"). */
  version: string;
  concepts: SituationConcept[];
  byId: Map<string, SituationConcept>;
}

export class SituationModelError extends Error {
  constructor(readonly problems: string[]) {
    super(`the situation model is not valid:\n- ${problems.slice(0, 30).join('\n- ')}${problems.length > 30 ? `\n- … and ${problems.length - 30} more` : ''}`);
  }
}

export const SITUATIONS_DIR = fromPackageRoot('data', 'situations');

const checks = {
  domain: Compile(DomainFileSchema),
  manifest: Compile(ManifestSchema),
  extension: Compile(ExtensionSchema),
};

function schemaProblems(check: { Errors(value: unknown): Iterable<{ instancePath: string; message: string }> }, value: unknown, where: string) {
  const out: string[] = [];
  for (const e of check.Errors(value)) {
    out.push(`${where}${e.instancePath || '/'}: ${e.message}`);
    if (out.length >= 10) break;
  }
  return out;
}

function readJson(path: string, problems: string[]): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    problems.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

export interface LoadOptions {
  /** The folder with manifest.json and the domain files; data/situations by default. */
  dir?: string;
  /** Operators' files of extra concepts and additions, applied in this order. */
  extraFiles?: string[];
  /** Code lists to check the codes against; the shipped ones by default. */
  codeLists?: CodeLists;
}

/** Reads, validates and returns the model; throws SituationModelError listing every problem. */
export function loadSituationModel(options: LoadOptions = {}): SituationModel {
  const dir = options.dir ?? SITUATIONS_DIR;
  const problems: string[] = [];
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new SituationModelError([`${manifestPath}: not found`]);
  const manifest = readJson(manifestPath, problems);
  if (manifest === undefined) throw new SituationModelError(problems);
  if (!checks.manifest.Check(manifest)) throw new SituationModelError(schemaProblems(checks.manifest, manifest, 'manifest.json'));
  const domains: { file: string; data: unknown }[] = manifest.files.map((file) => ({ file, data: readJson(join(dir, file), problems) }));
  const extensions: { file: string; data: unknown }[] = (options.extraFiles ?? []).map((file) => ({ file, data: readJson(resolve(file), problems) }));
  if (problems.length) throw new SituationModelError(problems);
  return buildSituationModel({ manifest, domains, extensions, codeLists: options.codeLists });
}

let codeListsCache: CodeLists | undefined;

/** Validates already-read files and builds the model (what loadSituationModel does after reading). */
export function buildSituationModel(input: {
  manifest: Manifest;
  domains: { file: string; data: unknown }[];
  extensions?: { file: string; data: unknown }[];
  codeLists?: CodeLists | undefined;
}): SituationModel {
  const codeLists = input.codeLists ?? (codeListsCache ??= new CodeLists());
  const problems: string[] = [];
  const concepts: SituationConcept[] = [];
  const byId = new Map<string, SituationConcept>();
  const versions = [input.manifest.version];

  const addConcept = (data: ConceptData, domain: string, where: string) => {
    if (byId.has(data.id)) {
      problems.push(`${where}: concept id "${data.id}" is used twice (also in ${byId.get(data.id)!.domain})`);
      return;
    }
    const concept: SituationConcept = {
      id: data.id,
      domain,
      label: { ...data.label },
      said: { ...data.said },
      phrasings: { fi: [...data.phrasings.fi], sv: [...data.phrasings.sv], en: [...data.phrasings.en] },
      vocabulary: { fi: [...data.vocabulary.fi], sv: [...data.vocabulary.sv], en: [...data.vocabulary.en] },
      serviceClasses: [...data.serviceClasses],
      targetGroups: [...data.targetGroups],
      lifeEvents: [...data.lifeEvents],
      meters: [...data.meters],
      crisis: data.crisis ?? false,
      audience: data.audience ?? 'person',
      related: [...(data.related ?? [])],
    };
    byId.set(concept.id, concept);
    concepts.push(concept);
  };

  for (const { file, data } of input.domains) {
    if (!checks.domain.Check(data)) {
      problems.push(...schemaProblems(checks.domain, data, file));
      continue;
    }
    for (const [i, concept] of data.concepts.entries()) addConcept(concept, data.domain, `${file}/concepts/${i}`);
  }
  for (const { file, data } of input.extensions ?? []) {
    if (!checks.extension.Check(data)) {
      problems.push(...schemaProblems(checks.extension, data, file));
      continue;
    }
    versions.push(data.version);
    for (const [i, concept] of (data.concepts ?? []).entries()) addConcept(concept, 'extension', `${file}/concepts/${i}`);
    for (const [i, addition] of (data.additions ?? []).entries()) {
      const target = byId.get(addition.id);
      if (!target) {
        problems.push(`${file}/additions/${i}: no concept "${addition.id}" to add to`);
        continue;
      }
      for (const language of LANGUAGES) {
        target.phrasings[language].push(...(addition.phrasings?.[language] ?? []));
        target.vocabulary[language].push(...(addition.vocabulary?.[language] ?? []));
      }
      target.serviceClasses = [...new Set([...target.serviceClasses, ...(addition.serviceClasses ?? [])])];
      target.targetGroups = [...new Set([...target.targetGroups, ...(addition.targetGroups ?? [])])];
      target.lifeEvents = [...new Set([...target.lifeEvents, ...(addition.lifeEvents ?? [])])];
    }
  }

  problems.push(...semanticProblems(concepts, byId, codeLists));
  if (problems.length) throw new SituationModelError(problems);
  return { version: versions.join('+'), concepts, byId };
}

const lifeEvents = new Set<string>(LIFE_EVENT_IDS);
const normalise = (text: string) => tokenize(text).join(' ');

/** What the schema cannot say: codes that exist, phrasings with words, no phrasing in two concepts. */
function semanticProblems(concepts: SituationConcept[], byId: Map<string, SituationConcept>, codeLists: CodeLists): string[] {
  const problems: string[] = [];
  const phraseOwner = new Map<string, string>();
  for (const c of concepts) {
    const at = `concept "${c.id}"`;
    for (const code of c.serviceClasses) if (!codeLists.serviceClassByCode.has(code)) problems.push(`${at}: unknown service class ${code}`);
    for (const code of c.targetGroups) if (!codeLists.targetGroupByCode.has(code)) problems.push(`${at}: unknown target group ${code}`);
    for (const code of c.lifeEvents) if (!lifeEvents.has(code)) problems.push(`${at}: unknown life event ${code}`);
    for (const id of c.related) if (!byId.has(id) || id === c.id) problems.push(`${at}: related concept "${id}" does not exist`);
    if (c.serviceClasses.length === 0) problems.push(`${at}: names no service class`);
    // No meter is a choice, for an errand that is no area's need (registering a car, a name change):
    // such a concept feeds no meter's recommendations (fits.ts). Duplicates are a slip.
    if (new Set(c.meters).size < c.meters.length) problems.push(`${at}: names a meter twice`);
    for (const language of LANGUAGES) {
      if (c.phrasings[language].length < 2) problems.push(`${at}: fewer than two ${language} phrasings`);
      for (const kind of ['phrasings', 'vocabulary', 'label', 'said'] as const) {
        const texts = kind === 'label' || kind === 'said' ? [c[kind][language]] : c[kind][language];
        for (const text of texts) if (tokenize(text).length === 0) problems.push(`${at}: a ${language} ${kind} entry has no words: "${text}"`);
      }
      const seen = new Set<string>();
      for (const text of c.phrasings[language]) {
        const key = normalise(text);
        if (seen.has(key)) problems.push(`${at}: the ${language} phrasing "${text}" is there twice`);
        seen.add(key);
        const owner = phraseOwner.get(`${language}:${key}`);
        if (owner && owner !== c.id) problems.push(`${at}: the ${language} phrasing "${text}" is also a phrasing of "${owner}"`);
        phraseOwner.set(`${language}:${key}`, c.id);
      }
    }
  }
  return problems;
}
