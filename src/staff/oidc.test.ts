import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createTestDatabase } from '../testing/databases.ts';
import { OidcConfigurationError, oidcSettingsFromEnv } from './oidc.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { createNetworkAdmin } from './staff.ts';
import { assertProblem } from '../testing/problems.ts';

/**
 * OpenID Connect login: configuration refused when half done or insecure, 404 when not configured,
 * and the whole authorization-code + PKCE flow against a tiny local issuer (discovery, authorize,
 * token, JWKS) with its refusals: another browser's answer, a replayed state, an unknown e-mail.
 */

const CLIENT_ID = 'aurora-console';
const CLIENT_SECRET = 'issuer-shared-secret';

interface Grant {
  challenge: string;
  nonce: string;
  redirectUri: string;
}

/** A minimal OpenID provider: whoever reaches /authorize is `email` (set by the test). */
async function startIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const state = { email: 'oidc-admin@aurora.example', emailVerified: true as boolean | undefined, tokenCalls: 0 };
  let issuer = '';
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/.well-known/openid-configuration')
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      });
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const p = url.searchParams;
      if (p.get('client_id') !== CLIENT_ID || p.get('code_challenge_method') !== 'S256' || !p.get('nonce')) return json(400, { error: 'invalid_request' });
      const code = randomBytes(16).toString('base64url');
      grants.set(code, { challenge: p.get('code_challenge')!, nonce: p.get('nonce')!, redirectUri: p.get('redirect_uri')! });
      const back = new URL(p.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', p.get('state')!);
      return res.writeHead(302, { location: back.toString() }).end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      state.tokenCalls++;
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const basic = req.headers.authorization?.startsWith('Basic ') ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString() : '';
      const [id, secret] = basic ? basic.split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
      if (id !== CLIENT_ID || secret !== CLIENT_SECRET) return json(401, { error: 'invalid_client' });
      const grant = grants.get(form.get('code') ?? '');
      grants.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      if (!grant || grant.redirectUri !== form.get('redirect_uri') || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge)
        return json(400, { error: 'invalid_grant' });
      const idToken = await new SignJWT({ email: state.email, ...(state.emailVerified === undefined ? {} : { email_verified: state.emailVerified }), nonce: grant.nonce })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience(CLIENT_ID)
        .setSubject(`user-${state.email}`)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      return json(200, { access_token: randomBytes(16).toString('base64url'), token_type: 'Bearer', expires_in: 300, id_token: idToken });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { issuer, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const ENV_KEYS = ['AURORA_OIDC_ISSUER', 'AURORA_OIDC_CLIENT_ID', 'AURORA_OIDC_CLIENT_SECRET', 'AURORA_OIDC_REDIRECT_URI'] as const;

/** A server built with these OIDC variables (they are read when the routes are registered). */
async function serverWith(database: Database, env: Partial<Record<(typeof ENV_KEYS)[number], string>>): Promise<FastifyInstance> {
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  Object.assign(process.env, env);
  try {
    return await buildServer({ database, purgeIntervalMs: 0 });
  } finally {
    for (const k of ENV_KEYS) if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
}

describe('OpenID Connect settings', () => {
  test('none, both, half, insecure', () => {
    assert.equal(oidcSettingsFromEnv({}), null);
    const ok = oidcSettingsFromEnv({ AURORA_OIDC_ISSUER: 'https://login.example.fi/realms/aurora', AURORA_OIDC_CLIENT_ID: 'c', AURORA_OIDC_CLIENT_SECRET: 's' });
    assert.equal(ok?.issuer.href, 'https://login.example.fi/realms/aurora');
    assert.throws(() => oidcSettingsFromEnv({ AURORA_OIDC_ISSUER: 'https://login.example.fi' }), OidcConfigurationError);
    assert.throws(() => oidcSettingsFromEnv({ AURORA_OIDC_CLIENT_ID: 'c' }), OidcConfigurationError);
    assert.throws(() => oidcSettingsFromEnv({ AURORA_OIDC_ISSUER: 'http://login.example.fi', AURORA_OIDC_CLIENT_ID: 'c' }), /https/);
    assert.throws(() => oidcSettingsFromEnv({ AURORA_OIDC_ISSUER: 'not a url', AURORA_OIDC_CLIENT_ID: 'c' }), /not a URL/);
    assert.ok(oidcSettingsFromEnv({ AURORA_OIDC_ISSUER: 'http://127.0.0.1:9999', AURORA_OIDC_CLIENT_ID: 'c' }), 'http for a provider on this machine');
  });
});

describe('OpenID Connect login (pglite)', () => {
  let database: Database;
  let issuer: Awaited<ReturnType<typeof startIssuer>>;
  before(async () => {
    database = await createTestDatabase('pglite');
    issuer = await startIssuer();
    await createNetworkAdmin(database.db, { email: 'oidc-admin@aurora.example', name: 'OIDC' }, 'test');
  });
  after(async () => {
    await issuer?.close();
    await database?.close();
  });

  test('not configured, or configured by half: 404 problem that says what to set', async () => {
    for (const env of [{}, { AURORA_OIDC_ISSUER: issuer.issuer }]) {
      const app = await serverWith(database, env);
      try {
        const res = await app.inject('/api/v1/console/oidc/login');
        const problem = assertProblem(res, 404, 'oidc-not-configured');
        assert.match(problem.detail ?? '', /AURORA_OIDC_/);
        assertProblem(await app.inject('/api/v1/console/oidc/callback?code=x&state=y'), 404, 'oidc-not-configured');
      } finally {
        await app.close();
      }
    }
  });

  test('a provider that does not answer: 502, not a crash', async () => {
    const app = await serverWith(database, { AURORA_OIDC_ISSUER: 'http://127.0.0.1:9', AURORA_OIDC_CLIENT_ID: CLIENT_ID, AURORA_OIDC_CLIENT_SECRET: CLIENT_SECRET });
    try {
      assertProblem(await app.inject('/api/v1/console/oidc/login'), 502, 'oidc-unavailable');
    } finally {
      await app.close();
    }
  });

  test('authorization code with PKCE against a local issuer: the staff user is logged in by e-mail', async () => {
    const app = await serverWith(database, { AURORA_OIDC_ISSUER: issuer.issuer, AURORA_OIDC_CLIENT_ID: CLIENT_ID, AURORA_OIDC_CLIENT_SECRET: CLIENT_SECRET });
    try {
      /** Start at the console, go through the provider, come back: the callback's answer. */
      const roundTrip = async (options: { bindCookie?: boolean; mutate?: (callback: URL) => void } = {}) => {
        const start = await app.inject('/api/v1/console/oidc/login');
        assert.equal(start.statusCode, 302, start.body);
        const location = new URL(String(start.headers.location));
        assert.equal(location.origin, issuer.issuer);
        assert.equal(location.searchParams.get('code_challenge_method'), 'S256');
        const binding = start.cookies.find((c) => c.name === 'aurora_oidc')!;
        assert.equal(binding.httpOnly, true);
        const atProvider = await fetch(location, { redirect: 'manual' });
        assert.equal(atProvider.status, 302);
        const callback = new URL(atProvider.headers.get('location')!);
        assert.equal(callback.pathname, '/api/v1/console/oidc/callback');
        options.mutate?.(callback);
        const res = await app.inject({
          method: 'GET',
          url: callback.pathname + callback.search,
          headers: options.bindCookie === false ? {} : { cookie: `aurora_oidc=${binding.value}` },
        });
        return { res, callback, binding };
      };

      const { res, callback, binding } = await roundTrip();
      assert.equal(res.statusCode, 302, res.body);
      assert.equal(res.headers.location, '/console');
      const session = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Strict');
      const me = await app.inject({ url: '/api/v1/console/session', headers: { cookie: `${SESSION_COOKIE}=${session.value}` } });
      assert.equal(me.statusCode, 200);
      assert.equal((me.json() as { staff: { email: string; role: string } }).staff.email, 'oidc-admin@aurora.example');
      const login = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.login').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal(login.details.method, 'oidc');

      // The same answer again: the state is spent.
      const replay = await app.inject({ url: callback.pathname + callback.search, headers: { cookie: `aurora_oidc=${binding.value}` } });
      assertProblem(replay, 401);
      // An answer that comes back to a browser that did not start the login.
      assertProblem((await roundTrip({ bindCookie: false })).res, 400);
      // A tampered code.
      assertProblem((await roundTrip({ mutate: (u) => u.searchParams.set('code', 'forged') })).res, 401);
      // The provider says no.
      assertProblem(await app.inject({ url: '/api/v1/console/oidc/callback?error=access_denied&state=x' }), 401);
      // Someone the console does not know, and an unverified address.
      issuer.state.email = 'stranger@example.fi';
      assertProblem((await roundTrip()).res, 403);
      issuer.state.email = 'oidc-admin@aurora.example';
      issuer.state.emailVerified = false;
      assertProblem((await roundTrip()).res, 401);
      issuer.state.emailVerified = undefined;
      assert.equal((await roundTrip()).res.statusCode, 302, 'a provider that does not send email_verified is trusted for the address');
      // Staff without a password cannot log in with one.
      assertProblem(await app.inject({ method: 'POST', url: '/api/v1/console/session', headers: { 'x-aurora-csrf': '1' }, payload: { email: 'oidc-admin@aurora.example', password: 'mikä-tahansa-salasana' } }), 401);
    } finally {
      await app.close();
    }
  });
});
