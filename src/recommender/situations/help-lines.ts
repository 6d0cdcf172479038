import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Language } from '../../catalogue/model.ts';
import { codeLists } from '../../catalogue/codelists.ts';
import { setting } from '../../config.ts';
import { SITUATIONS_DIR } from './model.ts';

/**
 * Phone lines a person can call, shown beside the services: the emergency number and crisis lines
 * first when the question speaks of immediate danger, the lines of the situations recognised, and a
 * general advice line when no service fits. Kept as data (data/help-lines.json, public
 * numbers as their services publish them); an operator replaces the file with AURORA_HELP_LINES_FILE
 * to add local lines (a municipality's social emergency service or advice line) or correct a number.
 * A line that names municipalities is shown only to a person in one of them, before the national
 * lines of its kind.
 */
const Localized = Type.Object({ fi: Type.String({ minLength: 1, maxLength: 300 }), sv: Type.String({ minLength: 1, maxLength: 300 }), en: Type.String({ minLength: 1, maxLength: 300 }) }, { additionalProperties: false });
const LineSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 80 }),
    kind: Type.Union([Type.Literal('emergency'), Type.Literal('crisis'), Type.Literal('support'), Type.Literal('advice')]),
    name: Localized,
    phone: Type.Object({ fi: Type.String({ pattern: '^[0-9 +]{3,20}$' }), sv: Type.String({ pattern: '^[0-9 +]{3,20}$' }), en: Type.String({ pattern: '^[0-9 +]{3,20}$' }) }, { additionalProperties: false }),
    description: Localized,
    hours: Type.Union([Localized, Type.Null()]),
    url: Type.Union([Type.String({ pattern: '^https://', maxLength: 300 }), Type.Null()]),
    /** Shown for every crisis. */
    crisis: Type.Boolean(),
    /** Shown (in a crisis, or when nothing fits) for these situations. */
    concepts: Type.Array(Type.String({ maxLength: 80 }), { maxItems: 200 }),
    /** Shown whenever no service fits. */
    whenNothingFits: Type.Optional(Type.Boolean()),
    /** Where the line serves (municipality codes); absent: the whole country. */
    municipalities: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{3}$' }), { minItems: 1, maxItems: 400, uniqueItems: true })),
  },
  { additionalProperties: false },
);
const FileSchema = Type.Object({ version: Type.String({ minLength: 1 }), lines: Type.Array(LineSchema, { maxItems: 100 }) }, { additionalProperties: false });
const check = Compile(FileSchema);

export type HelpLine = Static<typeof LineSchema>;

export const SHIPPED_HELP_LINES = join(SITUATIONS_DIR, '..', 'help-lines.json');

export function loadHelpLines(path = SHIPPED_HELP_LINES): HelpLine[] {
  const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!check.Check(data)) {
    const problems = [...check.Errors(data)].slice(0, 10).map((e) => `${e.instancePath || '/'}: ${e.message}`);
    throw new Error(`${path} is not a valid help-line file:\n- ${problems.join('\n- ')}`);
  }
  const known = codeLists().municipalityCodes;
  const unknown = data.lines.flatMap((line, i) => (line.municipalities ?? []).filter((code) => !known.has(code)).map((code) => `/lines/${i}/municipalities: ${code} is not a municipality code`));
  if (unknown.length) throw new Error(`${path} is not a valid help-line file:\n- ${unknown.slice(0, 10).join('\n- ')}`);
  return data.lines;
}

let configured: { variable: string | undefined; lines: HelpLine[] } | undefined;

/**
 * The lines this server shows: the operator's file (AURORA_HELP_LINES_FILE) or the shipped one, read
 * once. Every answer asks, so the setting is parsed (which checks the file on disk) only when the
 * variable changes, not per request.
 */
export function configuredHelpLines(): HelpLine[] {
  const variable = process.env.AURORA_HELP_LINES_FILE;
  if (!configured || configured.variable !== variable) configured = { variable, lines: loadHelpLines(setting('AURORA_HELP_LINES_FILE')) };
  return configured.lines;
}

const KIND_ORDER = { emergency: 0, crisis: 1, support: 2, advice: 3 };

/** A line for the whole country serves everyone; a local one only the people of its municipalities. */
function serves(line: HelpLine, municipality: string | null | undefined) {
  return !line.municipalities || (!!municipality && line.municipalities.includes(municipality));
}

/** Emergency first, advice last; within a kind, a municipality's own line before the national ones. */
function byKindThenLocal(a: HelpLine, b: HelpLine) {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || Number(!a.municipalities) - Number(!b.municipalities);
}

/** The lines of a kind (or all) that serve a person in a municipality (or anywhere, when not known). */
export function helpLinesOf(lines: readonly HelpLine[], where: { municipality?: string | null; kind?: HelpLine['kind'] }): HelpLine[] {
  return lines.filter((line) => (!where.kind || line.kind === where.kind) && serves(line, where.municipality)).sort(byKindThenLocal);
}

/** The lines for an answer, emergency and crisis lines first, a municipality's own before the national ones. */
export function helpLinesFor(
  lines: readonly HelpLine[],
  answer: { crisis: boolean; nothingFits: boolean; situations: readonly string[]; municipality?: string | null },
): HelpLine[] {
  const named = (line: HelpLine) => line.concepts.some((c) => answer.situations.includes(c));
  const chosen = lines.filter(
    (line) =>
      serves(line, answer.municipality) &&
      ((answer.crisis && (line.crisis || named(line))) || (answer.nothingFits && (named(line) || line.whenNothingFits === true))),
  );
  return chosen.sort(byKindThenLocal);
}

export function presentHelpLine(line: HelpLine, language: Language) {
  return {
    id: line.id,
    kind: line.kind,
    name: line.name[language],
    phone: line.phone[language],
    description: line.description[language],
    hours: line.hours?.[language] ?? null,
    url: line.url,
    municipalities: line.municipalities ?? null,
  };
}
