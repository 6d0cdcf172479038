import { audit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { HttpProblem, notFound } from '../../http/problem.ts';
import { programmeBudget } from '../accounts.ts';
import { notDraft } from './edit-programme.ts';
import type { Programme } from './schemas.ts';
import { openBlockers, ownProgramme } from './store.ts';

/**
 * A draft opened: from now on it is public and vouchers are issued from it (its budget funded in the ledger). It
 * must be complete: names and descriptions in fi, sv and en, something funded, a budget cap, a
 * validity, and eligibility rules the network can evaluate. 422 names what is missing.
 */
export async function openProgramme(db: Db, memberId: string, id: string, actor: string): Promise<Programme> {
  await db.transaction().execute(async (tx) => {
    // Locked first, so that an edit cannot slip in between the check and the opening.
    const row = await tx.selectFrom('voucher_programmes').select('status').where('id', '=', id).where('member_id', '=', memberId).forUpdate().executeTakeFirst();
    if (!row) throw notFound(`the member has no voucher programme ${id}`);
    if (row.status !== 'draft') throw notDraft(row.status);
    const programme = await ownProgramme(tx, memberId, id);
    const blockers = openBlockers(programme);
    if (blockers.length > 0)
      throw new HttpProblem(422, 'programme-incomplete', 'The programme is not complete', `to open it, complete: ${blockers.join(', ')}`, { errors: blockers.map((b) => ({ field: b, message: 'incomplete' })) });
    await tx.updateTable('voucher_programmes').set({ status: 'open', opened_at: new Date(), updated_at: new Date() }).where('id', '=', id).execute();
    // The budget is funded in the ledger as the programme opens, so that every voucher issued from it
    // is bounded by the cap there (its account's debits never exceed its credits).
    await programmeBudget(tx, { id, member_id: memberId, budget_cap_cents: programme.budget_cap_cents! });
    await audit(tx, { actor, action: 'voucher-programme.open', target: id, memberId });
  });
  return ownProgramme(db, memberId, id);
}
