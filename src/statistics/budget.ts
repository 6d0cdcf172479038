import { sql } from 'kysely';
import { setting, VARIABLES } from '../config.ts';
import type { Db } from '../db/database.ts';

/**
 * The privacy budget, counted per (member, ISO week). Every person is in exactly one week, so what
 * the member's releases spend on a week is what they spend on that week's people, whatever else is
 * released. A week is released once per set of the member's services (AURORA_DP_EPSILON_PER_RELEASE
 * each, default 1.0); linking or unlinking services makes a new set and releases the week again,
 * which is capped per week at AURORA_DP_EPSILON_CAP_PER_WEEK (default 3.0, a member's own cap in
 * privacy_budgets). There is no renewal: the cap is for the people's lifetime in the statistics.
 */
export const DEFAULT_EPSILON_PER_RELEASE = VARIABLES.AURORA_DP_EPSILON_PER_RELEASE.default;
export const DEFAULT_EPSILON_CAP_PER_WEEK = VARIABLES.AURORA_DP_EPSILON_CAP_PER_WEEK.default;

/** Fractions of epsilon below this are rounding, not spending (0.1 × 30 is 3.0000000000000004). */
const SLACK = 1e-9;

export function epsilonPerRelease(): number {
  return setting('AURORA_DP_EPSILON_PER_RELEASE');
}

export function defaultEpsilonCapPerWeek(): number {
  return setting('AURORA_DP_EPSILON_CAP_PER_WEEK');
}

const round = (x: number) => Math.round(x * 1e9) / 1e9;

export async function epsilonCapPerWeek(db: Db, memberId: string): Promise<number> {
  const row = await db.selectFrom('privacy_budgets').select('epsilon_cap_per_week').where('member_id', '=', memberId).executeTakeFirst();
  return row?.epsilon_cap_per_week != null ? Number(row.epsilon_cap_per_week) : defaultEpsilonCapPerWeek();
}

/**
 * The largest cap a member may be given: ten releases' worth at the default epsilon. Past that the
 * noise of a week's repeated releases could be averaged down to little protection.
 */
export const MAX_EPSILON_CAP_PER_WEEK = 10;

export interface PrivacySettings {
  epsilon_per_release: number;
  epsilon_cap_per_week: number;
  /** True: the member has no cap of its own and AURORA_DP_EPSILON_CAP_PER_WEEK applies. */
  default: boolean;
}

export async function privacySettings(db: Db, memberId: string): Promise<PrivacySettings> {
  const row = await db.selectFrom('privacy_budgets').select('epsilon_cap_per_week').where('member_id', '=', memberId).executeTakeFirst();
  const own = row?.epsilon_cap_per_week;
  return { epsilon_per_release: epsilonPerRelease(), epsilon_cap_per_week: own != null ? Number(own) : defaultEpsilonCapPerWeek(), default: own == null };
}

/**
 * Sets a member's own cap per week; null goes back to AURORA_DP_EPSILON_CAP_PER_WEEK. Lowering it
 * below what a week has spent already only stops further releases of that week: nothing released
 * can be taken back.
 */
export async function setPrivacyBudget(db: Db, memberId: string, capPerWeek: number | null): Promise<void> {
  if (capPerWeek !== null && (!Number.isFinite(capPerWeek) || capPerWeek <= 0 || capPerWeek > MAX_EPSILON_CAP_PER_WEEK))
    throw new RangeError(`a privacy budget per week is a positive number, at most ${MAX_EPSILON_CAP_PER_WEEK}`);
  await db
    .insertInto('privacy_budgets')
    .values({ member_id: memberId, epsilon_per_month: null, epsilon_cap_per_week: capPerWeek })
    .onConflict((oc) => oc.column('member_id').doUpdateSet({ epsilon_cap_per_week: capPerWeek, updated_at: new Date() }))
    .execute();
}

/** What the member's releases have spent on each of these weeks' people (weeks never spent on are absent). */
export async function weekSpending(db: Db, memberId: string, weeks: readonly string[]): Promise<Map<string, number>> {
  if (weeks.length === 0) return new Map();
  const rows = await sql<{ week: string; epsilon_spent: number }>`
    select week::text as week, epsilon_spent from privacy_week_spent
     where member_id = ${memberId} and week = any(${weeks}::date[])`.execute(db);
  return new Map(rows.rows.map((r) => [r.week, round(Number(r.epsilon_spent))]));
}

/** Whether one more release of epsilon fits under the cap, given what was spent. */
export function fitsCap(spent: number, epsilon: number, cap: number): boolean {
  return spent + epsilon <= cap + SLACK;
}

/**
 * Spends epsilon on a week's people in one statement (its row lock serialises concurrent spenders
 * of one member's week), or spends nothing and answers false when that would pass the cap. Run it
 * in the transaction that stores the release.
 */
export async function spendOnWeek(db: Db, memberId: string, week: string, epsilon: number, cap: number): Promise<boolean> {
  if (!fitsCap(0, epsilon, cap)) return false;
  const result = await sql<{ epsilon_spent: number }>`
    insert into privacy_week_spent (member_id, week, epsilon_spent) values (${memberId}, ${week}::date, ${epsilon})
    on conflict (member_id, week) do update set epsilon_spent = privacy_week_spent.epsilon_spent + excluded.epsilon_spent
     where privacy_week_spent.epsilon_spent + excluded.epsilon_spent <= ${cap + SLACK}
    returning epsilon_spent`.execute(db);
  return result.rows.length > 0;
}
