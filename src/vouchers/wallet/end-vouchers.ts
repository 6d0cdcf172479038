import type { Db } from '../../db/database.ts';
import { HttpProblem } from '../../http/problem.ts';
import { balances } from '../../ledger/balances.ts';
import { expirePending } from '../../ledger/expire-pending.ts';
import { transfer } from '../../ledger/transfer.ts';
import { derivedId } from '../../lib/derived-id.ts';
import { budgetAccountOf } from '../accounts.ts';
import { moveOrder } from '../orders/move-order.ts';

const BATCH = 200;
const OPEN_BOOKINGS = ['requested', 'accepted'] as const;

/**
 * Deliveries the person neither confirmed nor disputed by their `confirm_by` are confirmed by the
 * network (moveOrder 'confirm' with system scope), so the payer can review them. Run once per
 * network (jobs/schedule.ts); answers how many it confirmed.
 */
export async function confirmDueDeliveries(db: Db, now = new Date()): Promise<number> {
  let confirmed = 0;
  for (;;) {
    const due = await db.selectFrom('voucher_orders').select('id').where('status', '=', 'delivered').where('confirm_by', '<=', now).orderBy('confirm_by').limit(BATCH).execute();
    for (const { id } of due) {
      const order = await moveOrder(db, { orderId: id, move: 'confirm', scope: { kind: 'system' }, actor: 'auto-confirm', now });
      if (order.status === 'confirmed') confirmed++;
    }
    if (due.length < BATCH) return confirmed;
  }
}

/**
 * The value a voucher has left goes back to its programme's budget and the voucher ends (`status`:
 * 'expired' at its end of validity, 'returned' when its person's account is erased): one single
 * transfer from the voucher's account, its id derived from the voucher, so a run cut short and run
 * again writes it once. Its bookings must be resolved first (no requested or accepted orders: they
 * still reserve value); a voucher with open bookings is left as it is and `false` answered.
 * Delivered orders keep their money with the provider; a refund of one after the end goes to the
 * budget (move-order.ts).
 */
export async function returnVoucherValue(db: Db, voucherId: string, status: 'expired' | 'returned', now = new Date()): Promise<boolean> {
  const work = async (tx: Db) => {
    const voucher = await tx.selectFrom('vouchers').selectAll().where('id', '=', voucherId).forUpdate().executeTakeFirst();
    if (!voucher || voucher.status !== 'active') return false;
    const open = await tx.selectFrom('voucher_orders').select('id').where('voucher_id', '=', voucherId).where('status', 'in', OPEN_BOOKINGS).limit(1).executeTakeFirst();
    if (open) return false;
    const [account] = await balances(tx, { ids: [voucher.ledger_account_id] });
    const left = account ? account.creditsPosted - account.debitsPosted - account.debitsPending : 0;
    let returnTransferId: string | null = null;
    if (left > 0) {
      const budget = await budgetAccountOf(tx, voucher.programme_id);
      returnTransferId = derivedId('aurora-voucher-return', voucher.id);
      await transfer(tx, { id: returnTransferId, kind: 'single', debitAccountId: voucher.ledger_account_id, creditAccountId: budget.id, amount: left, reference: { voucher: voucher.id, what: status === 'expired' ? 'end' : 'erasure' } });
    }
    await tx.updateTable('vouchers').set({ status, ended_at: now, return_transfer_id: returnTransferId }).where('id', '=', voucher.id).execute();
    return true;
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * Vouchers past their `valid_until` end: the ledger first releases their bookings' reservations
 * (the bookings time out when the voucher does: expirePending, the same the ledger's own job runs),
 * each booking left open is moved to 'expired' (moveOrder, system scope), and the value left goes
 * back to the budget (returnVoucherValue). Run once per network; answers how many vouchers ended.
 */
export async function endExpiredVouchers(db: Db, now = new Date()): Promise<number> {
  await expirePending(db, { asOf: now });
  let ended = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const due = await db.selectFrom('vouchers').select('id').where('status', '=', 'active').where('valid_until', '<=', now).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    for (const { id } of due) {
      const open = await db.selectFrom('voucher_orders').select('id').where('voucher_id', '=', id).where('status', 'in', OPEN_BOOKINGS).execute();
      for (const order of open) {
        try {
          await moveOrder(db, { orderId: order.id, move: 'expire', scope: { kind: 'system' }, actor: 'voucher-end', now });
        } catch (error) {
          // Moved meanwhile by someone else (cancelled, delivered): nothing to expire; the voucher is looked at again next run otherwise.
          if (!(error instanceof HttpProblem && error.status === 409)) throw error;
        }
      }
      if (await returnVoucherValue(db, id, 'expired', now)) ended++;
    }
    if (due.length < BATCH) return ended;
    after = due[due.length - 1]!.id;
  }
}

/**
 * What an account's erasure does to its vouchers (docs/vouchers.md, "Issuance and the wallet"):
 * bookings not yet delivered are cancelled (their reservations released), and each active voucher's
 * unused value returns to its programme's budget, the voucher 'returned'. Delivered services stay
 * the provider's to be paid; the vouchers' rows stay, tied to an account id that no longer names
 * anyone. Runs in the erasure's transaction. Answers how many vouchers were returned.
 */
export async function returnAccountVouchers(tx: Db, accountId: string, now = new Date()): Promise<number> {
  const vouchers = await tx.selectFrom('vouchers').select('id').where('account_id', '=', accountId).where('status', '=', 'active').execute();
  let returned = 0;
  for (const { id } of vouchers) {
    const open = await tx.selectFrom('voucher_orders').select('id').where('voucher_id', '=', id).where('status', 'in', OPEN_BOOKINGS).execute();
    for (const order of open) await moveOrder(tx, { orderId: order.id, move: 'cancel', scope: { kind: 'person', accountId }, actor: 'erasure', note: null, now });
    if (await returnVoucherValue(tx, id, 'returned', now)) returned++;
  }
  return returned;
}
