import { sql } from 'kysely';
import { CloudEvent, HTTP } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import type { Db } from '../../db/database.ts';
import type { PayloadKeyring } from '../../keys/keys.ts';
import { outboundFetch, refusedDestination, type AddressLookup } from '../../http/outbound-address.ts';
import { cloudEventType, isEventType } from '../event-types.ts';
import { isMemberEventType, MEMBER_EVENT_TYPES } from '../member-event-types.ts';
import { signingSecrets } from '../endpoint-secrets.ts';
import type { SubjectOf } from '../subjects.ts';
import { DELIVERY_EVENT_ID, MAY_SEND, OUTBOX_EVENTS } from './outbox-events.ts';

/**
 * The delivery worker: claims due deliveries (FOR UPDATE SKIP LOCKED, the claim pushes their next
 * try past the call's time, so that every server may run it and each is sent by one), sends each as
 * a CloudEvent 1.0 in structured mode signed as Standard Webhooks, and records the outcome.
 *
 * - The CloudEvent `id` and `webhook-id` are the delivery's id, the same on every try: the receiver
 *   deduplicates by it (at-least-once).
 * - `subject` is the person's pairwise subject for the endpoint's service; a member event's
 *   (outbox-events.ts) is its own subject (an area), and it needs no consent, only that the
 *   endpoint is the member's own.
 * - 2xx is delivered; anything else (no answer, a redirect, an endpoint refused as private) waits
 *   per RETRY_WAITS_MS, Svix's schedule, and after the last try becomes a dead letter.
 * - An endpoint that has failed without a success for DISABLE_AFTER_MS is disabled with the reason;
 *   its deliveries wait until the member replays one (which enables it again).
 * - Only while the person's consent holds: a delivery whose consent was withdrawn is cancelled.
 *
 * `deliverDue` claims whatever is due (the database path); `deliverRelayed` claims one delivery a
 * relay handed over through NATS (nats-delivery.ts), with the same send and the same records.
 */

/** Waits before the 2nd … 8th try (the 1st is at once): Svix's 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const RETRY_WAITS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
export const DISABLE_AFTER_MS = 5 * 24 * 3_600_000;

export interface DeliverDeps {
  keyring: PayloadKeyring;
  /** The network's issuer: the CloudEvents `source`. */
  issuer: string;
  subjectOf: SubjectOf;
  /** Whether endpoints on this machine or a private network may be called (AURORA_PRIVATE_DESTINATIONS). */
  allowPrivate: boolean;
  /** Origins called whatever their address: the network's own on a demo start, for the demo service's webhook. */
  allowOrigins?: readonly string[];
  lookup?: AddressLookup;
  /** The schedule's clock (tests move it instead of sleeping); the database's rows are compared with it. */
  now?: () => Date;
  timeoutMs?: number;
  batch?: number;
}

interface Claimed {
  id: string;
  attempts: number;
  event_type: string;
  /** A life event's person; null for a member event. */
  account_id: string | null;
  /** A member event's member and subject; null for a life event. */
  member_id: string | null;
  subject: string | null;
  occurred_at: Date;
  data: Record<string, unknown>;
  endpoint_id: string;
  endpoint_member_id: string;
  client_id: string;
  url: string;
  secret_key_id: string;
  secret_sealed: string;
  previous_key_id: string | null;
  previous_sealed: string | null;
  previous_until: Date | null;
}

const MAX_ERROR = 500;

/** The CloudEvent's type and subject, or why it cannot be sent. */
async function typeAndSubject(deps: DeliverDeps, row: Claimed): Promise<{ type: string; subject: string } | { error: string }> {
  if (row.member_id !== null) {
    if (row.member_id !== row.endpoint_member_id) return { error: "a member event goes only to the member's own endpoints" };
    if (!isMemberEventType(row.event_type)) return { error: `unknown event type ${row.event_type}` };
    return { type: MEMBER_EVENT_TYPES[row.event_type].cloudEventType, subject: row.subject ?? '' };
  }
  const subject = await deps.subjectOf(row.client_id, row.account_id!);
  if (!subject) return { error: 'the service is no longer registered at the network' };
  if (!isEventType(row.event_type)) return { error: `unknown event type ${row.event_type}` };
  return { type: cloudEventType(row.event_type), subject };
}

async function send(deps: DeliverDeps, row: Claimed, now: Date, timeoutMs: number): Promise<{ ok: boolean; httpStatus: number | null; error: string | null }> {
  const what = await typeAndSubject(deps, row);
  if ('error' in what) return { ok: false, httpStatus: null, error: what.error };
  const url = new URL(row.url);
  const refused = await refusedDestination(url, { allowPrivate: deps.allowPrivate, allowOrigins: deps.allowOrigins, ...(deps.lookup ? { lookup: deps.lookup } : {}) });
  if (refused) return { ok: false, httpStatus: null, error: refused };
  const event = new CloudEvent({
    id: row.id,
    type: what.type,
    source: deps.issuer,
    subject: what.subject,
    time: row.occurred_at.toISOString(),
    datacontenttype: 'application/json',
    data: row.data,
  });
  const message = HTTP.structured(event);
  const body = String(message.body);
  // The receiver compares the timestamp with its own clock: it is the real time of sending, not the schedule's.
  const sentAt = new Date();
  const signature = signingSecrets(deps.keyring, { ...row, id: row.endpoint_id }, now)
    .map((secret) => new Webhook(secret).sign(row.id, sentAt, body))
    .join(' ');
  try {
    const headers = {
      'content-type': String(message.headers['content-type']),
      'webhook-id': row.id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': signature,
    };
    const response = await outboundFetch(
      url,
      { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) },
      { allowPrivate: deps.allowPrivate, allowOrigins: deps.allowOrigins },
    );
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return { ok: true, httpStatus: response.status, error: null };
    return { ok: false, httpStatus: response.status, error: `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}` };
  } catch (error) {
    return { ok: false, httpStatus: null, error: `no answer: ${(error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message}` };
  }
}

const RETURNING = sql`d.id, d.attempts, ev.type as event_type, ev.account_id, ev.member_id, ev.subject, ev.occurred_at, ev.data,
  e.id as endpoint_id, e.member_id as endpoint_member_id, e.client_id, e.url,
  e.secret_key_id, e.secret_sealed, e.previous_key_id, e.previous_sealed, e.previous_until`;

/** Deliveries (all due ones, or the one named) whose person has withdrawn the consent are cancelled rather than sent. */
async function cancelWithdrawn(db: Db, now: Date, only?: string): Promise<void> {
  await sql`
    update event_deliveries d set status = 'cancelled', updated_at = ${now}
    from life_events ev, event_endpoints e
    where d.status = 'pending' and ${only === undefined ? sql`d.next_attempt_at <= ${now}` : sql`d.id = ${only}`} and ev.id = d.event_id and e.id = d.endpoint_id
      and not exists (
        select 1 from life_event_consents c
        where c.account_id = ev.account_id and c.event_type = ev.type and c.client_id = e.client_id and c.withdrawn_at is null)`.execute(db);
}

/** Sends claimed deliveries and records each outcome: delivered, or the next try on the schedule, or a dead letter. */
async function sendAndRecord(db: Db, deps: DeliverDeps, rows: Claimed[], now: Date, timeoutMs: number): Promise<void> {
  await Promise.all(
    rows.map(async (row) => {
      const outcome = await send(deps, { ...row, occurred_at: new Date(row.occurred_at), previous_until: row.previous_until && new Date(row.previous_until) }, now, timeoutMs).catch(
        // A secret under a payload key no longer configured, say: a failed try with the reason, not a stuck claim.
        (error: unknown) => ({ ok: false, httpStatus: null, error: `not sent: ${(error as Error).message}` }),
      );
      if (outcome.ok) {
        await db.transaction().execute(async (tx) => {
          await tx.updateTable('event_deliveries').set({ status: 'delivered', delivered_at: now, last_http_status: outcome.httpStatus, last_error: null, updated_at: now }).where('id', '=', row.id).execute();
          await tx.updateTable('event_endpoints').set({ failing_since: null }).where('id', '=', row.endpoint_id).execute();
        });
        return;
      }
      const wait = RETRY_WAITS_MS[row.attempts - 1];
      const error = outcome.error?.slice(0, MAX_ERROR) ?? null;
      await db.transaction().execute(async (tx) => {
        await tx
          .updateTable('event_deliveries')
          .set({
            status: wait === undefined ? 'dead' : 'pending',
            next_attempt_at: wait === undefined ? now : new Date(now.getTime() + wait),
            last_http_status: outcome.httpStatus,
            last_error: error,
            updated_at: now,
          })
          .where('id', '=', row.id)
          .execute();
        const disableFrom = new Date(now.getTime() - DISABLE_AFTER_MS);
        await sql`
          update event_endpoints set
            failing_since = coalesce(failing_since, ${now}),
            disabled_at = case when disabled_at is null and coalesce(failing_since, ${now}) <= ${disableFrom} then ${now} else disabled_at end,
            disabled_reason = case when disabled_at is null and coalesce(failing_since, ${now}) <= ${disableFrom}
              then ${`every delivery failed for 5 days; the last: ${error ?? 'no answer'}`} else disabled_reason end
          where id = ${row.endpoint_id}`.execute(tx);
      });
    }),
  );
}

/** Sends the due deliveries once; how many were tried. */
export async function deliverDue(db: Db, deps: DeliverDeps): Promise<number> {
  const now = (deps.now ?? (() => new Date()))();
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const claimUntil = new Date(now.getTime() + timeoutMs * 3);
  await cancelWithdrawn(db, now);
  const { rows } = await sql<Claimed>`
    update event_deliveries d set attempts = d.attempts + 1, next_attempt_at = ${claimUntil}, updated_at = ${now}
    from (
      select d2.id from event_deliveries d2 join event_endpoints e2 on e2.id = d2.endpoint_id
      where d2.status = 'pending' and d2.next_attempt_at <= ${now} and e2.disabled_at is null
      order by d2.next_attempt_at limit ${deps.batch ?? 50}
      for update of d2 skip locked
    ) due, ${OUTBOX_EVENTS} ev, event_endpoints e
    where d.id = due.id and ev.id = ${DELIVERY_EVENT_ID} and e.id = d.endpoint_id
    returning ${RETURNING}`.execute(db);
  await sendAndRecord(db, deps, rows, now, timeoutMs);
  return rows.length;
}

/**
 * One delivery a relay handed over (through NATS): sent only if it is still the try the relay
 * published, that is still pending with the same number of tries behind it, its endpoint enabled and
 * the person's consent held. A message published twice, redelivered, or overtaken by another
 * server's try claims nothing: false, and nothing is sent.
 */
export async function deliverRelayed(db: Db, deps: DeliverDeps, id: string, attempts: number): Promise<boolean> {
  const now = (deps.now ?? (() => new Date()))();
  const timeoutMs = deps.timeoutMs ?? 10_000;
  // One statement in the usual case (the consent holds); the cancellation only when it claimed nothing.
  const { rows } = await sql<Claimed>`
    update event_deliveries d set attempts = d.attempts + 1, next_attempt_at = ${new Date(now.getTime() + timeoutMs * 3)}, updated_at = ${now}
    from ${OUTBOX_EVENTS} ev, event_endpoints e
    where d.id = ${id} and d.status = 'pending' and d.attempts = ${attempts} and e.disabled_at is null and ev.id = ${DELIVERY_EVENT_ID} and e.id = d.endpoint_id
      and ${MAY_SEND}
    returning ${RETURNING}`.execute(db);
  if (rows.length === 0) await cancelWithdrawn(db, now, id);
  await sendAndRecord(db, deps, rows, now, timeoutMs);
  return rows.length > 0;
}
