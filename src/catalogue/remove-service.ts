import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';
import { notifyCatalogueChanged } from './changes.ts';
import { requireOwnRecords } from './ownership.ts';
import { deleteService } from './store.ts';

/**
 * Removes a service (its links and events go with it) and audits who did, with the member whose
 * client it was; 404 when there is none, 403 when it is not that member's (ownership.ts).
 */
export async function removeService(db: Db, id: string, actor: string, memberId: string | null = null): Promise<void> {
  const removed = await db.transaction().execute(async (tx) => {
    await requireOwnRecords(tx, memberId, { services: [], channels: [], deletes: [id] });
    const ok = await deleteService(tx, id);
    if (ok) await audit(tx, { actor, action: 'catalogue.service.delete', target: id, memberId });
    return ok;
  });
  if (!removed) throw notFound(`no service has the id ${id}`);
  notifyCatalogueChanged();
}
