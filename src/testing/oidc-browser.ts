import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { RegisteredOidcClient } from '../identity/register-client.ts';

/** A browser and a relying party's small parts for driving the network's OpenID Provider in tests (app.inject, offline). */

/** A browser's cookies, enough for the provider's: by name and path. */
export class OidcBrowser {
  private jar = new Map<string, { value: string; path: string }>();

  constructor(
    private readonly app: FastifyInstance,
    readonly origin: string,
    /** The address the requests come from (each address may start only so many eID logins). */
    readonly remoteAddress?: string,
  ) {}

  private cookieHeader(path: string) {
    return [...this.jar.entries()]
      .filter(([, c]) => path.startsWith(c.path))
      .map(([key, c]) => `${key.split('|')[0]}=${c.value}`)
      .join('; ');
  }

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
    const target = new URL(url, this.origin);
    assert.equal(target.origin, this.origin, `the browser stays on the network: ${url}`);
    let payload: string | undefined;
    if (form) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      payload = body.toString();
    }
    const response = await this.app.inject({
      method,
      url: target.pathname + target.search,
      headers: { cookie: this.cookieHeader(target.pathname), 'accept-language': 'fi', ...(payload !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(payload !== undefined ? { payload } : {}),
      ...(this.remoteAddress ? { remoteAddress: this.remoteAddress } : {}),
    });
    for (const c of response.cookies as { name: string; value: string; path?: string; maxAge?: number; expires?: Date }[]) {
      const key = `${c.name}|${c.path ?? '/'}`;
      if (c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === '') this.jar.delete(key);
      else this.jar.set(key, { value: c.value, path: c.path ?? '/' });
    }
    return response;
  }

  /** Follows redirects on the network until one leaves for `stopAt` (the client's redirect URI) or a page answers. */
  async follow(response: LightMyRequestResponse, stopAt: string): Promise<{ response: LightMyRequestResponse; location?: URL }> {
    let current = response;
    for (let i = 0; i < 10 && [302, 303].includes(current.statusCode); i++) {
      const location = new URL(String(current.headers.location), this.origin);
      if (location.href.startsWith(stopAt)) return { response: current, location };
      current = await this.request('GET', location.href);
    }
    return { response: current };
  }
}

export const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

export const basic = (client: RegisteredOidcClient) => `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;


/**
 * A whole login of a test person at the provider (the test eID, consent to `approve`) and the code's
 * redemption: the client's tokens. Needs a server built with the test eID.
 */
export async function loginAndRedeem(
  app: FastifyInstance,
  origin: string,
  client: RegisteredOidcClient,
  redirectUri: string,
  options: { scope?: string; approve?: string[]; person?: string; browser?: OidcBrowser; dpop?: (method: string, url: string) => Promise<string> } = {},
): Promise<{ access_token: string; id_token: string; scope: string; token_type: string; browser: OidcBrowser }> {
  const browser = options.browser ?? new OidcBrowser(app, origin);
  const { verifier, challenge } = pkce();
  const authorize = new URL('/oidc/auth', origin);
  const params = { client_id: client.client_id, redirect_uri: redirectUri, response_type: 'code', scope: options.scope ?? 'openid', code_challenge: challenge, code_challenge_method: 'S256', state: randomBytes(8).toString('hex') };
  for (const [k, v] of Object.entries(params)) authorize.searchParams.set(k, v);
  let { response, location } = await browser.follow(await browser.request('GET', authorize.href), redirectUri);
  const eidLink = /href="([^"]*\/eid\/test-oidc)"/.exec(response.body)?.[1];
  if (!location && eidLink) {
    const atEid = await browser.request('GET', String((await browser.request('GET', eidLink)).headers.location));
    const hidden = Object.fromEntries([...atEid.body.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replaceAll('&amp;', '&')]));
    const back = await browser.request('POST', '/test-eid/authorize', { ...hidden, person: options.person ?? 'aino' });
    ({ response, location } = await browser.follow(await browser.request('GET', String(back.headers.location)), redirectUri));
  }
  if (!location) {
    const action = /<form method="post" action="([^"]+\/consent)"/.exec(response.body)?.[1];
    assert.ok(action, response.body);
    ({ response, location } = await browser.follow(await browser.request('POST', action, { scope: options.approve ?? [] }), redirectUri));
  }
  const code = location?.searchParams.get('code');
  assert.ok(code, `a code: ${response.statusCode} ${response.body}`);
  const redeemed = await app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded', ...(options.dpop ? { dpop: await options.dpop('POST', `${origin}/oidc/token`) } : {}) },
    payload: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }).toString(),
  });
  assert.equal(redeemed.statusCode, 200, redeemed.body);
  return { ...redeemed.json(), browser };
}

/** A DPoP key and proofs made with it (RFC 9449), for a token request or a call with a DPoP-bound token. */
export async function dpopKey() {
  const { generateKeyPair, exportJWK, SignJWT, calculateJwkThumbprint } = await import('jose');
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  return {
    thumbprint: await calculateJwkThumbprint(jwk),
    proof: (method: string, url: string, accessToken?: string) =>
      new SignJWT({ htm: method, htu: url, jti: randomBytes(12).toString('base64url'), ...(accessToken ? { ath: createHash('sha256').update(accessToken).digest('base64url') } : {}) })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
        .setIssuedAt()
        .sign(privateKey),
  };
}
