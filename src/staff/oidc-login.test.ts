import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { HttpProblem } from '../http/problem.ts';
import { buildServer } from '../http/server.ts';
import { fillAttempts } from '../testing/attempts.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { OIDC_STARTS, consoleOidcFromEnv, finishOidcLogin, startOidcLogin, type ConsoleOidc, type OidcAnswer } from './oidc-login.ts';
import { findSession, SESSION_COOKIE } from './sessions.ts';
import { createNetworkAdmin } from './staff.ts';
import { codeFlowDiscovery } from '../identity/test-eid/test-eid.ts';

/**
 * OpenID Connect login: 404 when not configured, 502 when the provider does not answer, and the
 * whole authorization-code + PKCE flow against a tiny local issuer (discovery, authorize, token,
 * JWKS) with its refusals: another browser's answer, a replayed state, an unknown e-mail.
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
  const state = { email: 'oidc-admin@aurora.example', emailVerified: true as boolean | undefined, subject: undefined as string | undefined, tokenCalls: 0 };
  let issuer = '';
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/.well-known/openid-configuration')
      return json(200, codeFlowDiscovery(issuer));
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
        .setSubject(state.subject ?? `user-${state.email.toLowerCase()}`)
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

const ENV_KEYS = ['AURORA_OIDC_ISSUER', 'AURORA_OIDC_CLIENT_ID', 'AURORA_OIDC_CLIENT_SECRET', 'AURORA_OIDC_REDIRECT_URI', 'AURORA_PUBLIC_URL'] as const;

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

/** Start at the console, go through the provider, come back: the callback's answer. */
async function oidcRoundTrip(app: FastifyInstance, issuerUrl: string, options: { bindCookie?: boolean; mutate?: (callback: URL) => void } = {}) {
  const start = await app.inject('/api/v1/console/oidc/login');
  assert.equal(start.statusCode, 302, start.body);
  const location = new URL(String(start.headers.location));
  assert.equal(location.origin, issuerUrl);
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
}

const problem = (status: number, kind?: string) => (error: unknown) => error instanceof HttpProblem && error.status === status && (kind === undefined || error.kind === kind);

/** A callback's answer for the use case, as the route would hand it over. */
const answer = (parts: Partial<OidcAnswer>): OidcAnswer => ({
  query: {},
  boundState: undefined,
  forgetBinding: () => {},
  requestUrl: '/api/v1/console/oidc/callback',
  origin: 'http://localhost',
  ip: '127.0.0.1',
  ...parts,
});

for (const backend of testBackends()) {
  describe(`OpenID Connect login (${backend})`, () => {
    let database: Database;
    let issuer: Awaited<ReturnType<typeof startIssuer>>;
    before(async () => {
      database = await createTestDatabase(backend);
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
        const roundTrip = (options: Parameters<typeof oidcRoundTrip>[2] = {}) => oidcRoundTrip(app, issuer.issuer, options);

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
        assertProblem((await roundTrip()).res, 401);
        issuer.state.emailVerified = true;
        // Staff without a password cannot log in with one.
        assertProblem(await app.inject({ method: 'POST', url: '/api/v1/console/session', headers: { 'x-aurora-csrf': '1' }, payload: { email: 'oidc-admin@aurora.example', password: 'mikä-tahansa-salasana' } }), 401);
      } finally {
        await app.close();
      }
    });

    test('attack: an unverified address, or another provider account with the same address, does not log in; the refusal is audited', async () => {
      const app = await serverWith(database, { AURORA_OIDC_ISSUER: issuer.issuer, AURORA_OIDC_CLIENT_ID: CLIENT_ID, AURORA_OIDC_CLIENT_SECRET: CLIENT_SECRET });
      try {
        await createNetworkAdmin(database.db, { email: 'pinned@aurora.example', name: 'Pinned' }, 'test');
        await createNetworkAdmin(database.db, { email: 'second@aurora.example', name: 'Second' }, 'test');
        const pinned = () => database.db.selectFrom('staff_users').select(['id', 'oidc_issuer', 'oidc_subject']).where('email', '=', 'pinned@aurora.example').executeTakeFirstOrThrow();
        Object.assign(issuer.state, { email: 'pinned@aurora.example', subject: 'account-a', emailVerified: undefined });
        assertProblem((await oidcRoundTrip(app, issuer.issuer)).res, 401);
        assert.equal((await pinned()).oidc_subject, null, 'an unverified address pins nothing');

        issuer.state.emailVerified = true;
        assert.equal((await oidcRoundTrip(app, issuer.issuer)).res.statusCode, 302);
        assert.deepEqual(await pinned(), { ...(await pinned()), oidc_issuer: issuer.issuer, oidc_subject: 'account-a' }, 'the first login pins the subject');

        // Another account at the provider that now carries the same (verified) address.
        issuer.state.subject = 'account-b';
        const hijack = (await oidcRoundTrip(app, issuer.issuer)).res;
        assertProblem(hijack, 403, 'forbidden');
        assert.equal(hijack.cookies.find((c) => c.name === SESSION_COOKIE), undefined);
        const refused = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.login-failed').where('target', '=', (await pinned()).id).orderBy('id', 'desc').executeTakeFirstOrThrow();
        assert.equal(refused.details.reason, 'oidc-subject-mismatch');
        assert.equal(refused.details.subject, 'account-b');
        assert.equal((await pinned()).oidc_subject, 'account-a', 'the pin is not moved');

        // The pinned account cannot become a second user by changing its address either.
        Object.assign(issuer.state, { email: 'second@aurora.example', subject: 'account-a' });
        assertProblem((await oidcRoundTrip(app, issuer.issuer)).res, 403);

        Object.assign(issuer.state, { email: 'pinned@aurora.example', subject: 'account-a' });
        assert.equal((await oidcRoundTrip(app, issuer.issuer)).res.statusCode, 302, 'the pinned account still logs in');
      } finally {
        Object.assign(issuer.state, { email: 'oidc-admin@aurora.example', subject: undefined, emailVerified: true });
        await app.close();
      }
    });

    test('attack: a forged Host header does not choose the redirect URI; it and the binding cookie follow AURORA_PUBLIC_URL', async () => {
      const settings = { AURORA_OIDC_ISSUER: issuer.issuer, AURORA_OIDC_CLIENT_ID: CLIENT_ID, AURORA_OIDC_CLIENT_SECRET: CLIENT_SECRET };
      for (const [publicUrl, expected, secure] of [
        [undefined, 'http://localhost:8080', false],
        ['https://aurora.example.fi', 'https://aurora.example.fi', true],
      ] as const) {
        const app = await serverWith(database, publicUrl ? { ...settings, AURORA_PUBLIC_URL: publicUrl } : settings);
        try {
          const start = await app.inject({ url: '/api/v1/console/oidc/login', headers: { host: 'evil.example', 'x-forwarded-proto': 'https' } });
          assert.equal(start.statusCode, 302, start.body);
          assert.equal(new URL(String(start.headers.location)).searchParams.get('redirect_uri'), `${expected}/api/v1/console/oidc/callback`);
          assert.equal(Boolean(start.cookies.find((c) => c.name === 'aurora_oidc')!.secure), secure);
        } finally {
          await app.close();
        }
      }
    });

    test('attack: one address starting logins past the limit gets 429 with Retry-After and writes no login state; another address goes on', async () => {
      const app = await serverWith(database, { AURORA_OIDC_ISSUER: issuer.issuer, AURORA_OIDC_CLIENT_ID: CLIENT_ID, AURORA_OIDC_CLIENT_SECRET: CLIENT_SECRET });
      try {
        const address = '198.51.100.90';
        const start = (remoteAddress: string) => app.inject({ url: '/api/v1/console/oidc/login', remoteAddress });
        const states = async () => Number((await sql<{ n: string }>`select count(*) as n from oidc_login_states`.execute(database.db)).rows[0]!.n);
        await fillAttempts(database.db, `${OIDC_STARTS.name}:${address}`, OIDC_STARTS.limit - 1);
        assert.equal((await start(address)).statusCode, 302);
        const kept = await states();
        const refused = await start(address);
        assert.match(String(assertProblem(refused, 429, 'too-many-requests').detail), /too many logins started from this address/);
        assert.ok(Number(refused.headers['retry-after']) > 0);
        assert.equal(await states(), kept, 'no login state for the refused start');
        assert.equal((await start('198.51.100.91')).statusCode, 302);
      } finally {
        await app.close();
      }
    });

    test('startOidcLogin and finishOidcLogin: not configured, an unreachable provider, refusals before the token request', async () => {
      const warned: unknown[] = [];
      const log = { warn: (...args: unknown[]) => void warned.push(args) } as unknown as FastifyBaseLogger;
      const none: ConsoleOidc = { login: null, problem: null };
      await assert.rejects(startOidcLogin(database.db, none, 'http://localhost', log, '127.0.0.1'), problem(404, 'oidc-not-configured'));
      const half = consoleOidcFromEnv({ AURORA_OIDC_ISSUER: issuer.issuer }, log);
      assert.equal(half.login, null);
      await assert.rejects(finishOidcLogin(database.db, half, answer({}), log), (e) => problem(404, 'oidc-not-configured')(e) && /AURORA_OIDC_CLIENT_ID/.test((e as Error).message));
      const down = consoleOidcFromEnv({ AURORA_OIDC_ISSUER: 'http://127.0.0.1:9', AURORA_OIDC_CLIENT_ID: CLIENT_ID }, log);
      warned.length = 0;
      await assert.rejects(startOidcLogin(database.db, down, 'http://localhost', log, '127.0.0.1'), problem(502, 'oidc-unavailable'));
      assert.equal(warned.length, 1, 'the failure is logged');

      const oidc = consoleOidcFromEnv({ AURORA_OIDC_ISSUER: issuer.issuer, AURORA_OIDC_CLIENT_ID: CLIENT_ID, AURORA_OIDC_CLIENT_SECRET: CLIENT_SECRET }, log);
      let forgotten = 0;
      const forgetBinding = () => void forgotten++;
      await assert.rejects(finishOidcLogin(database.db, oidc, answer({ query: { error: 'access_denied', state: 'x' }, forgetBinding }), log), problem(401, 'unauthorized'));
      assert.equal(forgotten, 0, "the provider's refusal leaves the binding as it was");
      await assert.rejects(finishOidcLogin(database.db, oidc, answer({ query: { code: 'c', state: 'a' }, boundState: 'b', forgetBinding }), log), problem(400));
      await assert.rejects(finishOidcLogin(database.db, oidc, answer({ query: { state: 'a' }, boundState: 'a', forgetBinding }), log), problem(400));
      assert.equal(forgotten, 2, 'an answer taken up spends the binding, right or wrong');
    });

    test('finishOidcLogin: a known address starts a session (audited with the subject); an unknown one is a 403, audited', async () => {
      const log = { warn: () => {} } as unknown as FastifyBaseLogger;
      const oidc = consoleOidcFromEnv({ AURORA_OIDC_ISSUER: issuer.issuer, AURORA_OIDC_CLIENT_ID: CLIENT_ID, AURORA_OIDC_CLIENT_SECRET: CLIENT_SECRET }, log);
      const origin = 'http://localhost:8080';
      /** Through the provider and back, without a browser: the callback's path and query. */
      const viaProvider = async () => {
        const started = await startOidcLogin(database.db, oidc, origin, log, '127.0.0.1');
        assert.equal(started.url.searchParams.get('redirect_uri'), `${origin}/api/v1/console/oidc/callback`);
        const back = new URL((await fetch(started.url, { redirect: 'manual' })).headers.get('location')!);
        return { state: started.state, requestUrl: back.pathname + back.search, code: back.searchParams.get('code')! };
      };
      issuer.state.email = 'OIDC-Admin@Aurora.example';
      const known = await viaProvider();
      const { staff, session } = await finishOidcLogin(database.db, oidc, answer({ query: { code: known.code, state: known.state }, boundState: known.state, requestUrl: known.requestUrl, origin, ip: '10.4.0.1' }), log);
      assert.equal(staff.email, 'oidc-admin@aurora.example', 'the address is matched in lower case');
      assert.equal(await findSession(database.db, session.token), staff.id);
      const loggedIn = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.login').orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual(loggedIn.details, { ip: '10.4.0.1', method: 'oidc', subject: 'user-oidc-admin@aurora.example' });

      issuer.state.email = 'tuntematon@example.fi';
      const unknown = await viaProvider();
      await assert.rejects(
        finishOidcLogin(database.db, oidc, answer({ query: { code: unknown.code, state: unknown.state }, boundState: unknown.state, requestUrl: unknown.requestUrl, origin, ip: '10.4.0.2' }), log),
        problem(403, 'forbidden'),
      );
      const refused = await database.db.selectFrom('audit_log').selectAll().where('actor', '=', 'oidc:tuntematon@example.fi').executeTakeFirstOrThrow();
      assert.equal(refused.action, 'staff.login-failed');
      assert.deepEqual(refused.details, { ip: '10.4.0.2', reason: 'no-staff' });
      issuer.state.email = 'oidc-admin@aurora.example';
    });
  });
}
