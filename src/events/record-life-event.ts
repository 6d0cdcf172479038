import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { holdsIdentityCode } from '../identity/suomifi/identity-code.ts';
import { EVENT_TYPES, isEventType } from './event-types.ts';

/** The channel the delivery worker listens on: a recorded event wakes it at once (it also polls). */
export const LIFE_EVENTS_CHANNEL = 'aurora_life_events';

export interface LifeEventInput {
  /** The network's own random account id: never an identity code. */
  accountId: string;
  type: string;
  occurredAt: Date;
  /** Only the fields the type declares (event-types.ts), each a short string. */
  data?: Record<string, string>;
  /** The person's home municipality (code) where the event happened, for subscriptions by area. */
  municipality?: string | null;
  /** Where the change came from (a register connector) and its own id there: the pair is recorded once. */
  source: string;
  sourceId: string;
}

/** Why an event cannot be recorded (RangeError), checked before anything is written. */
function checkInput(input: LifeEventInput): void {
  if (!isEventType(input.type)) throw new RangeError(`unknown life event type ${input.type}`);
  const allowed: readonly string[] = EVENT_TYPES[input.type].fields;
  for (const [key, value] of Object.entries(input.data ?? {})) {
    if (!allowed.includes(key)) throw new RangeError(`a ${input.type} event carries no field ${key} (only: ${allowed.join(', ') || 'none'})`);
    if (typeof value !== 'string' || value.length > 100) throw new RangeError(`the field ${key} is a string of at most 100 characters`);
    if (holdsIdentityCode(value)) throw new RangeError(`the field ${key} looks like an identity code, which an event never carries`);
  }
  if (input.municipality != null && !/^\d{3}$/.test(input.municipality)) throw new RangeError('a municipality is a three-digit code');
  if (!input.source || !input.sourceId || input.source.length > 100 || input.sourceId.length > 200) throw new RangeError('an event names its source and its id there');
  if (Number.isNaN(input.occurredAt.getTime())) throw new RangeError('occurredAt is not a time');
}

/**
 * Records a life event and, in the same transaction (the caller's: the change and its outbox commit
 * together or not at all), one delivery per endpoint subscribed to the type (and area) whose service
 * the person consented to for that type. A second call with the same source and source id changes
 * nothing and answers the first event's id: registers deliver changes again, and connectors restart.
 */
export async function recordLifeEvent(tx: Db, input: LifeEventInput): Promise<{ id: string; created: boolean; deliveries: number }> {
  checkInput(input);
  const inserted = await tx
    .insertInto('life_events')
    .values({
      id: randomUUID(),
      account_id: input.accountId,
      type: input.type,
      occurred_at: input.occurredAt,
      municipality: input.municipality ?? null,
      data: JSON.stringify(input.data ?? {}),
      source: input.source,
      source_id: input.sourceId,
    })
    .onConflict((oc) => oc.columns(['source', 'source_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const existing = await tx.selectFrom('life_events').select('id').where('source', '=', input.source).where('source_id', '=', input.sourceId).executeTakeFirstOrThrow();
    return { id: existing.id, created: false, deliveries: 0 };
  }
  const { rows } = await sql<{ id: string }>`
    insert into event_deliveries (id, event_id, endpoint_id, status)
    select gen_random_uuid(), ${inserted.id}::uuid, e.id, 'pending'
    from event_endpoints e
    join event_subscriptions s on s.endpoint_id = e.id and s.event_type = ${input.type}
    where (s.municipalities is null or ${input.municipality ?? null}::text = any (s.municipalities))
      and exists (
        select 1 from life_event_consents c
        where c.account_id = ${input.accountId} and c.event_type = ${input.type} and c.client_id = e.client_id and c.withdrawn_at is null)
    returning id`.execute(tx);
  if (rows.length) await sql`select pg_notify(${LIFE_EVENTS_CHANNEL}, '')`.execute(tx);
  return { id: inserted.id, created: true, deliveries: rows.length };
}
