import { sql } from 'kysely';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';

/** Stops following a figure; its notices go with it. 404 when the member has no such follow. */
export async function unfollowPicture(db: Db, memberId: string, followId: string, actor: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const deleted = await sql`delete from picture_follows where id = ${followId} and member_id = ${memberId}`.execute(tx);
    if (Number(deleted.numAffectedRows ?? 0) === 0) throw notFound('your organisation follows no figure with this id');
    await audit(tx, { actor, action: 'member.picture.unfollow', target: followId, memberId });
  });
}
