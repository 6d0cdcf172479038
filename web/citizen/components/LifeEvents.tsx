import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, LoadingSpinner } from 'suomifi-ui-components';
import { currentLanguage } from '../../shared/i18n.ts';
import { AppLink } from '../../shared/router.tsx';
import { asAccount, servicesThatFit, type MyEvent } from '../life-events.ts';
import { formatDate, formatDateTime, loc, textLanguageOf } from '../text.ts';
import type { RecommendationItem } from '../types.ts';
import { useMunicipalities } from './MunicipalitySelect.tsx';
import { Problem } from './Problem.tsx';

/**
 * "What happened": the person's life events from the registers, newest first, each with the
 * services that were told of it and when, and the services that fit it (the recommender's
 * life-event path, as the Find view asks, in the event's municipality where it names one).
 */
const fitsKey = (event: Pick<MyEvent, 'type' | 'municipality'>) => `${event.type}/${event.municipality ?? ''}`;

export function LifeEvents({ token }: { token: string }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const [events, setEvents] = useState<MyEvent[] | null>(null);
  const [fits, setFits] = useState<Record<string, RecommendationItem[]>>({});
  const municipalities = useMunicipalities();
  const [error, setError] = useState<Error | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setEvents((await asAccount<{ events: MyEvent[] }>(token, '/events')).events);
    } catch (e) {
      setError(e as Error);
    }
  }, [token]);
  useEffect(() => void load(), [load]);

  useEffect(() => {
    if (!events) return;
    const asked = [...new Map(events.map((e) => [fitsKey(e), e] as const)).entries()];
    let current = true;
    // A service list that cannot be had leaves the event shown without it: the event is what matters.
    void Promise.all(asked.map(async ([key, e]) => [key, await servicesThatFit(e.type, language, e.municipality).catch(() => [])] as const)).then((found) => {
      if (current) setFits(Object.fromEntries(found));
    });
    return () => {
      current = false;
    };
  }, [events, language]);

  return (
    <section aria-labelledby="life-events" className="life-events">
      <h2 id="life-events">{t('events.title')}</h2>
      <p>{t('events.intro')}</p>
      {error && <Problem error={error} retry={() => void load()} />}
      {!events && !error && <LoadingSpinner status="loading" text={t('app.loading')} variant="small" textAlign="right" />}
      {events && events.length === 0 && <p data-testid="no-life-events">{t('events.none')}</p>}
      {events && events.length > 0 && (
        <ul className="plain-list">
          {events.map((event) => (
            <li key={event.id}>
              <article className="life-event" aria-labelledby={`life-event-${event.id}`}>
                <h3 id={`life-event-${event.id}`}>
                  {loc(event.name ?? undefined, language) || event.type}
                  <span className="life-event__date">, {formatDate(event.occurred_at, language)}</span>
                </h3>
                {event.type === 'moved' && event.municipality && (
                  <p>{t('events.movedTo', { municipality: municipalities.find((m) => m.code === event.municipality)?.name ?? event.municipality })}</p>
                )}
                <h4>{t('events.told')}</h4>
                {event.told.length === 0 ? (
                  <p>{t('events.toldNone')}</p>
                ) : (
                  <ul data-testid="told">
                    {event.told.map((told) => (
                      <li key={told.client_id}>{t('events.toldAt', { service: told.service, when: formatDateTime(told.delivered_at, language) })}</li>
                    ))}
                  </ul>
                )}
                <FitsFor items={fits[fitsKey(event)]} />
              </article>
            </li>
          ))}
        </ul>
      )}
      {events && (
        <Button variant="secondary" onClick={() => void load()}>
          {t('events.refresh')}
        </Button>
      )}
    </section>
  );
}

function FitsFor({ items }: { items: RecommendationItem[] | undefined }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  if (!items || items.length === 0) return null;
  return (
    <>
      <h4>{t('events.fits')}</h4>
      <ul>
        {items.map((item) => (
          <li key={item.service_id}>
            <AppLink to={`/services/${item.service_id}`} lang={textLanguageOf(item, language)}>
              {loc(item.name, language)}
            </AppLink>
          </li>
        ))}
      </ul>
    </>
  );
}
