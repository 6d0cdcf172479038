import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Language } from '../../catalogue/model.ts';
import { SITUATIONS_DIR } from './model.ts';

/**
 * Phone lines a person can call, shown beside the services: the emergency number and crisis lines
 * first when the question speaks of immediate danger, the lines of the situations recognised, and a
 * general advice line when no service fits. Kept as data (data/help-lines.json, public
 * numbers as their services publish them); an operator replaces the file with AURORA_HELP_LINES_FILE
 * to add local lines (a municipality's social emergency service) or correct a number.
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
  return data.lines;
}

/** The lines for an answer, emergency and crisis lines first. */
export function helpLinesFor(lines: readonly HelpLine[], answer: { crisis: boolean; nothingFits: boolean; situations: readonly string[] }): HelpLine[] {
  const named = (line: HelpLine) => line.concepts.some((c) => answer.situations.includes(c));
  const chosen = lines.filter(
    (line) => (answer.crisis && (line.crisis || named(line))) || (answer.nothingFits && (named(line) || line.whenNothingFits === true)),
  );
  const order = { emergency: 0, crisis: 1, support: 2, advice: 3 };
  return chosen.sort((a, b) => order[a.kind] - order[b.kind]);
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
  };
}
