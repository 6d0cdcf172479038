import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { REGISTER_FACTS, isRegisterFact } from './facts.ts';
import { serviceOf } from './receipt.ts';
import { iso, openFact, statusOf, type RequestRow } from './requests.ts';

/**
 * The person's register fact requests, newest first: which service (and the member behind it) asks
 * for which fact, from which register, why in its own words, and what became of it (asked,
 * approved or declined, collected, withdrawn, expired, and when). A pending one carries what would
 * be sent if the person approved now, so that they approve knowing it (read for them, never stored);
 * an approved one not yet collected, the sealed fact the service will get (opened for them).
 */
export async function listMyRequests(db: Db, keyring: PayloadKeyring, accountId: string, now = new Date()) {
  const rows = await db.selectFrom('register_fact_requests').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc').orderBy('id').execute();
  const services = new Map<string, Awaited<ReturnType<typeof serviceOf>>>();
  for (const clientId of new Set(rows.map((r) => r.client_id))) services.set(clientId, await serviceOf(db, clientId));
  return Promise.all(rows.map(async (row) => myView(db, keyring, row, services.get(row.client_id)!, now)));
}

export async function myView(db: Db, keyring: PayloadKeyring, row: RequestRow, service: Awaited<ReturnType<typeof serviceOf>>, now = new Date()) {
  const status = statusOf(row, now);
  const fact = isRegisterFact(row.fact) ? REGISTER_FACTS[row.fact] : null;
  const preview = status === 'pending' && fact ? await fact.read(db, row.account_id!) : status === 'approved' ? openedOrNull(keyring, row) : null;
  return {
    id: row.id,
    fact: row.fact,
    name: fact?.name ?? null,
    description: fact?.description ?? null,
    register: fact?.register ?? null,
    service: { client_id: row.client_id, ...service },
    purpose: row.purpose,
    status,
    asked_at: row.created_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    decided_at: iso(row.decided_at),
    withdrawn_at: iso(row.withdrawn_at),
    collected_at: iso(row.collected_at),
    /** Pending: what approving now would send (null: the register has nothing, approving is refused); approved: what the service will get. */
    would_send: preview ? { value: preview.value, as_of: preview.as_of } : null,
    receipt: row.receipt,
  };
}

/** An approved fact whose payload key was removed: the person's list still answers, without the value. */
function openedOrNull(keyring: PayloadKeyring, row: RequestRow) {
  try {
    return openFact(keyring, row);
  } catch {
    return null;
  }
}
