import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * A person's export and erase requests, with who answered what and the data services exported
 * (sealed), go when they have been finished for the retention time: the person has had their
 * answer, and the network should not become a second copy of what every service holds. A request
 * still being answered stays, however old.
 */
export async function purgeFinishedProfileRequests(db: Db, before: Date, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await sql`
      delete from profile_requests where id in (select id from profile_requests where finished_at < ${before} limit ${batch})`.execute(db);
    const n = Number(result.numAffectedRows ?? 0n);
    total += n;
    if (n < batch) return total;
  }
}
