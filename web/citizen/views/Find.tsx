import { useEffect, useRef, useState, useSyncExternalStore, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Checkbox, Details, InlineAlert, StaticChip, Textarea } from 'suomifi-ui-components';
import { LIFE_EVENTS } from '../../../src/recommender/life-events.ts';
import { ApiError, api } from '../../shared/api.ts';
import { LANGUAGES, LANGUAGE_NAMES, currentLanguage, type Language } from '../../shared/i18n.ts';
import { serviceKinds } from '../channels.ts';
import { FitLabel } from '../components/Fit.tsx';
import { CrisisHelp, isUrgentLine } from '../components/HelpLines.tsx';
import { MunicipalitySelect, useMunicipalities } from '../components/MunicipalitySelect.tsx';
import { NothingFits } from '../components/NothingFits.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { Problem } from '../components/Problem.tsx';
import { AppLink, useRouter } from '../../shared/router.tsx';
import { WhatWeUnderstood } from '../components/Understood.tsx';
import { useSearch, type SearchForm, type SearchResult } from '../search.tsx';
import { latestCheck, onStorageChange, savePrefs } from '../storage.ts';
import { formatDate, loc } from '../text.ts';
import type { Recommendation, RecommendationItem, ServiceDetail } from '../types.ts';

const SHOWN = 10;

export default function FindPage() {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const { form, setForm, result, setResult } = useSearch();
  const latest = JSON.parse(useSyncExternalStore(onStorageChange, () => JSON.stringify(latestCheck() ?? null))) as ReturnType<typeof latestCheck> | null;
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [missing, setMissing] = useState(false);
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const crisisRef = useRef<HTMLHeadingElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const [rephraseTip, setRephraseTip] = useState(false);
  // Once new results are on the page, focus goes to their heading (and the count is read out);
  // when the text signalled danger, to the crisis lines instead, so they are heard first. The
  // heading goes to the top of the screen: on a phone the first screen is then the answer, not
  // the rest of the form.
  const [shownAt, setShownAt] = useState(0);
  useEffect(() => {
    const first = crisisRef.current ?? resultsRef.current;
    if (!shownAt || !first) return;
    first.focus({ preventScroll: true });
    (first.closest('section') ?? first).scrollIntoView({ block: 'start' });
  }, [shownAt]);
  const municipalities = useMunicipalities();
  // Come from "Find services for this situation": the search runs once, and the address forgets it.
  const { search: query, navigate } = useRouter();
  // … or from a service with no channels, to look for its provider by name (?text=).
  const arrival = useRef(new URLSearchParams(query));
  useEffect(() => {
    const asked = arrival.current;
    if (!asked.has('now') && !asked.has('text')) return;
    arrival.current = new URLSearchParams();
    navigate('/find', { replace: true });
    const text = asked.get('text')?.slice(0, 1000);
    if (text) {
      setForm({ text, useCheck: false, lifeEvent: '' });
      void search(undefined, { text, useCheck: false, lifeEvent: '' });
    } else if (asked.get('now') === 'check' && latest) void search(undefined, { useCheck: true });
  }, []);

  /** Searches with the form, or with `instead` in place of some of it (a "try instead" option). */
  const search = async (event?: FormEvent, instead: Partial<SearchForm> = {}) => {
    event?.preventDefault();
    const asked = { ...form, ...instead };
    const meters = asked.useCheck && latest ? latest.meters : undefined;
    const text = asked.text.trim();
    if (!meters && !text && !asked.lifeEvent) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setRephraseTip(false);
    setSearching(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {
        language,
        limit: asked.online ? 40 : SHOWN,
        ...(meters && Object.keys(meters).length ? { meters } : {}),
        ...(text ? { text: text.slice(0, 1000), text_language: language } : {}),
        ...(asked.lifeEvent ? { life_event: asked.lifeEvent } : {}),
        ...(asked.municipality ? { municipality_code: asked.municipality } : {}),
        ...(asked.serviceLanguage ? { filters: { languages: [asked.serviceLanguage] } } : {}),
      };
      const recommendation = await api<Recommendation>('/api/v1/recommendations', { body });
      // The channels tell how each service can be used (and which can be used online).
      const details = Object.fromEntries(
        await Promise.all(
          recommendation.items.map(async (item) => [item.service_id, await api<ServiceDetail>(`/api/v1/services/${item.service_id}?lang=${language}`).catch(() => null)] as const),
        ),
      );
      let items = recommendation.items;
      let hidden = 0;
      if (asked.online) {
        const online = items.filter((i) => serviceKinds(details[i.service_id]).includes('online'));
        hidden = items.length - online.length;
        items = online;
      }
      const shown: SearchResult = { recommendation: { ...recommendation, items: items.slice(0, SHOWN) }, details, hidden, languageFilter: asked.serviceLanguage };
      setResult(shown);
      // The language filter is for this search only: the next one looks at every service again.
      setForm({ serviceLanguage: '' });
      setShownAt(Date.now());
    } catch (e) {
      setError(e as Error);
    } finally {
      setSearching(false);
    }
  };

  return (
    <div className="find">
      <PageTitle>{t('find.title')}</PageTitle>
      <p className="lead">{t('find.intro')}</p>
      <form onSubmit={(e) => void search(e)} className="find__form" noValidate>
        <fieldset>
          <legend>{t('find.basis')}</legend>
          {latest ? (
            <Checkbox checked={form.useCheck} onClick={({ checkboxState }) => setForm({ useCheck: checkboxState })}>
              {t('find.useCheck', { date: formatDate(latest.taken_at, language) })}
            </Checkbox>
          ) : (
            <p>
              {t('find.noCheck')} <AppLink to="/check">{t('find.doCheck')}</AppLink>
            </p>
          )}
          <Textarea
            ref={textRef}
            labelText={t('find.text')}
            hintText={rephraseTip ? `${t('find.nothingFits.rephraseTip')} ${t('find.textHint')}` : t('find.textHint')}
            value={form.text}
            maxLength={1000}
            onChange={(e) => setForm({ text: e.target.value })}
            fullWidth
            resize="vertical"
          />
          <div className="field">
            <label htmlFor="life-event">{t('find.lifeEvent')}</label>
            <select id="life-event" value={form.lifeEvent} onChange={(e) => setForm({ lifeEvent: e.target.value })}>
              <option value="">{t('find.noLifeEvent')}</option>
              {Object.entries(LIFE_EVENTS).map(([id, event]) => (
                <option key={id} value={id}>
                  {event.name[language]}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('find.filters')}</legend>
          <MunicipalitySelect
            value={form.municipality}
            hint={t('find.municipalityHint')}
            onChange={(code) => {
              setForm({ municipality: code });
              savePrefs({ municipality: code });
            }}
          />
          <UseMyLocation
            onFound={(code) => {
              setForm({ municipality: code });
              savePrefs({ municipality: code });
            }}
            nameOf={(code) => municipalities.find((m) => m.code === code)?.name ?? code}
          />
          <div className="field">
            <label htmlFor="service-language">{t('find.language')}</label>
            <select
              id="service-language"
              value={form.serviceLanguage}
              onChange={(e) => setForm({ serviceLanguage: e.target.value })}
            >
              <option value="">{t('find.anyLanguage')}</option>
              {LANGUAGES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          </div>
          <Checkbox
            checked={form.online}
            hintText={t('find.onlineHint')}
            onClick={({ checkboxState }) => {
              setForm({ online: checkboxState });
              savePrefs({ online: checkboxState });
            }}
          >
            {t('find.online')}
          </Checkbox>
        </fieldset>
        {missing && <InlineAlert status="error">{t('find.nothing')}</InlineAlert>}
        <div className="actions">
          <Button type="submit" disabled={searching}>
            {searching ? t('find.searching') : t('find.submit')}
          </Button>
        </div>
      </form>
      <div aria-live="polite" className="visually-hidden">
        {searching ? t('find.searching') : ''}
      </div>
      {error && <Problem error={error} retry={() => void search()} />}
      {result && (
        <Results
          result={result}
          language={language}
          crisisRef={crisisRef}
          resultsRef={resultsRef}
          onFix={() => textRef.current?.focus()}
          onRephrase={() => {
            setRephraseTip(true);
            textRef.current?.focus();
          }}
          onShowAll={() => void search(undefined, { serviceLanguage: '' })}
          onLifeEvent={(lifeEvent) => {
            setForm({ lifeEvent });
            // The life event alone: the words already found nothing, and would weigh it down again.
            void search(undefined, { lifeEvent, text: '' });
          }}
        />
      )}
    </div>
  );
}

/** What the person meets after a search: crisis lines first, then what we understood and the services — or the honest "nothing fits". */
function Results({
  result,
  language,
  crisisRef,
  resultsRef,
  onFix,
  onRephrase,
  onLifeEvent,
  onShowAll,
}: {
  result: SearchResult;
  language: Language;
  crisisRef: RefObject<HTMLHeadingElement | null>;
  resultsRef: RefObject<HTMLHeadingElement | null>;
  onFix: () => void;
  onRephrase: () => void;
  onLifeEvent: (lifeEvent: string) => void;
  onShowAll: () => void;
}) {
  const { t } = useTranslation('citizen');
  const { recommendation } = result;
  const helpLines = recommendation.help_lines ?? [];
  const urgentLines = helpLines.filter(isUrgentLine);
  const adviceLines = helpLines.filter((l) => !isUrgentLine(l));
  const crisis = urgentLines.length > 0 || recommendation.understood?.crisis === true;
  const nothingFits = recommendation.nothing_fits === true && recommendation.items.length === 0;
  const tryInstead = recommendation.try_instead ?? [];
  return (
    <>
      {crisis && <CrisisHelp ref={crisisRef} lines={urgentLines} />}
      <section aria-labelledby="results-title" className="results">
        <h2 id="results-title" tabIndex={-1} ref={resultsRef}>
          {nothingFits ? (
            t('find.nothingFits.title')
          ) : (
            <>
              {t('find.results')} <span className="results__count">({t('find.count', { count: recommendation.items.length })})</span>
            </>
          )}
        </h2>
        {result.languageFilter && (
          <p className="panel panel--info results__language-filter">
            {t('find.languageFiltered', { language: t(`find.languageIn.${result.languageFilter as Language}`) })}{' '}
            <button type="button" className="link-button" onClick={onShowAll}>
              {t('find.showAll')}
            </button>
          </p>
        )}
        {language !== 'fi' && recommendation.items.length > 0 && recommendation.items.every((i) => i.text_languages) && (
          <p className="results__in-language">
            {t('find.inLanguage', { count: recommendation.items.filter((i) => i.text_languages!.includes(language)).length, total: recommendation.items.length })}
          </p>
        )}
        <WhatWeUnderstood understood={recommendation.understood} language={language} onFix={onFix} />
        {nothingFits ? (
          <NothingFits tryInstead={tryInstead} adviceLines={adviceLines} onRephrase={onRephrase} onLifeEvent={onLifeEvent} />
        ) : (
          <>
            {result.hidden > 0 && <p>{t('find.hiddenOffline', { count: result.hidden })}</p>}
            {recommendation.items.length === 0 ? (
              <>
                <p>{t('find.none')}</p>
                <NothingFits tryInstead={tryInstead} adviceLines={adviceLines} onRephrase={onRephrase} onLifeEvent={onLifeEvent} />
              </>
            ) : (
              <ol className="results__list">
                {recommendation.items.map((item) => (
                  <li key={item.service_id}>
                    <ResultCard item={item} recommendationId={recommendation.recommendation_id} detail={result.details[item.service_id]} language={language} />
                  </li>
                ))}
              </ol>
            )}
          </>
        )}
        <p className="privacy-note">{t('find.sent')}</p>
      </section>
    </>
  );
}

function UseMyLocation({ onFound, nameOf }: { onFound: (code: string) => void; nameOf: (code: string) => string }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const [state, setState] = useState<{ kind: 'idle' | 'locating' | 'found' | 'denied' | 'failed' | 'outside'; code?: string }>({ kind: 'idle' });
  if (typeof navigator === 'undefined' || !('geolocation' in navigator)) return null;
  const locate = () => {
    setState({ kind: 'locating' });
    navigator.geolocation.getCurrentPosition(
      async (position) => {
        // About a kilometre is enough to tell the municipality; the exact spot never leaves the browser.
        const lat = Math.round(position.coords.latitude * 100) / 100;
        const lon = Math.round(position.coords.longitude * 100) / 100;
        try {
          const found = await api<{ code: string }>('/api/v1/geo/municipality', { query: { lat, lon, lang: language } });
          onFound(found.code);
          setState({ kind: 'found', code: found.code });
        } catch (e) {
          setState({ kind: e instanceof ApiError && e.status === 404 ? 'outside' : 'failed' });
        }
      },
      (err) => setState({ kind: err.code === err.PERMISSION_DENIED ? 'denied' : 'failed' }),
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 },
    );
  };
  return (
    <div className="use-location">
      <Button variant="secondary" onClick={locate} disabled={state.kind === 'locating'}>
        {t('find.useLocation')}
      </Button>
      <p className="hint">{t('find.locationPrivacy')}</p>
      <p role="status" className="use-location__status">
        {state.kind === 'locating' && t('find.locating')}
        {state.kind === 'found' && t('find.located', { name: nameOf(state.code!) })}
        {state.kind === 'denied' && t('find.locationDenied')}
        {state.kind === 'failed' && t('find.locationFailed')}
        {state.kind === 'outside' && t('find.locationOutside')}
      </p>
    </div>
  );
}

function ResultCard({ item, recommendationId, detail, language }: { item: RecommendationItem; recommendationId: string; detail: ServiceDetail | null | undefined; language: Language }) {
  const { t } = useTranslation('citizen');
  const { feedback, setFeedback } = useSearch();
  const [feedbackError, setFeedbackError] = useState(false);
  const given = feedback[item.service_id];
  const name = loc(item.name, language);
  const kinds = serviceKinds(detail);
  // A text the catalogue has only in another language is marked as that language, so a screen reader reads it in the right voice.
  const textLanguage = item.text_languages && !item.text_languages.includes(language) ? item.text_languages[0] : undefined;
  const rate = async (rating: 1 | -1) => {
    setFeedbackError(false);
    try {
      await api(`/api/v1/recommendations/${recommendationId}/feedback`, { body: { service_id: item.service_id, rating } });
      setFeedback(item.service_id, rating);
    } catch {
      setFeedbackError(true);
    }
  };
  const titleId = `result-${item.service_id}`;
  return (
    <article className="result" aria-labelledby={titleId}>
      <h3 id={titleId} className="result__title">
        <AppLink to={`/services/${item.service_id}?rec=${recommendationId}`} lang={textLanguage}>
          {name}
        </AppLink>
      </h3>
      {textLanguage === 'fi' && language !== 'fi' && <p className="result__only-finnish">{t('find.onlyFinnish')}</p>}
      {(item.crisis || item.confidence !== undefined) && (
        <p className="result__fit">
          {item.crisis && <span className="crisis-tag">{t('find.crisis.service')}</span>}
          <FitLabel confidence={item.confidence} />
        </p>
      )}
      {loc(item.summary, language) && (
        <p className="result__summary" lang={textLanguage}>
          {loc(item.summary, language)}
        </p>
      )}
      {(kinds.length > 0 || detail?.nationwide) && (
        <p className="result__chips">
          {kinds.map((k) => (
            <StaticChip key={k}>{t(`find.has${k === 'online' ? 'Online' : k === 'phone' ? 'Phone' : 'Place'}`)}</StaticChip>
          ))}
          {detail?.nationwide && <StaticChip>{t('find.nationwide')}</StaticChip>}
        </p>
      )}
      <Details summaryLabel={t('find.why')} className="result__why">
        {item.reasons.length > 1 ? (
          <ul>
            {item.reasons.map((r, i) => (
              <li key={i}>{r.text}</li>
            ))}
          </ul>
        ) : (
          <p>{item.explanation}</p>
        )}
      </Details>
      <div className="result__feedback" role="group" aria-label={`${t('find.feedbackLabel')} ${name}`}>
        <span aria-hidden="true">{t('find.feedbackLabel')}</span>
        <button type="button" className="feedback-button" aria-pressed={given === 1} onClick={() => void rate(1)}>
          {t('find.useful')}
        </button>
        <button type="button" className="feedback-button" aria-pressed={given === -1} onClick={() => void rate(-1)}>
          {t('find.notUseful')}
        </button>
        <span role="status" className="result__thanks">
          {given !== undefined && t('find.thanks')}
          {feedbackError && t('find.feedbackFailed')}
        </span>
      </div>
      <p>
        <AppLink to={`/services/${item.service_id}?rec=${recommendationId}`} aria-label={`${t('find.more')}: ${name}`}>
          {t('find.more')}
        </AppLink>
      </p>
    </article>
  );
}
