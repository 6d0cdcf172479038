import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Notification, Paragraph } from 'suomifi-ui-components';
import { consoleApi, type EventEndpoint, type OidcClient } from '../api.ts';
import { useLoad } from '../../shared/load.ts';
import { AppLink, formatDateTime, useLanguage } from './common.tsx';

/** What the delivery worker writes when it turns an endpoint off (src/events/deliver.ts), before the last error. */
const FIVE_DAYS = 'every delivery failed for 5 days; the last: ';

/** Why an endpoint was turned off, in the user's language where the reason is the worker's own; the receiver's last answer as it came. */
export function useDisabledWhy() {
  const { t } = useTranslation('console');
  return (reason: string | null): { why: string; last: string | null } =>
    reason?.startsWith(FIVE_DAYS) ? { why: t('lifeEvents.why5days'), last: reason.slice(FIVE_DAYS.length) } : { why: reason ?? t('lifeEvents.why5days'), last: null };
}

/** The name of an endpoint's service, from the member's OIDC clients (a removed one by its id). */
export const serviceName = (clients: OidcClient[], clientId: string) => clients.find((c) => c.client_id === clientId)?.name ?? clientId;

/**
 * A disabled endpoint, impossible to miss: which one, since when, why, and what to do. On the
 * member's landing view with a link to the Life events page; there with the button that fixes it.
 */
export function DisabledEndpointsNotice({ endpoints, clients, action }: { endpoints: EventEndpoint[]; clients: OidcClient[]; action: (endpoint: EventEndpoint) => ReactNode }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const whyOf = useDisabledWhy();
  return (
    <>
      {endpoints
        .filter((e) => e.disabled_at)
        .map((e) => {
          const { why, last } = whyOf(e.disabled_reason);
          return (
            <Notification
              key={e.id}
              status="error"
              headingText={t('lifeEvents.noticeTitle', { url: e.url })}
              headingVariant="h2"
              showCloseButton={false}
              regionAriaLabel={t('lifeEvents.noticeTitle', { url: e.url })}
              actionElements={action(e)}
              mb="l"
              data-testid="disabled-endpoint-notice"
            >
              <Paragraph mb="s">{t('lifeEvents.noticeText', { url: e.url, service: serviceName(clients, e.client_id), when: formatDateTime(e.disabled_at, language), why })}</Paragraph>
              {last && (
                <Paragraph mb="s">
                  {t('lifeEvents.lastAnswer')} <code lang="en">{last}</code>
                </Paragraph>
              )}
              <Paragraph>{t('lifeEvents.noticeTodo')}</Paragraph>
            </Notification>
          );
        })}
    </>
  );
}

/** The notice on the member's landing view: loads what it needs, and says nothing while all is well (or the lists cannot be read). */
export function DisabledEndpointsOnHome({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const loaded = useLoad(async (signal) => {
    const { endpoints } = await consoleApi.eventEndpoints(memberId, { signal });
    if (!endpoints.some((e) => e.disabled_at)) return { endpoints, clients: [] };
    return { endpoints, clients: (await consoleApi.oidcClients(memberId, { signal })).clients };
  }, [memberId]);
  if (!loaded.data) return null;
  return <DisabledEndpointsNotice endpoints={loaded.data.endpoints} clients={loaded.data.clients} action={() => <AppLink to="/org/life-events">{t('lifeEvents.goToLifeEvents')}</AppLink>} />;
}
