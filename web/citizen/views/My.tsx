import { Fragment, useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, LoadingSpinner } from 'suomifi-ui-components';
import { api } from '../../shared/api.ts';
import { currentLanguage, type Language } from '../../shared/i18n.ts';
import { Account } from '../components/Account.tsx';
import { Everywhere } from '../components/Everywhere.tsx';
import { EventConsents } from '../components/EventConsents.tsx';
import { LifeEvents } from '../components/LifeEvents.tsx';
import { RegisterFacts } from '../components/RegisterFacts.tsx';
import { accessToken } from '../account.ts';
import { PageTitle } from '../components/PageTitle.tsx';
import { Profile } from '../components/Profile.tsx';
import { Problem } from '../components/Problem.tsx';
import { METERS, METER_TEXTS } from '../meters.ts';
import { my } from '../person.ts';
import { consentServices, eraseLocal, loadChecks, loadLogin, localData, onStorageChange, personKey, removeCheck, type Check } from '../storage.ts';
import { DemoMark, useReceiverText } from '../receiver.tsx';
import { fallbackLanguage, formatDateTime, loc } from '../text.ts';
import type { AttributeInfo, ConsentRecord, ServerCheck } from '../types.ts';

interface ServerData {
  consents: ConsentRecord[];
  checks: ServerCheck[];
}

export default function MyPage() {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const hasKey = useSyncExternalStore(onStorageChange, () => personKey() !== undefined);
  const localChecks = JSON.parse(useSyncExternalStore(onStorageChange, () => JSON.stringify(loadChecks()))) as Check[];
  const [server, setServer] = useState<ServerData | null>(null);
  const [titles, setTitles] = useState<AttributeInfo[]>([]);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(false);
  const [message, setMessage] = useState('');
  const [confirmErase, setConfirmErase] = useState(false);
  // Back from the login (/login/callback): say so once.
  useEffect(() => {
    const login = new URLSearchParams(window.location.search).get('login');
    if (login) setMessage(login === 'merged' ? t('account.merged') : login === 'took-over' ? t('account.tookOver') : t('account.welcome'));
  }, [t]);
  const confirmRef = useRef<HTMLDivElement>(null);
  // The question takes focus when it opens, so a keyboard or screen reader user meets it at once.
  useEffect(() => {
    if (confirmErase) confirmRef.current?.focus();
  }, [confirmErase]);

  const load = useCallback(async () => {
    if (!personKey()) {
      setServer(null);
      return;
    }
    setLoading(true);
    setError(null);
    try {
      const [consents, checks] = await Promise.all([
        my<{ consents: ConsentRecord[] }>('/consents'),
        my<{ checks: ServerCheck[] }>('/checks').catch(() => ({ checks: [] as ServerCheck[] })),
      ]);
      setServer({ consents: consents.consents, checks: checks.checks });
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
    api<{ attributes: AttributeInfo[] }>('/api/v1/attributes').then((a) => setTitles(a.attributes), () => {});
  }, [load, hasKey]);

  const title = (name: string) => loc(titles.find((a) => a.name === name)?.title ?? name, language) || name;

  const withdraw = async (consent: ConsentRecord) => {
    setMessage('');
    try {
      await my(`/consents/${consent.id}/withdraw`, { method: 'POST', body: {} });
      await load();
      setMessage(t('my.withdrawn'));
    } catch (e) {
      setError(e as Error);
    }
  };
  const removeServerCheck = async (id: string) => {
    try {
      await my(`/checks/${id}`, { method: 'DELETE' });
      await load();
    } catch (e) {
      setError(e as Error);
    }
  };
  const download = async () => {
    setError(null);
    try {
      const fromServer = personKey() ? await my<unknown>(`/export?lang=${language}`) : null;
      const file = { exported_at: new Date().toISOString(), about: t('my.downloadAbout'), server: fromServer, browser: localData() };
      const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `aurora-my-data-${new Date().toISOString().slice(0, 10)}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e as Error);
    }
  };
  const erase = async () => {
    setError(null);
    try {
      if (personKey()) await my('', { method: 'DELETE' });
      eraseLocal();
      setServer(null);
      setConfirmErase(false);
      setMessage(t('my.erased'));
    } catch (e) {
      setError(e as Error);
    }
  };

  return (
    <div className="my">
      <PageTitle>{t('my.title')}</PageTitle>
      <p className="lead">{t('my.intro')}</p>
      <p role="status" className="my__message">
        {message}
      </p>
      {error && <Problem error={error} retry={() => void load()} />}
      {!hasKey && <p className="panel panel--info">{t('my.noKey')}</p>}
      <Account onMessage={setMessage} />
      <LifeEventsSections />

      <section aria-labelledby="consents">
        <h2 id="consents">{t('my.consents')}</h2>
        {loading && !server && <LoadingSpinner status="loading" text={t('app.loading')} variant="small" textAlign="right" />}
        {(!hasKey || (server && server.consents.length === 0)) && <p>{t('my.consentsEmpty')}</p>}
        {server && server.consents.length > 0 && (
          <ul className="plain-list consents-list">
            {server.consents.map((c) => (
              <li key={c.id}>
                <ConsentCard consent={c} language={language} title={title} onWithdraw={() => void withdraw(c)} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <Profile title={title} hasKey={hasKey} />
      <EverywhereSection />

      <section aria-labelledby="local-checks">
        <h2 id="local-checks">{t('my.localChecks')}</h2>
        {localChecks.length === 0 ? (
          <p>{t('my.none')}</p>
        ) : (
          <ul className="plain-list">
            {[...localChecks].reverse().map((c) => (
              <li key={c.id} className="check-row">
                <span>
                  {formatDateTime(c.taken_at, language)}: {summary(c.meters, language)}
                </span>
                <button type="button" className="link-button" onClick={() => removeCheck(c.id)} aria-label={t('check.removeCheck', { date: formatDateTime(c.taken_at, language) })}>
                  {t('check.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      {hasKey && (
        <section aria-labelledby="server-checks">
          <h2 id="server-checks">{t('my.serverChecks')}</h2>
          {server && server.checks.length === 0 && <p>{t('my.none')}</p>}
          {server && server.checks.length > 0 && (
            <ul className="plain-list">
              {server.checks.map((c) => (
                <li key={c.id} className="check-row">
                  <span>
                    {formatDateTime(c.taken_at, language)}: {summary(c.meters, language)}
                  </span>
                  <button type="button" className="link-button" onClick={() => void removeServerCheck(c.id)}>
                    {t('my.removeServer')}
                    <span className="visually-hidden"> {formatDateTime(c.taken_at, language)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <section aria-labelledby="download" className="panel">
        <h2 id="download">{t('my.download')}</h2>
        <p>{t('my.downloadHint')}</p>
        <Button variant="secondary" onClick={() => void download()}>
          {t('my.download')}
        </Button>
      </section>

      <section aria-labelledby="erase" className="panel panel--danger">
        <h2 id="erase">{t('my.erase')}</h2>
        <p>{t('my.eraseHint')}</p>
        {confirmErase ? (
          <div role="alertdialog" aria-labelledby="erase-confirm" className="confirm" tabIndex={-1} ref={confirmRef}>
            <p id="erase-confirm">{t('my.eraseConfirm')}</p>
            <div className="actions">
              <Button onClick={() => void erase()}>{t('my.eraseYes')}</Button>
              <Button variant="secondary" onClick={() => setConfirmErase(false)}>
                {t('app.cancel')}
              </Button>
            </div>
          </div>
        ) : (
          <Button variant="secondary" onClick={() => setConfirmErase(true)}>
            {t('my.erase')}
          </Button>
        )}
      </section>
    </div>
  );
}

function summary(meters: Record<string, number | undefined>, language: Language) {
  return METERS.filter((m) => meters[m] !== undefined)
    .map((m) => `${METER_TEXTS[language][m].name} ${meters[m]}`)
    .join(', ');
}

const STATUS_ICONS: Record<string, string> = { given: '✓', used: '⇥', expired: '⌛', withdrawn: '✕' };

function ConsentCard({ consent: c, language, title, onWithdraw }: { consent: ConsentRecord; language: Language; title: (n: string) => string; onWithdraw: () => void }) {
  const { t } = useTranslation('citizen');
  const receiverText = useReceiverText();
  // A name kept in this browser for an older consent, where the server may name another service of the same channel.
  const remembered = consentServices()[c.id];
  const fromServer = loc(c.recipient?.service_name ?? null, language);
  const useRemembered = Boolean(remembered && (remembered.service_id !== c.recipient?.service_id || !fromServer));
  const service = useRemembered ? remembered!.name : fromServer;
  const channel = loc(c.recipient?.channel_name ?? null, language);
  // Names the catalogue has only in Finnish are marked so (a remembered name's language is not known).
  const names = [
    { text: service, lang: useRemembered ? undefined : fallbackLanguage(c.recipient?.service_name, language) },
    { text: channel, lang: fallbackLanguage(c.recipient?.channel_name, language) },
  ].filter((n) => n.text);
  const recipientText = names.map((n) => n.text).join(' – ') || c.purpose;
  const recipient = names.length
    ? names.map((n, i) => (
        <Fragment key={i}>
          {i > 0 && ' – '}
          <span lang={n.lang}>{n.text}</span>
        </Fragment>
      ))
    : c.purpose;
  return (
    <article className="consent" aria-labelledby={`consent-${c.id}`} data-status={c.status}>
      <h3 id={`consent-${c.id}`}>
        {recipient}
        {c.receiver?.kind === 'demo' && <DemoMark />}
      </h3>
      {/* The status in words and with its own mark and border, never by colour alone. */}
      <p className={`consent__status consent__status--${c.status}`} data-testid="consent-status">
        <span aria-hidden="true" className="consent__icon">
          {STATUS_ICONS[c.status] ?? '•'}
        </span>{' '}
        <strong>{t(`my.status.${c.status}`)}</strong> – {t(`my.statusHint.${c.status}`)}
      </p>
      <dl className="facts">
        {c.receiver && (
          <div>
            <dt>{t('my.who')}</dt>
            <dd data-receiver-kind={c.receiver.kind}>{receiverText(c.receiver)}</dd>
          </div>
        )}
        <div>
          <dt>{t('my.what')}</dt>
          <dd>{c.attributes.map(title).join(', ')}</dd>
        </div>
        <div>
          <dt>{t('my.given')}</dt>
          <dd>{formatDateTime(c.created_at, language)}</dd>
        </div>
        {c.status === 'given' && (
          <div>
            <dt>{t('my.expires')}</dt>
            <dd>{formatDateTime(c.expires_at, language)}</dd>
          </div>
        )}
        {c.used_at && (
          <div>
            <dt>{t('my.used')}</dt>
            <dd>{formatDateTime(c.used_at, language)}</dd>
          </div>
        )}
        {c.withdrawn_at && (
          <div>
            <dt>{t('my.withdrawnAt')}</dt>
            <dd>{formatDateTime(c.withdrawn_at, language)}</dd>
          </div>
        )}
      </dl>
      <p className="consent__verify">{t('my.verify')}</p>
      <details className="consent__technical">
        <summary>{t('my.technical')}</summary>
        <p className="hint">{t('my.receiptHint')}</p>
        {/* A scrollable block must be reachable by keyboard, and a region needs a name. */}
        <pre className="receipt" tabIndex={0} role="region" aria-label={t('my.receipt')}>
          {c.receipt}
        </pre>
      </details>
      {c.status === 'given' && (
        <Button variant="secondary" onClick={onWithdraw} aria-label={t('my.withdrawLabel', { recipient: recipientText })}>
          {t('my.withdraw')}
        </Button>
      )}
    </article>
  );
}


/** Download everything / erase me everywhere: with this tab's login; after it has expired, a new login brings it back. */
function EverywhereSection() {
  const { t } = useTranslation('citizen');
  const token = accessToken();
  if (token) return <Everywhere accessToken={token} />;
  if (!loadLogin()) return null;
  return (
    <section aria-labelledby="everywhere-again">
      <h2 id="everywhere-again">{t('everywhere.title')}</h2>
      <p>{t('everywhere.loginAgain')}</p>
    </section>
  );
}

/** The person's life events and who may hear of them: with this tab's login, as "erase me everywhere" is. */
function LifeEventsSections() {
  const { t } = useTranslation('citizen');
  const token = accessToken();
  if (token)
    return (
      <>
        <LifeEvents token={token} />
        <EventConsents token={token} />
        <RegisterFacts token={token} />
      </>
    );
  if (!loadLogin()) return null;
  return (
    <section aria-labelledby="life-events-again">
      <h2 id="life-events-again">{t('events.title')}</h2>
      <p>{t('events.loginAgain')}</p>
    </section>
  );
}
