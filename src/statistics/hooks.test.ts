import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { enableTransfer } from '../transfers/transfers.ts';
import { METERS } from '../recommender/meters.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { importDemo } from '../testing/fixtures.ts';
import { createClient } from '../clients/clients.ts';
import type { Database } from '../db/database.ts';
import type { StoredRecommendation } from '../recommender/store.ts';
import { RECORDED_PER_RECOMMENDATION, recordRecommended, statisticsRecorded } from './hooks.ts';
import { recommend as recommendUseCase } from '../recommender/recommend.ts';
import type { QueryId } from 'kysely';
import { providerStatistics } from './provider-statistics.ts';
import { weekOf } from './time.ts';

/**
 * The recommender and session transfer record statistics events as people use them, end to end
 * through HTTP on the demo catalogue; and a failure to record never fails the person's request.
 */

const ETALUKIO = '3668d250-cd80-45c4-abcc-9b2d3a2b3e42';
const OTAVA_CHANNEL = '961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f'; // a channel of ETALUKIO

interface EventRow {
  week: string;
  kind: number;
  service_id: string;
  person: string;
  municipality: string | null;
  meters: number[] | null;
}

for (const backend of testBackends()) {
  describe(`statistics events recorded through HTTP (${backend})`, () => {
    let t: TestApp;
    const db = () => t.database.db;
    const events = async (person?: string) => {
      let q = db().selectFrom('service_events').select(['kind', 'service_id', 'person', 'municipality', 'meters', sql<string>`week::text`.as('week')]);
      if (person) q = q.where('person', '=', person);
      await statisticsRecorded();
      return (await q.execute()) as EventRow[];
    };
    const recommend = async (payload: object) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/recommendations', payload });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      return res.json() as { recommendation_id: string; items: { service_id: string; open_url: string }[] };
    };

    before(async () => {
      t = await createTestApp(backend);
      assert.equal((await importDemo(db())).skipped, 0);
    });
    after(async () => {
      await t?.close();
    });

    test('a recommendation records its first ten services as recommended, with the meters and municipality', async () => {
      const r = await recommend({ meters: { housing: 2, finance: 3, health: 9 }, municipality_code: '091', limit: 15 });
      assert.ok(r.items.length > RECORDED_PER_RECOMMENDATION, 'the demo gives more than ten');
      const rows = await events(r.recommendation_id);
      assert.equal(rows.length, RECORDED_PER_RECOMMENDATION);
      assert.deepEqual(rows.map((e) => e.service_id).sort(), r.items.slice(0, RECORDED_PER_RECOMMENDATION).map((i) => i.service_id).sort());
      const meters = METERS.map((m) => ({ housing: 2, finance: 3, health: 9 })[m as 'housing'] ?? null);
      for (const e of rows) {
        assert.equal(e.kind, 1);
        assert.equal(e.municipality, '091');
        assert.deepEqual(e.meters, meters);
        assert.equal(e.week, weekOf(new Date()));
      }
      // Without meters or a single municipality: neither is recorded.
      const plain = await recommend({ text: 'lukio', limit: 3 });
      const plainRows = await events(plain.recommendation_id);
      assert.equal(plainRows.length, plain.items.length);
      assert.ok(plainRows.every((e) => e.meters === null && e.municipality === null));
    });

    test('opening through /r/ records opened (GET only); rating records useful or not useful', async () => {
      const r = await recommend({ meters: { family: 2 }, municipality_code: '853', limit: 5 });
      const [first, second] = r.items;
      const head = await t.app.inject({ method: 'HEAD', url: first!.open_url });
      assert.equal(head.statusCode, 302);
      assert.equal((await events(r.recommendation_id)).filter((e) => e.kind === 2).length, 0, 'a HEAD is not an opening');
      const open = await t.app.inject({ method: 'GET', url: first!.open_url });
      assert.equal(open.statusCode, 302);
      const opened = (await events(r.recommendation_id)).filter((e) => e.kind === 2);
      assert.deepEqual(opened.map((e) => [e.service_id, e.municipality]), [[first!.service_id, '853']]);
      // A refused opening records nothing.
      assert.equal((await t.app.inject({ method: 'GET', url: `/r/${r.recommendation_id}/${randomUUID()}` })).statusCode, 404);
      for (const [service, rating] of [[first!.service_id, 1], [second!.service_id, -1]] as const) {
        const res = await t.app.inject({ method: 'POST', url: `/api/v1/recommendations/${r.recommendation_id}/feedback`, payload: { service_id: service, rating } });
        assert.equal(res.statusCode, 201);
      }
      const rated = (await events(r.recommendation_id)).filter((e) => e.kind >= 4).map((e) => [e.kind, e.service_id]);
      assert.deepEqual(rated.sort(), [[4, first!.service_id], [5, second!.service_id]].sort());
      // A rating refused (a service the recommendation did not give) records nothing.
      const stray = await t.app.inject({ method: 'POST', url: `/api/v1/recommendations/${r.recommendation_id}/feedback`, payload: { service_id: randomUUID(), rating: 1 } });
      assert.equal(stray.statusCode, 400);
      assert.equal((await events(r.recommendation_id)).filter((e) => e.kind >= 4).length, 2);
    });

    test('feedback on a service outside a recommendation is a person of its own', async () => {
      const before = (await events()).filter((e) => e.service_id === ETALUKIO && e.kind === 5).length;
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/services/${ETALUKIO}/feedback`, payload: { rating: -1, meters: { working_studying: 1 } } });
      assert.equal(res.statusCode, 201);
      const rows = (await events()).filter((e) => e.service_id === ETALUKIO && e.kind === 5);
      assert.equal(rows.length, before + 1);
      const row = rows.at(-1)!;
      assert.equal(row.meters![METERS.indexOf('working_studying')], 1);
      assert.equal((await db().selectFrom('recommendations').select('id').where('id', '=', row.person).execute()).length, 0);
    });

    test('the AuroraAI API records recommended and rated services too', async () => {
      const auth = { authorization: t.client.authorization };
      const res = await t.app.inject({ method: 'POST', url: '/service-recommender/v1/recommend_service', headers: auth, payload: { life_situation_meters: { housing: [2, 4] }, limit: 3 } });
      assert.equal(res.statusCode, 200, res.body);
      const answer = res.json() as { auroraai_recommendation_id: number; recommended_services: { service_id: string }[] };
      const stored = await db().selectFrom('recommendations').select('id').where('number', '=', answer.auroraai_recommendation_id).executeTakeFirstOrThrow();
      const rows = await events(stored.id);
      assert.equal(rows.length, 3);
      assert.ok(rows.every((e) => e.kind === 1 && e.meters![METERS.indexOf('housing')] === 3));
      const rated = answer.recommended_services[0]!.service_id;
      const fb = await t.app.inject({
        method: 'POST',
        url: '/service-recommender/v1/recommendation_feedback',
        headers: auth,
        payload: { auroraai_recommendation_id: answer.auroraai_recommendation_id, feedback_score: 1, service_feedbacks: [{ service_id: rated, feedback_score: 1 }] },
      });
      assert.equal(fb.statusCode, 200, fb.body);
      // Only the service rated one by one: the overall score is not about any one service.
      assert.deepEqual((await events(stored.id)).filter((e) => e.kind === 4).map((e) => e.service_id), [rated]);
    });

    test('a redeemed transfer records transfer_received for the channel\'s services, once', async () => {
      const sender = await createClient(db(), 'sender', ['transfer:send']);
      const receiver = await createClient(db(), 'receiver', ['transfer:receive']);
      await enableTransfer(db(), { channelId: OTAVA_CHANNEL, url: 'https://vastaanotto.example/start', accepts: ['age'], clientId: receiver.client_id });
      const deposit = await t.app.inject({
        method: 'POST',
        url: '/api/v1/transfers',
        headers: { authorization: basicAuth(sender.client_id, sender.client_secret) },
        payload: { target_channel_id: OTAVA_CHANNEL, attributes: { age: 17 }, purpose: 'opiskelupaikan haku' },
      });
      assert.equal(deposit.statusCode, 201, deposit.body);
      const { consent_id, token } = deposit.json() as { consent_id: string; token: string };
      assert.equal((await events(consent_id)).length, 0, 'nothing before redemption');
      const redeem = () => t.app.inject({ method: 'POST', url: '/api/v1/transfers/redeem', headers: { authorization: basicAuth(receiver.client_id, receiver.client_secret) }, payload: { token } });
      assert.equal((await redeem()).statusCode, 200);
      assert.equal((await redeem()).statusCode, 410);
      const rows = await events(consent_id);
      const linked = await db().selectFrom('service_channel_links').select('service_id').distinct().where('channel_id', '=', OTAVA_CHANNEL).execute();
      assert.ok(linked.some((l) => l.service_id === ETALUKIO));
      assert.deepEqual(rows.map((e) => e.service_id).sort(), linked.map((l) => l.service_id).sort());
      assert.ok(rows.every((e) => e.kind === 3 && e.municipality === null && e.meters === null));
    });

    test('the recorded events add up in the provider statistics', async () => {
      const service = ETALUKIO;
      const memberId = randomUUID();
      for (let i = 0; i < 10; i++) {
        const r = await recommend({ text: 'Nettilukio aikuisille', meters: { working_studying: i }, municipality_code: '491', limit: 10 });
        const item = r.items.find((x) => x.service_id === service);
        assert.ok(item, 'the upper secondary school is recommended for studying');
        if (i < 4) assert.equal((await t.app.inject({ method: 'GET', url: item.open_url })).statusCode, 302);
      }
      await statisticsRecorded(); // the answers do not wait for their events
      const week = weekOf(new Date());
      // Asked a week later: the week still going on is not released.
      const result = await providerStatistics(db(), { memberId, serviceIds: [service], from: week, to: week }, { uniform: () => 0.5, now: new Date(Date.now() + 7 * 86_400_000) });
      const mikkeli = result.weeks.find((w) => w.municipality === '491');
      assert.ok(mikkeli, JSON.stringify(result));
      assert.equal(mikkeli.people, 10);
      assert.equal(mikkeli.recommended, 10);
      assert.equal(mikkeli.opened, 4);
      assert.deepEqual(mikkeli.meters.working_studying!.histogram, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
      assert.equal(mikkeli.meters.working_studying!.mean, 4.5);
    });

    test('the answer does not wait for its statistics; statisticsRecorded does', { timeout: 10_000 }, async () => {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const gated = new Set<QueryId>();
      // The same database, but a query of service_events (only the insert goes through it) answers only when the gate opens.
      const slow = db().withPlugin({
        transformQuery: (args) => {
          if (JSON.stringify(args.node).includes('service_events')) gated.add(args.queryId);
          return args.node;
        },
        transformResult: async (args) => {
          if (gated.has(args.queryId)) await gate;
          return args.result;
        },
      });
      const { recommendation } = await recommendUseCase(slow, t.app.aurora.recommender, { meters: { housing: 1 }, limit: 3, language: 'fi', clientId: null, source: 'api' });
      let recorded = false;
      const waiting = statisticsRecorded().then(() => (recorded = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(recorded, false, 'still being written after the answer');
      open();
      await waiting;
      assert.equal(gated.size, 1);
      assert.equal((await events(recommendation.id)).length, 3);
    });

    test('when recording fails, the person\'s request still succeeds', async () => {
      await sql`alter table service_events rename to service_events_away`.execute(db());
      try {
        const r = await recommend({ meters: { friends: 1 }, limit: 3 });
        assert.equal((await t.app.inject({ method: 'GET', url: r.items[0]!.open_url })).statusCode, 302);
        const fb = await t.app.inject({ method: 'POST', url: `/api/v1/recommendations/${r.recommendation_id}/feedback`, payload: { service_id: r.items[0]!.service_id, rating: 1 } });
        assert.equal(fb.statusCode, 201);
        const own = await t.app.inject({ method: 'POST', url: `/api/v1/services/${ETALUKIO}/feedback`, payload: { rating: 1 } });
        assert.equal(own.statusCode, 201);
        await statisticsRecorded(); // failed, with the table away
      } finally {
        await sql`alter table service_events_away rename to service_events`.execute(db());
      }
    });
  });
}

for (const backend of testBackends()) {
  describe(`recording recommended services (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => {
      await database?.close();
    });
    const stored = (services: number): StoredRecommendation => ({
      id: randomUUID(),
      number: 1,
      createdAt: new Date(),
      clientId: null,
      source: 'api',
      kind: 'meters',
      language: 'fi',
      hadText: false,
      needs: {},
      lifeEvent: null,
      filters: {},
      limit: services,
      services: Array.from({ length: services }, (_, i) => ({ id: randomUUID(), score: 1 - i / 100 })),
    });
    const recordedFor = async (id: string) =>
      (await database.db.selectFrom('service_events').select('service_id').where('person', '=', id).execute()).map((e) => e.service_id);

    test('concurrent recommendations are each recorded; one with a bad event fails only its own, and says so', async () => {
      const warnings: object[] = [];
      const log = { warn: (object: object) => warnings.push(object) };
      const good = [stored(12), stored(3), stored(10)];
      const bad = stored(5);
      await Promise.all([
        recordRecommended(database.db, good[0]!, { health: 4 }, log),
        recordRecommended(database.db, bad, { health: 11 }, log), // no such answer: refused
        recordRecommended(database.db, good[1]!, undefined, log),
        recordRecommended(database.db, good[2]!, { family: 0 }, log),
      ]);
      for (const r of good) assert.deepEqual((await recordedFor(r.id)).sort(), r.services.slice(0, RECORDED_PER_RECOMMENDATION).map((s) => s.id).sort());
      assert.deepEqual(await recordedFor(bad.id), []);
      assert.equal(warnings.length, 1);
      assert.match(JSON.stringify(warnings[0]), /meter health/);
    });
  });
}
