import { api } from '../shared/api.ts';
import { dropLogin, eraseLocal, ensurePersonKey, loadLogin, saveLogin, setPersonKey } from './storage.ts';

/**
 * Logging in from the citizen app, which is optional: the app is the network's own public client
 * at its OpenID Provider (code + PKCE S256 from this browser, no secret; the server registers it
 * as `aurora-citizen` with the redirect URI /login/callback on this origin). After the login the
 * app attaches this browser's person key to the account (POST /api/v1/my/account, with both the
 * key and the access token); when the account already has one (another device attached it first),
 * this browser takes that one over, and with it the person's consents, checks and profile.
 */

export const CLIENT_ID = 'aurora-citizen';
export const CALLBACK_PATH = '/login/callback';
const PENDING = 'aurora.loginPending';

const redirectUri = () => `${window.location.origin}${CALLBACK_PATH}`;
const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

interface Pending {
  state: string;
  verifier: string;
  /** Where the app returns after the login. */
  back: string;
}

/**
 * Sends the browser to the network's login page. `share`: derived claims (age_band, adult,
 * municipality_code) to ask the person to share, on the consent page, for a check that needs them
 * (a voucher programme's eligibility); the app asks for nothing more otherwise.
 */
export async function startLogin(language: string, back = '/my', share: readonly string[] = []) {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, back } satisfies Pending));
  const url = new URL('/oidc/auth', window.location.origin);
  const params = { client_id: CLIENT_ID, redirect_uri: redirectUri(), response_type: 'code', scope: ['openid', ...share].join(' '), code_challenge: challenge, code_challenge_method: 'S256', state, ui_locales: language };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  window.location.assign(url.href);
}

export class LoginFailed extends Error {}

/** The login's answer at /login/callback: the code is redeemed, the person key attached (or taken over). Returns where to go next. */
export async function finishLogin(search: string): Promise<{ back: string; tookOver: boolean; merged: boolean }> {
  const params = new URLSearchParams(search);
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  const pending = raw ? (JSON.parse(raw) as Pending) : undefined;
  if (params.get('error')) throw new LoginFailed(params.get('error_description') ?? params.get('error')!);
  if (!pending || params.get('state') !== pending.state || !params.get('code')) throw new LoginFailed('state');
  const response = await fetch('/oidc/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code')!, redirect_uri: redirectUri(), client_id: CLIENT_ID, code_verifier: pending.verifier }),
  });
  if (!response.ok) throw new LoginFailed(`token ${response.status}`);
  const tokens = (await response.json()) as { access_token: string; id_token: string };
  const mine = ensurePersonKey();
  const answer = await api<{ person_key: string; attached: boolean; merged?: { consents: number; checks: number; profile_attributes: number } }>('/api/v1/my/account', {
    method: 'POST',
    body: {},
    headers: { authorization: `Bearer ${mine}`, 'aurora-access-token': tokens.access_token },
  });
  // Kept for this tab only, until it expires: the person's own calls to the network as an account
  // ("download everything", "erase me everywhere"). Logging out revokes it.
  keepAccessToken(tokens.access_token, (tokens as { expires_in?: number }).expires_in ?? 600);
  const tookOver = answer.person_key !== mine;
  if (tookOver) setPersonKey(answer.person_key);
  saveLogin({ id_token: tokens.id_token, attached: true, at: new Date().toISOString() });
  return { back: pending.back.startsWith('/') && !pending.back.startsWith('//') ? pending.back : '/my', tookOver, merged: answer.merged !== undefined };
}

/**
 * Logs out: this browser forgets the login and, since the key is attached to the account (the
 * next login brings it back), the person key and what it holds here too; then the network's
 * session ends at the provider's logout page, which comes back to the app's front page.
 */
export function logout(language: string) {
  const login = loadLogin();
  const token = accessToken();
  if (token) revoke(token);
  sessionStorage.removeItem(ACCESS);
  eraseLocal();
  const url = new URL('/oidc/session/end', window.location.origin);
  url.searchParams.set('client_id', CLIENT_ID);
  url.searchParams.set('post_logout_redirect_uri', `${window.location.origin}/`);
  url.searchParams.set('ui_locales', language);
  if (login) url.searchParams.set('id_token_hint', login.id_token);
  window.location.assign(url.href);
}

/** Forgets this device: everything this app keeps in this browser goes, the login included. The network's data stays. */
export function forgetDevice() {
  const token = accessToken();
  if (token) revoke(token);
  sessionStorage.removeItem(ACCESS);
  eraseLocal();
  dropLogin();
}

const ACCESS = 'aurora.access';

function keepAccessToken(token: string, expiresInSeconds: number) {
  sessionStorage.setItem(ACCESS, JSON.stringify({ token, until: Date.now() + (expiresInSeconds - 30) * 1000 }));
}

/** The access token of this tab's login, while it is valid; undefined after it expires (log in again). */
export function accessToken(): string | undefined {
  try {
    const kept = JSON.parse(sessionStorage.getItem(ACCESS) ?? 'null') as { token: string; until: number } | null;
    return kept && kept.until > Date.now() ? kept.token : undefined;
  } catch {
    return undefined;
  }
}

function revoke(token: string) {
  void fetch('/oidc/token/revocation', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, token_type_hint: 'access_token', client_id: CLIENT_ID }),
    keepalive: true,
  }).catch(() => {});
}
