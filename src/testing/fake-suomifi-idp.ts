import { createPublicKey, createSign, createVerify, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import xmlenc from 'xml-encryption';
import type { SuomifiSettings } from '../identity/suomifi/suomifi-login.ts';

/**
 * An in-process stand-in for Suomi.fi e-Identification, for tests only and offline: it reads the
 * network's AuthnRequest from the redirect URL (and checks its signature against the service
 * provider's signing certificate), and answers the way Suomi.fi does: a Response whose assertion is
 * signed by one of its two keys and then encrypted to the service provider's encryption
 * certificate, with the attributes of Suomi.fi's published test identity codes. Options make the
 * answers that an attacker or a broken IdP would send. Its keys are the test-only fixtures in
 * fixtures/suomifi/ (see the README there).
 */

const FIXTURES = join(import.meta.dirname, 'fixtures', 'suomifi');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

export const TEST_KEYS = {
  spSigning: { key: fixture('sp-signing.key'), cert: fixture('sp-signing.crt') },
  spEncryption: { key: fixture('sp-encryption.key'), cert: fixture('sp-encryption.crt') },
  idp1: { key: fixture('idp-1.key'), cert: fixture('idp-1.crt') },
  idp2: { key: fixture('idp-2.key'), cert: fixture('idp-2.crt') },
  forger: { key: fixture('forger.key'), cert: fixture('forger.crt') },
};

export const IDP_ENTITY_ID = 'https://testi.apro.tunnistus.fi/idp1';
export const IDP_SSO_URL = 'https://testi.apro.tunnistus.fi/idp/profile/SAML2/Redirect/SSO';
export const IDP_SLO_URL = 'https://testi.apro.tunnistus.fi/idp/profile/SAML2/Redirect/SLO';
export const SP_ENTITY_ID = 'https://aurora.example.fi/saml/sp';

/** Suomi.fi's test people (the published test identity codes), with what the IdP says of them. */
export const TEST_PEOPLE = {
  /** An ordinary citizen living in Helsinki. */
  ordinary: { identityCode: '010280-952L', givenName: 'Nordea', sn: 'Demo', municipality: '091', securityDenial: 'false' },
  /** A person under a security denial: their municipality is sent, and must never be used. */
  protected: { identityCode: '260991-999R', givenName: 'Turva', sn: 'Kielto', municipality: '837', securityDenial: 'true' },
  /** A person identified with another EU country's eID through eIDAS: no Finnish identity code. */
  eidas: { eidasIdentifier: 'DE/FI/9f3c6a1e4b7d2a8c', dateOfBirth: '1979-05-17', givenName: 'Erika', sn: 'Mustermann' },
} as const;

export type TestPerson = {
  identityCode?: string;
  eidasIdentifier?: string;
  dateOfBirth?: string;
  givenName: string;
  sn: string;
  municipality?: string;
  securityDenial?: string;
  mail?: string;
};

const NS = {
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
};
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

/** The service provider's settings for talking to this IdP (with both IdP certificates unless told). */
export function testSuomifiSettings(origin = 'http://localhost', idpCertificates = [TEST_KEYS.idp1.cert, TEST_KEYS.idp2.cert]): SuomifiSettings {
  return {
    idp: { entityId: IDP_ENTITY_ID, ssoUrl: IDP_SSO_URL, sloUrl: IDP_SLO_URL, certificates: idpCertificates },
    sp: {
      entityId: SP_ENTITY_ID,
      acsUrl: `${origin}/api/v1/identity/suomifi/acs`,
      sloUrl: `${origin}/api/v1/identity/suomifi/slo`,
      signingKey: TEST_KEYS.spSigning.key,
      signingCert: TEST_KEYS.spSigning.cert,
      encryptionKey: TEST_KEYS.spEncryption.key,
      encryptionCert: TEST_KEYS.spEncryption.cert,
    },
  };
}

const pemBody = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
const escape = (value: string) => value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const newId = () => `_${randomBytes(16).toString('hex')}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** The IdP's metadata, with both signing certificates (as Suomi.fi publishes them while they rotate). */
export function idpMetadata(certificates = [TEST_KEYS.idp1.cert, TEST_KEYS.idp2.cert]): string {
  const keys = certificates
    .map((c) => `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${pemBody(c)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${IDP_ENTITY_ID}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="true">${keys}<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${IDP_SLO_URL}"/><md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${IDP_SSO_URL}"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
}

/** The IdP's metadata as Suomi.fi publishes it: signed (enveloped, the whole document, signature first), with an ID and a validUntil. */
export function signedIdpMetadata(signer: { key: string; cert: string }, options: { validUntil?: Date; certificates?: string[] } = {}): string {
  const validUntil = (options.validUntil ?? new Date(Date.now() + 30 * 86_400_000)).toISOString();
  const unsigned = idpMetadata(options.certificates).replace('<md:EntityDescriptor ', `<md:EntityDescriptor ID="_metadata-${newId()}" validUntil="${validUntil}" `);
  return envelopedSignature(unsigned, "/*[local-name(.)='EntityDescriptor']", { reference: "/*[local-name(.)='EntityDescriptor']", action: 'prepend' }, signer);
}

/** A redirect-binding message's signature check: over the raw `SAMLx=…&RelayState=…&SigAlg=…` of the query. */
function verifyRedirectSignature(rawQuery: string, cert: string): boolean {
  const tokens = rawQuery.split('&');
  const raw = (key: string) => tokens.find((t) => t.startsWith(`${key}=`));
  const signed = [raw('SAMLRequest') ?? raw('SAMLResponse'), raw('RelayState'), raw('SigAlg')].filter(Boolean).join('&');
  const signature = new URLSearchParams(rawQuery).get('Signature');
  if (!signature || new URLSearchParams(rawQuery).get('SigAlg') !== RSA_SHA256) return false;
  return createVerify('RSA-SHA256').update(signed).verify(cert, signature, 'base64');
}

/** A redirect-binding URL carrying a deflated message, signed with this key. */
function signedRedirect(base: string, kind: 'SAMLRequest' | 'SAMLResponse', xml: string, relayState: string | undefined, key: string): string {
  const parts = [`${kind}=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}`];
  if (relayState) parts.push(`RelayState=${encodeURIComponent(relayState)}`);
  parts.push(`SigAlg=${encodeURIComponent(RSA_SHA256)}`);
  const signature = createSign('RSA-SHA256').update(parts.join('&')).sign(key, 'base64');
  return `${base}?${parts.join('&')}&Signature=${encodeURIComponent(signature)}`;
}

const element = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml').documentElement!;

export interface ReceivedRequest {
  id: string;
  acsUrl: string;
  relayState: string;
  issuer: string;
  authnContexts: string[];
  signatureValid: boolean;
}

/** What may be wrong with an answer (all default to how Suomi.fi answers). */
export interface AnswerOptions {
  /** Which key signs the assertion: either of the IdP's, an attacker's, or none. */
  signer?: 'idp1' | 'idp2' | 'forger' | 'none';
  /** false: the assertion travels readable (Suomi.fi never does that). */
  encrypt?: boolean;
  /** The Response's and the subject confirmation's InResponseTo; null for none (unsolicited). */
  inResponseTo?: string | null;
  audience?: string;
  recipient?: string;
  issuer?: string;
  levelOfAssurance?: string;
  /** When the assertion was issued and how long it lives, in ms from now (default now, 5 minutes). */
  issuedAtMs?: number;
  validForMs?: number;
  /** The signed assertion before encryption, changed by an attacker (signature wrapping). */
  afterSigning?: (signedAssertion: string) => string;
  /** The whole Response before it is encoded. */
  aroundResponse?: (response: string) => string;
  /** A non-success status (the person cancelled): no assertion. */
  status?: string;
}

export class FakeSuomifiIdp {
  constructor(readonly spSettings: SuomifiSettings = testSuomifiSettings()) {}

  metadata() {
    return idpMetadata();
  }

  /** Reads the AuthnRequest from the URL the network sent the browser to. */
  receive(authorizeUrl: string): ReceivedRequest {
    const url = new URL(authorizeUrl);
    if (url.origin + url.pathname !== IDP_SSO_URL) throw new Error(`not the IdP's SSO URL: ${url.origin}${url.pathname}`);
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
    const request = element(xml);
    if (request.localName !== 'AuthnRequest') throw new Error('not an AuthnRequest');
    const refs = Array.from(request.getElementsByTagNameNS(NS.saml, 'AuthnContextClassRef')).map((e) => e.textContent ?? '');
    return {
      id: request.getAttribute('ID') ?? '',
      acsUrl: request.getAttribute('AssertionConsumerServiceURL') ?? '',
      relayState: url.searchParams.get('RelayState') ?? '',
      issuer: request.getElementsByTagNameNS(NS.saml, 'Issuer')[0]?.textContent ?? '',
      authnContexts: refs,
      signatureValid: verifyRedirectSignature(url.search.slice(1), this.spSettings.sp.signingCert),
    };
  }

  /** The signed (and normally encrypted) assertion's Response, as the browser posts it to the ACS. */
  async answer(request: ReceivedRequest, person: TestPerson, options: AnswerOptions = {}): Promise<{ SAMLResponse: string; RelayState: string }> {
    const now = Date.now() + (options.issuedAtMs ?? 0);
    const until = now + (options.validForMs ?? 5 * 60_000);
    const inResponseTo = options.inResponseTo === undefined ? request.id : options.inResponseTo;
    const irt = inResponseTo === null ? '' : ` InResponseTo="${escape(inResponseTo)}"`;
    const issuer = options.issuer ?? IDP_ENTITY_ID;
    const nameId = `AAdzZWNyZXQx${randomBytes(12).toString('hex')}`;
    const sessionIndex = newId();
    const status = options.status ?? 'urn:oasis:names:tc:SAML:2.0:status:Success';
    let body = '';
    if (status === 'urn:oasis:names:tc:SAML:2.0:status:Success') {
      const assertion = this.assertion({ person, issuer, now, until, irt, nameId, sessionIndex, request, options });
      const signed = options.signer === 'none' ? assertion : sign(assertion, TEST_KEYS[options.signer ?? 'idp1']);
      const tampered = options.afterSigning ? options.afterSigning(signed) : signed;
      body = options.encrypt === false ? tampered : `<saml2:EncryptedAssertion>${await encrypt(tampered, this.spSettings.sp.encryptionCert)}</saml2:EncryptedAssertion>`;
    }
    const statusXml =
      status === 'urn:oasis:names:tc:SAML:2.0:status:Success'
        ? `<saml2p:StatusCode Value="${status}"/>`
        : `<saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><saml2p:StatusCode Value="${status}"/></saml2p:StatusCode>`;
    let response = `<saml2p:Response xmlns:saml2p="${NS.samlp}" xmlns:saml2="${NS.saml}" ID="${newId()}" Version="2.0" IssueInstant="${iso(now)}" Destination="${escape(request.acsUrl)}"${irt}><saml2:Issuer>${escape(issuer)}</saml2:Issuer><saml2p:Status>${statusXml}</saml2p:Status>${body}</saml2p:Response>`;
    if (options.aroundResponse) response = options.aroundResponse(response);
    return { SAMLResponse: Buffer.from(response).toString('base64'), RelayState: request.relayState };
  }

  /** An unsigned assertion for this person (what an attacker writes to wrap a signed one). */
  assertion(parts: { person: TestPerson; issuer?: string; now?: number; until?: number; irt: string; nameId?: string; sessionIndex?: string; request: ReceivedRequest; options?: AnswerOptions }): string {
    const { person, irt, request } = parts;
    const options = parts.options ?? {};
    const now = parts.now ?? Date.now();
    const until = parts.until ?? now + 5 * 60_000;
    const attribute = (name: string, friendly: string, value: string | undefined) =>
      value === undefined
        ? ''
        : `<saml2:Attribute FriendlyName="${friendly}" Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml2:AttributeValue>${escape(value)}</saml2:AttributeValue></saml2:Attribute>`;
    const attributes = [
      attribute('urn:oid:1.2.246.21', 'nationalIdentificationNumber', person.identityCode),
      attribute('urn:oid:2.5.4.3', 'cn', `${person.sn} ${person.givenName}`),
      attribute('urn:oid:2.5.4.42', 'givenName', person.givenName),
      attribute('urn:oid:2.5.4.4', 'sn', person.sn),
      attribute('http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName', 'FirstName', person.givenName),
      attribute('urn:oid:0.9.2342.19200300.100.1.3', 'mail', person.mail),
      attribute('urn:oid:1.2.246.517.2002.2.18', 'KotikuntaKuntanumero', person.municipality),
      attribute('urn:oid:1.2.246.517.2002.2.27', 'TurvakieltoTieto', person.securityDenial),
      attribute('http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier', 'PersonIdentifier', person.eidasIdentifier),
      attribute('http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName', 'FamilyName', person.eidasIdentifier ? person.sn : undefined),
      attribute('http://eidas.europa.eu/attributes/naturalperson/DateOfBirth', 'DateOfBirth', person.dateOfBirth),
    ].join('');
    return (
      `<saml2:Assertion xmlns:saml2="${NS.saml}" ID="${newId()}" IssueInstant="${iso(now)}" Version="2.0">` +
      `<saml2:Issuer>${escape(parts.issuer ?? IDP_ENTITY_ID)}</saml2:Issuer>` +
      `<saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient" NameQualifier="${escape(IDP_ENTITY_ID)}" SPNameQualifier="${escape(SP_ENTITY_ID)}">${parts.nameId ?? newId()}</saml2:NameID>` +
      `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData Address="127.0.0.1"${irt} NotOnOrAfter="${iso(until)}" Recipient="${escape(options.recipient ?? request.acsUrl)}"/></saml2:SubjectConfirmation></saml2:Subject>` +
      `<saml2:Conditions NotBefore="${iso(now - 1000)}" NotOnOrAfter="${iso(until)}"><saml2:AudienceRestriction><saml2:Audience>${escape(options.audience ?? SP_ENTITY_ID)}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions>` +
      `<saml2:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${parts.sessionIndex ?? newId()}"><saml2:AuthnContext><saml2:AuthnContextClassRef>${escape(options.levelOfAssurance ?? 'http://ftn.ficora.fi/2017/loa3')}</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
      `<saml2:AttributeStatement>${attributes}</saml2:AttributeStatement>` +
      `</saml2:Assertion>`
    );
  }

  /** IdP-initiated single logout: the URL of the SP's SLO endpoint with a signed LogoutRequest. */
  logoutRequest(nameId: string, sessionIndex?: string, options: { signer?: 'idp1' | 'idp2' | 'forger'; relayState?: string } = {}): string {
    const now = Date.now();
    const xml =
      `<saml2p:LogoutRequest xmlns:saml2p="${NS.samlp}" xmlns:saml2="${NS.saml}" ID="${newId()}" Version="2.0" IssueInstant="${iso(now)}" Destination="${escape(this.spSettings.sp.sloUrl)}" NotOnOrAfter="${iso(now + 5 * 60_000)}">` +
      `<saml2:Issuer>${IDP_ENTITY_ID}</saml2:Issuer><saml2:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">${escape(nameId)}</saml2:NameID>` +
      (sessionIndex ? `<saml2p:SessionIndex>${escape(sessionIndex)}</saml2p:SessionIndex>` : '') +
      `</saml2p:LogoutRequest>`;
    return signedRedirect(this.spSettings.sp.sloUrl, 'SAMLRequest', xml, options.relayState, TEST_KEYS[options.signer ?? 'idp1'].key);
  }

  /**
   * The IdP's side of SP-initiated logout: reads the LogoutRequest from the URL the network sent the
   * browser to (checking its signature) and gives the URL of the SP's SLO endpoint with a signed
   * LogoutResponse.
   */
  logoutAnswer(logoutUrl: string): { request: { id: string; nameId: string; sessionIndex?: string; signatureValid: boolean }; responseUrl: string } {
    const url = new URL(logoutUrl);
    const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
    const request = element(xml);
    const id = request.getAttribute('ID') ?? '';
    const nameId = request.getElementsByTagNameNS(NS.saml, 'NameID')[0]?.textContent ?? '';
    const sessionIndex = request.getElementsByTagNameNS(NS.samlp, 'SessionIndex')[0]?.textContent ?? undefined;
    const now = Date.now();
    const response =
      `<saml2p:LogoutResponse xmlns:saml2p="${NS.samlp}" xmlns:saml2="${NS.saml}" ID="${newId()}" Version="2.0" IssueInstant="${iso(now)}" Destination="${escape(this.spSettings.sp.sloUrl)}" InResponseTo="${escape(id)}">` +
      `<saml2:Issuer>${IDP_ENTITY_ID}</saml2:Issuer><saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status></saml2p:LogoutResponse>`;
    return {
      request: { id, nameId, ...(sessionIndex ? { sessionIndex } : {}), signatureValid: verifyRedirectSignature(url.search.slice(1), this.spSettings.sp.signingCert) },
      responseUrl: signedRedirect(this.spSettings.sp.sloUrl, 'SAMLResponse', response, url.searchParams.get('RelayState') ?? undefined, TEST_KEYS.idp1.key),
    };
  }
}

/** An enveloped signature over the assertion, placed after its Issuer (as SAML requires). */
export function sign(assertion: string, key: { key: string; cert: string }): string {
  return envelopedSignature(assertion, "/*[local-name(.)='Assertion']", { reference: "/*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' }, key);
}

/** An enveloped RSA-SHA256 signature (exclusive c14n, SHA-256 digest) over the element at `element`, placed at `location`. */
function envelopedSignature(xml: string, element: string, location: { reference: string; action: 'after' | 'prepend' }, key: { key: string; cert: string }): string {
  const signature = new SignedXml({ privateKey: key.key, publicCert: key.cert, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: EXC_C14N });
  signature.addReference({ xpath: element, transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
  signature.computeSignature(xml, { location });
  return signature.getSignedXml();
}

/** XML Encryption of the assertion to this certificate's key (AES-256-GCM, the key by RSA-OAEP). */
export function encrypt(xml: string, cert: string): Promise<string> {
  const publicKey = createPublicKey(cert).export({ type: 'spki', format: 'pem' }).toString();
  return new Promise((resolve, reject) =>
    xmlenc.encrypt(
      xml,
      {
        rsa_pub: publicKey,
        pem: cert,
        encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
        keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
        disallowEncryptionWithInsecureAlgorithm: true,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
}
