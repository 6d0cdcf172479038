import type { Language } from '../shared/i18n.ts';
import type { Localized } from './types.ts';

/** A text in the language asked, else in another one it has. */
export function loc(value: Localized | undefined, language: Language): string {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  return value[language] ?? value.fi ?? value.sv ?? value.en ?? '';
}

/**
 * The language loc() fell back to, when it is not the one asked: a Finnish-only name on an English
 * page is marked lang="fi", so that a screen reader reads it in Finnish.
 */
export function fallbackLanguage(value: Localized | undefined | null, language: Language): Language | undefined {
  if (value == null || typeof value === 'string' || value[language]) return undefined;
  return (['fi', 'sv', 'en'] as const).find((l) => value[l]);
}

/** For a record the API gave in one language: the language its texts are in, when not the one asked (text_languages). */
export function textLanguageOf(record: { text_languages?: Language[] } | undefined, language: Language): Language | undefined {
  const languages = record?.text_languages;
  return languages && !languages.includes(language) ? languages[0] : undefined;
}

const LOCALES: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

export function formatDate(iso: string, language: Language) {
  return new Date(iso).toLocaleDateString(LOCALES[language], { day: 'numeric', month: 'numeric', year: 'numeric' });
}
export function formatDateTime(iso: string, language: Language) {
  return new Date(iso).toLocaleString(LOCALES[language], { day: 'numeric', month: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** Splits catalogue text into paragraphs (PTV texts use blank lines and line breaks). */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n|\r\n\s*\r\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}
