import { readFileSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { parseDomFromString, xpath } from '@node-saml/node-saml/lib/xml.js';
import { setting } from '../../config.ts';
import { publicOriginFromEnv } from '../../staff/sessions.ts';
import type { SuomifiSettings } from './suomifi-login.ts';

/**
 * Suomi.fi login's settings from the environment (src/config.ts declares and checks each variable).
 * Off when AURORA_SUOMIFI_SP_ENTITY_ID is unset; with it set but something missing, off too, and
 * `problem` says what is missing (logged once at start, and the routes answer 404).
 */

export const SUOMIFI_PATH = '/api/v1/identity/suomifi';

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

const optional = <K extends string>(key: K, value: string | undefined) => (value ? ({ [key]: value } as Record<K, string>) : {});

export type SuomifiConfiguration = { settings: SuomifiSettings; problem: null } | { settings: null; problem: string | null };

/** The IdP's entity ID, HTTP-Redirect SSO and SLO locations and signing certificates, from its metadata. */
export async function idpFromMetadata(xml: string): Promise<SuomifiSettings['idp']> {
  const document = await parseDomFromString(xml);
  const entity = xpath.selectElements(document, "//*[local-name()='EntityDescriptor'][*[local-name()='IDPSSODescriptor']]")[0];
  if (!entity) throw new Error('the metadata describes no identity provider');
  const idp = xpath.selectElements(entity, "./*[local-name()='IDPSSODescriptor']")[0]!;
  const location = (service: string) =>
    xpath.selectElements(idp, `./*[local-name()='${service}']`).find((e) => e.getAttribute('Binding') === REDIRECT)?.getAttribute('Location') ?? undefined;
  const certificates = xpath
    .selectElements(idp, "./*[local-name()='KeyDescriptor'][not(@use) or @use='signing']//*[local-name()='X509Certificate']")
    .map((e) => (e.textContent ?? '').replace(/\s+/g, ''))
    .filter(Boolean)
    .map((base64) => `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`);
  const entityId = entity.getAttribute('entityID');
  const ssoUrl = location('SingleSignOnService');
  const sloUrl = location('SingleLogoutService');
  if (!entityId || !ssoUrl || !sloUrl || certificates.length === 0)
    throw new Error('the metadata lacks the entity ID, an HTTP-Redirect SingleSignOnService or SingleLogoutService, or a signing certificate');
  return { entityId, ssoUrl, sloUrl, certificates };
}

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

/**
 * The metadata as its signer signed it: the enveloped signature on the document's root element must
 * verify with `certificate` and cover that element (its reference the root's ID, or the whole
 * document); what is returned is the signed element as xml-crypto canonicalised it, so that nothing
 * outside the signature (a wrapped second EntityDescriptor) is ever read. A validUntil in the past
 * is refused too.
 */
export function signedMetadata(xml: string, certificate: string, now = new Date()): string {
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  const root = document.documentElement;
  if (!root) throw new Error('the metadata is not XML');
  const signatures = Array.from(root.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).localName === 'Signature' && (n as Element).namespaceURI === DSIG);
  if (signatures.length !== 1) throw new Error('the metadata carries no signature on its root element (or more than one)');
  const verifier = new SignedXml({ publicCert: certificate, getCertFromKeyInfo: () => null });
  verifier.loadSignature(signatures[0]!);
  let valid = false;
  try {
    valid = verifier.checkSignature(xml);
  } catch {
    valid = false;
  }
  if (!valid) throw new Error('the metadata signature does not verify with AURORA_SUOMIFI_IDP_METADATA_SIGNING_CERT');
  const rootId = root.getAttribute('ID');
  const references = verifier.getReferences();
  if (references.length !== 1 || !(references[0]!.uri === '' || (rootId && references[0]!.uri === `#${rootId}`)))
    throw new Error('the metadata signature does not cover the whole document');
  const signed = verifier.getSignedReferences()[0];
  if (!signed) throw new Error('the metadata signature covers nothing');
  const validUntil = root.getAttribute('validUntil');
  if (validUntil && !(new Date(validUntil).getTime() > now.getTime())) throw new Error(`the metadata expired (validUntil ${validUntil}): fetch Suomi.fi's current metadata`);
  return signed;
}

export async function suomifiSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<SuomifiConfiguration> {
  const entityId = setting('AURORA_SUOMIFI_SP_ENTITY_ID', env);
  if (!entityId) return { settings: null, problem: null };
  const sp = {
    signingKey: setting('AURORA_SUOMIFI_SP_SIGNING_KEY', env),
    signingCert: setting('AURORA_SUOMIFI_SP_SIGNING_CERT', env),
    encryptionKey: setting('AURORA_SUOMIFI_SP_ENCRYPTION_KEY', env),
    encryptionCert: setting('AURORA_SUOMIFI_SP_ENCRYPTION_CERT', env),
  };
  const missing = Object.entries({
    AURORA_SUOMIFI_SP_SIGNING_KEY: sp.signingKey,
    AURORA_SUOMIFI_SP_SIGNING_CERT: sp.signingCert,
    AURORA_SUOMIFI_SP_ENCRYPTION_KEY: sp.encryptionKey,
    AURORA_SUOMIFI_SP_ENCRYPTION_CERT: sp.encryptionCert,
  })
    .filter(([, value]) => !value)
    .map(([name]) => name);
  let idp: SuomifiSettings['idp'] | undefined;
  const metadataFile = setting('AURORA_SUOMIFI_IDP_METADATA_FILE', env);
  if (metadataFile) {
    try {
      const xml = readFileSync(metadataFile, 'utf8');
      const signer = setting('AURORA_SUOMIFI_IDP_METADATA_SIGNING_CERT', env);
      idp = await idpFromMetadata(signer ? signedMetadata(xml, signer) : xml);
    } catch (error) {
      return { settings: null, problem: `Suomi.fi login is off: AURORA_SUOMIFI_IDP_METADATA_FILE: ${(error as Error).message}` };
    }
  } else {
    const parts = {
      AURORA_SUOMIFI_IDP_ENTITY_ID: setting('AURORA_SUOMIFI_IDP_ENTITY_ID', env),
      AURORA_SUOMIFI_IDP_SSO_URL: setting('AURORA_SUOMIFI_IDP_SSO_URL', env),
      AURORA_SUOMIFI_IDP_SLO_URL: setting('AURORA_SUOMIFI_IDP_SLO_URL', env),
      AURORA_SUOMIFI_IDP_CERTIFICATES: setting('AURORA_SUOMIFI_IDP_CERTIFICATES', env),
    };
    const absent = Object.entries(parts).filter(([, value]) => !value).map(([name]) => name);
    if (absent.length > 0) missing.push(absent.length === 4 ? 'AURORA_SUOMIFI_IDP_METADATA_FILE (or the four AURORA_SUOMIFI_IDP_… variables)' : absent.join(', '));
    else
      idp = {
        entityId: parts.AURORA_SUOMIFI_IDP_ENTITY_ID!,
        ssoUrl: parts.AURORA_SUOMIFI_IDP_SSO_URL!,
        sloUrl: parts.AURORA_SUOMIFI_IDP_SLO_URL!,
        certificates: parts.AURORA_SUOMIFI_IDP_CERTIFICATES!,
      };
  }
  if (missing.length > 0 || !idp) return { settings: null, problem: `Suomi.fi login is off: set ${missing.join(', ')}` };
  // The ACS and SLO URLs are made on the configured public URL, never on a request's Host.
  const { origin } = publicOriginFromEnv(env);
  return {
    settings: {
      idp,
      sp: {
        entityId,
        acsUrl: `${origin}${SUOMIFI_PATH}/acs`,
        sloUrl: `${origin}${SUOMIFI_PATH}/slo`,
        signingKey: sp.signingKey!,
        signingCert: sp.signingCert!,
        encryptionKey: sp.encryptionKey!,
        encryptionCert: sp.encryptionCert!,
        ...optional('nextSigningCert', setting('AURORA_SUOMIFI_SP_NEXT_SIGNING_CERT', env)),
        ...optional('previousEncryptionKey', setting('AURORA_SUOMIFI_SP_PREVIOUS_ENCRYPTION_KEY', env)),
      },
      levelOfAssurance: setting('AURORA_SUOMIFI_LEVEL_OF_ASSURANCE', env),
      eidas: setting('AURORA_SUOMIFI_EIDAS', env) ?? false,
    },
    problem: null,
  };
}
