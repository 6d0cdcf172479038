import type { Db } from '../db/database.ts';
import type { Transfer, TransferReference } from './model.ts';
import { transfer } from './transfer.ts';

/** Voids a pending transfer (a booking cancelled, a no-show): its whole reservation is released. `id` is the void's own idempotency key. */
export function voidPending(db: Db, cancel: { id: string; pendingId: string; reference?: TransferReference }): Promise<{ transfer: Transfer; replayed: boolean }> {
  return transfer(db, { kind: 'void', ...cancel });
}
