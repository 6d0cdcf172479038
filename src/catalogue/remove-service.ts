import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';
import { notifyCatalogueChanged } from './changes.ts';
import { deleteService } from './store.ts';

/** Removes a service (its links and events go with it) and audits who did; 404 when there is none. */
export async function removeService(db: Db, id: string, actor: string): Promise<void> {
  const removed = await db.transaction().execute(async (tx) => {
    const ok = await deleteService(tx, id);
    if (ok) await audit(tx, { actor, action: 'catalogue.service.delete', target: id });
    return ok;
  });
  if (!removed) throw notFound(`no service has the id ${id}`);
  notifyCatalogueChanged();
}
