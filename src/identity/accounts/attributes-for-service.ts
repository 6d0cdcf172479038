import type { ClientLike } from 'oidc-provider';
import type { Db } from '../../db/database.ts';
import { audit } from '../../audit/audit.ts';
import { sharedClaims } from './accounts.ts';
import { CLAIM_SCOPES } from './derived-claims.ts';
import { pairwiseSubject } from './identity-keys.ts';
import type { AccountCaller } from './account-token.ts';

/**
 * What a service may read of a person when it calls the network's API for them (with an exchanged
 * token): their pairwise subject for that service and, of the attributes the person agreed to share,
 * only those whose scope the token holds. The read is audited as the service's, for that subject.
 */
export interface AttributesForService {
  sub: string;
  scopes: string[];
  attributes: Record<string, unknown>;
}

export const sectorOfClient = (client: ClientLike) => client.sectorIdentifier ?? new URL(client.redirectUris[0]!).host;

export async function attributesForService(db: Db, subjectKey: Buffer, client: ClientLike, caller: AccountCaller): Promise<AttributesForService> {
  const claims = ((await sharedClaims(db, caller.accountId)) ?? {}) as Record<string, unknown>;
  const attributes = Object.fromEntries(CLAIM_SCOPES.filter((s) => caller.scopes.has(s) && claims[s] !== undefined).map((s) => [s, claims[s]]));
  const sub = pairwiseSubject(subjectKey, sectorOfClient(client), caller.accountId);
  await audit(db, {
    actor: `oidc-client:${caller.clientId}`,
    action: 'identity.attributes.read-for-person',
    target: sub,
    memberId: typeof client.aurora_member_id === 'string' ? client.aurora_member_id : null,
    details: { attributes: Object.keys(attributes) },
  });
  return { sub, scopes: [...caller.scopes].sort(), attributes };
}
