import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { consoleApi, localText, type LocalText } from '../api.ts';
import type { Language } from '../../shared/i18n.ts';
import { useLanguage } from './common.tsx';

const Facts = styled.span`
  display: block;
  font-size: 14px;
  line-height: 20px;
  color: #5f686d;
  overflow-wrap: anywhere;
  span {
    display: block;
  }
  b {
    font-weight: 600;
    color: #2a2a2a;
  }
`;

export interface ServiceFactsValue {
  nationwide: boolean;
  /** Municipality names, or codes when the names are not known (yet). */
  municipalities: string[];
  organisations: string[];
  serviceClasses: string[];
}

/**
 * Where a service is offered, by whom, and of what kind: what tells apart the many services of one
 * name ("Lukiokoulutus" in a dozen towns). Each line says "not given" rather than leaving a gap, so
 * that a missing organisation reads as the catalogue's silence, not as a page still loading.
 */
export function ServiceFacts({ facts }: { facts: ServiceFactsValue }) {
  const { t } = useTranslation('console');
  const list = (values: string[], none: string) => (values.length ? values.join(', ') : none);
  const where = facts.nationwide ? t('serviceFacts.nationwide') : list(facts.municipalities, t('serviceFacts.noMunicipality'));
  return (
    <Facts className="service-facts">
      <span>
        <b>{t('serviceFacts.municipality')}:</b> {where}
      </span>
      <span>
        <b>{t('serviceFacts.organisation')}:</b> {list(facts.organisations, t('serviceFacts.noOrganisation'))}
      </span>
      <span>
        <b>{t('serviceFacts.serviceClass')}:</b> {list(facts.serviceClasses, t('serviceFacts.noServiceClass'))}
      </span>
    </Facts>
  );
}

const municipalityLists = new Map<Language, Promise<Map<string, string>>>();

/** The municipalities' names in the console's language, fetched once per language: the catalogue's search gives codes. */
export function useMunicipalityNames(): (code: string) => string {
  const language = useLanguage();
  const [names, setNames] = useState<Map<string, string> | null>(null);
  useEffect(() => {
    let list = municipalityLists.get(language);
    if (!list) {
      list = consoleApi.municipalities(language).then((r) => new Map(r.items.map((m) => [m.code, localText(m.name, language)])));
      // A failed fetch is tried again next time, not remembered.
      list.catch(() => municipalityLists.delete(language));
      municipalityLists.set(language, list);
    }
    let live = true;
    list.then((m) => live && setNames(m)).catch(() => {});
    return () => {
      live = false;
    };
  }, [language]);
  return (code) => names?.get(code) ?? code;
}

export const texts = (values: LocalText[] | undefined, language: Language) => (values ?? []).map((v) => localText(v, language)).filter(Boolean);
