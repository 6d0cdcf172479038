import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { CITIZEN_CALLBACK_PATH, CITIZEN_CLIENT_ID } from '../identity/citizen-client.ts';
import { registerOidcClient, type RegisteredOidcClient } from '../identity/register-client.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { basic, dpopKey } from '../testing/oidc-browser.ts';
import { TEST_ORIGIN, loginAtProvider } from '../testing/oidc-login.ts';

/**
 * The person's encrypted profile over HTTP: kept, changed and removed by the person with their key,
 * validated against the attribute schema, encrypted at rest under a key of their own that erasure
 * destroys; kept by a service only with a `store:` scope the person agreed to, read by a service
 * only as a claim the person agreed to; and the history of who did what.
 */

const newKey = () => randomBytes(32).toString('base64url');
const SERVICE_CB = 'https://nuoret.example.fi/cb';

for (const backend of testBackends()) {
  describe(`the person's profile (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let youth: RegisteredOidcClient;
    let other: RegisteredOidcClient;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, testEid: true });
      const keyring = app.aurora.consent.keyring;
      youth = await registerOidcClient(database.db, keyring, { name: 'Nuorten palvelu', redirectUris: [SERVICE_CB], scopes: ['age', 'store:age', 'municipality_code', 'store:life_situation_meters'] });
      other = await registerOidcClient(database.db, keyring, { name: 'Kirjasto', redirectUris: ['https://kirjasto.example.fi/cb'], scopes: ['age'] });
    });
    after(async () => {
      await app.close();
      await database.close();
    });

    const as = (key: string | undefined, method: 'GET' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
      app.inject({ method, url, headers: key ? { authorization: `Bearer ${key}` } : {}, ...(body !== undefined ? { payload: body as object } : {}) });
    const serviceStores = (token: string | undefined, name: string, value: unknown) =>
      app.inject({ method: 'PUT', url: `/api/v1/profile/attributes/${name}`, headers: token ? { authorization: `Bearer ${token}` } : {}, payload: { value } });

    test('the person keeps, changes and removes attributes; the history says what and who; nothing is readable at rest', async () => {
      const key = newKey();
      const stored = await as(key, 'PUT', '/api/v1/my/profile/attributes/age', { value: 47 });
      assert.equal(stored.statusCode, 200, stored.body);
      assert.deepEqual(stored.json(), { name: 'age', event: 'stored' });
      assert.deepEqual((await as(key, 'PUT', '/api/v1/my/profile/attributes/age', { value: 48 })).json(), { name: 'age', event: 'changed' });
      assert.equal((await as(key, 'PUT', '/api/v1/my/profile/attributes/municipality_code', { value: '491' })).statusCode, 200);
      const profile = await as(key, 'GET', '/api/v1/my/profile');
      assert.equal(profile.statusCode, 200);
      assert.equal(profile.headers['cache-control'], 'no-store');
      const body = profile.json();
      assert.deepEqual(body.attributes.map((a: { name: string; value: unknown; updated_by: string }) => [a.name, a.value, a.updated_by]), [['age', 48, 'person'], ['municipality_code', '491', 'person']]);
      assert.deepEqual(body.history.map((h: { attribute: string; event: string; by: string }) => `${h.attribute} ${h.event} ${h.by}`), ['municipality_code stored person', 'age changed person', 'age stored person']);
      const rows = await sql<Record<string, unknown>>`select * from profile_attributes`.execute(database.db);
      assert.ok(!JSON.stringify(rows.rows).includes('491'), 'values are encrypted at rest');

      const removed = await as(key, 'DELETE', '/api/v1/my/profile/attributes/age');
      assert.equal(removed.statusCode, 204);
      assert.equal((await as(key, 'DELETE', '/api/v1/my/profile/attributes/age')).statusCode, 404);
      const after = (await as(key, 'GET', '/api/v1/my/profile')).json();
      assert.deepEqual(after.attributes.map((a: { name: string }) => a.name), ['municipality_code']);
      assert.equal(after.history[0].event, 'removed');
      // Another key sees nothing of it.
      assert.deepEqual((await as(newKey(), 'GET', '/api/v1/my/profile')).json(), { attributes: [], history: [] });
    });

    test('values are validated against the attribute schema and limited in size; a refused one changes nothing', async () => {
      const key = newKey();
      await as(key, 'PUT', '/api/v1/my/profile/attributes/age', { value: 30 });
      for (const [name, value] of [
        ['age', -1],
        ['age', 'thirty'],
        ['age', 201],
        ['municipality_code', '49'],
        ['life_situation_meters', { health: [11] }],
        ['shoe_size', 42],
        ['life_situation_meters', { health: Array.from({ length: 3000 }, () => 5) }],
      ] as const) {
        const refused = await as(key, 'PUT', `/api/v1/my/profile/attributes/${name}`, { value });
        assert.equal(refused.statusCode, 400, `${name}=${JSON.stringify(value).slice(0, 40)}: ${refused.body}`);
        assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
      }
      assert.equal((await as(key, 'PUT', '/api/v1/my/profile/attributes/age', {})).statusCode, 400, 'a value is required');
      assert.deepEqual((await as(key, 'GET', '/api/v1/my/profile')).json().attributes.map((a: { value: unknown }) => a.value), [30]);
    });

    test('any JSON value is either kept and given back as it was, or refused with a 400, never a 500', async () => {
      const key = newKey();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('age', 'municipality_code', 'tampere_demo_flag', 'life_situation_meters'), fc.jsonValue({ maxDepth: 3 }), async (name, value) => {
          const answer = await as(key, 'PUT', `/api/v1/my/profile/attributes/${name}`, { value });
          assert.ok(answer.statusCode === 200 || answer.statusCode === 400, `${answer.statusCode} ${answer.body}`);
          if (answer.statusCode === 200) {
            const kept = (await as(key, 'GET', '/api/v1/my/profile')).json().attributes.find((a: { name: string }) => a.name === name);
            assert.deepEqual(kept.value, JSON.parse(JSON.stringify(value)));
          }
        }),
        { numRuns: 40 },
      );
    });

    test('wrong callers: no person key, a malformed one', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/my/profile'],
        ['PUT', '/api/v1/my/profile/attributes/age'],
        ['DELETE', '/api/v1/my/profile/attributes/age'],
      ] as const) {
        const none = await as(undefined, method, url, method === 'PUT' ? { value: 3 } : undefined);
        assert.equal(none.statusCode, 401, `${method} ${url}`);
        assert.match(String(none.headers['www-authenticate']), /aurora-person/);
        assert.equal((await as('not-a-key', method, url, method === 'PUT' ? { value: 3 } : undefined)).statusCode, 401);
      }
    });

    test('erasing the person destroys their data key, their values and their history', async () => {
      const key = newKey();
      await as(key, 'PUT', '/api/v1/my/profile/attributes/age', { value: 52 });
      const erased = await app.inject({ method: 'DELETE', url: '/api/v1/my', headers: { authorization: `Bearer ${key}` } });
      assert.equal(erased.statusCode, 200, erased.body);
      assert.equal(erased.json().profile_attributes_deleted, 1);
      assert.deepEqual((await as(key, 'GET', '/api/v1/my/profile')).json(), { attributes: [], history: [] });
      const keys = await sql<{ n: number }>`select count(*)::int as n from profile_keys`.execute(database.db);
      const values = await sql<{ n: number }>`select count(*)::int as n from profile_attributes`.execute(database.db);
      // Other tests' persons remain; this one's rows are gone: every value row still has its key.
      const orphans = await sql<{ n: number }>`select count(*)::int as n from profile_attributes a where not exists (select 1 from profile_keys k where k.person = a.person)`.execute(database.db);
      assert.equal(orphans.rows[0]!.n, 0);
      assert.ok(keys.rows[0]!.n >= 0 && values.rows[0]!.n >= 0);
    });

    test('a service with store:age keeps the age the person agreed to; it reads it back only by the age scope; the person sees who kept it', async () => {
      // The person attached their browser's key from the citizen app first.
      const personKey = newKey();
      const citizen = await loginAtProvider(app, { clientId: CITIZEN_CLIENT_ID, redirectUri: `${TEST_ORIGIN}${CITIZEN_CALLBACK_PATH}`, scope: 'openid', person: 'veeti' });
      const attached = await app.inject({ method: 'POST', url: '/api/v1/my/account', headers: { authorization: `Bearer ${personKey}`, 'aurora-access-token': citizen.tokens.access_token } });
      assert.equal(attached.statusCode, 200, attached.body);

      const granted = await loginAtProvider(app, {
        clientId: youth.client_id,
        redirectUri: SERVICE_CB,
        scope: 'openid store:age store:life_situation_meters',
        person: 'veeti',
        authorization: basic(youth),
        approve: ['store:age'],
        uiLocales: 'sv',
      });
      assert.match(granted.consentPage!, /<legend>Får sparas i din profil<\/legend>/);
      assert.match(granted.consentPage!, /<label for="scope-0">Ålder<\/label>/);
      assert.match(granted.consentPage!, /<label for="scope-1">Dina bedömningar av din livssituation<\/label>/);
      const token = granted.tokens.access_token;

      const kept = await serviceStores(token, 'age', 15);
      assert.equal(kept.statusCode, 200, kept.body);
      const refused = await serviceStores(token, 'life_situation_meters', { health: [3] });
      assert.equal(refused.statusCode, 403, 'the person did not tick store:life_situation_meters');
      assert.match(String(refused.headers['www-authenticate']), /insufficient_scope/);
      assert.equal((await serviceStores(token, 'municipality_code', '091')).statusCode, 403);
      assert.equal((await serviceStores(token, 'age', 'x')).statusCode, 400);
      assert.equal((await serviceStores(undefined, 'age', 15)).statusCode, 401);
      assert.equal((await serviceStores('y'.repeat(43), 'age', 15)).statusCode, 401);
      assert.equal((await serviceStores(citizen.tokens.access_token, 'age', 15)).statusCode, 403, "the citizen app's token carries no store: scope");

      // The person sees the value and who kept it.
      const mine = (await as(personKey, 'GET', '/api/v1/my/profile')).json();
      assert.deepEqual(mine.attributes, [{ name: 'age', value: 15, updated_at: mine.attributes[0].updated_at, updated_by: 'service', service_name: 'Nuorten palvelu' }]);
      assert.deepEqual(mine.history.map((h: { attribute: string; event: string; service_name?: string }) => `${h.attribute} ${h.event} ${h.service_name}`), ['age stored Nuorten palvelu', 'age store-allowed Nuorten palvelu']);

      // Reading: a later token of the same grant sees age only through the age scope the person ticked.
      const again = await loginAtProvider(app, { clientId: youth.client_id, redirectUri: SERVICE_CB, scope: 'openid age', person: 'veeti', authorization: basic(youth), approve: ['age'], browser: granted.browser });
      assert.match(again.consentPage!, /<label for="scope-0">Ikä: 15<\/label>/);
      const info = await app.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${again.tokens.access_token}` } });
      assert.equal(info.json().age, 15);
      // Another service, refused the age by the person, gets only its subject.
      const library = await loginAtProvider(app, { clientId: other.client_id, redirectUri: 'https://kirjasto.example.fi/cb', scope: 'openid age', person: 'veeti', authorization: basic(other), approve: [] });
      assert.match(library.consentPage!, /Ikä: 15/);
      const libraryInfo = (await app.inject({ url: '/oidc/me', headers: { authorization: `Bearer ${library.tokens.access_token}` } })).json();
      assert.deepEqual(Object.keys(libraryInfo), ['sub']);
      assert.equal((await serviceStores(library.tokens.access_token, 'age', 16)).statusCode, 403, 'a token of another client without the scope');
    });

    test('a DPoP-bound token keeps an attribute only with a fresh proof of its own key for this very request, used once', async () => {
      const key = await dpopKey();
      const thief = await dpopKey();
      const granted = await loginAtProvider(app, {
        clientId: youth.client_id,
        redirectUri: SERVICE_CB,
        scope: 'openid store:age',
        person: 'aino',
        authorization: basic(youth),
        approve: ['store:age'],
        dpop: (method, url) => key.proof(method, url),
      });
      assert.equal(granted.tokens.token_type, 'DPoP');
      const token = granted.tokens.access_token;
      const url = `${TEST_ORIGIN}/api/v1/profile/attributes/age`;
      const put = (authorization: string, proof?: string) =>
        app.inject({ method: 'PUT', url: '/api/v1/profile/attributes/age', headers: { authorization, ...(proof ? { dpop: proof } : {}) }, payload: { value: 33 } });
      const refusals = [
        ['sent as a bearer token', await put(`Bearer ${token}`)],
        ['no proof', await put(`DPoP ${token}`)],
        ["another key's proof", await put(`DPoP ${token}`, await thief.proof('PUT', url, token))],
        ['a proof for another address', await put(`DPoP ${token}`, await key.proof('PUT', `${TEST_ORIGIN}/api/v1/profile/attributes/municipality_code`, token))],
        ['a proof for another method', await put(`DPoP ${token}`, await key.proof('GET', url, token))],
        ['a proof for another token', await put(`DPoP ${token}`, await key.proof('PUT', url, 'x'.repeat(43)))],
      ] as const;
      for (const [why, answer] of refusals) {
        assert.equal(answer.statusCode, 401, `${why}: ${answer.body}`);
        assert.match(String(answer.headers['www-authenticate']), /realm="aurora-profile"/);
      }
      const proof = await key.proof('PUT', url, token);
      const kept = await put(`DPoP ${token}`, proof);
      assert.equal(kept.statusCode, 200, kept.body);
      const replayed = await put(`DPoP ${token}`, proof);
      assert.equal(replayed.statusCode, 401, 'a proof is used once');
      assert.match(String(replayed.headers['www-authenticate']), /invalid_dpop_proof/);
    });

    test('a service may keep an attribute for a person who never attached a key: the network makes one, which the app then gets', async () => {
      const granted = await loginAtProvider(app, { clientId: youth.client_id, redirectUri: SERVICE_CB, scope: 'openid store:age', person: 'turva', authorization: basic(youth), approve: ['store:age'] });
      assert.equal((await serviceStores(granted.tokens.access_token, 'age', 41)).statusCode, 200);
      const citizen = await loginAtProvider(app, { clientId: CITIZEN_CLIENT_ID, redirectUri: `${TEST_ORIGIN}${CITIZEN_CALLBACK_PATH}`, scope: 'openid', person: 'turva' });
      const attached = (await app.inject({ method: 'POST', url: '/api/v1/my/account', headers: { authorization: `Bearer ${newKey()}`, 'aurora-access-token': citizen.tokens.access_token } })).json();
      assert.equal(attached.attached, false);
      const mine = (await as(attached.person_key, 'GET', '/api/v1/my/profile')).json();
      assert.deepEqual(mine.attributes.map((a: { name: string; value: unknown }) => [a.name, a.value]), [['age', 41]]);
    });
  });
}
