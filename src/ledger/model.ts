/**
 * The ledger's vocabulary, after TigerBeetle's documented design: an account's four balances,
 * the flags that bound them, the kinds of transfer, and the reasons a transfer is refused. Amounts
 * are integer cents of the one currency (EUR), always > 0.
 */

export interface LedgerAccount {
  id: string;
  /** Unique and stable, chosen by the owner of the account: `programme:<id>:budget`, `provider:<id>:payable`. */
  code: string;
  /** What the account is for (budget, wallet, payable, settlement, …), for people and reports. */
  kind: string;
  /** Spending accounts: debits (pending and posted) never exceed posted credits, so nothing is spent that was not put in. */
  debitsMustNotExceedCredits: boolean;
  /** Source accounts: credits (pending and posted) never exceed posted debits. */
  creditsMustNotExceedDebits: boolean;
  debitsPending: number;
  debitsPosted: number;
  creditsPending: number;
  creditsPosted: number;
}

/**
 * single: moves the amount at once. pending: reserves it (a booking) until a post (delivery, for
 * the whole amount or less, the rest released), a void (cancellation, no-show) or its timeout (the
 * expiry job writes an `expire`, a void by time) resolves it, once.
 */
export type TransferKind = 'single' | 'pending' | 'post' | 'void' | 'expire';

/** Small, for people and reconciliation (an order id, a statement); never personal data. At most 2 kB as JSON. */
export type TransferReference = Record<string, string | number | boolean | null>;

export type TransferInput =
  | {
      /** The idempotency key: the same id with the same fields answers the original transfer; with other fields it is refused. */
      id: string;
      kind: 'single' | 'pending';
      debitAccountId: string;
      creditAccountId: string;
      amount: number;
      /** pending only: after this many seconds the reservation may no longer be posted, and the expiry job voids it. */
      timeoutSeconds?: number;
      reference?: TransferReference;
    }
  | {
      id: string;
      kind: 'post';
      pendingId: string;
      /** At most the pending amount; the rest is released. Omitted: the whole pending amount. */
      amount?: number;
      reference?: TransferReference;
    }
  | { id: string; kind: 'void'; pendingId: string; reference?: TransferReference };

/** Only the expiry job writes these. */
export type ExpireInput = { id: string; kind: 'expire'; pendingId: string };

export interface Transfer {
  id: string;
  kind: TransferKind;
  debitAccountId: string;
  creditAccountId: string;
  /** For post: what was posted; for void and expire: what the pending reserved, now released. */
  amount: number;
  pendingId: string | null;
  timeoutAt: Date | null;
  reference: TransferReference | null;
  createdAt: Date;
}

export const REFUSALS = [
  'invalid_transfer',
  'debit_account_not_found',
  'credit_account_not_found',
  'accounts_must_be_different',
  'exceeds_credits',
  'exceeds_debits',
  'pending_transfer_not_found',
  'pending_transfer_not_pending',
  'pending_transfer_already_posted',
  'pending_transfer_already_voided',
  'pending_transfer_expired',
  'exceeds_pending_transfer_amount',
  'exists_with_different_fields',
  'linked_transfer_failed',
] as const;
export type Refusal = (typeof REFUSALS)[number];

/** One transfer's outcome: written now, found written before (a replay of the same id and fields), or refused. */
export type TransferResult =
  | { ok: true; transfer: Transfer; replayed: boolean }
  | { ok: false; id: string; refusal: Refusal; detail: string };

/** What `transfer`, `postPending` and `voidPending` throw for a refused transfer. */
export class LedgerRefusal extends Error {
  constructor(
    readonly refusal: Refusal,
    readonly transferId: string,
    detail: string,
  ) {
    super(`transfer ${transferId} refused (${refusal}): ${detail}`);
  }
}

/** A refusal's result turned into the transfer or a thrown LedgerRefusal. */
export function settled(result: TransferResult): { transfer: Transfer; replayed: boolean } {
  if (!result.ok) throw new LedgerRefusal(result.refusal, result.id, result.detail);
  return { transfer: result.transfer, replayed: result.replayed };
}
