import { audit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { conflict, notFound } from '../../http/problem.ts';
import { checkProgrammeInput, programmeColumns, replaceFunds } from './create-programme.ts';
import type { Programme, ProgrammeInput } from './schemas.ts';
import { ownProgramme } from './store.ts';

export const notDraft = (status: string) => conflict('programme-not-draft', 'The programme is no longer a draft', `the programme is ${status}: only a draft can be edited`);

/** A draft replaced whole; once opened, what people were promised does not change under them (409). */
export async function editProgramme(db: Db, memberId: string, id: string, input: ProgrammeInput, actor: string): Promise<Programme> {
  await checkProgrammeInput(db, input);
  await db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('voucher_programmes').select('status').where('id', '=', id).where('member_id', '=', memberId).forUpdate().executeTakeFirst();
    if (!row) throw notFound(`the member has no voucher programme ${id}`);
    if (row.status !== 'draft') throw notDraft(row.status);
    await tx.updateTable('voucher_programmes').set({ ...programmeColumns(input), updated_at: new Date() }).where('id', '=', id).execute();
    await replaceFunds(tx, id, input.funds);
    await audit(tx, { actor, action: 'voucher-programme.edit', target: id, memberId });
  });
  return ownProgramme(db, memberId, id);
}
