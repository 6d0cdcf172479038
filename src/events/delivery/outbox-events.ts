import { sql } from 'kysely';

/**
 * What a delivery sends: a life event (about a person: an account, the person's consent) or a
 * member event (for the member itself: a subject of its own, no account, no consent). One relation
 * for the worker, the relay, the console's list and replay, so that both kinds go through the same
 * claim, signing, schedule and dead letters. Join it as `ev` on `ev.id = ${DELIVERY_EVENT_ID}`.
 */
export const OUTBOX_EVENTS = sql`(
  select id, type, account_id, null::uuid as member_id, null::text as subject, occurred_at, data from life_events
  union all
  select id, type, null::text as account_id, member_id, subject, occurred_at, data from member_events)`;

/** The event a delivery `d` sends: exactly one of its two references is set (a check constraint). */
export const DELIVERY_EVENT_ID = sql`coalesce(d.event_id, d.member_event_id)`;

/**
 * Whether a delivery `d` of event `ev` through endpoint `e` may be sent: a life event while the
 * person's consent for the type and the endpoint's service holds; a member event only to the
 * member's own endpoint (it was written so; checked again where it is claimed).
 */
export const MAY_SEND = sql`(case when ev.member_id is not null then ev.member_id = e.member_id else exists (
  select 1 from life_event_consents c
  where c.account_id = ev.account_id and c.event_type = ev.type and c.client_id = e.client_id and c.withdrawn_at is null) end)`;
