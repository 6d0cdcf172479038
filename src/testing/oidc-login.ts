import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { RegisteredOidcClient } from '../identity/register-client.ts';
import { OidcBrowser, basic, pkce } from './oidc-browser.ts';

/**
 * A whole login at the network's OpenID Provider through the test eID, in tests (app.inject):
 * authorize with PKCE, pick the test person, answer the consent page (when one is shown) with the
 * scopes given; then redeem the code, with the client's Basic credentials or, for a public client,
 * its client_id only. The issuer (AURORA_PUBLIC_URL unset) is http://localhost:8080.
 */
export const TEST_ORIGIN = 'http://localhost:8080';

export interface TestLogin {
  clientId: string;
  redirectUri: string;
  scope: string;
  person?: string;
  approve?: string[];
  /** The client's `Authorization: Basic …`; none for a public client. */
  authorization?: string;
  browser?: OidcBrowser;
  uiLocales?: string;
  /** The network's origin (default TEST_ORIGIN, the issuer when AURORA_PUBLIC_URL is unset). */
  origin?: string;
  /** A DPoP proof for the token request (method, URL): the tokens are then DPoP-bound. */
  dpop?: (method: string, url: string) => Promise<string>;
}

export async function loginAtProvider(app: FastifyInstance, options: TestLogin) {
  const origin = options.origin ?? TEST_ORIGIN;
  const browser = options.browser ?? new OidcBrowser(app, origin);
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const authorize = new URL('/oidc/auth', origin);
  const params = { client_id: options.clientId, redirect_uri: options.redirectUri, response_type: 'code', scope: options.scope, code_challenge: challenge, code_challenge_method: 'S256', state, ...(options.uiLocales ? { ui_locales: options.uiLocales } : {}) };
  for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);
  const { location, consentPage } = await passLogin(browser, await browser.request('GET', authorize.href), options.redirectUri, options);
  assert.equal(location.searchParams.get('state'), state);
  const code = location.searchParams.get('code');
  assert.ok(code, location.href);
  const tokens = await app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.authorization ? { authorization: options.authorization } : {}),
      ...(options.dpop ? { dpop: await options.dpop('POST', `${origin}/oidc/token`) } : {}),
    },
    payload: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: options.redirectUri, code_verifier: verifier, ...(options.authorization ? {} : { client_id: options.clientId }) }).toString(),
  });
  assert.equal(tokens.statusCode, 200, tokens.body);
  return { browser, consentPage, tokens: tokens.json() as { access_token: string; id_token: string; scope: string; token_type: string } };
}

/** loginAtProvider for a confidential client (its Basic credentials): the tokens, with the browser that logged in. */
export async function loginAndRedeem(
  app: FastifyInstance,
  origin: string,
  client: RegisteredOidcClient,
  redirectUri: string,
  options: { scope?: string; approve?: string[]; person?: string; browser?: OidcBrowser; dpop?: (method: string, url: string) => Promise<string> } = {},
): Promise<{ access_token: string; id_token: string; scope: string; token_type: string; browser: OidcBrowser }> {
  const { browser, tokens } = await loginAtProvider(app, { ...options, origin, clientId: client.client_id, redirectUri, scope: options.scope ?? 'openid', authorization: basic(client) });
  return { ...tokens, browser };
}

/**
 * The person's part of a login the browser was sent to (the answer to an authorization request):
 * the test eID when the provider asks who they are, then the consent page when one is shown, until
 * the provider sends the browser to `redirectUri`.
 */
export async function passLogin(browser: OidcBrowser, first: LightMyRequestResponse, redirectUri: string, choices: { person?: string; approve?: string[] } = {}): Promise<{ location: URL; consentPage?: string }> {
  let { response, location } = await browser.follow(first, redirectUri);
  if (!location && /\/eid\/test-oidc"/.test(response.body)) {
    const eidLink = /href="([^"]*\/eid\/test-oidc)"/.exec(response.body)![1]!;
    const eidPage = await browser.request('GET', eidLink);
    const atEid = await browser.request('GET', String(eidPage.headers.location));
    const hidden = Object.fromEntries([...atEid.body.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replaceAll('&amp;', '&')]));
    const back = await browser.request('POST', '/test-eid/authorize', { ...hidden, person: choices.person ?? 'aino' });
    assert.equal(back.statusCode, 303, back.body);
    ({ response, location } = await browser.follow(await browser.request('GET', String(back.headers.location)), redirectUri));
  }
  let consentPage: string | undefined;
  if (!location) {
    assert.equal(response.statusCode, 200, response.body);
    consentPage = response.body;
    const action = /<form method="post" action="([^"]+\/consent)"/.exec(consentPage)?.[1];
    assert.ok(action, consentPage);
    ({ response, location } = await browser.follow(await browser.request('POST', action, { scope: choices.approve ?? [] }), redirectUri));
  }
  assert.ok(location, `back at the client: ${response.statusCode} ${response.body}`);
  return { location, ...(consentPage === undefined ? {} : { consentPage }) };
}
