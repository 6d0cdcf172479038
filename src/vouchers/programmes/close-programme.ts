import { audit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { conflict, notFound } from '../../http/problem.ts';
import type { Programme } from './schemas.ts';
import { ownProgramme } from './store.ts';

/** An open programme closed: no new vouchers and no longer public. A draft is closed too, to keep it from being opened. 409 when closed already. */
export async function closeProgramme(db: Db, memberId: string, id: string, actor: string): Promise<Programme> {
  await db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('voucher_programmes').select('status').where('id', '=', id).where('member_id', '=', memberId).forUpdate().executeTakeFirst();
    if (!row) throw notFound(`the member has no voucher programme ${id}`);
    if (row.status === 'closed') throw conflict('programme-closed', 'The programme is closed already', 'the programme is closed already');
    await tx.updateTable('voucher_programmes').set({ status: 'closed', closed_at: new Date(), updated_at: new Date() }).where('id', '=', id).execute();
    await audit(tx, { actor, action: 'voucher-programme.close', target: id, memberId, details: { was: row.status } });
  });
  return ownProgramme(db, memberId, id);
}
