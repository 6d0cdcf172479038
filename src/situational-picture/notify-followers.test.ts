import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { RETRY_WAITS_MS, deliverDue, type DeliverDeps } from '../events/delivery/deliver.ts';
import { listDeliveries } from '../events/endpoints/list-deliveries.ts';
import { replayDelivery } from '../events/endpoints/replay-delivery.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { seedEndpoint, sharedPayloadKeys, startWebhookReceiver, type WebhookReceiver } from '../testing/life-events.ts';
import { followPicture } from './follow.ts';
import { importIndicators } from './import-indicators.ts';
import { readFollows } from './read-follows.ts';
import { recordPictureAnswers } from './record-picture-answer.ts';
import { releasePeriod } from './release-period.ts';

/**
 * A follow's notices through the member's own webhook endpoints: the member event picture-notice,
 * sent by the life events' worker (signed, retried, dead letters, replay), only to the following
 * member's endpoints and only when the follow asked for it.
 */

const noNoise = () => 0.5;
const AFTER_Q3 = new Date('2026-10-06T12:00:00Z');
const FOLLOW = { area_kind: 'municipality', area_code: '491', age_band: '18-29', subject: 'housing', threshold: 2 } as const;

async function answers(db: Database['db'], n: number, at: Date, housing: number) {
  await recordPictureAnswers(db, Array.from({ length: n }, () => ({ source: 'check' as const, municipality: '491', ageBand: '18-29', at, meters: { housing } })));
}

for (const backend of testBackends()) {
  describe(`picture notices to webhooks (${backend})`, () => {
    let database: Database;
    let receiver: WebhookReceiver;
    const secrets: Record<string, string> = {};
    const failing = new Set<string>();
    const keys = sharedPayloadKeys();
    // The schedule's clock: a delivery falls due at the database's now() when written, so each test sets it from the real time then.
    let clock = new Date();
    // The database keeps microseconds and a JavaScript Date only milliseconds: a row made due "now"
    // within the same millisecond is a little after new Date(), and would not be due yet on a fast
    // PostgreSQL. The worker's clock is put a second ahead instead.
    const justAfterNow = () => new Date(Date.now() + 1000);
    let deps: DeliverDeps;
    const members = { webhooks: randomUUID(), consoleOnly: randomUUID(), bystander: randomUUID(), failing: randomUUID() };

    before(async () => {
      database = await createTestDatabase(backend);
      receiver = await startWebhookReceiver(secrets, { status: (path) => (failing.has(path) ? 503 : 204) });
      deps = { keyring: keys.keyring, issuer: 'https://aurora.test', subjectOf: async () => undefined, allowPrivate: true, now: () => clock };
      for (const [name, memberId] of Object.entries(members)) {
        secrets[`/${name}`] = (await seedEndpoint(database.db, keys.keyring, { clientId: `client-${name}`, url: `${receiver.url}/${name}`, eventType: 'picture-notice', memberId })).secret;
      }
      // Mikkeli's young people rate housing 3 in Q2 and 8 in Q3: a move of 5 points, past a threshold of 2.
      await answers(database.db, 2000, new Date('2026-05-12T10:00:00Z'), 3);
      await answers(database.db, 2000, new Date('2026-08-12T10:00:00Z'), 8);
    });
    after(async () => {
      await receiver?.close();
      await database?.close();
    });

    test('a release past the threshold sends one signed CloudEvent to the opted-in member only; the opted-out one is told in the console', async () => {
      const opted = await followPicture(database.db, members.webhooks, { ...FOLLOW, webhooks: true }, 'test');
      const consoleOnly = await followPicture(database.db, members.consoleOnly, FOLLOW, 'test');
      assert.equal(consoleOnly.webhooks, false, 'off unless asked');
      assert.equal((await releasePeriod(database.db, '2026-Q2', { now: AFTER_Q3, uniform: noNoise })).status, 'released');
      assert.equal((await releasePeriod(database.db, '2026-Q3', { now: AFTER_Q3, uniform: noNoise })).status, 'released');

      clock = justAfterNow();
      assert.equal(await deliverDue(database.db, deps), 1, 'one delivery: the opted-in follow, to its member');
      await deliverDue(database.db, deps);
      assert.equal(receiver.refused, 0, 'every request verified with the endpoint secret');
      assert.equal(receiver.arrivals.length, 1);
      const [arrival] = receiver.arrivals;
      const [notice] = (await readFollows(database.db, members.webhooks)).notices;
      assert.deepEqual(
        { path: arrival!.path, type: arrival!.type, subject: arrival!.subject, source: arrival!.source, data: arrival!.data },
        {
          path: '/webhooks',
          type: 'fi.aurora.picture.notice',
          subject: 'municipality/491',
          source: 'https://aurora.test',
          data: {
            notice_id: notice!.id,
            follow_id: opted.id,
            area: { kind: 'municipality', code: '491' },
            age_band: '18-29',
            meter: 'housing',
            period: '2026-Q3',
            previous_period: '2026-Q2',
            previous: 3,
            current: 8,
            threshold: 2,
          },
        },
      );
      const [consoleNotice] = (await readFollows(database.db, members.consoleOnly)).notices;
      assert.equal(consoleNotice?.follow_id, consoleOnly.id, 'the opted-out member has its notice in the console');
      assert.deepEqual(await listDeliveries(database.db, members.consoleOnly), [], 'and nothing on its way to its endpoint');
      assert.deepEqual(await listDeliveries(database.db, members.bystander), [], 'a member that follows nothing gets nothing');
      const [delivery] = await listDeliveries(database.db, members.webhooks);
      assert.deepEqual({ id: delivery!.id, type: delivery!.event_type, status: delivery!.status, withdrawn: delivery!.consent_withdrawn }, { id: arrival!.id, type: 'picture-notice', status: 'delivered', withdrawn: false });

      // The release again changes nothing: a notice is kept, and sent, once per follow and period.
      assert.equal((await releasePeriod(database.db, '2026-Q3', { now: AFTER_Q3, uniform: noNoise })).status, 'kept');
      assert.equal(await deliverDue(database.db, deps), 0);
    });

    test("a member's event is sent only through its own endpoints, even if a delivery names another's", async () => {
      // A delivery row that points a member event at another member's endpoint (never written so): refused where it is sent.
      const event = await sql<{ id: string }>`select id from member_events where member_id = ${members.webhooks}`.execute(database.db);
      const endpoint = await sql<{ id: string }>`select id from event_endpoints where member_id = ${members.bystander}`.execute(database.db);
      await sql`insert into event_deliveries (id, member_event_id, endpoint_id, status) values (${randomUUID()}, ${event.rows[0]!.id}, ${endpoint.rows[0]!.id}, 'pending')`.execute(database.db);
      const before = receiver.arrivals.length;
      clock = justAfterNow();
      assert.equal(await deliverDue(database.db, deps), 1);
      assert.equal(receiver.arrivals.length, before, 'nothing reached the other member');
      const [bystanders] = await listDeliveries(database.db, members.bystander);
      assert.match(bystanders!.last_error ?? '', /only to the member's own endpoints/);
      await sql`delete from event_deliveries where endpoint_id = ${endpoint.rows[0]!.id}`.execute(database.db);
    });

    test("a failing endpoint is retried on the life events' schedule, becomes a dead letter and is sent again by replay, with the same id", async () => {
      failing.add('/failing');
      await followPicture(database.db, members.failing, { area_kind: 'municipality', area_code: '491', age_band: 'all', subject: 'indicator:unemployment_rate', threshold: 2, webhooks: true }, 'test');
      await importIndicators(database.db, 'indicator,area,year,value\nunemployment_rate,KU491,2024,11.6\nunemployment_rate,KU491,2025,13.9\n', 'test');
      clock = justAfterNow();
      for (const [i, wait] of [0, ...RETRY_WAITS_MS].entries()) {
        clock = new Date(clock.getTime() + wait);
        assert.equal(await deliverDue(database.db, deps), 1, `try ${i + 1} is due after ${wait} ms`);
        assert.equal(await deliverDue(database.db, deps), 0, 'and not before its time');
      }
      const tries = receiver.arrivals.filter((a) => a.path === '/failing');
      assert.equal(tries.length, RETRY_WAITS_MS.length + 1);
      assert.equal(new Set(tries.map((a) => a.id)).size, 1, 'the same webhook-id on every try');
      assert.deepEqual(tries[0]!.data, {
        notice_id: (await readFollows(database.db, members.failing)).notices[0]!.id,
        follow_id: (await readFollows(database.db, members.failing)).follows[0]!.id,
        area: { kind: 'municipality', code: '491' },
        age_band: 'all',
        indicator: 'unemployment_rate',
        period: '2025',
        previous_period: '2024',
        previous: 11.6,
        current: 13.9,
        threshold: 2,
      });
      const [dead] = await listDeliveries(database.db, members.failing, { status: 'dead' });
      assert.equal(dead?.id, tries[0]!.id);
      assert.equal(dead?.last_http_status, 503);

      failing.delete('/failing');
      await replayDelivery(database.db, members.failing, dead!.id, 'test');
      clock = justAfterNow();
      assert.equal(await deliverDue(database.db, deps), 1);
      const [delivered] = await listDeliveries(database.db, members.failing, { status: 'delivered' });
      assert.equal(delivered?.id, dead!.id);
      assert.equal(receiver.arrivals.at(-1)!.status, 204);
      await assert.rejects(replayDelivery(database.db, members.webhooks, dead!.id, 'test'), (e: { status?: number }) => e.status === 404, "another member's delivery is not found");
    });
  });
}
