import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * What a strong eID (Suomi.fi e-Identification over SAML 2.0, or an OpenID Connect eID broker)
 * tells the network of a person at login, after the upstream adapter has verified it. It is never
 * stored as such: the account keeps only a keyed hash of `identityCode` (the same person maps to
 * the same account, nothing more) and the derived claims the person agrees to share (an age band,
 * the home municipality's code). The adapters drop everything else the eID sends (names, address)
 * before building one, so that no later stage can keep it by mistake.
 */
export interface EidIdentity {
  /**
   * The Finnish personal identity code (henkilötunnus) the eID vouched for. Absent only for a person
   * identified with another EU country's eID through eIDAS who has no Finnish code: then
   * `eidasIdentifier` is what identifies them.
   */
  identityCode?: string;
  /** The eIDAS PersonIdentifier (`XX/YY/…`: the issuing country, the receiving one, the identifier), for a person without a Finnish code. */
  eidasIdentifier?: string;
  /** Which upstream vouched for it: 'suomifi', or the configured name of an OIDC eID broker. */
  source: string;
  /** ISO date (yyyy-mm-dd), from the eID or derived from the identity code. */
  dateOfBirth?: string;
  /**
   * The home municipality's three-digit code (Statistics Finland). Absent for a person under a
   * security denial (turvakielto): their place of residence must never be used.
   */
  homeMunicipalityCode?: string;
  /** The person has a security denial: no address or municipality of theirs is used or kept. */
  securityDenial: boolean;
  /** The level of assurance the eID stated (for Suomi.fi, e.g. http://ftn.ficora.fi/2017/loa3). */
  levelOfAssurance?: string;
  /**
   * What single logout needs, kept only in the person's login session and never with the account:
   * the IdP's NameID for this login and its session index.
   */
  logout?: { nameId: string; nameIdFormat?: string; sessionIndex?: string };
}

/**
 * Where an upstream eID adapter hands a verified identity over to the network's login (the OpenID
 * Provider's interaction): `state` is the opaque value the login was started with (SAML RelayState
 * or OIDC state), which ties the answer to the interaction that asked for it.
 */
export type CompleteEidLogin = (request: FastifyRequest, reply: FastifyReply, identity: EidIdentity, state: string) => Promise<unknown>;
