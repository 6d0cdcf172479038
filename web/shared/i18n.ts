import i18next, { type i18n as I18n, type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

/** The languages of the network's user interfaces. */
export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_NAMES: Record<Language, string> = { fi: 'Suomi', sv: 'Svenska', en: 'English' };

const STORAGE_KEY = 'aurora.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The person's own choice, else the browser's language, else Finnish. */
export function initialLanguage(): Language {
  try {
    const chosen = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(chosen)) return chosen;
  } catch {
    // Storage may be off (private mode, policy): the browser's language still serves.
  }
  for (const tag of typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language])) {
    const primary = tag?.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return 'fi';
}

/**
 * Starts i18next for one app with its fi/sv/en texts as its namespace, named after the app (the
 * keys' types are declared in web/i18next.d.ts), and keeps `<html lang>` in step with the
 * language, so screen readers pronounce the page right.
 */
export async function initI18n(namespace: string, texts: Record<Language, object>): Promise<I18n> {
  const instance = i18next.createInstance();
  const resources: Resource = Object.fromEntries(LANGUAGES.map((l) => [l, { [namespace]: texts[l] }]));
  await instance.use(initReactI18next).init({
    resources,
    ns: [namespace],
    defaultNS: namespace,
    lng: initialLanguage(),
    fallbackLng: 'fi',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  const sync = (lng: string) => {
    if (typeof document !== 'undefined') document.documentElement.lang = lng;
  };
  sync(instance.language);
  instance.on('languageChanged', sync);
  return instance;
}

/** Changes the language and remembers the choice. */
export async function setLanguage(instance: I18n, language: Language) {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, but still changed for this visit.
  }
  await instance.changeLanguage(language);
}

export function currentLanguage(instance: I18n): Language {
  const lng = instance.resolvedLanguage ?? instance.language;
  return isLanguage(lng) ? lng : 'fi';
}
