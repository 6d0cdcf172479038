import * as client from 'openid-client';
import { sql } from 'kysely';
import type { Language } from '../../catalogue/model.ts';
import type { Db } from '../../db/database.ts';
import type { PayloadKeyring } from '../../keys/keys.ts';
import { DEMO_LOGIN_SCOPES, type DemoClient } from './demo-client.ts';

/**
 * The demo service's side of "log in with Aurora", as any relying party does it with openid-client:
 * code flow with PKCE, state and nonce; the ID token verified; userinfo read with the access token.
 * What the login needs between the two requests travels in a cookie sealed with the payload keyring
 * (no row, so that any server of the network can finish a login another one started). The demo
 * keeps what it was let see, by its pairwise subject, until the person erases it through Aurora.
 */
export const LOGIN_COOKIE = 'aurora_demo_login';
const LOGIN_TTL_MS = 10 * 60_000;
const AAD = 'demo-login';

interface Pending {
  state: string;
  verifier: string;
  nonce: string;
  lang: Language;
  expires: number;
}

export async function startDemoLogin(demo: DemoClient, keyring: PayloadKeyring, lang: Language): Promise<{ url: string; cookie: string }> {
  const pending: Pending = { state: client.randomState(), verifier: client.randomPKCECodeVerifier(), nonce: client.randomNonce(), lang, expires: Date.now() + LOGIN_TTL_MS };
  const url = client.buildAuthorizationUrl(demo.configuration, {
    redirect_uri: demo.redirectUri,
    scope: ['openid', ...DEMO_LOGIN_SCOPES].join(' '),
    response_type: 'code',
    code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
    ui_locales: lang,
  });
  const sealed = keyring.seal(JSON.stringify(pending), AAD);
  return { url: url.href, cookie: `${sealed.keyId}.${sealed.data}` };
}

/** The login the cookie carries, or undefined when it is missing, forged, from an unknown key or expired. */
export function openPendingLogin(keyring: PayloadKeyring, cookie: string | undefined): Pending | undefined {
  if (!cookie) return undefined;
  const dot = cookie.indexOf('.');
  if (dot < 1) return undefined;
  try {
    const pending = JSON.parse(keyring.open({ keyId: cookie.slice(0, dot), data: cookie.slice(dot + 1) }, AAD)) as Pending;
    return pending.expires > Date.now() ? pending : undefined;
  } catch {
    return undefined;
  }
}

export type DemoLoginOutcome =
  | { ok: true; subject: string; claims: Record<string, unknown>; notShared: string[] }
  | { ok: false; reason: 'cancelled' | 'expired' | 'failed' };

/** The answer at the redirect URI: the code redeemed, the ID token and userinfo checked, what was shared kept. */
export async function finishDemoLogin(db: Db, demo: DemoClient, pending: Pending | undefined, query: URLSearchParams): Promise<DemoLoginOutcome> {
  if (!pending || query.get('state') !== pending.state) return { ok: false, reason: 'expired' };
  if (query.get('error') === 'access_denied') return { ok: false, reason: 'cancelled' };
  if (query.has('error')) return { ok: false, reason: 'failed' };
  const current = new URL(demo.redirectUri);
  current.search = query.toString();
  let subject: string;
  let info: Record<string, unknown>;
  try {
    const tokens = await client.authorizationCodeGrant(demo.configuration, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    subject = tokens.claims()!.sub;
    info = await client.fetchUserInfo(demo.configuration, tokens.access_token, subject);
  } catch {
    return { ok: false, reason: 'failed' };
  }
  const claims = Object.fromEntries(Object.entries(info).filter(([name]) => (DEMO_LOGIN_SCOPES as readonly string[]).includes(name)));
  await db
    .insertInto('demo_login_people')
    .values({ client_id: demo.clientId, subject, claims: JSON.stringify(claims) })
    .onConflict((oc) => oc.columns(['client_id', 'subject']).doUpdateSet({ claims: JSON.stringify(claims), last_seen_at: sql`now()` }))
    .execute();
  return { ok: true, subject, claims, notShared: DEMO_LOGIN_SCOPES.filter((name) => !(name in claims)) };
}
