import { Webhook } from 'standardwebhooks';
import type { Db } from '../../db/database.ts';
import { createEndpoint } from '../../events/endpoints/create-endpoint.ts';
import { removeEndpoint } from '../../events/endpoints/remove-endpoint.ts';
import { EVENT_TYPE_NAMES, cloudEventType, isEventType } from '../../events/event-types.ts';
import { subscribe } from '../../events/endpoints/subscribe.ts';
import { HttpProblem, badRequest, unauthorized } from '../../http/problem.ts';
import type { PayloadKeyring } from '../../keys/keys.ts';
import type { SealedColumn } from '../../keys/reseal.ts';
import { DEMO_MEMBER_ID } from '../../members/demo-member.ts';

/**
 * The demo service hears life events as a member's service would (docs/events.md, "The delivery
 * contract"): the demo member has a webhook endpoint for the service's client at this very server,
 * subscribed to every type, and the service keeps the signing secret itself (sealed with the payload
 * keyring, as the network keeps it on its side). Subscribing tells nobody anything: a person's events
 * reach it only for the types they allow it to hear of. What it receives is verified (Standard
 * Webhooks over the raw body), deduplicated by webhook id and kept by the pairwise subject, which is
 * all a real service would have of the person.
 */
export const DEMO_EVENTS_PATH = '/demo/service/events';
const secretAad = (endpointId: string) => `demo-webhook-secret:${endpointId}`;

/** For the payload-reseal job: the demo service's copy of its signing secret. */
export const DEMO_WEBHOOK_SECRET_SEALED: SealedColumn = { table: 'demo_service_webhook', id: 'endpoint_id', keyId: 'secret_key_id', data: 'secret_sealed', aad: secretAad };

/**
 * The service's endpoint for its current client and address: made (and subscribed to every type) the
 * first time, made again when the client or the network's address changed, the old one removed.
 */
export async function ensureDemoEndpoint(db: Db, keyring: PayloadKeyring, base: string, clientId: string): Promise<void> {
  const url = `${base}${DEMO_EVENTS_PATH}`;
  const row = await db.selectFrom('demo_service_webhook').selectAll().executeTakeFirst();
  if (row?.client_id === clientId && row.url === url) return;
  const endpoint = await createEndpoint(db, keyring, DEMO_MEMBER_ID, { client_id: clientId, url }, 'demo');
  for (const type of EVENT_TYPE_NAMES) await subscribe(db, DEMO_MEMBER_ID, endpoint.id, type, null, 'demo');
  const sealed = keyring.seal(endpoint.secret, secretAad(endpoint.id));
  const values = { client_id: clientId, endpoint_id: endpoint.id, url, secret_key_id: sealed.keyId, secret_sealed: sealed.data };
  // Two servers may make one at once: the first row wins, the other's endpoint is removed again.
  const kept = await db
    .insertInto('demo_service_webhook')
    .values({ id: 1, ...values })
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet(values)
        .where((eb) => eb.or([eb('demo_service_webhook.client_id', '<>', clientId), eb('demo_service_webhook.url', '<>', url)])),
    )
    .returning('endpoint_id')
    .executeTakeFirst();
  const removed = kept?.endpoint_id === endpoint.id ? row?.endpoint_id : endpoint.id;
  if (removed) await removeEndpoint(db, DEMO_MEMBER_ID, removed, 'demo').catch((error: unknown) => {
    if (!(error instanceof HttpProblem && error.status === 404)) throw error;
  });
}

export interface WebhookHeaders {
  'webhook-id'?: string | undefined;
  'webhook-timestamp'?: string | undefined;
  'webhook-signature'?: string | undefined;
}

interface LifeCloudEvent {
  specversion: string;
  id: string;
  type: string;
  subject: string;
  time: string;
  data: Record<string, string>;
}

const PREFIX = 'fi.aurora.life-event.';

function lifeEventOf(payload: unknown, webhookId: string): LifeCloudEvent & { eventType: string } {
  const event = payload as Partial<LifeCloudEvent> | null;
  if (!event || typeof event !== 'object') throw badRequest('the body is not a CloudEvent');
  const eventType = typeof event.type === 'string' && event.type.startsWith(PREFIX) ? event.type.slice(PREFIX.length) : '';
  if (event.specversion !== '1.0') throw badRequest('not a CloudEvent 1.0', [{ field: 'specversion', message: 'must be 1.0' }]);
  if (event.id !== webhookId) throw badRequest('the CloudEvent id is not the webhook-id', [{ field: 'id', message: 'must be the webhook-id' }]);
  if (!isEventType(eventType) || cloudEventType(eventType) !== event.type) throw badRequest(`not a life event type this service knows: ${String(event.type)}`, [{ field: 'type', message: 'unknown type' }]);
  if (typeof event.subject !== 'string' || !event.subject || event.subject.length > 200) throw badRequest('the CloudEvent has no subject', [{ field: 'subject', message: 'required' }]);
  if (typeof event.time !== 'string' || Number.isNaN(Date.parse(event.time))) throw badRequest('the CloudEvent has no time', [{ field: 'time', message: 'required' }]);
  const data = event.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data) || Object.values(data).some((v) => typeof v !== 'string')) throw badRequest('the data are not short strings', [{ field: 'data', message: 'an object of strings' }]);
  return { ...(event as LifeCloudEvent), data, eventType };
}

/**
 * A delivery at the service's webhook: the signature checked over the body exactly as received
 * (401 when it is missing, wrong or over five minutes off), then kept once per webhook id. Answers
 * whether it was new; a repeat is answered the same 2xx, so that the network stops retrying.
 */
export async function receiveDemoEvent(db: Db, keyring: PayloadKeyring, rawBody: string, headers: WebhookHeaders): Promise<{ stored: boolean }> {
  const kept = await db.selectFrom('demo_service_webhook').selectAll().executeTakeFirst();
  const webhookId = headers['webhook-id'];
  if (!kept || !webhookId || !headers['webhook-timestamp'] || !headers['webhook-signature']) throw unauthorized('the delivery carries no Standard Webhooks signature this service can check');
  let payload: unknown;
  try {
    const secret = keyring.open({ keyId: kept.secret_key_id, data: kept.secret_sealed }, secretAad(kept.endpoint_id));
    payload = new Webhook(secret).verify(rawBody, { 'webhook-id': webhookId, 'webhook-timestamp': headers['webhook-timestamp'], 'webhook-signature': headers['webhook-signature'] });
  } catch {
    throw unauthorized('the webhook signature is not valid, or its timestamp is over five minutes off');
  }
  const event = lifeEventOf(payload, webhookId);
  const stored = await db
    .insertInto('demo_service_events')
    .values({ webhook_id: webhookId, client_id: kept.client_id, subject: event.subject, type: event.eventType, data: JSON.stringify(event.data), occurred_at: new Date(event.time) })
    .onConflict((oc) => oc.column('webhook_id').doNothing())
    .returning('webhook_id')
    .executeTakeFirst();
  return { stored: Boolean(stored) };
}

export interface HeardEvent {
  type: string;
  data: Record<string, unknown>;
  occurred_at: Date;
  received_at: Date;
}

/** What the service heard of one person (its pairwise subject, which stays when the client is registered again on the same host), newest first. */
export async function heardEvents(db: Db, subject: string): Promise<HeardEvent[]> {
  return db
    .selectFrom('demo_service_events')
    .select(['type', 'data', 'occurred_at', 'received_at'])
    .where('subject', '=', subject)
    .orderBy('occurred_at', 'desc')
    .orderBy('received_at', 'desc')
    .limit(100)
    .execute();
}
