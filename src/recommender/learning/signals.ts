import type { Db } from '../../db/database.ts';
import type { Learning, SignalKind } from './learning.ts';
import type { Needs } from '../store.ts';

/**
 * Signals that teach the recommender: a person's rating of a recommended service, feedback on a
 * service, a recommended service opened (through the /r/ redirect) and a provider's teaching. Each
 * is stored in recommendation_signals and handed to the in-memory `Learning` at once, with the
 * member of its client, whose clients all share one cap.
 */
export interface NewSignal {
  kind: SignalKind;
  recommendationId: string | null;
  serviceId: string;
  clientId: string | null;
  needs: Needs;
  /** +1 or −1. */
  value: 1 | -1;
  comment?: string | undefined;
}

export async function recordSignal(db: Db, learning: Learning, signals: NewSignal[]): Promise<{ id: number; at: Date }[]> {
  if (signals.length === 0) return [];
  const rows = await db
    .insertInto('recommendation_signals')
    .values(
      signals.map((s) => ({
        kind: s.kind,
        recommendation_id: s.recommendationId,
        service_id: s.serviceId,
        client_id: s.clientId,
        needs: JSON.stringify(s.needs),
        value: s.value,
        comment: s.comment ?? null,
      })),
    )
    .returning(['id', 'at'])
    .execute();
  // Only once stored: a failed insert teaches nothing. A member's clients share one cap (learning.ts).
  const members = await membersOf(db, signals.map((s) => s.clientId));
  signals.forEach((s, i) =>
    learning.add({ id: Number(rows[i]!.id), kind: s.kind, serviceId: s.serviceId, clientId: s.clientId, memberId: s.clientId ? members.get(s.clientId) : null, needs: s.needs, value: s.value, at: rows[i]!.at }),
  );
  return rows.map((r) => ({ id: Number(r.id), at: r.at }));
}

/** The member of each client (null for the operator's). */
async function membersOf(db: Db, clientIds: (string | null)[]): Promise<Map<string, string | null>> {
  const ids = [...new Set(clientIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('api_clients').select(['id', 'member_id']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.member_id]));
}

/** What a stored signal answers to the one who gave it (`SignalReceipt` in schemas.ts). */
export function receipt(signal: NewSignal, stored: { id: number; at: Date }) {
  return {
    signal_id: stored.id,
    kind: signal.kind,
    recommendation_id: signal.recommendationId,
    service_id: signal.serviceId,
    value: signal.value,
    needs: signal.needs as Record<string, number>,
    created_at: stored.at.toISOString(),
  };
}

export async function serviceExists(db: Db, id: string) {
  return (await db.selectFrom('services').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
