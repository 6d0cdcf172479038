import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { HttpProblem, conflict, forbidden, notFound } from '../../http/problem.ts';
import type { DerivedClaims } from '../../identity/accounts/derived-claims.ts';
import { LedgerRefusal } from '../../ledger/model.ts';
import { transfer } from '../../ledger/transfer.ts';
import { derivedId } from '../../lib/derived-id.ts';
import { FINNISH_TIME_ZONE, finnishDate } from '../../lib/time.ts';
import { programmeBudget, voucherAccount } from '../accounts.ts';
import { isEligible, type Eligibility } from '../programmes/eligibility.ts';

/** Programmes' dates and the per-person periods are Finnish days. */
export const VOUCHER_TIME_ZONE = FINNISH_TIME_ZONE;
export { finnishDate };

/** The per-person limit's period that `at` falls in: the programme's life, a calendar year or month. */
export function periodOf(period: 'programme' | 'year' | 'month', at: Date): string {
  if (period === 'programme') return 'programme';
  const day = finnishDate(at);
  return period === 'year' ? day.slice(0, 4) : day.slice(0, 7);
}

/** The instant a Finnish day ends (the next day's midnight in Helsinki), which DST makes 21:00 or 22:00 UTC. */
export function endOfFinnishDay(day: string): Date {
  const noonUtc = new Date(`${day}T12:00:00Z`);
  const offsetHours = Number(new Intl.DateTimeFormat('en-GB', { timeZone: VOUCHER_TIME_ZONE, hour: '2-digit', hourCycle: 'h23' }).format(noonUtc)) - 12;
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000 - offsetHours * 3_600_000);
}

export interface IssuedVoucher {
  id: string;
  programmeId: string;
  units: number;
  valueCents: number;
  validUntil: Date;
  issuedAt: Date;
  /** Found issued before under the same issue id (a retried request), nothing issued again. */
  replayed: boolean;
}

/**
 * Issues a voucher of an open programme to a person (their identity account), in one transaction:
 * the person must meet the programme's eligibility with the claims they share, be within its
 * per-person limit for the period (a conditional upsert on the count's row, so two servers cannot
 * both issue the last one), and the budget must hold the voucher's value (the ledger refuses
 * otherwise: the budget account's debits never exceed its credits). The voucher's value moves from
 * the budget to the voucher's own account. `issueId` is the caller's idempotency key for this
 * issue (a request's keyedId): issuing again with it answers the voucher issued the first time.
 */
export async function issueVoucher(
  db: Db,
  input: { programmeId: string; accountId: string; claims: DerivedClaims; issueId: string; now?: Date },
): Promise<IssuedVoucher> {
  const voucherId = derivedId('aurora-voucher', input.issueId);
  const found = await db.selectFrom('vouchers').selectAll().where('id', '=', voucherId).executeTakeFirst();
  if (found) {
    if (found.account_id !== input.accountId || found.programme_id !== input.programmeId) throw conflict('idempotency-key-reused', 'The key was used for another voucher', 'this issue id was used for another programme or person');
    return { id: found.id, programmeId: found.programme_id, units: found.units, valueCents: Number(found.value_cents), validUntil: found.valid_until, issuedAt: found.issued_at, replayed: true };
  }
  const now = input.now ?? new Date();
  return db.transaction().execute(async (tx) => {
    // Shared: a close waits for issues under way, and an issue never starts on a closed programme.
    const programme = await tx
      .selectFrom('voucher_programmes')
      .selectAll()
      // Dates as text: drivers read a date column as a Date at the server's midnight otherwise.
      .select([sql<string | null>`valid_from::text`.as('valid_from'), sql<string | null>`valid_until::text`.as('valid_until')])
      .where('id', '=', input.programmeId)
      .forShare()
      .executeTakeFirst();
    if (!programme || programme.status !== 'open') throw notFound(`no open voucher programme ${input.programmeId}`);
    const today = finnishDate(now);
    if ((programme.valid_from && today < programme.valid_from) || (programme.valid_until && today > programme.valid_until))
      throw conflict('programme-not-valid-now', 'The programme does not issue vouchers today', `vouchers are issued from ${programme.valid_from ?? 'its opening'} to ${programme.valid_until ?? 'its closing'}`);
    if (!isEligible(programme.eligibility as Eligibility, input.claims)) throw forbidden('you do not meet the programme\'s eligibility with the details you share');

    const counted = await sql<{ issued: number }>`
      insert into voucher_issue_counts (programme_id, account_id, period, issued)
      values (${programme.id}, ${input.accountId}, ${periodOf(programme.per_person_period, now)}, 1)
      on conflict (programme_id, account_id, period) do update set issued = voucher_issue_counts.issued + 1
      where voucher_issue_counts.issued < ${programme.per_person_vouchers}
      returning issued`.execute(tx);
    if (counted.rows.length === 0)
      throw new HttpProblem(409, 'voucher-limit-reached', 'No more vouchers for you in this period', `the programme gives at most ${programme.per_person_vouchers} ${programme.per_person_vouchers === 1 ? 'voucher' : 'vouchers'} a person per ${programme.per_person_period}`);

    const valueCents = programme.value_per_unit_cents * programme.units_per_voucher;
    const byValidity = new Date(now.getTime() + programme.voucher_validity_days * 86_400_000);
    const validUntil = programme.valid_until && endOfFinnishDay(programme.valid_until) < byValidity ? endOfFinnishDay(programme.valid_until) : byValidity;
    const budget = await programmeBudget(tx, { id: programme.id, member_id: programme.member_id, budget_cap_cents: Number(programme.budget_cap_cents) });
    const wallet = await voucherAccount(tx, voucherId);
    const issueTransferId = derivedId('aurora-voucher-issue', voucherId);
    try {
      await transfer(tx, { id: issueTransferId, kind: 'single', debitAccountId: budget.id, creditAccountId: wallet.id, amount: valueCents, reference: { voucher: voucherId, what: 'issue' } });
    } catch (error) {
      if (error instanceof LedgerRefusal && error.refusal === 'exceeds_credits')
        throw new HttpProblem(409, 'budget-spent', "The programme's budget is spent", 'the programme has no budget left for another voucher');
      throw error;
    }
    const row = await tx
      .insertInto('vouchers')
      .values({ id: voucherId, programme_id: programme.id, account_id: input.accountId, units: programme.units_per_voucher, value_cents: valueCents, ledger_account_id: wallet.id, issue_transfer_id: issueTransferId, valid_until: validUntil, ended_at: null, return_transfer_id: null })
      .returning(['issued_at'])
      .executeTakeFirstOrThrow();
    return { id: voucherId, programmeId: programme.id, units: programme.units_per_voucher, valueCents, validUntil, issuedAt: row.issued_at, replayed: false };
  });
}
