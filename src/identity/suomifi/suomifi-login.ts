import { inflateRawSync } from 'node:zlib';
import { SAML, SamlStatusError, ValidateInResponseTo, type Profile, type SamlConfig } from '@node-saml/node-saml';
import { parseDomFromString, xpath } from '@node-saml/node-saml/lib/xml.js';
import type { Db } from '../../db/database.ts';
import { HttpProblem } from '../../http/problem.ts';
import type { EidIdentity } from '../eid.ts';
import { REQUESTED_ATTRIBUTES, UnusableIdentity, identityFromAttributes } from './attributes.ts';
import { REQUEST_VALIDITY_MS, consumeRequest, newRequestId, rememberRequest, requestCache } from './requests.ts';

/**
 * Suomi.fi e-Identification as a SAML 2.0 service provider, through @node-saml/node-saml: signed
 * AuthnRequests (HTTP-Redirect) asking for a level of assurance, answers whose assertion must be
 * encrypted to us and signed by one of the IdP's certificates (several while they rotate), each
 * answer accepted once on whichever server it reaches (suomifi_requests), and single logout both
 * ways. What it hands over is an EidIdentity: never a name, and no municipality under a security
 * denial.
 */

/** Suomi.fi's levels of assurance (AuthnContextClassRef). */
export const LOA = {
  substantial: 'http://ftn.ficora.fi/2017/loa2',
  high: 'http://ftn.ficora.fi/2017/loa3',
} as const;

/** eIDAS's levels of assurance, for people identified with another EU country's eID (when eidas is on). */
export const EIDAS_LOA = {
  substantial: 'http://eidas.europa.eu/LoA/substantial',
  high: 'http://eidas.europa.eu/LoA/high',
} as const;

export interface SuomifiSettings {
  idp: {
    entityId: string;
    /** The SingleSignOnService (HTTP-Redirect). */
    ssoUrl: string;
    /** The SingleLogoutService (HTTP-Redirect). */
    sloUrl: string;
    /** PEM certificates whose keys may sign: both of Suomi.fi's while they rotate. */
    certificates: string[];
  };
  sp: {
    entityId: string;
    /** Where the IdP posts its answer (AssertionConsumerService, HTTP-POST). */
    acsUrl: string;
    /** Where the IdP sends logout requests and answers (SingleLogoutService, HTTP-Redirect). */
    sloUrl: string;
    /** PEM private key and certificate that sign our requests. */
    signingKey: string;
    signingCert: string;
    /** PEM private key and certificate the IdP encrypts assertions to. */
    encryptionKey: string;
    encryptionCert: string;
    /**
     * Rotating our keys: a certificate published beside the signing one before its key takes over
     * (Suomi.fi then accepts requests signed by either), and the encryption key being replaced,
     * which still decrypts answers encrypted to its certificate while Suomi.fi moves to the new one.
     */
    nextSigningCert?: string;
    previousEncryptionKey?: string;
  };
  /** The least level of assurance accepted (default substantial: loa2 or loa3). */
  levelOfAssurance?: keyof typeof LOA;
  /** Whether people with another EU country's eID are asked for and accepted (eIDAS, at the same least level). */
  eidas?: boolean;
  /** How far the IdP's clock may be from ours (default 60 s). */
  clockSkewMs?: number;
  /** The oldest assertion accepted, from its IssueInstant (default 10 minutes). */
  maxAssertionAgeMs?: number;
  /** The name in the metadata's AttributeConsumingService (default "Aurora"). */
  serviceName?: string;
}

/** What single logout needs, as EidIdentity.logout gives it. */
export type LogoutInfo = NonNullable<EidIdentity['logout']>;

/** A message from the IdP at our SingleLogoutService. */
export type SloMessage =
  /** The IdP ends the person's sessions (IdP-initiated logout): end ours, then send the browser to `respond`'s URL. */
  | { kind: 'logout-request'; nameId: string; sessionIndex?: string; respond(success: boolean): Promise<string> }
  /** The IdP's answer to our LogoutRequest: `state` is the one the logout was started with. */
  | { kind: 'logout-response'; state: string };

export interface SuomifiLogin {
  /** The service provider's metadata (signing and encryption certificates, ACS, SLO, requested attributes). */
  metadata(): string;
  /** A signed AuthnRequest as the IdP's URL to send the browser to; `state` comes back from `finish`. */
  start(state: string): Promise<string>;
  /** The IdP's posted answer, verified: the identity and the state the login was started with. */
  finish(body: { SAMLResponse?: unknown; RelayState?: unknown }): Promise<{ identity: EidIdentity; state: string }>;
  /** SP-initiated single logout: the IdP's URL with a signed LogoutRequest for this login. */
  logout(info: LogoutInfo, state: string): Promise<string>;
  /** A LogoutRequest or LogoutResponse arriving at the SingleLogoutService (HTTP-Redirect): its raw query string. */
  sloRedirect(rawQuery: string): Promise<SloMessage>;
}

const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/** Every refusal of an answer: 400, with a reason that names no person's data. */
export const refused = (detail: string) => new HttpProblem(400, 'eid-response-refused', 'The e-Identification answer was refused', detail);
/**
 * The person cancelled, or Suomi.fi could not identify them: a 400 problem, carrying (outside the
 * problem JSON) the state of the login it answered when that was an open request of ours, so that
 * the network's login can end that interaction (for instance with access_denied).
 */
export class EidNotCompleted extends HttpProblem {
  constructor(readonly state: string | null) {
    super(400, 'eid-not-completed', 'The e-Identification was not completed', 'the identification was cancelled or failed at Suomi.fi');
  }
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

type XmlJs = { _?: string; $?: Record<string, string> } & Record<string, unknown>;
const children = (node: unknown, name: string): XmlJs[] => (node && typeof node === 'object' ? asArray((node as Record<string, XmlJs | XmlJs[]>)[name]) : []);
const text = (node: XmlJs | undefined) => (typeof node === 'string' ? node : node?._);

export function createSuomifiLogin(settings: SuomifiSettings, db: Db): SuomifiLogin {
  const { idp, sp } = settings;
  const high = settings.levelOfAssurance === 'high';
  const accepted = [...(high ? [LOA.high] : [LOA.substantial, LOA.high]), ...(settings.eidas ? (high ? [EIDAS_LOA.high] : [EIDAS_LOA.substantial, EIDAS_LOA.high]) : [])];
  const clockSkewMs = settings.clockSkewMs ?? 60_000;
  const options: SamlConfig = {
    entryPoint: idp.ssoUrl,
    logoutUrl: idp.sloUrl,
    idpIssuer: idp.entityId,
    idpCert: idp.certificates,
    issuer: sp.entityId,
    audience: sp.entityId,
    callbackUrl: sp.acsUrl,
    logoutCallbackUrl: sp.sloUrl,
    privateKey: sp.signingKey,
    publicCert: sp.signingCert,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    decryptionPvk: sp.encryptionKey,
    identifierFormat: TRANSIENT,
    authnContext: accepted,
    racComparison: 'exact',
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: clockSkewMs,
    maxAssertionAgeMs: settings.maxAssertionAgeMs ?? 10 * 60_000,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_VALIDITY_MS,
    cacheProvider: requestCache(db),
  };
  const saml = new SAML(options);
  const previous = sp.previousEncryptionKey ? new SAML({ ...options, decryptionPvk: sp.previousEncryptionKey }) : null;
  /** node-saml's verification; an answer our current key cannot decrypt is tried with the previous one. */
  const validate = async (SAMLResponse: string) => {
    try {
      return await saml.validatePostResponseAsync({ SAMLResponse });
    } catch (error) {
      if (!previous || error instanceof SamlStatusError) throw error;
      try {
        return await previous.validatePostResponseAsync({ SAMLResponse });
      } catch (again) {
        throw isDecryptionError(error) ? again : error;
      }
    }
  };
  // Requests carry an ID we chose and remembered (with its state) before node-saml builds them.
  const withId = (id: string) => new SAML({ ...options, generateUniqueId: () => id });

  const metadata = () => {
    const xml = saml.generateServiceProviderMetadata(sp.encryptionCert, sp.nextSigningCert ? [sp.signingCert, sp.nextSigningCert] : sp.signingCert);
    const requested = REQUESTED_ATTRIBUTES.map(
      (a) => `<RequestedAttribute Name="${a.name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" FriendlyName="${a.friendlyName}" isRequired="${a.required}"/>`,
    ).join('');
    const service = `<AttributeConsumingService index="0" isDefault="true"><ServiceName xml:lang="fi">${escapeXml(settings.serviceName ?? 'Aurora')}</ServiceName>${requested}</AttributeConsumingService>`;
    // Suomi.fi sends logout messages by HTTP-Redirect, which is what our SLO endpoint takes.
    return xml
      .replace('<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"', '<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"')
      .replace('</SPSSODescriptor>', `${service}</SPSSODescriptor>`);
  };

  const start = async (state: string) => {
    const id = newRequestId();
    await rememberRequest(db, id, 'authn', state);
    return withId(id).getAuthorizeUrlAsync(state, undefined, {});
  };

  const finish = async (body: { SAMLResponse?: unknown; RelayState?: unknown }) => {
    if (typeof body.SAMLResponse !== 'string' || body.SAMLResponse === '') throw refused('no SAMLResponse');
    const xml = Buffer.from(body.SAMLResponse, 'base64').toString('utf8');
    // Its own type rather than the DOM's Document, which the compiled build (no DOM lib) does not know.
    let document: Awaited<ReturnType<typeof parseDomFromString>>;
    try {
      document = await parseDomFromString(xml);
    } catch {
      throw refused('the SAMLResponse is not XML');
    }
    // Suomi.fi always encrypts its assertion: a readable one, anywhere in the answer, is not its.
    if (document.documentElement?.localName !== 'Response') throw refused('the answer is not a SAML Response');
    if (xpath.selectElements(document, "//*[local-name()='Assertion']").length > 0) throw refused('the assertion is not encrypted');
    const status = xpath.selectAttributes(document, "/*[local-name()='Response']/*[local-name()='Status']/*[local-name()='StatusCode']/@Value")[0]?.value;
    const encrypted = xpath.selectElements(document, "/*[local-name()='Response']/*[local-name()='EncryptedAssertion']");
    if (status === 'urn:oasis:names:tc:SAML:2.0:status:Success' && encrypted.length !== 1) throw refused('the answer must carry exactly one encrypted assertion');

    let profile: Profile | null;
    try {
      ({ profile } = await validate(body.SAMLResponse));
    } catch (error) {
      if (error instanceof SamlStatusError) {
        // Unsigned, as Suomi.fi's error answers may be: it can only end the login it names, once.
        const inResponseTo = xpath.selectAttributes(document, "/*[local-name()='Response']/@InResponseTo")[0]?.value;
        throw new EidNotCompleted(inResponseTo ? await consumeRequest(db, inResponseTo, 'authn') : null);
      }
      throw refused(reason(error));
    }
    if (!profile) throw refused('the answer carries no assertion');
    if (profile.issuer !== idp.entityId) throw refused('the assertion is not from the configured IdP');

    // The signed assertion's subject confirmation: a bearer one for our ACS, answering the request
    // the (unsigned) Response names. node-saml has already checked its times.
    const assertion = (profile.getAssertion?.() as { Assertion?: XmlJs } | undefined)?.Assertion;
    const confirmations = children(children(assertion, 'Subject')[0], 'SubjectConfirmation').filter((c) => c.$?.Method === BEARER);
    const data = confirmations.flatMap((c) => children(c, 'SubjectConfirmationData'));
    const inResponseTo = typeof profile.inResponseTo === 'string' ? profile.inResponseTo : undefined;
    if (!inResponseTo || data.length === 0 || !data.every((d) => d.$?.InResponseTo === inResponseTo)) throw refused('the assertion does not answer a request of ours');
    if (!data.every((d) => d.$?.Recipient === sp.acsUrl)) throw refused('the assertion is meant for another recipient');
    const levelOfAssurance = text(children(children(children(assertion, 'AuthnStatement')[0], 'AuthnContext')[0], 'AuthnContextClassRef')[0]);
    if (!levelOfAssurance || !(accepted as string[]).includes(levelOfAssurance)) throw refused('the level of assurance is not the one asked for');

    let identity: EidIdentity;
    try {
      identity = identityFromAttributes((profile.attributes ?? {}) as Record<string, unknown>, {
        levelOfAssurance,
        logout: {
          nameId: profile.nameID,
          ...(profile.nameIDFormat ? { nameIdFormat: profile.nameIDFormat } : {}),
          ...(profile.sessionIndex ? { sessionIndex: profile.sessionIndex } : {}),
        },
      });
    } catch (error) {
      if (error instanceof UnusableIdentity) throw refused(error.message);
      throw error;
    }
    // Last, once everything else holds: the request is used up, on every server at once.
    const state = await consumeRequest(db, inResponseTo, 'authn');
    if (state === null) throw refused('the answer was already used, or its request has expired');
    if (body.RelayState !== undefined && body.RelayState !== state) throw refused('the RelayState is not the one the login was started with');
    return { identity, state };
  };

  const logout = async (info: LogoutInfo, state: string) => {
    const id = newRequestId();
    await rememberRequest(db, id, 'logout', state);
    const user: Profile = {
      issuer: idp.entityId,
      nameID: info.nameId,
      nameIDFormat: info.nameIdFormat ?? TRANSIENT,
      ...(info.sessionIndex ? { sessionIndex: info.sessionIndex } : {}),
    };
    return withId(id).getLogoutUrlAsync(user, state, {});
  };

  const sloRedirect = async (rawQuery: string): Promise<SloMessage> => {
    const query = Object.fromEntries(new URLSearchParams(rawQuery));
    // node-saml accepts an unsigned redirect message; Suomi.fi signs every one.
    if (!query.Signature || !query.SigAlg) throw refused('the logout message is not signed');
    if (!query.SAMLRequest === !query.SAMLResponse) throw refused('expected one SAMLRequest or SAMLResponse');
    let result: { profile: Profile | null; loggedOut: boolean };
    try {
      result = await saml.validateRedirectAsync(query, rawQuery);
    } catch (error) {
      throw refused(reason(error));
    }
    if (query.SAMLRequest) {
      const profile = result.profile;
      if (!profile?.nameID || profile.issuer !== idp.entityId) throw refused('the logout request names no session of this IdP');
      return {
        kind: 'logout-request',
        nameId: profile.nameID,
        ...(profile.sessionIndex ? { sessionIndex: profile.sessionIndex } : {}),
        respond: (success) => saml.getLogoutResponseUrlAsync(profile, query.RelayState ?? '', {}, success),
      };
    }
    const inResponseTo = await logoutResponseInResponseTo(query.SAMLResponse!);
    if (!inResponseTo) throw refused('the logout answer does not answer a request of ours');
    const state = await consumeRequest(db, inResponseTo, 'logout');
    if (state === null) throw refused('the logout answer was already used, or its request has expired');
    return { kind: 'logout-response', state };
  };

  return { metadata, start, finish, logout, sloRedirect };
}

/** The InResponseTo of a LogoutResponse sent by HTTP-Redirect (deflated, base64). */
async function logoutResponseInResponseTo(base64: string): Promise<string | undefined> {
  const document = await parseDomFromString(inflateRawSync(Buffer.from(base64, 'base64')).toString('utf8'));
  return xpath.selectAttributes(document, "/*[local-name()='LogoutResponse']/@InResponseTo")[0]?.value;
}

const isDecryptionError = (error: unknown) => /decrypt|oaep|rsa routines|EncryptedAssertion|EncryptedData/i.test(error instanceof Error ? error.message : '');

/** node-saml's reason, which names no attribute value; anything unexpected is summarised. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/InResponseTo/i.test(message)) return 'the answer does not answer an open request of ours (unsolicited, replayed or expired)';
  if (/expired|not yet valid|too old|subject confirmation/i.test(message)) return 'the assertion has expired or is not yet valid';
  if (/audience/i.test(message)) return 'the assertion is meant for another service';
  if (/signature/i.test(message)) return 'the signature is not valid';
  if (isDecryptionError(error)) return 'the assertion could not be decrypted';
  if (/issuer/i.test(message)) return 'the message is not from the configured IdP';
  return 'the answer could not be verified';
}

function escapeXml(value: string) {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
