import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { audit } from '../src/audit/audit.ts';
import { createClient } from '../src/clients/clients.ts';
import type { Database, Db } from '../src/db/database.ts';
import { registerOidcClient } from '../src/identity/register-client.ts';
import { basicAuth } from '../src/testing/app.ts';
import { addChannel, addTestService } from '../src/testing/catalogue.ts';
import { createTestDatabase, testBackends } from '../src/testing/databases.ts';
import { FakeSuomifiIdp, TEST_PEOPLE, type TestPerson } from '../src/testing/fake-suomifi-idp.ts';
import { buildServerWithEnv, madeUpPerson, signInWithSuomifi, suomifiEnv } from '../src/testing/suomifi-network.ts';
import { enableTransfer } from '../src/transfers/transfers.ts';

/**
 * "The network core stores no directly identifying data": after people log in through Suomi.fi
 * (which tells the network their identity code, name and e-mail), send their data onward with a
 * person key, save checks and have transfers redeemed, every row of every table of the database is
 * read as text and searched for each identity code, name, e-mail address and raw person key, as
 * they are and as UTF-8 hex (a bytea column shows as hex). On PGlite and PostgreSQL.
 */

/** Every row of every table outside the system schemas, as JSON text, table by table. */
export async function dumpTables(db: Db): Promise<Map<string, string>> {
  const tables = await sql<{ schema: string; name: string }>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
    order by 1, 2`.execute(db);
  const dump = new Map<string, string>();
  for (const { schema, name } of tables.rows) {
    const rows = await sql<{ row: string }>`select row_to_json(t)::text as row from ${sql.table(`${schema}.${name}`)} t`.execute(db);
    dump.set(`${schema}.${name}`, rows.rows.map((r) => r.row).join('\n'));
  }
  return dump;
}

/** The tables that hold a needle, in any of its forms. */
export function tablesHolding(dump: Map<string, string>, needle: string): string[] {
  const forms = [needle, Buffer.from(needle, 'utf8').toString('hex')];
  return [...dump].filter(([, text]) => forms.some((form) => text.includes(form))).map(([table]) => table);
}

for (const backend of testBackends()) {
  describe(`what the network stores of people (${backend})`, () => {
    let database: Database;
    let network: FastifyInstance;
    const suomifi = suomifiEnv();
    const idp = new FakeSuomifiIdp();
    const people: TestPerson[] = [
      { ...TEST_PEOPLE.ordinary, mail: 'nordea.demo@example.fi' },
      { ...TEST_PEOPLE.protected, mail: 'turva.kielto@example.fi' },
      madeUpPerson(1),
      madeUpPerson(2),
      madeUpPerson(3),
    ];
    const personKeys = Array.from({ length: 4 }, () => randomBytes(32));
    const consentIds: string[] = [];
    const subjects: string[] = [];

    before(async () => {
      database = await createTestDatabase(backend);
      network = await buildServerWithEnv(database, suomifi.env, { logger: false });
      const db = database.db;

      const redirectUri = 'https://palvelu.example.fi/callback';
      const client = await registerOidcClient(db, network.aurora.consent.keyring, { name: 'Nuorten palvelu', redirectUris: [redirectUri], scopes: ['age_band', 'municipality_code'] });
      for (const person of people) {
        const { userinfo } = await signInWithSuomifi({ network, idp, client, redirectUri, person, scopes: ['age_band', 'municipality_code'] });
        subjects.push(userinfo.sub);
      }

      const service = await addTestService(db, 'Asumisneuvonta');
      const web = await addChannel(db, { type: 'EChannel', name: { fi: 'Asumisneuvonta verkossa' }, serviceId: service });
      const desk = await addChannel(db, { type: 'ServiceLocation', name: { fi: 'Asumisneuvonnan palvelupiste' }, serviceId: service });
      const receiving = await createClient(db, 'receiver', ['transfer:receive']);
      const receiver = basicAuth(receiving.client_id, receiving.client_secret);
      await enableTransfer(db, { channelId: web, url: 'https://asuminen.example/aloita', accepts: ['age', 'municipality_code', 'life_situation_meters'], clientId: receiving.client_id });
      await enableTransfer(db, { channelId: desk, url: 'https://asuminen.example/tiski', accepts: ['age', 'municipality_code'], clientId: receiving.client_id });

      for (const [i, key] of personKeys.entries()) {
        const authorization = `Bearer ${key.toString('base64url')}`;
        const check = await network.inject({ method: 'POST', url: '/api/v1/my/checks', headers: { authorization }, payload: { meters: { housing: 2 + i, finance: 3 } } });
        assert.equal(check.statusCode, 201, check.body);
        const toWeb = await network.inject({ method: 'POST', url: '/api/v1/my/transfers', headers: { authorization }, payload: { channel_id: web, attributes: { age: 30 + i, municipality_code: '091', life_situation_meters: { housing: [2] } } } });
        assert.equal(toWeb.statusCode, 201, toWeb.body);
        const toDesk = await network.inject({ method: 'POST', url: '/api/v1/my/transfers', headers: { authorization }, payload: { channel_id: desk, attributes: { age: 30 + i } } });
        assert.equal(toDesk.statusCode, 201, toDesk.body);
        consentIds.push(toWeb.json().consent_id, toDesk.json().consent_id);
        const redeemed = await network.inject({ method: 'POST', url: '/api/v1/transfers/redeem', headers: { authorization: receiver }, payload: { token: toWeb.json().token } });
        assert.equal(redeemed.statusCode, 200, redeemed.body);
        assert.equal((await network.inject({ url: '/api/v1/my/consents', headers: { authorization } })).statusCode, 200);
      }
    });
    after(async () => {
      await network?.close();
      await database?.close();
      suomifi.remove();
    });

    test('the dump is of every table and holds what was done: consents, checks, accounts, the provider\'s records', async () => {
      const dump = await dumpTables(database.db);
      for (const id of consentIds) assert.deepEqual(tablesHolding(dump, id).includes('public.consents'), true, id);
      for (const table of ['public.identity_accounts', 'public.identity_oidc_models', 'public.consent_audit', 'public.person_checks'])
        assert.ok((dump.get(table) ?? '').length > 0, `${table} has rows`);
      // A pairwise subject is the service's, made from the account: the service can be told it, the database needs not keep it.
      assert.equal(new Set(subjects).size, people.length, 'one subject per person');
    });

    test('no identity code, name, e-mail address or raw person key is in any table', async () => {
      const dump = await dumpTables(database.db);
      const needles = [
        ...people.flatMap((p) => (p.identityCode ? [p.identityCode, p.identityCode.replace(/[-+A-FU-Y](?=\d{3}[0-9A-Y]$)/, ''), p.mail!] : [p.mail!])),
        ...people.slice(2).flatMap((p) => [p.givenName, p.sn]),
        'Nordea',
        ...personKeys.flatMap((k) => [k.toString('base64url'), k.toString('base64'), k.toString('hex')]),
      ];
      const found = needles.map((needle) => [needle, tablesHolding(dump, needle)] as const).filter(([, tables]) => tables.length > 0);
      assert.deepEqual(found, []);
    });

    test('the search finds a needle that is there (so that the test above can fail)', async () => {
      const planted = madeUpPerson(99);
      await database.db
        .transaction()
        .execute(async (tx) => {
          await audit(tx, { actor: 'test', action: 'planted', details: { mail: planted.mail } });
          assert.deepEqual(tablesHolding(await dumpTables(tx), planted.mail!), ['public.audit_log']);
          throw new Rollback();
        })
        .catch((error) => {
          if (!(error instanceof Rollback)) throw error;
        });
      assert.deepEqual(tablesHolding(await dumpTables(database.db), planted.mail!), [], 'rolled back');
    });
  });
}

class Rollback extends Error {}
