import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type { FastifyInstance } from 'fastify';
import { GDPR_JWT_TYPE } from '../../service-profiles/signed-call.ts';

/**
 * The demo service's profile (GDPR) API, as a member's service would offer it to the network:
 * `GET {endpoint}/{sub}` exports what it keeps of that pairwise subject, `DELETE {endpoint}/{sub}`
 * erases it (`?dry_run=true` only says whether it could). Every call must carry the network's
 * signature (signed-call.ts): a JWT of type aurora-gdpr+jwt from the provider's issuer, verified with
 * the keys the provider publishes at its JWKS, for this client, this subject, this method and this
 * very URL, with the scope the method needs. Anything else is 401 with nothing read or erased. What
 * it keeps of a person: what they let it see at login, and the life events it heard of them.
 */
export type GdprAnswer = { status: 200; body: unknown } | { status: 204 | 404 } | { status: 401; body: { reason: string } };

export interface GdprCall {
  method: 'GET' | 'DELETE';
  /** The URL as called: the endpoint's origin and path, the subject, and the query. */
  url: string;
  subject: string;
  dryRun: boolean;
  authorization: string | undefined;
}

async function providerKeys(app: FastifyInstance) {
  const answer = await app.inject({ method: 'GET', url: '/oidc/jwks' });
  return createLocalJWKSet(answer.json() as JSONWebKeySet);
}

export async function answerGdprCall(app: FastifyInstance, clientId: string, call: GdprCall): Promise<GdprAnswer> {
  const token = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(call.authorization ?? '')?.[1];
  if (!token) return { status: 401, body: { reason: 'the call carries no bearer token' } };
  try {
    const { payload } = await jwtVerify(token, await providerKeys(app), {
      issuer: app.aurora.identity.provider.issuer,
      audience: clientId,
      subject: call.subject,
      typ: GDPR_JWT_TYPE,
      algorithms: ['RS256'],
      maxTokenAge: '5m',
    });
    const scope = call.method === 'GET' ? 'gdpr:export' : 'gdpr:delete';
    if (payload.scope !== scope) return { status: 401, body: { reason: `the call is not signed for ${scope}` } };
    if (payload.htm !== call.method || payload.htu !== call.url) return { status: 401, body: { reason: 'the signature is for another request' } };
  } catch {
    return { status: 401, body: { reason: "the network's signature is not valid" } };
  }
  const db = app.aurora.database.db;
  const kept = db.selectFrom('demo_login_people').where('client_id', '=', clientId).where('subject', '=', call.subject);
  const heard = db.selectFrom('demo_service_events').where('subject', '=', call.subject);
  if (call.method === 'GET') {
    const row = await kept.select(['claims', 'first_seen_at', 'last_seen_at']).executeTakeFirst();
    const events = await heard.select(['type', 'data', 'occurred_at', 'received_at']).orderBy('occurred_at').execute();
    if (!row && events.length === 0) return { status: 404 };
    return {
      status: 200,
      body: {
        service: 'Demo: Nettilukio',
        subject: call.subject,
        ...(row ? { shared_at_login: row.claims, first_login: row.first_seen_at, last_login: row.last_seen_at } : {}),
        life_events_heard: events,
      },
    };
  }
  if (call.dryRun) return (await kept.select('subject').executeTakeFirst()) || (await heard.select('subject').executeTakeFirst()) ? { status: 204 } : { status: 404 };
  const erased = await db.transaction().execute(async (tx) => {
    const people = await tx.deleteFrom('demo_login_people').where('client_id', '=', clientId).where('subject', '=', call.subject).executeTakeFirst();
    const events = await tx.deleteFrom('demo_service_events').where('subject', '=', call.subject).executeTakeFirst();
    return people.numDeletedRows + events.numDeletedRows;
  });
  return erased > 0n ? { status: 204 } : { status: 404 };
}
