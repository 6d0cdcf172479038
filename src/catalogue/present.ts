import { codeLists } from './codelists.ts';
import { LANGUAGES, pickText, type Language, type LocalizedText } from './model.ts';

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
