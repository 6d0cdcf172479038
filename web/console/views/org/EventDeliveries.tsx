import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Heading, InlineAlert, Paragraph, Table } from 'suomifi-ui-components';
import { ApiError, consoleApi, localText, type DeliveryStatus, type EventDelivery, type EventEndpoint, type LifeEventType } from '../../api.ts';
import { ErrorAlert, LoadState, Small, WrappingTable, formatDateTime, useLanguage } from '../../components/common.tsx';
import { NativeSelect } from '../../components/NativeSelect.tsx';
import { useLoad } from '../../../shared/load.ts';

const STATUSES = ['pending', 'delivered', 'dead', 'cancelled'] as const satisfies readonly DeliveryStatus[];

/** The server's reasons for refusing a replay (409), in words; anything else as any other error. */
function replayRefusal(error: unknown): 'notDeadLetter' | 'consentWithdrawn' | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  if (error.type?.endsWith('/not-dead-letter')) return 'notDeadLetter';
  if (error.type?.endsWith('/consent-withdrawn')) return 'consentWithdrawn';
  return null;
}

/**
 * The messages sent to the member's endpoints, filtered by status, with the event type, endpoint,
 * tries, the last answer and the next try; a dead letter can be sent again.
 */
export function EventDeliveries(props: { memberId: string; round: number; endpoints: EventEndpoint[]; types: LifeEventType[]; onReplayed: () => void }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const [reloads, setReloads] = useState(0);
  const deliveries = useLoad((signal) => consoleApi.eventDeliveries(props.memberId, status || undefined, { signal }), [props.memberId, status, props.round, reloads]);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState<string | null>(null);
  const endpointOf = (id: string) => props.endpoints.find((e) => e.id === id);
  const typeName = (type: string) => localText(props.types.find((x) => x.type === type)?.name, language) || type;

  const replay = async (delivery: EventDelivery) => {
    setBusy(delivery.id);
    setDone(null);
    setError(undefined);
    try {
      await consoleApi.replayDelivery(props.memberId, delivery.id);
      setDone(t('lifeEvents.replayed'));
      setReloads((r) => r + 1);
      props.onReplayed();
    } catch (e) {
      const refusal = replayRefusal(e);
      setError(refusal ? t(`lifeEvents.${refusal}`) : e);
    } finally {
      setBusy(null);
    }
  };

  const when = (d: EventDelivery) => {
    if (d.status === 'delivered') return t('lifeEvents.deliveredAt', { when: formatDateTime(d.delivered_at, language) });
    if (d.status !== 'pending') return '–';
    if (endpointOf(d.endpoint_id)?.disabled_at) return t('lifeEvents.waitsDisabled');
    return t('lifeEvents.nextTry', { when: formatDateTime(d.next_attempt_at, language) });
  };

  return (
    <section aria-labelledby="deliveries-title">
      <Heading variant="h2" id="deliveries-title" mb="s" mt="xl">
        {t('lifeEvents.deliveriesTitle')}
      </Heading>
      <Paragraph mb="m">{t('lifeEvents.deliveriesIntro')}</Paragraph>
      <NativeSelect
        label={t('lifeEvents.filterLabel')}
        value={status}
        onChange={(v) => setStatus(v as DeliveryStatus | '')}
        options={[{ value: '', label: t('lifeEvents.all') }, ...STATUSES.map((s) => ({ value: s, label: t(`lifeEvents.statusFilter.${s}`) }))]}
      />
      <Button variant="secondary" onClick={() => setReloads((r) => r + 1)} mb="m">
        {t('lifeEvents.reload')}
      </Button>
      <div role="status" aria-live="polite">
        {done && (
          <InlineAlert status="neutral" mb="m">
            {done}
          </InlineAlert>
        )}
      </div>
      <ErrorAlert error={error} />
      <LoadState loaded={deliveries}>
        {({ deliveries: list }) =>
          list.length === 0 ? (
            <Paragraph mb="l" role="status">
              {t('lifeEvents.deliveriesEmpty')}
            </Paragraph>
          ) : (
            <WrappingTable>
              <Table
                caption={t('lifeEvents.deliveriesCaption')}
                mb="xl"
                condensed
                columns={[
                  { key: 'event', labelText: t('lifeEvents.event') },
                  { key: 'status', labelText: t('lifeEvents.status') },
                  { key: 'answer', labelText: t('lifeEvents.answer') },
                  { key: 'when', labelText: t('lifeEvents.when') },
                  { key: 'actions', labelText: t('lifeEvents.actions') },
                ]}
                data={list.map((d) => ({
                  id: d.id,
                  event: (
                    <>
                      {typeName(d.event_type)}
                      <Small>{t('lifeEvents.created', { when: formatDateTime(d.created_at, language) })}</Small>
                      <Small>
                        {t('lifeEvents.to')} <code>{endpointOf(d.endpoint_id)?.url ?? d.endpoint_id}</code>
                      </Small>
                    </>
                  ),
                  status: (
                    <>
                      <span data-testid="delivery-status">{t(`lifeEvents.deliveryStatus.${d.status}`)}</span>
                      <Small>{t('lifeEvents.tries', { count: d.attempts })}</Small>
                    </>
                  ),
                  answer: d.last_error ? <code lang="en">{d.last_error}</code> : d.last_http_status !== null ? `HTTP ${d.last_http_status}` : d.attempts === 0 ? t('lifeEvents.noAnswerYet') : '–',
                  when: when(d),
                  actions:
                    d.status === 'dead' && d.consent_withdrawn ? (
                      <Small>{t('lifeEvents.withdrawn')}</Small>
                    ) : d.status === 'dead' ? (
                      <Button variant="secondary" disabled={busy === d.id} onClick={() => void replay(d)} aria-label={`${t('lifeEvents.replay')}: ${typeName(d.event_type)}, ${formatDateTime(d.created_at, language)}`}>
                        {t('lifeEvents.replay')}
                      </Button>
                    ) : null,
                }))}
              />
            </WrappingTable>
          )
        }
      </LoadState>
    </section>
  );
}
