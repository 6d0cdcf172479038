import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHIPPED_HELP_LINES, type HelpLine } from '../recommender/situations/help-lines.ts';

/** A municipality's own advice line, as an operator adds one (tests use made-up numbers). */
export function localAdviceLine(id: string, municipality: string, name: HelpLine['name'], phone: string): HelpLine {
  return {
    id,
    kind: 'advice',
    name,
    phone: { fi: phone, sv: phone, en: phone },
    description: { fi: 'Kunnan palvelut.', sv: 'Kommunens tjänster.', en: "The municipality's services." },
    hours: null,
    url: null,
    crisis: false,
    concepts: [],
    whenNothingFits: true,
    municipalities: [municipality],
  };
}

/** An operator's help-line file (for AURORA_HELP_LINES_FILE): the shipped lines and these. */
export function helpLinesFileWith(...lines: HelpLine[]): string {
  const shipped = JSON.parse(readFileSync(SHIPPED_HELP_LINES, 'utf8')) as { version: string; lines: HelpLine[] };
  const file = join(mkdtempSync(join(tmpdir(), 'help-lines-')), 'lines.json');
  writeFileSync(file, JSON.stringify({ version: `${shipped.version}+local`, lines: [...shipped.lines, ...lines] }));
  return file;
}
