import type { CitizenTexts } from './citizen/locales/fi.ts';
import type { ConsoleTexts } from './console/locales/fi.ts';

/**
 * Each app's texts are one i18next namespace, named after the app, and their Finnish file defines
 * the keys. An app asks for its own (`useTranslation('citizen')`), so `t()` of a key the app does
 * not have fails to compile.
 */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: false;
    resources: {
      citizen: CitizenTexts;
      console: ConsoleTexts;
    };
  }
}
