import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { setting } from '../config.ts';
import { DEMO_CLIENT_NAME } from '../demo/client-name.ts';

/**
 * Which transfer targets receive now, and who the receiver is.
 *
 * A channel's transfer target names the client that redeems; that client's member is who gets the
 * person's data. So a target receives only while
 * - its client is active (not revoked, not suspended) and its member approved, and
 * - every catalogue service the channel serves is that member's: a verified claim, or a service the
 *   member created. A channel that also serves another organisation's service (a shared desk, a
 *   link another member's import asserted) would otherwise let one member collect what people send
 *   to another's service.
 * The operator's own clients (no member) receive on any channel: the operator runs the catalogue.
 *
 * This is checked where targets are offered (the person's consent question), where deposits are
 * made and where AuroraAI clients send session attributes, not only when a member sets the target
 * up: a claim withdrawn or a catalogue import that links one more service ends the target at once.
 */

export type ReceiverKind = 'member' | 'operator' | 'demo';

/** Who receives: the member's registered name and business ID, never a name its client chose. */
export interface Receiver {
  kind: ReceiverKind;
  /** The member's registered name; for the operator AURORA_OPERATOR_NAME, when set; null for the demo. */
  organisation: string | null;
  business_id: string | null;
}

/**
 * The transfer targets that receive now, as `t` (transfer_targets), `k` (its client) and `m` (the
 * client's member, null for the operator's clients), for a caller to narrow and select from.
 */
export function receivingTargets(db: Db) {
  return db
    .selectFrom('transfer_targets as t')
    .innerJoin('api_clients as k', 'k.id', 't.client_id')
    .leftJoin('members as m', 'm.id', 'k.member_id')
    .where('k.revoked_at', 'is', null)
    .where('k.suspended_at', 'is', null)
    .where(sql<boolean>`(k.member_id is null or (m.status = 'approved' and ${servesOnlyTheMembersServices}))`);
}

// Links to services not in the catalogue (either side of a link may be imported first) serve nobody yet.
const servesOnlyTheMembersServices = sql<boolean>`not exists (
  select 1
    from service_channel_links l
    join services s on s.id = l.service_id
   where l.channel_id = t.channel_id
     and s.owner_member_id is distinct from k.member_id
     and not exists (
       select 1 from member_services ms
        where ms.service_id = l.service_id and ms.member_id = k.member_id and ms.verified_at is not null))`;

/** The columns receiverOf reads, for a select on receivingTargets. */
export const receiverColumns = ['k.member_id as receiver_member_id', 'k.name as receiver_client_name', 'm.name as receiver_name', 'm.business_id as receiver_business_id'] as const;

export interface ReceiverRow {
  receiver_member_id: string | null;
  receiver_client_name: string;
  receiver_name: string | null;
  receiver_business_id: string | null;
}

export function receiverOf(row: ReceiverRow): Receiver {
  if (row.receiver_member_id) return { kind: 'member', organisation: row.receiver_name, business_id: row.receiver_business_id };
  // The demo client is the operator's (it has no member) and carries the demo's fixed name.
  if (row.receiver_client_name === DEMO_CLIENT_NAME) return { kind: 'demo', organisation: null, business_id: null };
  return { kind: 'operator', organisation: setting('AURORA_OPERATOR_NAME') ?? null, business_id: null };
}

/** The receiver of a stored consent: as it was when the person consented. */
export function storedReceiver(row: { recipient_kind: ReceiverKind | null; recipient_organisation: string | null; recipient_business_id: string | null }): Receiver | null {
  if (!row.recipient_kind) return null;
  return { kind: row.recipient_kind, organisation: row.recipient_organisation, business_id: row.recipient_business_id };
}

/** How a receipt names the receiver: the organisation's name, else what it is. */
export function receiverName(receiver: Receiver): string {
  if (receiver.organisation) return receiver.organisation;
  return receiver.kind === 'demo' ? 'Aurora demo service (not a real organisation)' : 'The network operator';
}
