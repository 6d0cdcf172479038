import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';
import { HttpProblem } from '../http/problem.ts';
import { findOrCreateAccount } from './accounts/accounts.ts';
import { deriveClaims, type DerivedClaims } from './accounts/derived-claims.ts';
import type { CompleteEidLogin, EidIdentity } from './eid.ts';
import { takeEidLogin } from './eid-login-state.ts';
import { identityKeyOf } from './accounts/identity-keys.ts';

/**
 * Where every upstream eID hands its verified identity over (eid.ts's contract): the account is
 * found or made by the keyed hash of the identity code, the derived claims are computed, and the
 * provider's interaction that the state names is finished as a login of that account. The derived
 * claims ride in the interaction (not the account) until the person agrees, on the consent page, to
 * share them; the identity code, the name and the date of birth go no further than this function.
 */

/** What the login leaves in the interaction for the consent step. */
export interface LoginSubmission {
  login: { accountId: string; amr?: string[]; acr?: string };
  aurora: { eid: string; claims: DerivedClaims };
}

export class LoginExpired extends HttpProblem {
  constructor(detail = 'this login has expired or was already used: start again from the service you were logging in to') {
    super(400, 'login-expired', 'The login has expired', detail);
  }
}

export function completeEidLoginWith(db: () => Db, provider: () => Provider, subjectKey: Buffer): CompleteEidLogin {
  return async (request: FastifyRequest, reply: FastifyReply, identity: EidIdentity, state: string) => {
    const login = await takeEidLogin(db(), state);
    if (!login) throw new LoginExpired();
    const interaction = await provider().Interaction.find(login.uid);
    if (!interaction || !['login', 'consent'].includes(interaction.prompt.name)) throw new LoginExpired();
    const accountId = await findOrCreateAccount(db(), identityKeyOf(subjectKey, identity));
    const submission: LoginSubmission = {
      login: { accountId, amr: ['eid'], ...(identity.levelOfAssurance ? { acr: identity.levelOfAssurance } : {}) },
      aurora: { eid: identity.source, claims: deriveClaims(identity) },
    };
    interaction.result = { ...submission };
    await interaction.save(Math.max(1, interaction.exp - Math.floor(Date.now() / 1000)));
    await audit(db(), { actor: 'person', action: 'identity.login', target: accountId, details: { eid: identity.source } });
    request.log.info({ eid: identity.source }, 'eID login finished');
    return reply.redirect(interaction.returnTo, 303);
  };
}

/**
 * The person cancelled at the eID, or it could not identify them: the provider's interaction that
 * the state names ends with access_denied, which goes back to the service that asked. Like a
 * completed login it needs no cookie: an eID's answer arrives as a cross-site POST.
 */
export function cancelEidLoginWith(db: () => Db, provider: () => Provider) {
  return async (_request: FastifyRequest, reply: FastifyReply, state: string) => {
    const login = await takeEidLogin(db(), state);
    if (!login) throw new LoginExpired();
    const interaction = await provider().Interaction.find(login.uid);
    if (!interaction) throw new LoginExpired();
    interaction.result = { error: 'access_denied', error_description: 'the person did not complete the identification' };
    await interaction.save(Math.max(1, interaction.exp - Math.floor(Date.now() / 1000)));
    return reply.redirect(interaction.returnTo, 303);
  };
}
