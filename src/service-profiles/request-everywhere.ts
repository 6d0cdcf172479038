import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type Provider from 'oidc-provider';
import type { ClientLike } from 'oidc-provider';
import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';
import { conflict } from '../http/problem.ts';
import { clientsOfAccount } from '../identity/accounts/account-clients.ts';
import { sectorOfClient } from '../identity/accounts/attributes-for-service.ts';
import { pairwiseSubject } from '../identity/accounts/identity-keys.ts';

/**
 * A person asks every service they logged in to for what it holds of them ("download everything")
 * or to erase it ("erase me everywhere"): one request, one call row per service with the service's
 * pairwise subject for the person; the job (call-services.ts) makes the calls. A service without a
 * profile endpoint is reported as such at once. One open request of a kind per person at a time.
 */
export type EverywhereKind = 'export' | 'erase';

export async function requestEverywhere(db: Db, provider: Provider, subjectKey: Buffer, accountId: string, kind: EverywhereKind): Promise<{ id: string; services: number }> {
  const clients: ClientLike[] = [];
  for (const clientId of await clientsOfAccount(db, accountId)) {
    const client = await provider.Client.find(clientId);
    // The network's own app is not a service holding data elsewhere: the person API exports and erases what the network keeps.
    if (client && client.aurora_first_party !== true) clients.push(client);
  }
  const id = randomUUID();
  await db.transaction().execute(async (tx) => {
    // One request of a kind at a time per person, on every server: the check and the insert under one lock.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`aurora-profile-request:${accountId}`}, 0))`.execute(tx);
    const open = await tx.selectFrom('profile_requests').select('id').where('account_id', '=', accountId).where('kind', '=', kind).where('finished_at', 'is', null).executeTakeFirst();
    if (open) throw conflict('request-open', 'A request is still open', `your earlier ${kind} request ${open.id} is still being answered`);
    await tx.insertInto('profile_requests').values({ id, account_id: accountId, kind, ...(clients.length === 0 ? { finished_at: new Date() } : {}) }).execute();
    if (clients.length)
      await tx
        .insertInto('profile_request_calls')
        .values(
          clients.map((client) => {
            const endpoint = typeof client.aurora_profile_endpoint === 'string' ? client.aurora_profile_endpoint : null;
            return {
              request_id: id,
              client_id: client.clientId,
              service_name: client.clientName ?? client.clientId,
              endpoint,
              subject: pairwiseSubject(subjectKey, sectorOfClient(client), accountId),
              status: endpoint ? ('pending' as const) : ('no-endpoint' as const),
            };
          }),
        )
        .execute();
    if (clients.length && clients.every((c) => typeof c.aurora_profile_endpoint !== 'string'))
      await tx.updateTable('profile_requests').set({ finished_at: new Date() }).where('id', '=', id).execute();
    await audit(tx, { actor: `account:${accountId}`, action: `profile.${kind}-everywhere`, target: id, details: { services: clients.map((c) => c.clientId) } });
  });
  return { id, services: clients.length };
}
