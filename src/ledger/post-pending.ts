import type { Db } from '../db/database.ts';
import type { Transfer, TransferReference } from './model.ts';
import { transfer } from './transfer.ts';

/**
 * Posts a pending transfer (a booking delivered): `amount` (default the whole reservation, at most
 * that) moves from pending to posted on both accounts, the rest of the reservation is released.
 * A pending is resolved once: posted, voided or expired (the journal's unique index on pending_id).
 * `id` is the post's own idempotency key.
 */
export function postPending(db: Db, post: { id: string; pendingId: string; amount?: number; reference?: TransferReference }): Promise<{ transfer: Transfer; replayed: boolean }> {
  return transfer(db, { kind: 'post', ...post });
}
