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
