import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { buildServer, type ServerOptions } from '../http/server.ts';
import { checkCharacter } from '../identity/suomifi/identity-code.ts';
import type { RegisteredOidcClient } from '../identity/register-client.ts';
import { idpMetadata, type FakeSuomifiIdp, type TestPerson } from './fake-suomifi-idp.ts';
import { OidcBrowser, basic, pkce } from './oidc-browser.ts';

/**
 * A network configured for Suomi.fi the way an operator does it (the IdP's metadata file, keys and
 * certificates as files), and a person's whole login through it to a service: the service's
 * authorization request, the network's login page, Suomi.fi (the in-process fake IdP), consent, the
 * code at the service's redirect URI, the token endpoint and userinfo. Tests, the identity bench and
 * the stored-data test share it.
 */

const FIXTURES = join(import.meta.dirname, 'fixtures', 'suomifi');

export const SUOMIFI_ENV_KEYS = [
  'AURORA_PUBLIC_URL',
  'AURORA_SUOMIFI_SP_ENTITY_ID',
  'AURORA_SUOMIFI_IDP_METADATA_FILE',
  'AURORA_SUOMIFI_IDP_ENTITY_ID',
  'AURORA_SUOMIFI_IDP_SSO_URL',
  'AURORA_SUOMIFI_IDP_SLO_URL',
  'AURORA_SUOMIFI_IDP_CERTIFICATES',
  'AURORA_SUOMIFI_SP_SIGNING_KEY',
  'AURORA_SUOMIFI_SP_SIGNING_CERT',
  'AURORA_SUOMIFI_SP_ENCRYPTION_KEY',
  'AURORA_SUOMIFI_SP_ENCRYPTION_CERT',
  'AURORA_SUOMIFI_LEVEL_OF_ASSURANCE',
] as const;
export type SuomifiEnv = Partial<Record<(typeof SUOMIFI_ENV_KEYS)[number], string>>;

export const suomifiFixture = (name: string) => join(FIXTURES, name);

/** The variables of a network that uses the test IdP, its metadata written into a folder of its own; `remove` deletes the folder. */
export function suomifiEnv(origin = 'http://localhost'): { env: SuomifiEnv; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'aurora-suomifi-'));
  const metadataFile = join(folder, 'idp-metadata.xml');
  writeFileSync(metadataFile, idpMetadata());
  return {
    env: {
      AURORA_PUBLIC_URL: origin,
      AURORA_SUOMIFI_SP_ENTITY_ID: 'https://aurora.example.fi/saml/sp',
      AURORA_SUOMIFI_IDP_METADATA_FILE: metadataFile,
      AURORA_SUOMIFI_SP_SIGNING_KEY: suomifiFixture('sp-signing.key'),
      AURORA_SUOMIFI_SP_SIGNING_CERT: suomifiFixture('sp-signing.crt'),
      AURORA_SUOMIFI_SP_ENCRYPTION_KEY: suomifiFixture('sp-encryption.key'),
      AURORA_SUOMIFI_SP_ENCRYPTION_CERT: suomifiFixture('sp-encryption.crt'),
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}

/** A server built with exactly these Suomi.fi variables (they are read when the server is built; the process's own are put back after). */
export async function buildServerWithEnv(database: Database, env: SuomifiEnv, options: Partial<ServerOptions> = {}): Promise<FastifyInstance> {
  const saved = Object.fromEntries(SUOMIFI_ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of SUOMIFI_ENV_KEYS) delete process.env[k];
  Object.assign(process.env, env);
  try {
    return await buildServer({ database, purgeIntervalMs: 0, eventRetentionIntervalMs: 0, ...options });
  } finally {
    for (const k of SUOMIFI_ENV_KEYS) if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
}

/**
 * The n-th made-up test person: a well-formed identity code in the test range (individual number
 * 900–999), a name and an e-mail address, so that a test can look for all three afterwards.
 */
export function madeUpPerson(n: number): TestPerson & { identityCode: string; mail: string } {
  const day = String(1 + (n % 28)).padStart(2, '0');
  const month = String(1 + (Math.floor(n / 28) % 12)).padStart(2, '0');
  const year = String(50 + (Math.floor(n / 336) % 50)).padStart(2, '0');
  const individual = String(900 + (n % 100)).padStart(3, '0');
  const date = `${day}${month}${year}`;
  return {
    identityCode: `${date}-${individual}${checkCharacter(date, individual)}`,
    givenName: `Testihenkilö${n}`,
    sn: `Sukunimi${n}`,
    municipality: '091',
    securityDenial: 'false',
    mail: `testi.henkilo${n}@example.fi`,
  };
}

export interface SignedIn {
  accessToken: string;
  idToken: string;
  /** What the service's userinfo request answered. */
  userinfo: { sub: string; [claim: string]: unknown };
  /** Milliseconds the token endpoint took. */
  tokenMs: number;
}

/**
 * A person signs in to a service through Suomi.fi. The browser keeps the provider's cookies; the
 * IdP's answer is a cross-site form post, so it carries none. Consent, when asked, is given to
 * `consentTo` (default: every scope asked for but openid).
 */
export async function signInWithSuomifi(args: {
  network: FastifyInstance;
  idp: FakeSuomifiIdp;
  client: RegisteredOidcClient;
  redirectUri: string;
  person: TestPerson;
  scopes: string[];
  consentTo?: string[];
  origin?: string;
  /** The browser's address (by default inject's 127.0.0.1). */
  remoteAddress?: string;
}): Promise<SignedIn> {
  const { network, idp, client, redirectUri, person, scopes } = args;
  const browser = new OidcBrowser(network, args.origin ?? 'http://localhost', args.remoteAddress);
  const { verifier, challenge } = pkce();
  const authorize = new URL('/oidc/auth', browser.origin);
  const query = { client_id: client.client_id, redirect_uri: redirectUri, response_type: 'code', scope: ['openid', ...scopes].join(' '), code_challenge: challenge, code_challenge_method: 'S256', state: 'rp-state', nonce: 'n' };
  for (const [k, v] of Object.entries(query)) authorize.searchParams.set(k, v);
  const { response: loginPage } = await browser.follow(await browser.request('GET', authorize.href), redirectUri);
  const suomifiLink = /href="([^"]*\/eid\/suomifi)"/.exec(loginPage.body)?.[1];
  assert.ok(suomifiLink, 'the login page offers Suomi.fi');
  const toStart = await browser.request('GET', suomifiLink);
  assert.equal(toStart.statusCode, 303, toStart.body);
  const toIdp = await browser.request('GET', String(toStart.headers.location));
  assert.equal(toIdp.statusCode, 302, toIdp.body);
  const answer = await network.inject({
    method: 'POST',
    url: '/api/v1/identity/suomifi/acs',
    ...(args.remoteAddress ? { remoteAddress: args.remoteAddress } : {}),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(await idp.answer(idp.receive(String(toIdp.headers.location)), person)).toString(),
  });
  assert.equal(answer.statusCode, 303, answer.body);
  let { response, location } = await browser.follow(await browser.request('GET', String(answer.headers.location)), redirectUri);
  if (!location) {
    const action = /<form method="post" action="([^"]+\/consent)"/.exec(response.body)?.[1];
    assert.ok(action, response.body);
    ({ location } = await browser.follow(await browser.request('POST', action, { scope: args.consentTo ?? scopes }), redirectUri));
  }
  assert.ok(location, 'the login ends at the service');
  assert.equal(location.searchParams.get('state'), 'rp-state');
  const started = performance.now();
  const token = await network.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: redirectUri, code_verifier: verifier }).toString(),
  });
  const tokenMs = performance.now() - started;
  assert.equal(token.statusCode, 200, token.body);
  const { access_token: accessToken, id_token: idToken } = token.json() as { access_token: string; id_token: string };
  const me = await network.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${accessToken}` } });
  assert.equal(me.statusCode, 200, me.body);
  return { accessToken, idToken, userinfo: me.json(), tokenMs };
}
