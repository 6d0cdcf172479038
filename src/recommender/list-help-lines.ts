import type { Language } from '../catalogue/model.ts';
import { codeLists } from '../catalogue/codelists.ts';
import { badRequest } from '../http/problem.ts';
import { configuredHelpLines, helpLinesOf, presentHelpLine, type HelpLine } from './situations/help-lines.ts';

/**
 * The phone lines this network shows, for a place: what a page offers when a service has no channel
 * to reach it by ("call your municipality's advice line"). Lines come from the operator's file
 * (AURORA_HELP_LINES_FILE) or the shipped one; a municipality's own lines come before the national
 * ones of the same kind, and lines of other municipalities are left out.
 */
export function listHelpLines(query: { municipality?: string; kind?: HelpLine['kind']; language?: Language }) {
  if (query.municipality !== undefined && !codeLists().municipalityCodes.has(query.municipality))
    throw badRequest(`${query.municipality} is not a municipality code`, [{ field: 'municipality', message: 'is a municipality code of the code list' }]);
  const language = query.language ?? 'fi';
  const lines = helpLinesOf(configuredHelpLines(), { municipality: query.municipality ?? null, kind: query.kind });
  return { language, items: lines.map((line) => presentHelpLine(line, language)) };
}
