import type { Db } from '../db/database.ts';
import { codeLists } from './codelists.ts';
import type { Language, LocalizedText } from './model.ts';
import { text } from './present.ts';

/** A code list's entries (the shipped lists, or one imported into code_list_entries), named in one language when asked. */
export async function codeList(db: Db, list: string, lang: Language | undefined) {
  const lists = codeLists();
  const named = (entries: { code: string; name: LocalizedText; parent?: string | null; uri?: string }[]) =>
    entries.map((e) => ({ code: e.code, name: text(e.name, lang), ...(e.parent !== undefined ? { parent: e.parent } : {}), ...(e.uri ? { uri: e.uri } : {}) }));
  switch (list) {
    case 'municipalities':
      return { items: lists.municipalities.map((m) => ({ ...m, name: text(m.name, lang) })) };
    case 'regions':
      return { items: named(lists.regions) };
    case 'hospital_districts':
      return { items: named(lists.hospitalDistricts) };
    case 'wellbeing_service_counties':
      return { items: named(lists.wellbeingServiceCounties) };
    case 'service_classes':
      return { items: named(lists.serviceClasses) };
    case 'target_groups':
      return { items: named(lists.targetGroups) };
    case 'funding_types':
      return { items: lists.fundingTypes.map((code) => ({ code, name: code })) };
    default: {
      const rows = await db
        .selectFrom('code_list_entries')
        .select(['code', 'name'])
        .where('list', '=', list)
        .orderBy('code')
        .execute();
      return { items: named(rows) };
    }
  }
}
