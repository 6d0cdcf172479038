import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { audit } from '../../audit/audit.ts';
import { badRequest } from '../../http/problem.ts';
import type { PayloadKeyring } from '../../keys/keys.ts';
import { newSigningSecret, sealSecret } from '../endpoint-secrets.ts';
import { listEndpoints, type EndpointItem } from './list-endpoints.ts';
import { memberService } from '../member-services.ts';

const isLocalHost = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

/** A webhook URL as kept: https (http only on this machine), no credentials or fragment. 400 otherwise. */
export function webhookUrlOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badRequest(`the webhook URL is not a URL: ${text}`, [{ field: 'url', message: 'not a URL' }]);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalHost(url.hostname)))
    throw badRequest(`the webhook URL is https (http only on this machine): ${text}`, [{ field: 'url', message: 'must be https' }]);
  if (url.username || url.password || url.hash) throw badRequest(`the webhook URL has no credentials or fragment: ${text}`, [{ field: 'url', message: 'no credentials or fragment' }]);
  return url.href;
}

/**
 * A member's webhook endpoint for one of its services (an OIDC client: its sector gives the
 * pairwise subjects the events carry). The signing secret is in this answer only.
 */
export async function createEndpoint(db: Db, keyring: PayloadKeyring, memberId: string, input: { client_id: string; url: string }, actor: string): Promise<EndpointItem & { secret: string }> {
  const url = webhookUrlOf(input.url);
  const service = await memberService(db, input.client_id);
  if (!service || service.memberId !== memberId) throw badRequest(`the member has no service ${input.client_id}`, [{ field: 'client_id', message: "not one of the member's OpenID Connect clients" }]);
  const id = randomUUID();
  const secret = newSigningSecret();
  const sealed = sealSecret(keyring, id, secret);
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('event_endpoints').values({ id, member_id: memberId, client_id: input.client_id, url, secret_key_id: sealed.keyId, secret_sealed: sealed.data }).execute();
    await audit(tx, { actor, action: 'event-endpoint.create', target: id, memberId, details: { client_id: input.client_id, url } });
  });
  return { ...(await listEndpoints(db, memberId, id))[0]!, secret };
}
