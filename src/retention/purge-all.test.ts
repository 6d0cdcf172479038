import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { Learning } from '../recommender/learning/learning.ts';
import { saveRecommendation } from '../recommender/store.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { addChannel } from '../testing/catalogue.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { purgeAll, type RetentionDays } from './purge-all.ts';

/** Retention of everything kept per person: what is older than its limit goes, in batches; what is newer stays; learning keeps its signals. */

const DAY = 86_400_000;
const NOW = new Date('2026-12-03T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

describe('retention variables', () => {
  test('defaults: recommendations 400 days, comments 400, consent purposes 90, sessions 30; whole days only', () => {
    const config = loadConfig({});
    assert.deepEqual(
      [config.AURORA_RECOMMENDATION_RETENTION_DAYS, config.AURORA_COMMENT_RETENTION_DAYS, config.AURORA_CONSENT_PURPOSE_RETENTION_DAYS, config.AURORA_SESSION_RETENTION_DAYS],
      [400, 400, 90, 30],
    );
    assert.equal(loadConfig({ AURORA_SESSION_RETENTION_DAYS: '7' }).AURORA_SESSION_RETENTION_DAYS, 7);
    for (const bad of ['0', '-1', '1.5', 'forever']) assert.throws(() => loadConfig({ AURORA_COMMENT_RETENTION_DAYS: bad }), bad);
  });
});

for (const backend of testBackends()) {
  describe(`retention of per-person data (${backend})`, () => {
    let database: Database;
    const db = () => database.db;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database?.close());

    const days: RetentionDays = {
      AURORA_EVENT_RETENTION_DAYS: 750,
      AURORA_RECOMMENDATION_RETENTION_DAYS: 400,
      AURORA_COMMENT_RETENTION_DAYS: 300,
      AURORA_CONSENT_PURPOSE_RETENTION_DAYS: 90,
      AURORA_SESSION_RETENTION_DAYS: 30,
      AURORA_PROFILE_REQUEST_RETENTION_DAYS: 30,
    };

    test('recommendations older than the limit go, batch by batch, newer stay; their signals stay without the link and learning still loads them', async () => {
      const service = randomUUID();
      const save = async (age: number) => {
        const r = await saveRecommendation(db(), { clientId: null, source: 'api', hadText: false, language: 'fi', filters: {}, limit: 10, meters: { health: 2 }, results: [{ serviceId: service, score: 1 }] });
        await db().updateTable('recommendations').set({ created_at: daysAgo(age) }).where('id', '=', r.id).execute();
        await db()
          .insertInto('recommendation_signals')
          .values({ kind: 'feedback', recommendation_id: r.id, service_id: service, client_id: null, needs: JSON.stringify({ health: 0.7 }), value: 1, comment: null, at: daysAgo(age) })
          .execute();
        return r.id;
      };
      const old = await Promise.all([401, 402, 500, 800, 1000].map(save));
      const young = await Promise.all([1, 399].map(save));
      const before = await new Learning().load(db());
      const purged = await purgeAll(db(), days, { now: NOW, batch: 2 });
      assert.equal(purged.recommendations, 5);
      const left = (await db().selectFrom('recommendations').select('id').execute()).map((r) => r.id).sort();
      assert.deepEqual(left, [...young].sort());
      const signals = await db().selectFrom('recommendation_signals').select(['recommendation_id']).where('service_id', '=', service).execute();
      assert.equal(signals.length, 7, 'every signal stays');
      assert.equal(signals.filter((s) => s.recommendation_id === null).length, old.length);
      assert.equal(await new Learning().load(db()), before, 'learning loads the same signals');
    });

    test('feedback comments older than the limit become null, the rating stays; newer ones stay', async () => {
      const service = randomUUID();
      const insert = (age: number, comment: string) =>
        db()
          .insertInto('recommendation_signals')
          .values({ kind: 'service_feedback', recommendation_id: null, service_id: service, client_id: null, needs: '{}', value: -1, comment, at: daysAgo(age) })
          .execute();
      await insert(301, 'olen Matti ja asun Kalliossa');
      await insert(400, 'vanha');
      await insert(299, 'tuore');
      const purged = await purgeAll(db(), days, { now: NOW, batch: 1 });
      assert.equal(purged.comments, 2);
      const rows = await db().selectFrom('recommendation_signals').select(['comment', 'value']).where('service_id', '=', service).orderBy('at').execute();
      assert.deepEqual(rows.map((r) => [r.comment, Number(r.value)]), [[null, -1], [null, -1], ['tuore', -1]]);
    });

    test('a consent that ended more than the limit ago loses its purpose and receipt; a newer or waiting one keeps them; the audit chain is untouched', async () => {
      const channel = await addChannel(db(), { type: 'EChannel' });
      const insert = async (status: 'given' | 'used' | 'withdrawn', ended: { used?: number; withdrawn?: number; expires: number }) => {
        const id = randomUUID();
        await db()
          .insertInto('consents')
          .values({
            id,
            subject: null,
            sender_client_id: null,
            recipient_channel_id: channel,
            recipient_client_id: null,
            attributes: ['age'],
            purpose: 'Matin asunnonhaku, puh. 040 123',
            expires_at: daysAgo(ended.expires),
            status,
            used_at: ended.used === undefined ? null : daysAgo(ended.used),
            withdrawn_at: ended.withdrawn === undefined ? null : daysAgo(ended.withdrawn),
            token_hash: randomUUID(),
            key_hash: randomUUID(),
            payload: null,
            payload_key: null,
            receipt: 'eyJ.receipt.sig',
          })
          .execute();
        return id;
      };
      const usedLongAgo = await insert('used', { used: 91, expires: 90 });
      const withdrawnLongAgo = await insert('withdrawn', { withdrawn: 100, expires: 99 });
      const expiredLongAgo = await insert('given', { expires: 95 });
      const usedRecently = await insert('used', { used: 89, expires: 1 });
      const waiting = await insert('given', { expires: -3 });
      const audit = await db().selectFrom('consent_audit').selectAll().execute();
      const purged = await purgeAll(db(), days, { now: NOW, batch: 2 });
      assert.equal(purged.consent_purposes, 3);
      const rows = new Map((await db().selectFrom('consents').select(['id', 'purpose', 'receipt', 'attributes']).execute()).map((r) => [r.id, r]));
      for (const id of [usedLongAgo, withdrawnLongAgo, expiredLongAgo]) assert.deepEqual([rows.get(id)!.purpose, rows.get(id)!.receipt, rows.get(id)!.attributes], ['', '', ['age']]);
      for (const id of [usedRecently, waiting]) assert.equal(rows.get(id)!.purpose, 'Matin asunnonhaku, puh. 040 123');
      assert.deepEqual(await db().selectFrom('consent_audit').selectAll().execute(), audit);
    });

    test('console sessions that ended more than the limit ago go, newer stay; expired OpenID Connect states go at once', async () => {
      const staff = await createNetworkAdmin(db(), { email: `retention-${randomUUID()}@example.fi`, name: 'Testi', password: 'pitkä salasana 123' }, 'test');
      const session = (expiredDaysAgo: number) =>
        db().insertInto('staff_sessions').values({ token_hash: randomUUID(), staff_id: staff.id, method: 'password', expires_at: daysAgo(expiredDaysAgo) }).execute();
      await session(31);
      await session(60);
      await session(29);
      await session(-1);
      await db().insertInto('oidc_login_states').values({ state_hash: 'old', code_verifier: 'v', nonce: 'n', expires_at: daysAgo(0.01) }).execute();
      await db().insertInto('oidc_login_states').values({ state_hash: 'live', code_verifier: 'v', nonce: 'n', expires_at: daysAgo(-0.01) }).execute();
      const purged = await purgeAll(db(), days, { now: NOW });
      assert.equal(purged.staff_sessions, 2);
      assert.equal(purged.oidc_login_states, 1);
      assert.equal((await db().selectFrom('staff_sessions').select('token_hash').where('staff_id', '=', staff.id).execute()).length, 2);
      assert.deepEqual((await db().selectFrom('oidc_login_states').select('state_hash').execute()).map((r) => r.state_hash), ['live']);
    });

    test('Suomi.fi requests never answered go once they expire', async () => {
      const request = (id: string, expiresDaysAgo: number) =>
        db().insertInto('suomifi_requests').values({ id, kind: 'authn', state: 's', created_at: daysAgo(expiresDaysAgo + 0.02), expires_at: daysAgo(expiresDaysAgo) }).execute();
      await request('_expired', 0.01);
      await request('_open', -0.01);
      const purged = await purgeAll(db(), days, { now: NOW });
      assert.equal(purged.suomifi_requests, 1);
      assert.deepEqual((await db().selectFrom('suomifi_requests').select('id').execute()).map((r) => r.id), ['_open']);
    });

    test('the server runs the purge by itself: an old comment goes, with the default limits', async () => {
      const service = randomUUID();
      await db()
        .insertInto('recommendation_signals')
        .values({ kind: 'service_feedback', recommendation_id: null, service_id: service, client_id: null, needs: '{}', value: 1, comment: 'vanha', at: new Date(Date.now() - 500 * DAY) })
        .execute();
      const comment = async () => (await db().selectFrom('recommendation_signals').select('comment').where('service_id', '=', service).executeTakeFirstOrThrow()).comment;
      const app = await buildServer({ database, purgeIntervalMs: 0, eventRetentionIntervalMs: 20 });
      try {
        for (let i = 0; i < 100 && (await comment()) !== null; i++) await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(await comment(), null);
      } finally {
        await app.close();
      }
    });
  });
}
