import type { Db } from '../db/database.ts';
import { groupCommitPerDatabase } from '../db/group-commit.ts';
import { settled, type Transfer, type TransferInput, type TransferResult } from './model.ts';
import { transfers } from './transfers.ts';

/**
 * Concurrent callers' transfers go to the database together (db/group-commit.ts): one transaction,
 * one lock statement and one write per batch instead of per transfer, which is what lets many
 * spends from one hot budget account pass quickly (they would otherwise queue on its row lock one
 * commit at a time). A batch is unlinked: each transfer is checked and answered on its own.
 */
const grouped = groupCommitPerDatabase<TransferInput, TransferResult>((db, items) => transfers(db, items), { maxBatch: 500 });

/**
 * Writes one transfer (single, pending, post or void; see model.ts) and answers it, or the one
 * written before under its id with the same fields (`replayed`). A refusal is thrown as a
 * LedgerRefusal. Inside a transaction it is written on it, alone.
 */
export async function transfer(db: Db, input: TransferInput): Promise<{ transfer: Transfer; replayed: boolean }> {
  return settled(await tryTransfer(db, input));
}

/** As `transfer`, with a refusal answered instead of thrown. */
export function tryTransfer(db: Db, input: TransferInput): Promise<TransferResult> {
  return grouped(db, input);
}
