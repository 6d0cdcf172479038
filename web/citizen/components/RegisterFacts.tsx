import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, LoadingSpinner } from 'suomifi-ui-components';
import { currentLanguage, type Language } from '../../shared/i18n.ts';
import { asAccount, type Text } from '../life-events.ts';
import { formatDate, formatDateTime, loc } from '../text.ts';
import { useMunicipalities } from './MunicipalitySelect.tsx';
import { Problem } from './Problem.tsx';

type Status = 'pending' | 'approved' | 'declined' | 'withdrawn' | 'collected' | 'expired';
export interface FactRequest {
  id: string;
  fact: string;
  name: Text | null;
  description: Text | null;
  register: Text | null;
  service: { client_id: string; name: string; organisation: string | null };
  purpose: string;
  status: Status;
  asked_at: string;
  expires_at: string;
  decided_at: string | null;
  withdrawn_at: string | null;
  collected_at: string | null;
  would_send: { value: string; as_of: string } | null;
  receipt: string | null;
}

const LOCALES: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/** A fact's value in words: euros and the month for an income, the municipality's name for a home municipality. */
function useFactText() {
  const { i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const municipalities = useMunicipalities();
  return (fact: string, sent: { value: string; as_of: string }) => {
    if (fact === 'monthly-income') {
      const amount = new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency: 'EUR' }).format(Number(sent.value));
      const month = new Date(`${sent.as_of}-15T12:00:00Z`).toLocaleDateString(LOCALES[language], { month: 'long', year: 'numeric' });
      return `${amount} (${month})`;
    }
    if (fact === 'home-municipality') {
      const name = municipalities.find((m) => m.code === sent.value)?.name ?? sent.value;
      return `${name} (${formatDate(sent.as_of, language)})`;
    }
    return `${sent.value} (${sent.as_of})`;
  };
}

/**
 * Services asking for the person's register facts: each request waiting for an answer as a card
 * (who asks, for what, from which register, why in the service's own words, exactly what would be
 * sent), answered with "send once" or "decline"; an approval not yet collected can be withdrawn;
 * then every request's history (asked, answered, collected).
 */
export function RegisterFacts({ token }: { token: string }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const factText = useFactText();
  const [requests, setRequests] = useState<FactRequest[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');

  const load = useCallback(async () => {
    setRequests((await asAccount<{ requests: FactRequest[] }>(token, '/register-facts')).requests);
  }, [token]);
  useEffect(() => {
    load().catch((e: Error) => setError(e));
  }, [load]);

  const act = async (request: FactRequest, action: 'approve' | 'decline' | 'withdraw') => {
    setBusy(true);
    setError(null);
    setMessage('');
    try {
      await asAccount(token, `/register-facts/${request.id}/${action}`, { method: 'POST' });
      await load();
      setMessage(t(`registerFacts.done.${action}`, { service: request.service.name, fact: loc(request.name ?? undefined, language) }));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const waiting = requests?.filter((r) => r.status === 'pending' || (r.status === 'approved' && !r.collected_at)) ?? [];
  const who = (r: FactRequest) => (r.service.organisation ? `${r.service.name} (${r.service.organisation})` : r.service.name);
  return (
    <section aria-labelledby="register-facts" className="register-facts">
      <h2 id="register-facts">{t('registerFacts.title')}</h2>
      <p>{t('registerFacts.intro')}</p>
      <p role="status" className="my__message">
        {message}
      </p>
      {error && <Problem error={error} retry={() => void load().then(() => setError(null), (e: Error) => setError(e))} />}
      {!requests && !error && <LoadingSpinner status="loading" text={t('app.loading')} variant="small" textAlign="right" />}
      {requests && waiting.length === 0 && <p>{t('registerFacts.none')}</p>}
      {waiting.length > 0 && (
        <ul className="plain-list">
          {waiting.map((r) => (
            <li key={r.id}>
              <article className={`fact-request fact-request--${r.status}`} aria-labelledby={`fact-request-${r.id}`} data-testid="fact-request">
                <h3 id={`fact-request-${r.id}`}>{t('registerFacts.asks', { service: r.service.name, fact: loc(r.name ?? undefined, language) || r.fact })}</h3>
                <dl className="fact-request__details">
                  <dt>{t('registerFacts.who')}</dt>
                  <dd>{who(r)}</dd>
                  <dt>{t('registerFacts.what')}</dt>
                  <dd>
                    {loc(r.name ?? undefined, language) || r.fact}
                    {r.description && <span className="hint"> – {loc(r.description, language)}</span>}
                  </dd>
                  <dt>{t('registerFacts.from')}</dt>
                  <dd>{loc(r.register ?? undefined, language)}</dd>
                  <dt>{t('registerFacts.why')}</dt>
                  <dd>
                    <q>{r.purpose}</q>
                  </dd>
                  {r.status === 'pending' && (
                    <>
                      <dt>{t('registerFacts.wouldSend')}</dt>
                      <dd data-testid="would-send">{r.would_send ? factText(r.fact, r.would_send) : t('registerFacts.nothingToSend')}</dd>
                      <dt>{t('registerFacts.answerBy')}</dt>
                      <dd>{formatDateTime(r.expires_at, language)}</dd>
                    </>
                  )}
                  {r.status === 'approved' && (
                    <>
                      <dt>{t('registerFacts.willGet')}</dt>
                      <dd data-testid="will-get">{r.would_send ? factText(r.fact, r.would_send) : ''}</dd>
                      <dt>{t('registerFacts.state')}</dt>
                      <dd>{t('registerFacts.approvedWaiting', { when: formatDateTime(r.expires_at, language) })}</dd>
                    </>
                  )}
                </dl>
                {r.status === 'pending' && (
                  <>
                    <p className="hint">{t('registerFacts.once')}</p>
                    <div className="actions">
                      <Button disabled={busy || !r.would_send} onClick={() => void act(r, 'approve')}>
                        {t('registerFacts.approve')}
                      </Button>
                      <Button variant="secondary" disabled={busy} onClick={() => void act(r, 'decline')}>
                        {t('registerFacts.decline')}
                      </Button>
                    </div>
                  </>
                )}
                {r.status === 'approved' && (
                  <Button variant="secondary" disabled={busy} onClick={() => void act(r, 'withdraw')}>
                    {t('registerFacts.withdraw')}
                  </Button>
                )}
              </article>
            </li>
          ))}
        </ul>
      )}
      {requests && requests.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" data-testid="fact-history">
            <caption>{t('registerFacts.history')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('registerFacts.who')}</th>
                <th scope="col">{t('registerFacts.what')}</th>
                <th scope="col">{t('registerFacts.askedAt')}</th>
                <th scope="col">{t('registerFacts.state')}</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.service.name}</th>
                  <td>{loc(r.name ?? undefined, language) || r.fact}</td>
                  <td>{formatDateTime(r.asked_at, language)}</td>
                  <td>{t(`registerFacts.s_${r.status}`, { when: formatDateTime(r.collected_at ?? r.withdrawn_at ?? r.decided_at ?? r.expires_at, language) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {requests && (
        <Button variant="secondary" disabled={busy} onClick={() => void load().catch((e: Error) => setError(e))}>
          {t('registerFacts.refresh')}
        </Button>
      )}
    </section>
  );
}
