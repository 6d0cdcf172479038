import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { canonicalJson } from '../lib/canonical-json.ts';
import type { AccountRow } from './balances.ts';
import type { ExpireInput, Refusal, Transfer, TransferInput, TransferKind, TransferReference, TransferResult } from './model.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BATCH = 1000;
/** Longer than any booking a voucher needs; keeps timeout_at far from timestamp overflow. */
const MAX_TIMEOUT_SECONDS = 366 * 86_400;
const MAX_REFERENCE_BYTES = 2048;
/** Unique violation (a concurrent writer of the same id or resolution), deadlock, serialization: the batch is tried again. */
const RETRIED = new Set(['23505', '40P01', '40001']);
const ATTEMPTS = 5;

interface TransferRow {
  id: string;
  kind: TransferKind;
  debit_account_id: string;
  credit_account_id: string;
  amount: number;
  pending_id: string | null;
  timeout_at: Date | null;
  reference: TransferReference | null;
  created_at: Date;
}

/** What a transfer's checks read of a locked account: its flags and balances. */
type AccountState = Omit<AccountRow, 'code' | 'kind'>;

type Delta = { dp: number; dpo: number; cp: number; cpo: number };

/**
 * Writes transfers in one transaction, in the order given, each seeing the ones before it. Every
 * account they touch is locked first (FOR NO KEY UPDATE, in id order, so that concurrent batches
 * never deadlock), then each transfer is checked against the locked balances and the journal,
 * then the new transfers are inserted and the balances moved, by one statement. Balances are
 * thus never read unlocked and checked later: of two spends of the last euro, the second to take
 * the lock sees the first. The CHECK constraints stand behind these checks.
 *
 * Each result says written, replayed (the id was written before with the same fields: the original
 * is answered, nothing is written again) or refused with a reason. `linked`: all or none (the first
 * refusal refuses the rest as linked_transfer_failed and nothing is written).
 *
 * Inside a transaction it runs on it; otherwise in its own, tried again when a concurrent writer of
 * the same id got there first (the unique index decides; the next try answers a replay).
 */
export async function transfers(db: Db, inputs: readonly (TransferInput | ExpireInput)[], options: { linked?: boolean } = {}): Promise<TransferResult[]> {
  if (inputs.length > MAX_BATCH) throw new RangeError(`at most ${MAX_BATCH} transfers at once, not ${inputs.length}`);
  if (inputs.length === 0) return [];
  if (db.isTransaction) return apply(db, inputs, !!options.linked);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute((tx) => apply(tx, inputs, !!options.linked));
    } catch (error) {
      if (attempt >= ATTEMPTS || !RETRIED.has((error as { code?: string }).code ?? '')) throw error;
    }
  }
}

function invalid(input: TransferInput | ExpireInput): string | undefined {
  if (typeof input.id !== 'string' || !UUID.test(input.id)) return 'the id is not a UUID';
  const amountOk = (a: unknown) => typeof a === 'number' && Number.isSafeInteger(a) && a > 0;
  switch (input.kind) {
    case 'single':
    case 'pending':
      if (!UUID.test(input.debitAccountId ?? '') || !UUID.test(input.creditAccountId ?? '')) return 'an account id is not a UUID';
      if (!amountOk(input.amount)) return 'the amount is not a whole number of cents above zero';
      if (input.timeoutSeconds !== undefined) {
        if (input.kind !== 'pending') return 'only a pending transfer has a timeout';
        if (!Number.isSafeInteger(input.timeoutSeconds) || input.timeoutSeconds < 1 || input.timeoutSeconds > MAX_TIMEOUT_SECONDS)
          return `the timeout is a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`;
      }
      break;
    case 'post':
      if (input.amount !== undefined && !amountOk(input.amount)) return 'the amount is not a whole number of cents above zero';
    // falls through
    case 'void':
    case 'expire':
      if (!UUID.test(input.pendingId ?? '')) return 'the pending id is not a UUID';
      break;
    default:
      return 'the kind is not single, pending, post or void';
  }
  const reference = 'reference' in input ? input.reference : undefined;
  if (reference !== undefined) {
    if (reference === null || typeof reference !== 'object' || Array.isArray(reference)) return 'the reference is not an object';
    if (Buffer.byteLength(JSON.stringify(reference)) > MAX_REFERENCE_BYTES) return `the reference is over ${MAX_REFERENCE_BYTES} bytes as JSON`;
  }
  return undefined;
}

const toTransfer = (row: TransferRow): Transfer => ({
  id: row.id,
  kind: row.kind,
  debitAccountId: row.debit_account_id,
  creditAccountId: row.credit_account_id,
  amount: Number(row.amount),
  pendingId: row.pending_id,
  timeoutAt: row.timeout_at ? new Date(row.timeout_at) : null,
  reference: row.reference,
  createdAt: new Date(row.created_at),
});

/** The same id with the same fields is the same transfer; the timeout is compared by presence (its instant came from the first call's clock). */
function sameFields(input: TransferInput | ExpireInput, row: TransferRow, pending: TransferRow | undefined): boolean {
  if (input.kind !== row.kind) return false;
  const reference = 'reference' in input && input.reference !== undefined ? input.reference : null;
  if (canonicalJson(reference) !== canonicalJson(row.reference)) return false;
  switch (input.kind) {
    case 'single':
    case 'pending':
      return (
        input.debitAccountId.toLowerCase() === row.debit_account_id &&
        input.creditAccountId.toLowerCase() === row.credit_account_id &&
        input.amount === Number(row.amount) &&
        (input.timeoutSeconds !== undefined) === (row.timeout_at !== null)
      );
    case 'post':
      return input.pendingId.toLowerCase() === row.pending_id && (input.amount ?? (pending ? Number(pending.amount) : NaN)) === Number(row.amount);
    case 'void':
    case 'expire':
      return input.pendingId.toLowerCase() === row.pending_id;
  }
}

async function apply(tx: Db, inputs: readonly (TransferInput | ExpireInput)[], linked: boolean): Promise<TransferResult[]> {
  const results: (TransferResult | undefined)[] = inputs.map((input) => {
    const why = invalid(input);
    return why ? { ok: false, id: String(input.id), refusal: 'invalid_transfer', detail: why } : undefined;
  });
  if (linked && results.some(Boolean)) return refuseLinked(inputs, results);
  const valid = inputs.map((input, i) => (results[i] ? undefined : input));
  const ids = new Set<string>();
  const pendingIds = new Set<string>();
  for (const input of valid) {
    if (!input) continue;
    ids.add(input.id.toLowerCase());
    if (input.kind === 'post' || input.kind === 'void' || input.kind === 'expire') pendingIds.add(input.pendingId.toLowerCase());
  }

  // Pendings are immutable: read before the locks, to know which accounts to lock.
  const known = new Map<string, TransferRow>();
  const outsideBatch = [...pendingIds].filter((id) => !ids.has(id));
  if (outsideBatch.length) {
    const rows = await sql<TransferRow>`select * from ledger_transfers where id = any(${outsideBatch}::uuid[])`.execute(tx);
    for (const row of rows.rows) known.set(row.id, row);
  }
  const accountIds = new Set<string>();
  for (const input of valid) {
    if (!input) continue;
    if (!('pendingId' in input)) {
      accountIds.add(input.debitAccountId.toLowerCase());
      accountIds.add(input.creditAccountId.toLowerCase());
    } else {
      const pending = known.get(input.pendingId.toLowerCase());
      if (pending) accountIds.add(pending.debit_account_id).add(pending.credit_account_id);
    }
  }
  // Pendings made earlier in this batch: their accounts are among the batch's own.
  const locked = await sql<AccountState & { now: Date }>`
    select id, debits_must_not_exceed_credits, credits_must_not_exceed_debits, debits_pending, debits_posted, credits_pending, credits_posted, now() as now
    from ledger_accounts where id = any(${[...accountIds]}::uuid[]) order by id for no key update`.execute(tx);
  const accounts = new Map(locked.rows.map((row) => [row.id, { ...row }]));
  const now = locked.rows[0] ? new Date(locked.rows[0].now) : new Date();

  // After the locks: what was written under this batch's ids, and how the pendings it names were resolved.
  const existing = new Map<string, TransferRow>();
  const resolutions = new Map<string, TransferRow>();
  if (ids.size) {
    const rows = await sql<TransferRow>`
      select * from ledger_transfers where id = any(${[...ids]}::uuid[]) or pending_id = any(${[...pendingIds]}::uuid[])`.execute(tx);
    for (const row of rows.rows) {
      if (ids.has(row.id)) existing.set(row.id, row);
      if (row.pending_id && pendingIds.has(row.pending_id)) resolutions.set(row.pending_id, row);
      if (pendingIds.has(row.id)) known.set(row.id, row);
    }
  }

  const deltas = new Map<string, Delta>();
  const move = (id: string, change: Partial<Delta>) => {
    const account = accounts.get(id)!;
    const delta = deltas.get(id) ?? { dp: 0, dpo: 0, cp: 0, cpo: 0 };
    delta.dp += change.dp ?? 0;
    delta.dpo += change.dpo ?? 0;
    delta.cp += change.cp ?? 0;
    delta.cpo += change.cpo ?? 0;
    account.debits_pending += change.dp ?? 0;
    account.debits_posted += change.dpo ?? 0;
    account.credits_pending += change.cp ?? 0;
    account.credits_posted += change.cpo ?? 0;
    deltas.set(id, delta);
  };
  const written: TransferRow[] = [];

  valid.forEach((input, i) => {
    if (!input) return;
    const id = input.id.toLowerCase();
    const refuse = (refusal: Refusal, detail: string) => void (results[i] = { ok: false, id, refusal, detail });
    const pendingOf = (pendingId: string) => known.get(pendingId.toLowerCase());
    const before = existing.get(id);
    if (before) {
      const pending = before.pending_id ? known.get(before.pending_id) : undefined;
      if (sameFields(input, before, pending)) results[i] = { ok: true, transfer: toTransfer(before), replayed: true };
      else refuse('exists_with_different_fields', 'a transfer with this id was written before with other fields');
      return;
    }
    let row: TransferRow;
    if (!('pendingId' in input)) {
      const debit = accounts.get(input.debitAccountId.toLowerCase());
      const credit = accounts.get(input.creditAccountId.toLowerCase());
      if (!debit) return refuse('debit_account_not_found', 'no ledger account has the debit account id');
      if (!credit) return refuse('credit_account_not_found', 'no ledger account has the credit account id');
      if (debit === credit) return refuse('accounts_must_be_different', 'the debit and credit accounts are the same');
      const pending = input.kind === 'pending';
      if (debit.debits_must_not_exceed_credits && debit.debits_pending + debit.debits_posted + input.amount > debit.credits_posted)
        return refuse('exceeds_credits', 'the debit account has not that much left');
      if (credit.credits_must_not_exceed_debits && credit.credits_pending + credit.credits_posted + input.amount > credit.debits_posted)
        return refuse('exceeds_debits', 'the credit account may not be credited that much');
      row = {
        id,
        kind: input.kind,
        debit_account_id: input.debitAccountId.toLowerCase(),
        credit_account_id: input.creditAccountId.toLowerCase(),
        amount: input.amount,
        pending_id: null,
        timeout_at: input.timeoutSeconds ? new Date(now.getTime() + input.timeoutSeconds * 1000) : null,
        reference: input.reference ?? null,
        created_at: now,
      };
      move(row.debit_account_id, pending ? { dp: input.amount } : { dpo: input.amount });
      move(row.credit_account_id, pending ? { cp: input.amount } : { cpo: input.amount });
    } else {
      const pending = pendingOf(input.pendingId);
      if (!pending) return refuse('pending_transfer_not_found', 'no transfer has the pending id');
      if (pending.kind !== 'pending') return refuse('pending_transfer_not_pending', 'the transfer named is not a pending one');
      const resolution = resolutions.get(pending.id);
      if (resolution?.kind === 'post') return refuse('pending_transfer_already_posted', 'the pending transfer was posted already');
      if (resolution?.kind === 'void') return refuse('pending_transfer_already_voided', 'the pending transfer was voided already');
      if (resolution?.kind === 'expire') return refuse('pending_transfer_expired', 'the pending transfer expired');
      if (input.kind !== 'expire' && pending.timeout_at && new Date(pending.timeout_at) <= now)
        return refuse('pending_transfer_expired', 'the pending transfer timed out');
      const reserved = Number(pending.amount);
      const amount = input.kind === 'post' ? (input.amount ?? reserved) : reserved;
      if (amount > reserved) return refuse('exceeds_pending_transfer_amount', 'more than the pending transfer reserved');
      row = {
        id,
        kind: input.kind,
        debit_account_id: pending.debit_account_id,
        credit_account_id: pending.credit_account_id,
        amount,
        pending_id: pending.id,
        timeout_at: null,
        reference: ('reference' in input ? input.reference : undefined) ?? null,
        created_at: now,
      };
      // The whole reservation is released; a post moves what it posts.
      move(row.debit_account_id, { dp: -reserved, dpo: input.kind === 'post' ? amount : 0 });
      move(row.credit_account_id, { cp: -reserved, cpo: input.kind === 'post' ? amount : 0 });
      resolutions.set(pending.id, row);
    }
    written.push(row);
    existing.set(id, row);
    if (pendingIds.has(id)) known.set(id, row);
    results[i] = { ok: true, transfer: toTransfer(row), replayed: false };
  });

  if (linked && results.some((r) => r && !r.ok)) return refuseLinked(inputs, results);
  if (written.length) {
    const changed = [...deltas].filter(([, d]) => d.dp || d.dpo || d.cp || d.cpo);
    // One statement (one round trip): the journal rows, then the balances they move.
    await sql`
      with journal as (
        insert into ledger_transfers (id, kind, debit_account_id, credit_account_id, amount, pending_id, timeout_at, reference, created_at)
        select * from unnest(${written.map((r) => r.id)}::uuid[], ${written.map((r) => r.kind)}::text[], ${written.map((r) => r.debit_account_id)}::uuid[],
          ${written.map((r) => r.credit_account_id)}::uuid[], ${written.map((r) => r.amount)}::bigint[], ${written.map((r) => r.pending_id)}::uuid[],
          ${written.map((r) => r.timeout_at?.toISOString() ?? null)}::timestamptz[], ${written.map((r) => (r.reference ? JSON.stringify(r.reference) : null))}::jsonb[],
          ${written.map((r) => r.created_at.toISOString())}::timestamptz[])
        returning 1
      )
      update ledger_accounts a set
        debits_pending = a.debits_pending + v.dp, debits_posted = a.debits_posted + v.dpo,
        credits_pending = a.credits_pending + v.cp, credits_posted = a.credits_posted + v.cpo
      from unnest(${changed.map(([id]) => id)}::uuid[], ${changed.map(([, d]) => d.dp)}::bigint[], ${changed.map(([, d]) => d.dpo)}::bigint[],
        ${changed.map(([, d]) => d.cp)}::bigint[], ${changed.map(([, d]) => d.cpo)}::bigint[]) as v(id, dp, dpo, cp, cpo)
      where a.id = v.id`.execute(tx);
  }
  return results as TransferResult[];
}

function refuseLinked(inputs: readonly (TransferInput | ExpireInput)[], results: (TransferResult | undefined)[]): TransferResult[] {
  return inputs.map((input, i) => {
    const own = results[i];
    if (own && !own.ok) return own;
    return { ok: false, id: String(input.id).toLowerCase(), refusal: 'linked_transfer_failed', detail: 'another transfer linked with this one was refused, so none was written' };
  });
}
