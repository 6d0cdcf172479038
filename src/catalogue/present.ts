import { codeLists } from './codelists.ts';
import { LANGUAGES, pickText, type Language, type LocalizedText } from './model.ts';
import type { listServices } from './query.ts';

/**
 * Turns rows into API documents. Texts are {fi, sv, en} objects; when the caller asks for one
 * language they become strings in that language, falling back to another the source has.
 */
export type Text = LocalizedText | string | null;

export function text(value: LocalizedText, lang: Language | undefined): Text {
  if (!lang) return value;
  return pickText(value, [lang, ...LANGUAGES]) ?? null;
}

export function codeNames(list: 'service_classes' | 'target_groups', codes: string[], lang: Language | undefined) {
  const lists = codeLists();
  const byCode = list === 'service_classes' ? lists.serviceClassByCode : lists.targetGroupByCode;
  return codes.map((code) => {
    const entry = byCode.get(code);
    return { code, ...(entry?.uri ? { uri: entry.uri } : {}), name: text(entry?.name ?? {}, lang) };
  });
}

export const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function summaryOf(row: Awaited<ReturnType<typeof listServices>>['rows'][number], lang: Language | undefined) {
  return {
    id: row.id,
    name: text(row.name, lang),
    alternate_name: text(row.alternate_name, lang),
    summary: text(row.summary, lang),
    type: row.type,
    funding_type: row.funding_type,
    charge_type: row.charge_type,
    area_type: row.area_type,
    nationwide: row.nationwide,
    municipalities: row.municipalities,
    languages: row.languages,
    service_classes: codeNames('service_classes', row.service_classes, lang),
    target_groups: codeNames('target_groups', row.target_groups, lang),
    life_events: row.life_events,
    service_collections: row.service_collections,
    organizations: (row.organizations as { id: string; name: LocalizedText; role: string | null }[]).map((o) => ({
      id: o.id,
      name: text(o.name, lang),
      role: o.role,
    })),
    source: row.source,
    modified: iso(row.modified),
    updated_at: iso(row.updated_at)!,
  };
}
