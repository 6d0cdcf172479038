import type { FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { Language } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { cancelEidLoginWith, completeEidLoginWith } from './complete-login.ts';
import type { CompleteEidLogin } from './eid.ts';
import { beginEidLogin, peekEidLogin, type EidLoginState } from './eid-login-state.ts';
import { purgeExpiredModels } from './oidc-adapter.ts';
import { createProviderWithKeys, type ProviderOptions } from './provider.ts';

/**
 * A way to identify on the login page. `start` sends the browser to the upstream eID for the
 * interaction `uid`, with a state from `beginEidLogin`; the upstream's answer comes back to the
 * adapter's own route, which verifies it, builds an EidIdentity and calls `completeEidLogin`.
 */
export interface EidMethod {
  name: string;
  labels: Record<Language, string>;
  start(request: FastifyRequest, reply: FastifyReply, uid: string): Promise<unknown>;
  /** The upstream's answer at GET /oidc/eid/<name>/callback, for eIDs that answer there (OIDC ones). */
  callback?(request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
  /** The network's public keys for this eID (at GET /oidc/eid/<name>/jwks); null when it has none. */
  jwks?(): Promise<{ keys: object[] } | null>;
}

/** The OpenID Provider, the eIDs its login page offers, and the hand-over from them (app.aurora.identity). */
export class IdentityService {
  readonly eids = new Map<string, EidMethod>();
  readonly completeEidLogin: CompleteEidLogin;
  /** The eID's answer was a cancellation or a failure: the interaction of `state` ends with access_denied. */
  readonly cancelEidLogin: (request: FastifyRequest, reply: FastifyReply, state: string) => Promise<unknown>;

  private constructor(
    private readonly db: Db,
    readonly provider: Provider,
    readonly subjectKey: Buffer,
    readonly keyring: PayloadKeyring,
    /** The provider's private signing keys (JWK): the network's calls to services' profile APIs are signed with the RS256 one. */
    readonly signingKeys: readonly Record<string, unknown>[] = [],
  ) {
    this.completeEidLogin = completeEidLoginWith(() => this.db, () => this.provider, subjectKey);
    this.cancelEidLogin = cancelEidLoginWith(() => this.db, () => this.provider);
  }

  static async open(db: Db, keyring: PayloadKeyring, subjectKey: Buffer, options: ProviderOptions): Promise<IdentityService> {
    const { provider, keys } = await createProviderWithKeys(db, keyring, subjectKey, options);
    return new IdentityService(db, provider, subjectKey, keyring, keys);
  }

  /** Offers an eID on the login page (the test eID, Suomi.fi); a second one of the same name replaces the first. */
  registerEid(method: EidMethod) {
    this.eids.set(method.name, method);
  }

  /** A state for an upstream login for interaction `uid`, with what the adapter needs back at its callback. */
  beginEidLogin(uid: string, eid: string, extras: Record<string, string> = {}): Promise<string> {
    return beginEidLogin(this.db, { uid, eid, extras });
  }

  /** What the login of a state was started with; it stays usable until completeEidLogin. */
  peekEidLogin(state: string): Promise<EidLoginState | undefined> {
    return peekEidLogin(this.db, state);
  }

  purge(): Promise<number> {
    return purgeExpiredModels(this.db);
  }
}
