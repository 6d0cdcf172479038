import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Checkbox, LoadingSpinner } from 'suomifi-ui-components';
import { currentLanguage } from '../../shared/i18n.ts';
import { asAccount, type EventConsentReceipt, type EventServices, type EventTypeName } from '../life-events.ts';
import { formatDateTime, loc } from '../text.ts';
import { Problem } from './Problem.tsx';

/**
 * Which services may be told of which of the person's life events: one choice per event type and
 * service, none made in advance, each given or withdrawn at once; then the receipts, withdrawn ones
 * too. Only services that would hear (an endpoint subscribes) are offered.
 */
export function EventConsents({ token }: { token: string }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const [types, setTypes] = useState<EventServices[] | null>(null);
  const [receipts, setReceipts] = useState<EventConsentReceipt[]>([]);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');

  const load = useCallback(async () => {
    const [offered, consents] = await Promise.all([
      asAccount<{ event_types: EventServices[] }>(token, '/event-services'),
      asAccount<{ consents: EventConsentReceipt[] }>(token, '/event-consents'),
    ]);
    setTypes(offered.event_types);
    setReceipts(consents.consents);
  }, [token]);
  useEffect(() => {
    load().catch((e: Error) => setError(e));
  }, [load]);

  const when = (type: EventTypeName) => t(`eventConsents.when.${type}`);
  const nameOf = (type: EventTypeName) => loc(types?.find((x) => x.type === type)?.name, language) || type;
  const choose = async (type: EventTypeName, service: EventServices['services'][number], tell: boolean) => {
    setBusy(true);
    setError(null);
    setMessage('');
    try {
      if (tell) await asAccount(token, '/event-consents', { method: 'POST', body: { event_type: type, client_id: service.client_id } });
      else if (service.consent_id) await asAccount(token, `/event-consents/${service.consent_id}`, { method: 'DELETE' });
      await load();
      setMessage(t(tell ? 'eventConsents.given' : 'eventConsents.withdrawn', { service: service.name, when: when(type) }));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const offered = types?.filter((x) => x.services.length > 0) ?? [];
  return (
    <section aria-labelledby="event-consents" className="event-consents">
      <h2 id="event-consents">{t('eventConsents.title')}</h2>
      <p>{t('eventConsents.intro')}</p>
      <p role="status" className="my__message">
        {message}
      </p>
      {error && <Problem error={error} retry={() => void load().then(() => setError(null), (e: Error) => setError(e))} />}
      {!types && !error && <LoadingSpinner status="loading" text={t('app.loading')} variant="small" textAlign="right" />}
      {types && offered.length === 0 && <p>{t('eventConsents.noServices')}</p>}
      {offered.map((type) => (
        <fieldset key={type.type} className="event-consents__type">
          <legend>{loc(type.name, language)}</legend>
          <p className="hint">{loc(type.description, language)}</p>
          {type.services.map((service) => (
            <Checkbox
              key={service.client_id}
              checked={service.consent_id !== null}
              disabled={busy}
              onClick={({ checkboxState }) => void choose(type.type, service, checkboxState)}
              hintText={service.given_at ? t('eventConsents.since', { when: formatDateTime(service.given_at, language) }) : undefined}
            >
              {t('eventConsents.tell', { service: service.name, when: when(type.type) })}
            </Checkbox>
          ))}
        </fieldset>
      ))}

      {receipts.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" data-testid="event-consent-receipts">
            <caption>{t('eventConsents.receipts')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('eventConsents.who')}</th>
                <th scope="col">{t('eventConsents.what')}</th>
                <th scope="col">{t('eventConsents.givenAt')}</th>
                <th scope="col">{t('eventConsents.withdrawnAt')}</th>
              </tr>
            </thead>
            <tbody>
              {receipts.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.service}</th>
                  <td>{nameOf(r.event_type)}</td>
                  <td>{formatDateTime(r.given_at, language)}</td>
                  <td>{r.withdrawn_at ? formatDateTime(r.withdrawn_at, language) : t('eventConsents.inForce')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
