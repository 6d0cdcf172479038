import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Database } from '../../db/database.ts';
import type { ServerOptions } from '../../http/server.ts';
import { fillAttempts } from '../../testing/attempts.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { FakeSuomifiIdp, IDP_SLO_URL, TEST_PEOPLE, type AnswerOptions, type TestPerson } from '../../testing/fake-suomifi-idp.ts';
import { assertProblem } from '../../testing/problems.ts';
import type { EidIdentity } from '../eid.ts';
import { buildServerWithEnv, signInWithSuomifi, suomifiEnv, suomifiFixture } from '../../testing/suomifi-network.ts';
import { registerOidcClient } from '../register-client.ts';
import { SUOMIFI_STARTS } from './limits.ts';

/**
 * Suomi.fi login through HTTP, on servers configured the way an operator does it (the IdP's
 * metadata file, the keys and certificates as files): the metadata, a login from start to the
 * network's login, refusals as RFC 9457 problems, a replay reaching a second server on the same
 * database, single logout both ways, and a server log that holds no identity code and no name.
 */

const suomifi = suomifiEnv();
after(() => suomifi.remove());
const CONFIGURED = suomifi.env;
const FIXTURES = suomifiFixture('.');
const serverWith = buildServerWithEnv;

const form = (body: Record<string, string>) => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(body).toString() });

for (const backend of testBackends()) {
  describe(`Suomi.fi login over HTTP (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let second: FastifyInstance;
    const idp = new FakeSuomifiIdp();
    const completed: { identity: EidIdentity; state: string }[] = [];
    const ended: { nameId: string; sessionIndex?: string }[] = [];
    let log = '';
    const logger: FastifyServerOptions['logger'] = {
      level: 'trace',
      stream: new Writable({
        write(chunk, _encoding, done) {
          log += String(chunk);
          done();
        },
      }),
    };
    const hooks: Partial<ServerOptions> = {
      completeEidLogin: async (_request, reply, identity, state) => {
        completed.push({ identity, state });
        return reply.redirect(`/login/continue?interaction=${encodeURIComponent(state)}`, 302);
      },
      suomifiHooks: {
        cancelLogin: async (_request, reply, state) => reply.redirect(`/login/cancelled?interaction=${encodeURIComponent(state)}`, 302),
        endSessions: async (_request, login) => {
          ended.push(login);
          return true;
        },
      },
    };

    before(async () => {
      database = await createTestDatabase(backend);
      app = await serverWith(database, CONFIGURED, { ...hooks, logger });
      second = await serverWith(database, CONFIGURED, hooks);
    });
    // Also after a failed start, so that a PostgreSQL test database is always dropped.
    after(async () => {
      await app?.close();
      await second?.close();
      await database?.close();
    });

    /** GET login with this state, follow to the IdP, get its answer for this person. */
    async function startAndAnswer(server: FastifyInstance, person: TestPerson = TEST_PEOPLE.ordinary, options: AnswerOptions = {}, state = 'interaction-a') {
      const start = await server.inject({ method: 'GET', url: `/api/v1/identity/suomifi/login?state=${encodeURIComponent(state)}` });
      assert.equal(start.statusCode, 302, start.body);
      assert.equal(start.headers['cache-control'], 'no-store');
      const request = idp.receive(String(start.headers.location));
      assert.equal(request.signatureValid, true);
      return idp.answer(request, person, options);
    }
    const post = (server: FastifyInstance, body: Record<string, string>) => server.inject({ method: 'POST', url: '/api/v1/identity/suomifi/acs', ...form(body) });

    test('without the variables there are no Suomi.fi routes; half of them is logged and stays off', async () => {
      const off = await serverWith(database, {});
      try {
        assert.equal(off.suomifi, null);
        assertProblem(await off.inject('/api/v1/identity/suomifi/metadata'), 404);
      } finally {
        await off.close();
      }
      let warned = '';
      const half = await serverWith(database, { AURORA_SUOMIFI_SP_ENTITY_ID: 'https://aurora.example.fi/saml/sp' }, {
        logger: { level: 'warn', stream: new Writable({ write: (c, _e, done) => ((warned += String(c)), done()) }) },
      });
      try {
        assert.equal(half.suomifi, null);
        assertProblem(await half.inject('/api/v1/identity/suomifi/login?state=x'), 404);
        assert.match(warned, /Suomi\.fi login is off: set AURORA_SUOMIFI_SP_SIGNING_KEY/);
      } finally {
        await half.close();
      }
    });

    test('the IdP given by entity ID, URLs and certificate files works as with its metadata file', async () => {
      const explicit = await serverWith(database, {
        ...CONFIGURED,
        AURORA_SUOMIFI_IDP_METADATA_FILE: '',
        AURORA_SUOMIFI_IDP_ENTITY_ID: 'https://testi.apro.tunnistus.fi/idp1',
        AURORA_SUOMIFI_IDP_SSO_URL: 'https://testi.apro.tunnistus.fi/idp/profile/SAML2/Redirect/SSO',
        AURORA_SUOMIFI_IDP_SLO_URL: IDP_SLO_URL,
        AURORA_SUOMIFI_IDP_CERTIFICATES: `${join(FIXTURES, 'idp-1.crt')},${join(FIXTURES, 'idp-2.crt')}`,
        AURORA_SUOMIFI_LEVEL_OF_ASSURANCE: 'high',
      }, hooks);
      try {
        const before = completed.length;
        const start = await explicit.inject('/api/v1/identity/suomifi/login?state=explicit');
        const request = idp.receive(String(start.headers.location));
        assert.deepEqual(request.authnContexts, ['http://ftn.ficora.fi/2017/loa3']);
        const res = await post(explicit, await idp.answer(request, TEST_PEOPLE.ordinary, { signer: 'idp2' }));
        assert.equal(res.statusCode, 302, res.body);
        assert.equal(completed.length, before + 1);
        // A substantial (loa2) identification is not enough when high is asked for.
        const low = await explicit.inject('/api/v1/identity/suomifi/login?state=explicit-low');
        const lowRequest = idp.receive(String(low.headers.location));
        assertProblem(await post(explicit, await idp.answer(lowRequest, TEST_PEOPLE.ordinary, { levelOfAssurance: 'http://ftn.ficora.fi/2017/loa2' })), 400, 'eid-response-refused');
      } finally {
        await explicit.close();
      }
    });

    test('the metadata is SAML metadata with our ACS', async () => {
      const res = await app.inject('/api/v1/identity/suomifi/metadata');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/samlmetadata\+xml/);
      assert.match(res.body, /entityID="https:\/\/aurora\.example\.fi\/saml\/sp"/);
      assert.match(res.body, /Location="http:\/\/localhost\/api\/v1\/identity\/suomifi\/acs"/);
    });

    test('a login for 010280-952L reaches the network with its identity and state, and no name', async () => {
      const body = await startAndAnswer(app, TEST_PEOPLE.ordinary, {}, 'interaction-ordinary');
      const res = await post(app, body);
      assert.equal(res.statusCode, 302, res.body);
      assert.equal(res.headers.location, '/login/continue?interaction=interaction-ordinary');
      assert.equal(res.headers['cache-control'], 'no-store');
      const { identity, state } = completed.at(-1)!;
      assert.equal(state, 'interaction-ordinary');
      assert.equal(identity.identityCode, '010280-952L');
      assert.equal(identity.dateOfBirth, '1980-02-01');
      assert.equal(identity.homeMunicipalityCode, '091');
      assert.equal(identity.securityDenial, false);
      assert.equal(identity.source, 'suomifi');
      assert.doesNotMatch(JSON.stringify(identity), /Nordea|Demo/);
    });

    test('the security-denial person 260991-999R reaches the network without a municipality', async () => {
      const res = await post(app, await startAndAnswer(app, TEST_PEOPLE.protected));
      assert.equal(res.statusCode, 302, res.body);
      const { identity } = completed.at(-1)!;
      assert.equal(identity.identityCode, '260991-999R');
      assert.equal(identity.securityDenial, true);
      assert.equal(identity.homeMunicipalityCode, undefined);
    });

    test('a replayed answer is refused, also by a second server on the same database', async () => {
      const body = await startAndAnswer(app);
      assert.equal((await post(app, body)).statusCode, 302);
      const onSecond = assertProblem(await post(second, body), 400, 'eid-response-refused');
      assert.equal(onSecond.title, 'The e-Identification answer was refused');
      assertProblem(await post(app, body), 400, 'eid-response-refused');
      // Started on one server, finished on the other: that is one network, and it works.
      assert.equal((await post(second, await startAndAnswer(app))).statusCode, 302);
    });

    test('bad answers are 4xx problems with a clear title and no stack', async () => {
      const cases: [string, Record<string, string>][] = [
        ['forged', await startAndAnswer(app, TEST_PEOPLE.ordinary, { signer: 'forger' })],
        ['expired', await startAndAnswer(app, TEST_PEOPLE.ordinary, { issuedAtMs: -10 * 60_000 })],
        ['unsolicited', await startAndAnswer(app, TEST_PEOPLE.ordinary, { inResponseTo: null })],
        ['another audience', await startAndAnswer(app, TEST_PEOPLE.ordinary, { audience: 'https://other.example/sp' })],
        ['unencrypted', await startAndAnswer(app, TEST_PEOPLE.ordinary, { encrypt: false })],
        ['not base64 XML', { SAMLResponse: 'PHg+' }],
      ];
      for (const [what, body] of cases) {
        const problem = assertProblem(await post(app, body), 400, 'eid-response-refused');
        assert.equal(problem.title, 'The e-Identification answer was refused', what);
        assert.doesNotMatch(JSON.stringify(problem), /at .*\.ts|stack|010280/, what);
      }
      // A cancelled login goes back to the network's login with its state, once; then it answers nothing open.
      const cancelled = await startAndAnswer(app, TEST_PEOPLE.ordinary, { status: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed' }, 'interaction-cancelled');
      const back = await post(app, cancelled);
      assert.equal(back.statusCode, 302, back.body);
      assert.equal(back.headers.location, '/login/cancelled?interaction=interaction-cancelled');
      assertProblem(await post(app, cancelled), 400, 'eid-response-refused');
      assertProblem(await app.inject({ method: 'POST', url: '/api/v1/identity/suomifi/acs', ...form({}) }), 400);
      assertProblem(await app.inject({ method: 'POST', url: '/api/v1/identity/suomifi/acs', payload: { SAMLResponse: 'x' } }), 400);
      assertProblem(await app.inject('/api/v1/identity/suomifi/login'), 400);
      // The SLO endpoint: nothing, garbage, a message without its signature.
      for (const query of ['', '?SAMLRequest=bm9wZQ%3D%3D&SigAlg=x&Signature=eA%3D%3D', '?SAMLResponse=%25%25&SigAlg=x&Signature=y', '?SAMLRequest=abc'])
        assert.equal(assertProblem(await app.inject(`/api/v1/identity/suomifi/slo${query}`), 400).title, 'The e-Identification answer was refused', query);
    });

    test("by default a verified identity goes to the network's OpenID Provider: a service's login through Suomi.fi ends in a code, a pairwise subject and no municipality under a security denial", async () => {
      const network = await serverWith(database, CONFIGURED);
      try {
        const redirectUri = 'https://nuoret.example.fi/callback';
        const client = await registerOidcClient(database.db, network.aurora.consent.keyring, { name: 'Nuorten palvelu', redirectUris: [redirectUri], scopes: ['age_band', 'municipality_code'] });
        const signIn = async (person: TestPerson) =>
          (await signInWithSuomifi({ network, idp, client, redirectUri, person, scopes: ['age_band', 'municipality_code'] })).userinfo as { sub: string; municipality_code?: string; age_band?: string };
        const ordinary = await signIn(TEST_PEOPLE.ordinary);
        assert.equal(ordinary.municipality_code, '091');
        assert.ok(ordinary.age_band);
        assert.doesNotMatch(JSON.stringify(ordinary), /010280|Nordea/);
        assert.equal((await signIn(TEST_PEOPLE.ordinary)).sub, ordinary.sub, 'the same person, the same subject for this service');
        const protectedPerson = await signIn(TEST_PEOPLE.protected);
        assert.notEqual(protectedPerson.sub, ordinary.sub);
        assert.equal(protectedPerson.municipality_code, undefined, 'a security denial keeps the municipality out');
      } finally {
        await network.close();
      }
    });

    test("single logout: the IdP's signed LogoutRequest ends the sessions and is answered; ours is answered once", async () => {
      const url = new URL(idp.logoutRequest('AAdzZWNyZXQxperson', '_session-42', { relayState: 'idp-relay' }));
      const res = await app.inject({ method: 'GET', url: url.pathname + url.search });
      assert.equal(res.statusCode, 302, res.body);
      const back = new URL(String(res.headers.location));
      assert.equal(back.origin + back.pathname, IDP_SLO_URL);
      assert.ok(back.searchParams.get('SAMLResponse') && back.searchParams.get('Signature'));
      assert.deepEqual(ended.at(-1), { nameId: 'AAdzZWNyZXQxperson', sessionIndex: '_session-42' });
      const forged = new URL(idp.logoutRequest('AAdzZWNyZXQxperson', '_session-42', { signer: 'forger' }));
      assertProblem(await app.inject({ method: 'GET', url: forged.pathname + forged.search }), 400, 'eid-response-refused');

      const login = await post(app, await startAndAnswer(app));
      assert.equal(login.statusCode, 302);
      const identity = completed.at(-1)!.identity;
      const { request, responseUrl } = idp.logoutAnswer(await app.suomifi!.logout(identity.logout!, 'bye'));
      assert.equal(request.signatureValid, true);
      const answer = new URL(responseUrl);
      const done = await second.inject({ method: 'GET', url: answer.pathname + answer.search });
      assert.equal(done.statusCode, 302, done.body);
      assert.equal(done.headers.location, '/');
      assertProblem(await app.inject({ method: 'GET', url: answer.pathname + answer.search }), 400);
    });

    test('an address may start only so many logins (each writes an open request): 429 beyond', async () => {
      const address = '203.0.113.9';
      await fillAttempts(database.db, `${SUOMIFI_STARTS.name}:${address}`, SUOMIFI_STARTS.limit - 1);
      const last = await app.inject({ method: 'GET', url: '/api/v1/identity/suomifi/login?state=s', remoteAddress: address });
      assert.equal(last.statusCode, 302, last.body);
      const beyond = await second.inject({ method: 'GET', url: '/api/v1/identity/suomifi/login?state=s', remoteAddress: address });
      assertProblem(beyond, 429, 'too-many-requests');
      assert.ok(beyond.headers['retry-after']);
    });

    test('the server log of all this holds no identity code, no name and no assertion', () => {
      assert.ok(log.length > 0);
      assert.match(log, /\/api\/v1\/identity\/suomifi\/acs/);
      for (const needle of ['010280-952L', '260991-999R', '010280', '260991', 'Nordea', 'Turva', 'Kielto', 'SAMLResponse', 'EncryptedAssertion', 'BEGIN PRIVATE KEY'])
        assert.ok(!log.includes(needle), `the log holds ${needle}`);
    });
  });
}
