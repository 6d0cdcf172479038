import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Heading, Paragraph, TextInput } from 'suomifi-ui-components';
import { consoleApi, type EventEndpoint, type LifeEventType, type OidcClient } from '../../api.ts';
import { AppLink, ConfirmDialog, ErrorAlert, LoadState, PageHeading, SuccessAlert, formatDateTime, useLanguage } from '../../components/common.tsx';
import { DisabledEndpointsNotice } from '../../components/EndpointNotice.tsx';
import { NativeSelect } from '../../components/NativeSelect.tsx';
import { useLoad } from '../../../shared/load.ts';
import { landingUrlOk } from './Services.tsx';
import { SecretBox, copyText } from './Clients.tsx';
import { EventEndpointCard } from './EventEndpointCard.tsx';
import { EventDeliveries } from './EventDeliveries.tsx';

interface ShownSecret {
  url: string;
  secret: string;
  /** After a rotation: until when the previous secret still signs beside this one. */
  previousUntil?: string;
}

/** A signing secret, shown this once, with a copy button; after a rotation, until when the old one still signs. */
function EndpointSecretPanel({ shown, onDismiss }: { shown: ShownSecret; onDismiss: () => void }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const ref = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [shown]);
  const copy = async () => setCopied((await copyText(shown.secret)) ? t('clients.copied', { what: t('lifeEvents.secret') }) : t('clients.copyFailed'));
  return (
    <SecretBox ref={ref} tabIndex={-1} aria-labelledby="endpoint-secret-title" data-testid="endpoint-secret-panel">
      <Heading variant="h2" id="endpoint-secret-title" mb="s">
        {t('lifeEvents.secretTitle')}
      </Heading>
      <Paragraph>
        <strong>{t('lifeEvents.secretWarning')}</strong>
      </Paragraph>
      <Heading variant="h3" as="h3" mt="m">
        {t('lifeEvents.secretFor', { url: shown.url })}
      </Heading>
      <dl>
        <dt>{t('lifeEvents.secret')}</dt>
        <dd>
          <code data-testid="endpoint-secret">{shown.secret}</code>
          <Button variant="secondary" onClick={() => void copy()}>
            {t('clients.copy', { what: t('lifeEvents.secret') })}
          </Button>
        </dd>
      </dl>
      <Paragraph mb="m">{t('lifeEvents.secretUsage')}</Paragraph>
      {shown.previousUntil && (
        <Paragraph mb="m">
          <strong>{t('lifeEvents.previousUntil', { until: formatDateTime(shown.previousUntil, language) })}</strong>
        </Paragraph>
      )}
      <div role="status" aria-live="polite">
        {copied && <Paragraph mb="m">{copied}</Paragraph>}
      </div>
      <Button onClick={onDismiss}>{t('clients.savedIt')}</Button>
    </SecretBox>
  );
}

/**
 * Life events for a member's staff: the webhook endpoints (for which service, address, what each
 * receives and where, failing or turned off and why), adding one (its signing secret shown once),
 * a new secret, turning one on again or removing it, and the messages sent with a replay of dead letters.
 */
export function LifeEvents({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const endpoints = useLoad((signal) => consoleApi.eventEndpoints(memberId, { signal }), [memberId]);
  const clients = useLoad((signal) => consoleApi.oidcClients(memberId, { signal }), [memberId]);
  const types = useLoad((signal) => consoleApi.eventTypes({ signal }), []);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const [confirm, setConfirm] = useState<{ action: 'rotate' | 'remove'; endpoint: EventEndpoint } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  // Replaying a dead letter turns its endpoint on again: the endpoints reload too.
  const [deliveriesRound, setDeliveriesRound] = useState(0);

  const [clientId, setClientId] = useState('');
  const [url, setUrl] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [addError, setAddError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const clientList: OidcClient[] = clients.data?.clients ?? [];
  const chosenClient = clientId || clientList[0]?.client_id || '';
  const urlProblem = landingUrlOk(url) ? undefined : t('lifeEvents.urlInvalid');

  const changed = (message: string | null) => {
    setDone(message);
    setError(undefined);
    endpoints.reload();
    setDeliveriesRound((r) => r + 1);
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (urlProblem || !chosenClient) return;
    setBusy(true);
    setAddError(undefined);
    setDone(null);
    try {
      const created = await consoleApi.createEventEndpoint(memberId, { client_id: chosenClient, url: url.trim() });
      setShown({ url: created.url, secret: created.secret });
      setUrl('');
      setSubmitted(false);
      endpoints.reload();
    } catch (e) {
      setAddError(e);
    } finally {
      setBusy(false);
    }
  };

  const enable = async (endpoint: EventEndpoint) => {
    try {
      await consoleApi.enableEventEndpoint(memberId, endpoint.id);
      changed(t('lifeEvents.enabled', { url: endpoint.url }));
    } catch (e) {
      setDone(null);
      setError(e);
    }
  };

  return (
    <>
      <PageHeading title={t('lifeEvents.title')}>{t('lifeEvents.title')}</PageHeading>
      <Paragraph mb="s">{t('lifeEvents.intro')}</Paragraph>
      <Paragraph mb="s">
        <strong>{t('lifeEvents.whatIsEndpoint')}</strong>
      </Paragraph>
      <Paragraph mb="l">{t('lifeEvents.contract')}</Paragraph>
      {endpoints.data && (
        <DisabledEndpointsNotice
          endpoints={endpoints.data.endpoints}
          clients={clientList}
          action={(e) => (
            <Button onClick={() => void enable(e)} aria-label={`${t('lifeEvents.enable')}: ${e.url}`}>
              {t('lifeEvents.enable')}
            </Button>
          )}
        />
      )}
      {shown && <EndpointSecretPanel shown={shown} onDismiss={() => setShown(null)} />}
      <SuccessAlert>{done}</SuccessAlert>
      <ErrorAlert error={error} />

      <Heading variant="h2" mb="s">
        {t('lifeEvents.endpointsTitle')}
      </Heading>
      <LoadState loaded={endpoints}>
        {({ endpoints: list }) =>
          list.length === 0 ? (
            <Paragraph mb="l">{t('lifeEvents.empty')}</Paragraph>
          ) : (
            <>
              {list.map((endpoint) => (
                <EventEndpointCard
                  key={endpoint.id}
                  memberId={memberId}
                  endpoint={endpoint}
                  service={clientList.find((c) => c.client_id === endpoint.client_id)?.name ?? endpoint.client_id}
                  types={types.data?.event_types ?? ([] as LifeEventType[])}
                  onSaved={() => changed(null)}
                  onEnable={() => void enable(endpoint)}
                  onRotate={() => setConfirm({ action: 'rotate', endpoint })}
                  onRemove={() => setConfirm({ action: 'remove', endpoint })}
                />
              ))}
            </>
          )
        }
      </LoadState>

      <Heading variant="h2" mb="s" mt="l">
        {t('lifeEvents.addTitle')}
      </Heading>
      <LoadState loaded={clients}>
        {({ clients: list }) =>
          list.length === 0 ? (
            <Paragraph mb="xl">
              {t('lifeEvents.noClients')} <AppLink to="/org/oidc-clients">{t('lifeEvents.goToOidc')}</AppLink>
            </Paragraph>
          ) : (
            <form onSubmit={add} noValidate>
              <NativeSelect
                label={t('lifeEvents.clientLabel')}
                hint={t('lifeEvents.clientHint')}
                value={chosenClient}
                onChange={setClientId}
                options={list.map((c) => ({ value: c.client_id, label: `${c.name} (${c.client_id})` }))}
              />
              <TextInput
                labelText={t('lifeEvents.urlLabel')}
                hintText={t('lifeEvents.urlHint')}
                value={url}
                onChange={(v) => setUrl(String(v ?? ''))}
                status={submitted && urlProblem ? 'error' : 'default'}
                statusText={submitted ? urlProblem : undefined}
                inputMode="url"
                maxLength={500}
                fullWidth
                mb="m"
              />
              <ErrorAlert error={addError} />
              <Button type="submit" disabled={busy}>
                {t('lifeEvents.addButton')}
              </Button>
            </form>
          )
        }
      </LoadState>

      <EventDeliveries
        memberId={memberId}
        round={deliveriesRound}
        endpoints={endpoints.data?.endpoints ?? []}
        types={types.data?.event_types ?? []}
        onReplayed={() => endpoints.reload()}
      />

      <ConfirmDialog
        visible={confirm !== null}
        title={confirm ? t(confirm.action === 'rotate' ? 'lifeEvents.rotateTitle' : 'lifeEvents.removeTitle', { url: confirm.endpoint.url }) : ''}
        text={confirm ? t(confirm.action === 'rotate' ? 'lifeEvents.rotateConfirm' : 'lifeEvents.removeConfirm') : ''}
        confirmText={confirm ? t(confirm.action === 'rotate' ? 'lifeEvents.rotate' : 'lifeEvents.remove') : ''}
        onConfirm={async () => {
          if (!confirm) return;
          const { endpoint, action } = confirm;
          setDone(null);
          if (action === 'rotate') {
            const rotated = await consoleApi.rotateEventEndpoint(memberId, endpoint.id);
            setShown({ url: endpoint.url, secret: rotated.secret, previousUntil: rotated.previous_secret_until });
            endpoints.reload();
          } else {
            await consoleApi.removeEventEndpoint(memberId, endpoint.id);
            changed(t('lifeEvents.removed', { url: endpoint.url }));
          }
        }}
        onClose={() => setConfirm(null)}
      />
    </>
  );
}
