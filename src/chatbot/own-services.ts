import type { Db } from '../db/database.ts';
import { badRequest } from '../http/problem.ts';
import { ownedServiceIds } from '../members/owned-services.ts';
import type { Pack } from './pack.ts';

/** An answer links only to the member's own catalogue services: 400 naming each other one. */
export async function checkOwnServices(db: Db, memberId: string, pack: Pack) {
  const wanted = pack.intents.flatMap((intent, i) => (intent.answer.services ?? []).map((id) => ({ id, field: `intents.${i}.answer.services` })));
  if (!wanted.length) return;
  const owned = new Set((await ownedServiceIds(db, memberId).execute()).map((r) => r.service_id));
  const foreign = wanted.filter((w) => !owned.has(w.id));
  if (foreign.length) throw badRequest("an answer links to services that are not the member's", foreign.map((f) => ({ field: f.field, message: `${f.id} is not the member's service` })));
}
