import type { FastifyReply, FastifyRequest } from 'fastify';
import type { InteractionDetails } from 'oidc-provider';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem } from '../http/problem.ts';
import { keepSharedClaims, sharedClaims } from './accounts/accounts.ts';
import { LoginExpired, type LoginSubmission } from './complete-login.ts';
import { READ_SCOPES, STORE_SCOPES, storedAttributeOf } from '../profile/attribute-scopes.ts';
import { recordStoreAllowed } from '../profile/allow-store.ts';
import { profileValues } from '../profile/read-profile.ts';
import { personOfAccount } from './accounts/account-person.ts';
import { CLAIM_SCOPES, type DerivedClaims } from './accounts/derived-claims.ts';
import type { IdentityService } from './identity-service.ts';
import { PAGE_CSP, consentPage, loginPage, pageLanguage } from './pages.ts';
import { OIDC_PREFIX } from './provider.ts';

/**
 * The provider's interactions: the login page (which eID), the start of an eID login, the consent
 * page and its answer. Each reads the interaction from its cookie, so only the browser that the
 * provider sent here can act on it.
 */

function html(reply: FastifyReply, body: string) {
  return reply.header('content-security-policy', PAGE_CSP).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').type('text/html; charset=utf-8').send(body);
}

async function detailsOf(identity: IdentityService, request: FastifyRequest, reply: FastifyReply, uid: string): Promise<InteractionDetails> {
  let details: InteractionDetails;
  try {
    details = await identity.provider.interactionDetails(request.raw, reply.raw);
  } catch {
    throw new LoginExpired();
  }
  if (details.uid !== uid) throw new LoginExpired();
  return details;
}

async function clientName(identity: IdentityService, clientId: string) {
  const client = await identity.provider.Client.find(clientId);
  return typeof client?.clientName === 'string' && client.clientName ? client.clientName : clientId;
}

const ANSWERABLE = new Set<string>([...CLAIM_SCOPES, ...READ_SCOPES, ...STORE_SCOPES]);

/** The claim and store scopes the client asks for and the person has not yet answered. */
const askedScopes = (details: InteractionDetails) => ((details.prompt.details.missingOIDCScope as string[] | undefined) ?? []).filter((s) => ANSWERABLE.has(s));

/** The derived claims of this login (or, when the person was already logged in, those they shared before). */
async function derivedClaimsOf(db: Db, details: InteractionDetails): Promise<DerivedClaims> {
  const submitted = (details.lastSubmission as Partial<LoginSubmission> | undefined)?.aurora?.claims;
  if (submitted) return submitted;
  const accountId = details.session?.accountId;
  return (accountId && (await sharedClaims(db, accountId))) || {};
}

/** What the service could be given: the profile's attributes, and the eID's derived claims before them. */
async function claimsOf(db: Db, identity: IdentityService, details: InteractionDetails): Promise<Record<string, unknown>> {
  const accountId = details.session?.accountId;
  const person = accountId ? await personOfAccount(db, identity.keyring, identity.subjectKey, accountId, false) : undefined;
  const profile = person ? await profileValues(db, identity.keyring, person) : {};
  return { ...profile, ...(await derivedClaimsOf(db, details)) };
}

export async function showInteraction(db: Db, identity: IdentityService, request: FastifyRequest, reply: FastifyReply, uid: string) {
  const details = await detailsOf(identity, request, reply, uid);
  const lang = pageLanguage(details.params.ui_locales, request.headers['accept-language']);
  const name = await clientName(identity, details.params.client_id);
  const eids = [...identity.eids.values()].map((e) => ({ href: `${OIDC_PREFIX}/interaction/${encodeURIComponent(uid)}/eid/${encodeURIComponent(e.name)}`, label: e.labels[lang] }));
  if (details.prompt.name === 'login') return html(reply, loginPage(lang, name, eids));
  if (details.prompt.name === 'consent') {
    const base = `${OIDC_PREFIX}/interaction/${encodeURIComponent(uid)}`;
    const asked = askedScopes(details);
    const claims = await claimsOf(db, identity, details);
    // A claim only an eID gives, asked for but not in this login (made through the network's own app): offer to identify again.
    const freshLogin = (details.lastSubmission as Partial<LoginSubmission> | undefined)?.aurora !== undefined;
    const missingFromEid = !freshLogin && asked.some((scope) => (CLAIM_SCOPES as readonly string[]).includes(scope) && claims[scope] === undefined);
    return html(reply, consentPage(lang, name, asked, claims, `${base}/consent`, `${base}/abort`, missingFromEid ? eids : []));
  }
  throw new HttpProblem(400, 'unknown-prompt', 'Unknown login step', `the provider asks for "${details.prompt.name}", which this network does not offer`);
}

export async function startEid(identity: IdentityService, request: FastifyRequest, reply: FastifyReply, uid: string, eid: string) {
  const details = await detailsOf(identity, request, reply, uid);
  // At the consent step too: a person who logged in through the network's own app identifies again for a claim only the eID gives.
  if (details.prompt.name !== 'login' && details.prompt.name !== 'consent') throw new LoginExpired();
  const method = identity.eids.get(eid);
  if (!method) throw new HttpProblem(404, 'not-found', 'Not found', `no eID called ${eid} is offered here`);
  return method.start(request, reply, uid);
}

/** Grants what the person ticked (of what was asked and is available) and refuses the rest; keeps the shared claims with the account. */
export async function answerConsent(db: Db, identity: IdentityService, request: FastifyRequest, reply: FastifyReply, uid: string, ticked: readonly string[]) {
  const details = await detailsOf(identity, request, reply, uid);
  const accountId = details.session?.accountId;
  if (details.prompt.name !== 'consent' || !accountId) throw new LoginExpired();
  const claims = await claimsOf(db, identity, details);
  const missing = (details.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
  const approved = missing.filter((s) => s === 'openid' || (ticked.includes(s) && (claims[s] !== undefined || storedAttributeOf(s) !== undefined)));
  const refused = missing.filter((s) => !approved.includes(s));
  const { Grant } = identity.provider;
  const grant = (details.grantId ? await Grant.find(details.grantId) : undefined) ?? new Grant({ accountId, clientId: details.params.client_id });
  if (approved.length) grant.addOIDCScope(approved.join(' '));
  if (refused.length) grant.rejectOIDCScope(refused.join(' '));
  // Claims asked for one by one (the claims parameter is off): only the subject.
  const missingClaims = (details.prompt.details.missingOIDCClaims as string[] | undefined) ?? [];
  if (missingClaims.includes('sub')) grant.addOIDCClaims(['sub']);
  const otherClaims = missingClaims.filter((c) => c !== 'sub');
  if (otherClaims.length) grant.rejectOIDCClaims(otherClaims);
  const grantId = await grant.save();
  const derived = (await derivedClaimsOf(db, details)) as Record<string, unknown>;
  const shared = Object.fromEntries(approved.filter((s) => derived[s] !== undefined).map((s) => [s, derived[s]])) as DerivedClaims;
  await keepSharedClaims(db, accountId, shared);
  // The person's store consent is kept in their profile's history; a person without one yet gets one now.
  const stores = approved.map(storedAttributeOf).filter((a): a is string => a !== undefined);
  if (stores.length) {
    const person = (await personOfAccount(db, identity.keyring, identity.subjectKey, accountId, true))!;
    await recordStoreAllowed(db, person, stores, { clientId: details.params.client_id, name: await clientName(identity, details.params.client_id) });
  }
  await audit(db, { actor: 'person', action: 'identity.consent', target: accountId, details: { client_id: details.params.client_id, granted: approved, refused } });
  const returnTo = await identity.provider.interactionResult(request.raw, reply.raw, { consent: { grantId } }, { mergeWithLastSubmission: true });
  return reply.redirect(returnTo, 303);
}

export async function abortInteraction(identity: IdentityService, request: FastifyRequest, reply: FastifyReply, uid: string) {
  await detailsOf(identity, request, reply, uid);
  const returnTo = await identity.provider.interactionResult(
    request.raw,
    reply.raw,
    { error: 'access_denied', error_description: 'the person cancelled the login' },
    { mergeWithLastSubmission: false },
  );
  return reply.redirect(returnTo, 303);
}
