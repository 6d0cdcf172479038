import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { HttpProblem } from '../../http/problem.ts';
import { monthOf, nextMonthStart } from './time.ts';

/**
 * Each member's privacy budget: the epsilon it may spend on statistics releases per calendar month
 * (Finnish time). AURORA_DP_EPSILON_PER_MONTH sets it for everyone (default 2.0); privacy_budgets
 * overrides it per member. The budget starts afresh each month, which bounds what a member learns
 * per month, not in all: that is the usual compromise for statistics meant to be read for years.
 */
export const DEFAULT_EPSILON_PER_MONTH = 2.0;

/** Fractions of epsilon below this are rounding, not spending (0.1 × 20 is 2.0000000000000004). */
const SLACK = 1e-9;

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} is a positive number, not ${JSON.stringify(value)}`);
  return n;
}

export function defaultEpsilonPerMonth(): number {
  return positiveNumber('AURORA_DP_EPSILON_PER_MONTH', process.env.AURORA_DP_EPSILON_PER_MONTH, DEFAULT_EPSILON_PER_MONTH);
}

/**
 * Thrown when a release would spend more than is left of the member's budget this month. It is a
 * 429: the same request succeeds when the budget renews, at the start of next month (Retry-After,
 * which routes should send as a header from `retryAfterSeconds`). A cached answer is still served.
 */
export class PrivacyBudgetExhausted extends HttpProblem {
  constructor(
    readonly month: string,
    readonly budgetLeft: number,
    readonly epsilonRequested: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      429,
      'privacy-budget-exhausted',
      'Privacy budget exhausted',
      `this release needs epsilon ${epsilonRequested} but ${budgetLeft} is left this month; it renews at the start of next month, and statistics already released this month can be asked for again`,
      { month: month.slice(0, 7), budget_left: budgetLeft, epsilon_requested: epsilonRequested, retry_after_seconds: retryAfterSeconds },
    );
  }
}

export interface BudgetStatus {
  /** YYYY-MM. */
  month: string;
  epsilon_per_month: number;
  epsilon_spent: number;
  budget_left: number;
}

const round = (x: number) => Math.round(x * 1e9) / 1e9;

export async function epsilonPerMonth(db: Db, memberId: string): Promise<number> {
  const row = await db.selectFrom('privacy_budgets').select('epsilon_per_month').where('member_id', '=', memberId).executeTakeFirst();
  return row ? Number(row.epsilon_per_month) : defaultEpsilonPerMonth();
}

/** Sets a member's own monthly budget; null goes back to AURORA_DP_EPSILON_PER_MONTH. */
export async function setPrivacyBudget(db: Db, memberId: string, perMonth: number | null): Promise<void> {
  if (perMonth === null) {
    await db.deleteFrom('privacy_budgets').where('member_id', '=', memberId).execute();
    return;
  }
  if (!Number.isFinite(perMonth) || perMonth <= 0) throw new RangeError('a monthly privacy budget is a positive number');
  await db
    .insertInto('privacy_budgets')
    .values({ member_id: memberId, epsilon_per_month: perMonth })
    .onConflict((oc) => oc.column('member_id').doUpdateSet({ epsilon_per_month: perMonth, updated_at: new Date() }))
    .execute();
}

export async function budgetStatus(db: Db, memberId: string, now = new Date()): Promise<BudgetStatus> {
  const month = monthOf(now);
  const perMonth = await epsilonPerMonth(db, memberId);
  const row = await db
    .selectFrom('privacy_budget_spent')
    .select('epsilon_spent')
    .where('member_id', '=', memberId)
    .where('month', '=', month)
    .executeTakeFirst();
  const spent = row ? Number(row.epsilon_spent) : 0;
  return { month: month.slice(0, 7), epsilon_per_month: perMonth, epsilon_spent: round(spent), budget_left: round(Math.max(0, perMonth - spent)) };
}

/**
 * Spends epsilon from this month's budget in one statement (the row lock it takes serialises
 * concurrent spenders of one member), or throws PrivacyBudgetExhausted and spends nothing. Returns
 * what is left. Run it in the transaction that stores the release.
 */
export async function spendBudget(db: Db, memberId: string, epsilon: number, perMonth: number, now: Date): Promise<number> {
  const month = monthOf(now);
  const exhausted = (left: number) => new PrivacyBudgetExhausted(month, round(Math.max(0, left)), epsilon, Math.max(1, Math.ceil((nextMonthStart(now).getTime() - now.getTime()) / 1000)));
  if (epsilon > perMonth + SLACK) throw exhausted(perMonth);
  const result = await sql<{ epsilon_spent: number }>`
    insert into privacy_budget_spent (member_id, month, epsilon_spent) values (${memberId}, ${month}::date, ${epsilon})
    on conflict (member_id, month) do update set epsilon_spent = privacy_budget_spent.epsilon_spent + excluded.epsilon_spent
     where privacy_budget_spent.epsilon_spent + excluded.epsilon_spent <= ${perMonth + SLACK}
    returning epsilon_spent`.execute(db);
  const row = result.rows[0];
  if (row) return round(Math.max(0, perMonth - Number(row.epsilon_spent)));
  const status = await db
    .selectFrom('privacy_budget_spent')
    .select('epsilon_spent')
    .where('member_id', '=', memberId)
    .where('month', '=', month)
    .executeTakeFirst();
  throw exhausted(perMonth - Number(status?.epsilon_spent ?? 0));
}
