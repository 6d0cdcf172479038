import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Paragraph, SearchInput, Text } from 'suomifi-ui-components';
import { consoleApi, localText, type CatalogueService } from '../api.ts';
import { ErrorAlert, useLanguage } from './common.tsx';
import { ServiceFacts, texts, useMunicipalityNames } from './ServiceFacts.tsx';

const Results = styled.ul`
  list-style: none;
  margin: 0 0 16px;
  padding: 0;
  li {
    display: flex;
    gap: 16px;
    align-items: center;
    justify-content: space-between;
    padding: 10px 0;
    border-bottom: 1px solid #c8cdd0;
  }
  li .what {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
`;

/** Searches the service catalogue (GET /api/v1/services?q=) and offers each hit to `onPick`. */
export function ServiceSearch(props: {
  id: string;
  label: string;
  /** The button's text ("Add"); assistive technology hears it with the service's name ("Add: X"). */
  pickLabel: string;
  disabledIds?: ReadonlySet<string>;
  /** The text of a disabled hit's button, saying why ("Claimed"); the pick label when not given. */
  disabledLabel?: string;
  onPick: (service: CatalogueService, name: string) => void | Promise<void>;
}) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const [results, setResults] = useState<CatalogueService[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const municipalityName = useMunicipalityNames();

  const search = async (q: string) => {
    const text = q.trim();
    if (!text) return;
    setBusy(true);
    setError(undefined);
    try {
      const page = await consoleApi.searchServices(text, language);
      setResults(page.items);
      setSearched(text);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <SearchInput
        id={props.id}
        labelText={props.label}
        clearButtonLabel={t('apply.clear')}
        searchButtonLabel={t('apply.searchButton')}
        value={query}
        onChange={setQuery}
        onSearch={(v) => void search(v)}
        fullWidth
        mb="s"
      />
      <ErrorAlert error={error} />
      <div aria-live="polite" aria-busy={busy}>
        {searched !== null && results.length === 0 && <Paragraph mb="m">{t('apply.noResults', { q: searched })}</Paragraph>}
        {results.length > 0 && (
          <Results aria-label={t('apply.results')}>
            {results.map((service) => {
              const name = localText(service.name, language);
              const municipalities = (service.municipalities ?? []).map(municipalityName);
              // The button names the place too: a screen reader user hears which "Lukiokoulutus" it adds.
              const where = service.nationwide ? t('serviceFacts.nationwide') : municipalities.join(', ');
              return (
                <li key={service.id}>
                  <span className="what">
                    <Text variant="bold">{name}</Text>
                    <ServiceFacts
                      facts={{
                        nationwide: service.nationwide ?? false,
                        municipalities,
                        organisations: texts(service.organizations?.map((o) => o.name), language),
                        serviceClasses: texts(service.service_classes?.map((c) => c.name), language),
                      }}
                    />
                  </span>
                  {(() => {
                    const disabled = props.disabledIds?.has(service.id) ?? false;
                    const label = disabled && props.disabledLabel ? props.disabledLabel : props.pickLabel;
                    return (
                      <Button variant="secondary" disabled={disabled} onClick={() => void props.onPick(service, name)} aria-label={where ? `${label}: ${name} (${where})` : `${label}: ${name}`}>
                        {label}
                      </Button>
                    );
                  })()}
                </li>
              );
            })}
          </Results>
        )}
      </div>
    </div>
  );
}
