import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { compactVerify, createLocalJWKSet } from 'jose';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { registerOidcClient, type RegisteredOidcClient } from '../identity/register-client.ts';
import { pairwiseSubject } from '../identity/accounts/identity-keys.ts';
import { attachPersonKey } from '../identity/accounts/account-person.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { ConsoleUser, approvedMember } from '../testing/console.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { basic, dpopKey } from '../testing/oidc-browser.ts';
import { TEST_ORIGIN, loginAndRedeem } from '../testing/oidc-login.ts';
import { assertProblem } from '../testing/problems.ts';
import { verifyAuditChain } from '../transfers/audit-chain.ts';
import { expireRequests } from './expire-requests.ts';
import { up as clientCredentialsMigration } from '../identity/migrations/2026-12-08-20-client-credentials.ts';

/**
 * Register data transfer end to end over HTTP: a member's service, calling as itself with a token of
 * the client credentials grant, asks a person (by its pairwise sub) for a register fact; the person,
 * with the citizen app's token, sees who asks for what and why and what would be sent, approves or
 * declines; the service collects the fact once, with a signed receipt. Every endpoint is called by
 * the wrong callers too.
 */

const ADMIN = { email: 'facts-admin@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';

for (const backend of testBackends()) {
  describe(`register facts (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let families: RegisteredOidcClient;
    let other: RegisteredOidcClient;
    let aino: { token: string; accountId: string };
    let veeti: { token: string; accountId: string };
    let ainoSub: string;
    /** The families service's own token from Aino's login to it: a person's token, not the service's. */
    let ainoAtService: string;
    let familiesToken: string;
    let otherToken: string;

    const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string | undefined, body?: unknown) =>
      app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body ? { payload: body as object } : {}) });
    const serviceToken = async (client: RegisteredOidcClient) => {
      const res = await app.inject({
        method: 'POST',
        url: '/oidc/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(client) },
        payload: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().access_token as string;
    };
    const ask = async (body: { sub?: string; fact?: string; purpose?: string } = {}, token = familiesToken) => {
      const res = await call('POST', '/api/v1/register-facts/requests', token, { sub: ainoSub, fact: 'monthly-income', purpose: 'Toimeentulotukihakemus: kuukauden tulot', ...body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; status: string };
    };
    const mine = async (person = aino) => {
      const res = await call('GET', '/api/v1/accounts/me/register-facts', person.token);
      assert.equal(res.statusCode, 200, res.body);
      return res.json().requests as Record<string, any>[];
    };
    const answer = (id: string, action: 'approve' | 'decline' | 'withdraw', person = aino) => call('POST', `/api/v1/accounts/me/register-facts/${id}/${action}`, person.token);
    const collect = (id: string, token: string | null = familiesToken) => call('POST', `/api/v1/register-facts/requests/${id}/collect`, token ?? undefined);
    const status = (id: string, token: string | null = familiesToken) => call('GET', `/api/v1/register-facts/requests/${id}`, token ?? undefined);
    const row = (id: string) => database.db.selectFrom('register_fact_requests').selectAll().where('id', '=', id).executeTakeFirst();

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0, testEid: true });
      await createNetworkAdmin(database.db, { email: ADMIN.email, name: 'Ylläpitäjä', password: ADMIN.password }, 'test');
      const admin = await new ConsoleUser(app).loginOk(ADMIN.email, ADMIN.password);
      const memberA = await approvedMember(admin, { name: 'Perhekunta', email: 'admin@perhekunta.example', password: PASSWORD });
      const memberB = await approvedMember(admin, { name: 'Naapuri', email: 'admin@naapuri.example', password: PASSWORD });
      families = await memberA.user.json('POST', `/api/v1/console/members/${memberA.memberId}/oidc-clients`, { name: 'Perheiden palvelu', redirect_uris: ['https://perhe.example.fi/cb'], scopes: [] });
      other = await memberB.user.json('POST', `/api/v1/console/members/${memberB.memberId}/oidc-clients`, { name: 'Naapurin palvelu', redirect_uris: ['https://naapuri.example.fi/cb'], scopes: [] });
      const citizen = await registerOidcClient(database.db, app.aurora.consent.keyring, { name: 'Aurora', redirectUris: ['http://localhost:8080/cb'], scopes: [], firstParty: true });
      const login = async (person: string) => {
        const token = (await loginAndRedeem(app, TEST_ORIGIN, citizen, 'http://localhost:8080/cb', { person })).access_token;
        return { token, accountId: (await app.aurora.identity.provider.AccessToken.find(token))!.accountId! };
      };
      aino = await login('aino');
      veeti = await login('veeti');
      // Aino logs in to the families service, which so learns her pairwise sub; Veeti never does.
      ainoAtService = (await loginAndRedeem(app, TEST_ORIGIN, families, 'https://perhe.example.fi/cb', { person: 'aino' })).access_token;
      ainoSub = pairwiseSubject(app.aurora.consent.subjectKey, 'perhe.example.fi', aino.accountId);
      familiesToken = await serviceToken(families);
      otherToken = await serviceToken(other);
      // What the Incomes Register connector last saw of Aino's pay.
      await database.db.insertInto('register_income_periods').values({ connector: 'test-incomes-register', account_id: aino.accountId, period: '2026-10', amount_cents: 245_050 }).execute();
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('the catalogue names each fact and its register in fi, sv and en', async () => {
      const res = await app.inject('/api/v1/register-facts');
      assert.equal(res.statusCode, 200);
      const facts = res.json().facts as { fact: string; name: Record<string, string>; register: Record<string, string> }[];
      assert.deepEqual(facts.map((f) => f.fact), ['monthly-income', 'home-municipality']);
      for (const f of facts) for (const lang of ['fi', 'sv', 'en']) assert.ok(f.name[lang] && f.register[lang], `${f.fact} in ${lang}`);
    });

    test('asked, approved with a receipt, collected once; the person sees each step', async () => {
      const asked = await ask();
      assert.equal(asked.status, 'pending');
      const [shown] = (await mine()).filter((r) => r.id === asked.id);
      assert.ok(shown);
      assert.equal(shown.service.name, 'Perheiden palvelu');
      assert.equal(shown.service.organisation, 'Perhekunta');
      assert.equal(shown.purpose, 'Toimeentulotukihakemus: kuukauden tulot');
      assert.equal(shown.register.en, 'Incomes Register');
      assert.deepEqual(shown.would_send, { value: '2450.50', as_of: '2026-10' });
      assert.equal((await mine(veeti)).length, 0, "another person sees nothing of Aino's");

      assert.equal((await status(asked.id)).json().status, 'pending');
      assert.equal(assertProblem(await collect(asked.id), 409, 'register-fact-pending').status, 409);

      const approved = await answer(asked.id, 'approve');
      assert.equal(approved.statusCode, 200, approved.body);
      assert.equal(approved.json().status, 'approved');
      const jwks = createLocalJWKSet((await app.inject('/.well-known/jwks.json')).json());
      const { payload } = await compactVerify(approved.json().receipt, jwks);
      const receipt = JSON.parse(new TextDecoder().decode(payload));
      assert.equal(receipt.consentReceiptID, asked.id);
      assert.equal(receipt.piiPrincipalId, ainoSub, 'the receipt names the person only by the sub the service knows');
      assert.deepEqual(receipt.services[0].purposes[0].piiCategory, ['monthly-income']);
      assert.ok(!JSON.stringify(receipt).includes('2450'), 'the value is never in the receipt');
      const sealed = await row(asked.id);
      assert.ok(sealed?.payload && !sealed.payload.includes('2450'), 'sealed at rest');

      assert.equal((await status(asked.id)).json().status, 'approved');
      const [waiting] = (await mine()).filter((r) => r.id === asked.id);
      assert.deepEqual(waiting!.would_send, { value: '2450.50', as_of: '2026-10' }, 'the person sees what the service will get');
      const got = await collect(asked.id);
      assert.equal(got.statusCode, 200, got.body);
      assert.equal(got.json().value, '2450.50');
      assert.equal(got.json().as_of, '2026-10');
      assert.equal(got.json().source, 'test-incomes-register');
      assert.equal(got.json().receipt, approved.json().receipt);
      assert.equal(assertProblem(await collect(asked.id), 410, 'register-fact-gone').status, 410);
      assert.equal((await collect(asked.id)).json().request_status, 'collected');
      const after = await row(asked.id);
      assert.equal(after?.payload, null, 'erased once collected');
      const [seen] = (await mine()).filter((r) => r.id === asked.id);
      assert.equal(seen!.status, 'collected');
      assert.ok(seen!.collected_at);
      assert.equal(seen!.would_send, null);
      const events = await database.db.selectFrom('consent_audit').select(['event', 'actor', 'reason']).where('consent_id', '=', asked.id).orderBy('seq').execute();
      assert.deepEqual(
        events.map((e) => `${e.event}:${e.reason ?? ''}`),
        ['issue:', 'redeem:', 'refuse:used', 'refuse:used'],
      );
      assert.equal((await verifyAuditChain(database.db)).ok, true);
    });

    test('declined or withdrawn before collection: the service gets the status, never the fact', async () => {
      const declined = await ask();
      assert.equal((await answer(declined.id, 'decline')).json().status, 'declined');
      assert.equal((await status(declined.id)).json().status, 'declined');
      assert.equal(assertProblem(await collect(declined.id), 410, 'register-fact-gone').status, 410);
      assertProblem(await answer(declined.id, 'approve'), 409, 'register-fact-answered');

      const withdrawn = await ask();
      await answer(withdrawn.id, 'approve');
      const w = await answer(withdrawn.id, 'withdraw');
      assert.equal(w.statusCode, 200, w.body);
      assert.equal(w.json().status, 'withdrawn');
      assert.equal((await row(withdrawn.id))?.payload, null, 'the fact is erased at once');
      const refused = await collect(withdrawn.id);
      assertProblem(refused, 410, 'register-fact-gone');
      assert.equal(refused.json().request_status, 'withdrawn');
      assert.ok(!refused.body.includes('2450'));

      const collected = await ask();
      await answer(collected.id, 'approve');
      assert.equal((await collect(collected.id)).statusCode, 200);
      assertProblem(await answer(collected.id, 'withdraw'), 409, 'register-fact-not-withdrawable');
      assertProblem(await answer((await ask()).id, 'withdraw'), 409, 'register-fact-not-withdrawable');
    });

    test('a fact the register has not told is not sent: the request waits', async () => {
      const asked = await ask({ fact: 'home-municipality', purpose: 'Asumistuki' });
      const [shown] = (await mine()).filter((r) => r.id === asked.id);
      assert.equal(shown!.would_send, null);
      assertProblem(await answer(asked.id, 'approve'), 409, 'register-fact-unavailable');
      assert.equal((await row(asked.id))?.status, 'pending');
      // A move the population register reported; then one under a security denial, without a municipality.
      const moved = (occurredAt: string, data: Record<string, string>) =>
        database.db.insertInto('life_events').values({ id: randomUUID(), account_id: aino.accountId, type: 'moved', occurred_at: occurredAt, data: JSON.stringify(data), source: 'test-population-register', source_id: randomUUID() }).execute();
      await moved('2026-09-01T00:00:00Z', { municipality: '491' });
      const [now] = (await mine()).filter((r) => r.id === asked.id);
      assert.deepEqual(now!.would_send, { value: '491', as_of: '2026-09-01' });
      await answer(asked.id, 'approve');
      assert.equal((await collect(asked.id)).json().value, '491');
      await moved('2026-10-01T00:00:00Z', {});
      const later = await ask({ fact: 'home-municipality', purpose: 'Asumistuki' });
      assertProblem(await answer(later.id, 'approve'), 409, 'register-fact-unavailable');
    });

    test('a sub the service does not know is answered as any other, and expires the same', async () => {
      const veetiSub = pairwiseSubject(app.aurora.consent.subjectKey, 'perhe.example.fi', veeti.accountId);
      const other = pairwiseSubject(app.aurora.consent.subjectKey, 'naapuri.example.fi', aino.accountId);
      const known = await ask();
      const shapes = [];
      for (const sub of [veetiSub, other, randomBytes(32).toString('base64url'), 'x']) {
        const res = await call('POST', '/api/v1/register-facts/requests', familiesToken, { sub, fact: 'monthly-income', purpose: 'Toimeentulotukihakemus: kuukauden tulot' });
        assert.equal(res.statusCode, 201, res.body);
        shapes.push(res.json());
        const view = (await status(res.json().id)).json();
        assert.deepEqual(Object.keys(view).sort(), Object.keys((await status(known.id)).json()).sort());
        assert.equal(view.status, 'pending');
      }
      for (const s of shapes) assert.deepEqual(Object.keys(s).sort(), Object.keys(known).sort());
      assert.equal((await mine(veeti)).length, 0, "nobody sees a request for a sub the service has never been given");
      // Past their time, both read as expired, and both are deleted after the retention, alike.
      await database.db.updateTable('register_fact_requests').set({ expires_at: new Date(Date.now() - 1000) }).where('id', 'in', [known.id, shapes[0]!.id]).execute();
      assert.equal((await status(known.id)).json().status, 'expired');
      assert.equal((await status(shapes[0]!.id)).json().status, 'expired');
      const purged = await expireRequests(database.db, 90, new Date(Date.now() + 91 * 86_400_000));
      assert.ok(purged.deleted >= 2);
      assertProblem(await status(known.id), 404);
      assertProblem(await status(shapes[0]!.id), 404);
    });

    test('an approved fact not collected in time is erased by the purge', async () => {
      const asked = await ask();
      await answer(asked.id, 'approve');
      await database.db.updateTable('register_fact_requests').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', asked.id).execute();
      assert.equal((await collect(asked.id)).json().request_status, 'expired');
      const { expired } = await expireRequests(database.db, 90);
      assert.ok(expired >= 1);
      const gone = await row(asked.id);
      assert.equal(gone?.status, 'expired');
      assert.equal(gone?.payload, null);
      const events = await database.db.selectFrom('consent_audit').select('event').where('consent_id', '=', asked.id).orderBy('seq').execute();
      assert.deepEqual(events.map((e) => e.event), ['issue', 'refuse', 'purge']);
    });

    test('wrong callers: no token, a person on the service API, a service on the person API, another service, another person', async () => {
      const asked = await ask();
      const body = { sub: ainoSub, fact: 'monthly-income', purpose: 'x' };
      // The service API.
      assertProblem(await call('POST', '/api/v1/register-facts/requests', undefined, body), 401);
      assertProblem(await call('POST', '/api/v1/register-facts/requests', 'not-a-token-at-all-but-long-enough', body), 401);
      assertProblem(await call('POST', '/api/v1/register-facts/requests', aino.token, body), 403, 'insufficient-scope');
      assertProblem(await call('POST', '/api/v1/register-facts/requests', ainoAtService, body), 403, 'insufficient-scope');
      assertProblem(await status(asked.id, null), 401);
      assertProblem(await status(asked.id, aino.token), 403);
      assertProblem(await collect(asked.id, aino.token), 403);
      assertProblem(await status(asked.id, otherToken), 404);
      await answer(asked.id, 'approve');
      assertProblem(await collect(asked.id, otherToken), 404);
      assertProblem(await collect(asked.id, null), 401);
      assert.equal((await collect(asked.id)).statusCode, 200, 'the refusals took nothing');
      const refusals = await database.db.selectFrom('consent_audit').select('reason').where('consent_id', '=', asked.id).where('event', '=', 'refuse').execute();
      assert.deepEqual(refusals.map((r) => r.reason), ['wrong-client']);
      // The person API.
      const pending = await ask();
      assertProblem(await call('GET', '/api/v1/accounts/me/register-facts', undefined), 401);
      assertProblem(await call('GET', '/api/v1/accounts/me/register-facts', familiesToken), 401);
      assertProblem(await call('GET', '/api/v1/accounts/me/register-facts', ainoAtService), 403);
      for (const action of ['approve', 'decline', 'withdraw'] as const) {
        assertProblem(await answer(pending.id, action, veeti), 404);
        assertProblem(await call('POST', `/api/v1/accounts/me/register-facts/${pending.id}/${action}`, familiesToken), 401);
        assertProblem(await call('POST', `/api/v1/accounts/me/register-facts/${pending.id}/${action}`, undefined), 401);
      }
      assertProblem(await answer(randomUUID(), 'approve'), 404);
      assertProblem(await call('POST', '/api/v1/accounts/me/register-facts/not-a-uuid/approve', aino.token), 400);
      assert.equal((await row(pending.id))?.status, 'pending');
      // Bad requests.
      assertProblem(await call('POST', '/api/v1/register-facts/requests', familiesToken, { ...body, fact: 'hetu' }), 400);
      assertProblem(await call('POST', '/api/v1/register-facts/requests', familiesToken, { ...body, purpose: 'x'.repeat(201) }), 400);
      assertProblem(await call('POST', '/api/v1/register-facts/requests', familiesToken, { ...body, purpose: '   ' }), 400);
      const withCode = await call('POST', '/api/v1/register-facts/requests', familiesToken, { ...body, purpose: 'Hakemus 010190-923T' });
      assertProblem(withCode, 400);
      assert.ok(!withCode.body.includes('010190'), 'the answer does not repeat it');
      assertProblem(await call('POST', '/api/v1/register-facts/requests', familiesToken, { ...body, extra: 1 }), 400);
    });

    test('a DPoP-bound service token is taken only with a proof of its key for that very request', async () => {
      const key = await dpopKey();
      const issued = await app.inject({
        method: 'POST',
        url: '/oidc/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(families), dpop: await key.proof('POST', `${TEST_ORIGIN}/oidc/token`) },
        payload: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      });
      assert.equal(issued.statusCode, 200, issued.body);
      assert.equal(issued.json().token_type, 'DPoP');
      const token = issued.json().access_token as string;
      const url = `${TEST_ORIGIN}/api/v1/register-facts/requests`;
      const body = { sub: ainoSub, fact: 'monthly-income', purpose: 'DPoP' };
      const send = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/api/v1/register-facts/requests', headers, payload: body });
      assertProblem(await send({ authorization: `Bearer ${token}` }), 401);
      assertProblem(await send({ authorization: `DPoP ${token}`, dpop: await key.proof('POST', `${TEST_ORIGIN}/api/v1/register-facts`, token) }), 401);
      assertProblem(await send({ authorization: `DPoP ${token}`, dpop: await (await dpopKey()).proof('POST', url, token) }), 401);
      const proof = await key.proof('POST', url, token);
      assert.equal((await send({ authorization: `DPoP ${token}`, dpop: proof })).statusCode, 201);
      assertProblem(await send({ authorization: `DPoP ${token}`, dpop: proof }), 401);
    });

    test('open requests are limited per service, unknown subs counted alike', async () => {
      const open = Number((await database.db.selectFrom('register_fact_requests').select((eb) => eb.fn.countAll<string>().as('n')).where('client_id', '=', other.client_id).where('status', 'in', ['pending', 'approved']).executeTakeFirstOrThrow()).n);
      process.env.AURORA_REGISTER_FACT_OPEN_PER_CLIENT = String(open + 3);
      try {
        const asks = await Promise.all(
          Array.from({ length: 6 }, (_, i) => call('POST', '/api/v1/register-facts/requests', otherToken, { sub: i % 2 ? `unknown-${i}` : ainoSub, fact: 'monthly-income', purpose: 'x' })),
        );
        assert.deepEqual(asks.map((r) => r.statusCode).sort(), [201, 201, 201, 429, 429, 429]);
        assert.ok(asks.filter((r) => r.statusCode === 429).every((r) => r.headers['retry-after']));
        assert.equal((await ask()).status, 'pending', "another service's limit is its own");
      } finally {
        delete process.env.AURORA_REGISTER_FACT_OPEN_PER_CLIENT;
      }
    });

    test('a fact is delivered at most once, however many collect at once and whether a withdrawal races them', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 2, max: 6 }), fc.boolean(), async (collectors, withdraw) => {
          const asked = await ask();
          await answer(asked.id, 'approve');
          const results = await Promise.all([
            ...Array.from({ length: collectors }, () => collect(asked.id)),
            ...(withdraw ? [answer(asked.id, 'withdraw')] : []),
          ]);
          const got = results.slice(0, collectors).filter((r) => r.statusCode === 200);
          assert.ok(got.length <= 1, `delivered ${got.length} times`);
          for (const r of results.slice(0, collectors)) if (r.statusCode !== 200) assert.equal(r.statusCode, 410, r.body);
          const withdrew = withdraw && results[collectors]!.statusCode === 200;
          assert.equal(got.length, withdrew ? 0 : 1, 'either collected once or withdrawn first');
          assert.equal((await row(asked.id))?.payload, null);
        }),
        { numRuns: 8 },
      );
    });

    test("erasing one's data removes the requests; the services then find none", async () => {
      const asked = await ask();
      await answer(asked.id, 'approve');
      const personKey = randomBytes(32).toString('base64url');
      await attachPersonKey(database.db, app.aurora.identity.keyring, app.aurora.identity.subjectKey, aino.accountId, personKey);
      const erased = await app.inject({ method: 'DELETE', url: '/api/v1/my', headers: { authorization: `Bearer ${personKey}` } });
      assert.equal(erased.statusCode, 200, erased.body);
      assert.ok(erased.json().register_fact_requests_deleted >= 1);
      assert.deepEqual(await database.db.selectFrom('register_fact_requests').select('id').where('account_id', '=', aino.accountId).execute(), []);
      assertProblem(await collect(asked.id), 404);
      assert.deepEqual(await mine(), []);
    });

    test('services registered before the client credentials grant get it with the migration', async () => {
      const legacy = await registerOidcClient(database.db, app.aurora.consent.keyring, { name: 'Vanha', redirectUris: ['https://vanha.example.fi/cb'], scopes: [], memberId: (await database.db.selectFrom('members').select('id').executeTakeFirstOrThrow()).id });
      const { sql } = await import('kysely');
      await sql`update identity_oidc_models set payload = jsonb_set(payload, '{grant_types}', '["authorization_code"]'::jsonb) where id = ${legacy.client_id}`.execute(database.db);
      await clientCredentialsMigration(database.db);
      const stored = await database.db.selectFrom('identity_oidc_models').select('payload').where('id', '=', legacy.client_id).executeTakeFirstOrThrow();
      assert.deepEqual(stored.payload.grant_types, ['authorization_code', 'client_credentials']);
    });
  });
}
