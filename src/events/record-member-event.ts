import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { isMemberEventType } from './member-event-types.ts';
import { holdsIdentityCode } from '../identity/suomifi/identity-code.ts';
import { LIFE_EVENTS_CHANNEL } from './record-life-event.ts';

export interface MemberEventInput {
  /** The member the event is for: only its own endpoints ever receive it. */
  memberId: string;
  type: string;
  /** The CloudEvents subject: what the event is about (an area such as `municipality/091`), never a person. */
  subject: string;
  occurredAt: Date;
  data: Record<string, unknown>;
  /** Where it came from and its own id there: the pair is recorded once. */
  source: string;
  sourceId: string;
}

const MAX_DATA = 4_000;

/**
 * Records a member event and, in the caller's transaction, one delivery per endpoint of that same
 * member subscribed to the type: the outbox the life events' worker sends from (signing, retries,
 * dead letters, replay). No consent is asked: the audience is the member, who subscribed. A second
 * call with the same source and source id changes nothing.
 */
export async function recordMemberEvent(tx: Db, input: MemberEventInput): Promise<{ id: string; created: boolean; deliveries: number }> {
  if (!isMemberEventType(input.type)) throw new RangeError(`unknown member event type ${input.type}`);
  const data = JSON.stringify(input.data);
  if (data.length > MAX_DATA) throw new RangeError(`a member event's data is at most ${MAX_DATA} characters of JSON`);
  if (holdsIdentityCode(data) || holdsIdentityCode(input.subject)) throw new RangeError('a member event never carries an identity code');
  if (!input.subject || input.subject.length > 200) throw new RangeError('a member event has a subject of at most 200 characters');
  if (!input.source || !input.sourceId || input.source.length > 100 || input.sourceId.length > 200) throw new RangeError('an event names its source and its id there');
  const inserted = await tx
    .insertInto('member_events')
    .values({ id: randomUUID(), member_id: input.memberId, type: input.type, subject: input.subject, occurred_at: input.occurredAt, data, source: input.source, source_id: input.sourceId })
    .onConflict((oc) => oc.columns(['source', 'source_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const existing = await tx.selectFrom('member_events').select('id').where('source', '=', input.source).where('source_id', '=', input.sourceId).executeTakeFirstOrThrow();
    return { id: existing.id, created: false, deliveries: 0 };
  }
  const { rows } = await sql<{ id: string }>`
    insert into event_deliveries (id, member_event_id, endpoint_id, status)
    select gen_random_uuid(), ${inserted.id}::uuid, e.id, 'pending'
    from event_endpoints e
    join event_subscriptions s on s.endpoint_id = e.id and s.event_type = ${input.type}
    where e.member_id = ${input.memberId} and e.removed_at is null
    returning id`.execute(tx);
  if (rows.length) await sql`select pg_notify(${LIFE_EVENTS_CHANNEL}, '')`.execute(tx);
  return { id: inserted.id, created: true, deliveries: rows.length };
}
