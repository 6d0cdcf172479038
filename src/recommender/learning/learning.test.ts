import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_LEARNING, Learning, SIGNAL_KINDS, type Signal } from './learning.ts';
import { METERS, needOf } from '../meters.ts';
import { testBackends } from '../../testing/databases.ts';
import { rankOf, useRecommenderApp } from '../testing.ts';

/**
 * The learning in isolation: a fixed clock, signals made here. The tests over HTTP (at the end, and
 * auroraai/auroraai.test.ts) show the same effects on rankings.
 */
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const S = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const housing = { housing: needOf(2) };

function clock(start = T0) {
  let now = start;
  return { now: () => now, set: (t: number) => (now = t) };
}
const signal = (over: Partial<Signal> = {}): Signal => ({ kind: 'feedback', serviceId: S, clientId: 'client-a', needs: housing, value: 1, at: T0, ...over });
/** The sum behind a factor: x = scale · atanh((factor − 1) / maxChange). */
const sumOf = (factor: number) => DEFAULT_LEARNING.scale * Math.atanh((factor - 1) / DEFAULT_LEARNING.maxChange);

describe('learning from signals', () => {
  test('no signals, no change', () => {
    const l = new Learning({ now: clock().now });
    assert.deepEqual(l.adjustment(S, housing), { factor: 1, signals: 0 });
    assert.deepEqual(l.adjustment(S, {}), { factor: 1, signals: 0 });
  });

  test("a situation's bound on its factors is 1 until feedback raises a service in it, and is the highest factor when one service has all", () => {
    const l = new Learning({ now: clock().now });
    assert.equal(l.adjuster(housing).maxFactor, 1);
    l.add(signal({ value: -1 }));
    assert.equal(l.adjuster(housing).maxFactor, 1, 'only lowered');
    l.add(signal({ serviceId: OTHER, needs: { friends: needOf(1) } }));
    assert.equal(l.adjuster(housing).maxFactor, 1, 'raised in another situation only (unit needs at right angles)');
    const friends = l.adjuster({ friends: needOf(1) });
    assert.equal(friends.maxFactor, friends(OTHER).factor);
    assert.ok(friends.maxFactor > 1);
    // A request without needs counts every signal alike: the bound is the raised service's factor.
    assert.equal(l.adjuster({}).maxFactor, l.adjustment(OTHER, {}).factor);
  });

  test('a positive signal raises the factor for its situation, a negative lowers it, by the numbers documented', () => {
    const up = new Learning({ now: clock().now });
    up.add(signal());
    const a = up.adjustment(S, housing);
    assert.ok(Math.abs(a.factor - (1 + 0.5 * Math.tanh(1 / 6))) < 1e-9, `one rating: ${a.factor}`);
    assert.equal(a.signals, 1);
    const down = new Learning({ now: clock().now });
    down.add(signal({ value: -1 }));
    assert.ok(Math.abs(down.adjustment(S, housing).factor - (1 - 0.5 * Math.tanh(1 / 6))) < 1e-9);
    // Teaching weighs 2, an opened link 0.3, overall feedback on a recommendation 0.2.
    for (const [kind, weight] of [['teaching', 2], ['open', 0.3], ['recommendation_feedback', 0.2], ['service_feedback', 1]] as const) {
      const l = new Learning({ now: clock().now });
      l.add(signal({ kind }));
      assert.ok(Math.abs(sumOf(l.adjustment(S, housing).factor) - weight) < 1e-9, kind);
    }
    // Other services are untouched.
    assert.equal(up.adjustment(OTHER, housing).factor, 1);
  });

  test('a signal counts by how alike the situations are (cosine of the needs)', () => {
    const l = new Learning({ now: clock().now });
    l.add(signal({ needs: { housing: 0.8 } }));
    assert.ok(Math.abs(sumOf(l.adjustment(S, { housing: 0.3 }).factor) - 1) < 1e-9, 'same direction, any strength: full weight');
    assert.equal(l.adjustment(S, { friends: 0.9 }).factor, 1, 'an unrelated situation: nothing');
    const mixed = sumOf(l.adjustment(S, { housing: 0.5, finance: 0.5 }).factor);
    assert.ok(Math.abs(mixed - Math.SQRT1_2) < 1e-9, `half housing: cos 45° = ${mixed}`);
  });

  test('signals without needs count in every situation at half weight, and fully for requests without needs', () => {
    const l = new Learning({ now: clock().now });
    l.add(signal({ needs: {} }));
    l.add(signal({ needs: housing, clientId: 'client-b' }));
    assert.ok(Math.abs(sumOf(l.adjustment(S, { friends: 0.9 }).factor) - 0.5) < 1e-9);
    assert.ok(Math.abs(sumOf(l.adjustment(S, housing).factor) - 1.5) < 1e-9);
    const text = l.adjustment(S, {});
    assert.ok(Math.abs(sumOf(text.factor) - 2) < 1e-9, 'a text-only request uses the global part: every signal');
    assert.equal(text.signals, 2);
  });

  test('one client sending 1,000 positives moves a service no more than the cap allows', () => {
    const c = clock();
    const flood = new Learning({ now: c.now });
    for (let i = 0; i < 1000; i++) flood.add(signal());
    const five = new Learning({ now: c.now });
    for (let i = 0; i < 5; i++) five.add(signal());
    const cap = 1 + 0.5 * Math.tanh(5 / 6);
    const f = flood.adjustment(S, housing).factor;
    assert.ok(f <= cap + 1e-9, `${f} ≤ ${cap}`);
    assert.ok(Math.abs(f - five.adjustment(S, housing).factor) < 1e-6, 'the same as five signals: the cap');
    assert.ok(f < 1.35, 'a third of the way from 1 to the ceiling 1.5');
    // For a request without needs, the same.
    assert.ok(flood.adjustment(S, {}).factor <= cap + 1e-9);
    // Negative floods alike.
    const neg = new Learning({ now: c.now });
    for (let i = 0; i < 1000; i++) neg.add(signal({ value: -1 }));
    assert.ok(neg.adjustment(S, housing).factor >= 1 - 0.5 * Math.tanh(5 / 6) - 1e-9);
    // Anonymous signals are one shared client at half weight.
    const anon = new Learning({ now: c.now });
    for (let i = 0; i < 1000; i++) anon.add(signal({ clientId: null }));
    assert.ok(anon.adjustment(S, housing).factor <= 1 + 0.5 * Math.tanh(2.5 / 6) + 1e-9);
    // Two clients count twice: agreement among clients is what moves a service far.
    flood.add(signal({ clientId: 'client-b' }));
    for (let i = 0; i < 10; i++) flood.add(signal({ clientId: 'client-b' }));
    assert.ok(Math.abs(sumOf(flood.adjustment(S, housing).factor) - 10) < 1e-6);
  });

  test('the cap is per 30-day window; a window refills', () => {
    const c = clock(T0 + 40 * DAY);
    const l = new Learning({ now: c.now, halfLifeDays: 1e9 });
    const window = Math.floor(T0 / (30 * DAY)) * 30 * DAY;
    for (let i = 0; i < 20; i++) l.add(signal({ at: window + DAY }));
    for (let i = 0; i < 20; i++) l.add(signal({ at: window + 31 * DAY }));
    assert.ok(Math.abs(sumOf(l.adjustment(S, housing).factor) - 10) < 1e-6);
  });

  test('decay halves a signal every 90 days', () => {
    const c = clock();
    const l = new Learning({ now: c.now });
    l.add(signal());
    const fresh = sumOf(l.adjustment(S, housing).factor);
    c.set(T0 + 90 * DAY);
    assert.ok(Math.abs(sumOf(l.adjustment(S, housing).factor) - fresh / 2) < 1e-9);
    c.set(T0 + 180 * DAY);
    assert.ok(Math.abs(sumOf(l.adjustment(S, housing).factor) - fresh / 4) < 1e-9);
    // An old signal added now weighs what it would have weighed had it been there all along.
    const late = new Learning({ now: c.now });
    late.add(signal());
    assert.ok(Math.abs(sumOf(late.adjustment(S, housing).factor) - fresh / 4) < 1e-9);
    // Two years on, it no longer counts as a reason.
    c.set(T0 + 730 * DAY);
    assert.equal(l.adjustment(S, housing).signals, 0);
    // The half-life is configurable.
    const quick = new Learning({ now: c.now, halfLifeDays: 10 });
    quick.add(signal({ at: T0 + 720 * DAY }));
    assert.ok(Math.abs(sumOf(quick.adjustment(S, housing).factor) - 0.5) < 1e-9);
  });

  test('time origins far apart (rebasing) give the same factors', () => {
    const c = clock();
    const l = new Learning({ now: c.now, halfLifeDays: 0.01 });
    l.add(signal({ at: T0 }));
    const later = T0 + 20 * DAY; // 2,000 half-lives: 2^2000 would overflow without rebasing
    l.add(signal({ at: later, clientId: 'client-b' }));
    c.set(later);
    assert.ok(Math.abs(sumOf(l.adjustment(S, housing).factor) - 1) < 1e-9);
  });

  test('the factor always lies within 1 ± 0.5, whatever the signals', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kind: fc.constantFrom(...SIGNAL_KINDS),
            service: fc.constantFrom(S, OTHER),
            client: fc.constantFrom(null, 'a', 'b', 'c'),
            needs: fc.dictionary(fc.constantFrom(...METERS), fc.double({ min: 0, max: 1, noNaN: true })),
            value: fc.constantFrom(1, -1),
            age: fc.integer({ min: -10, max: 2000 }),
          }),
          { maxLength: 60 },
        ),
        fc.dictionary(fc.constantFrom(...METERS), fc.double({ min: 0, max: 1, noNaN: true })),
        (signals, query) => {
          const l = new Learning({ now: () => T0 });
          for (const s of signals) l.add({ kind: s.kind, serviceId: s.service, clientId: s.client, needs: s.needs, value: s.value, at: T0 - s.age * DAY });
          const adjust = l.adjuster(query);
          for (const id of [S, OTHER]) {
            const { factor, signals: n } = l.adjustment(id, query);
            assert.ok(factor > 0.5 && factor < 1.5 && Number.isFinite(factor), String(factor));
            assert.ok(factor <= l.maxFactor);
            // The situation's own bound holds every service's factor, and is no looser than the general one.
            assert.ok(factor <= adjust.maxFactor, `${factor} > ${adjust.maxFactor}`);
            assert.ok(adjust.maxFactor >= 1 && adjust.maxFactor <= l.maxFactor);
            assert.ok(Number.isInteger(n) && n >= 0);
            // A situation told it changes nothing need not ask: it must then be so.
            if (adjust.unchanged) assert.deepEqual({ factor, signals: n }, { factor: 1, signals: 0 });
          }
          assert.equal(adjust.unchanged, signals.length === 0, 'unchanged exactly while there is no signal');
        },
      ),
      { numRuns: 200 },
    );
  });
});

/**
 * The same effects on rankings through HTTP, on the demo catalogue: the same request before and
 * after feedback. Each test asks about its own life situation (a meter no other test uses), as
 * feedback on one situation does not touch another.
 */
for (const backend of testBackends()) {
  describe(`learning over HTTP (${backend})`, () => {
    const t = useRecommenderApp(backend);
    const { recommend, post, clients } = t;

    describe('learning: feedback moves rankings, within bounds', () => {
      test('positive feedback and teaching raise a service for that situation; the explanation says so', async () => {
        const situation = { meters: { friends: 1 }, limit: 10 };
        const before = await recommend(situation);
        const target = before.items[5]!;
        // One person's rating through a client, one provider's teaching: 1 + 2.
        const rated = await post(`/api/v1/recommendations/${before.recommendation_id}/feedback`, { service_id: target.service_id, rating: 1 }, clients[0]!.authorization);
        assert.equal(rated.statusCode, 201);
        const taught = await post('/api/v1/teaching', { meters: { friends: 1 }, service_id: target.service_id, fits: true }, clients[1]!.authorization);
        assert.equal(taught.statusCode, 201);
        const after = await recommend(situation);
        assert.ok(rankOf(after, target.service_id) < 6, `rank 6 → ${rankOf(after, target.service_id)}`);
        const now = after.items.find((i) => i.service_id === target.service_id)!;
        const factor = 1 + 0.5 * Math.tanh(3 / 6);
        assert.ok(Math.abs(now.score - target.score * factor) < 1e-3, `${target.score} × ${factor} = ${now.score}`);
        const reason = now.reasons.find((x) => x.kind === 'feedback');
        assert.equal(reason?.direction, 'up');
        // Others in the list are unchanged, and so is another situation.
        const other = before.items[0]!;
        assert.equal(after.items.find((i) => i.service_id === other.service_id)!.score, other.score);
        const elsewhere = await recommend({ meters: { housing: 1 }, limit: 50 });
        assert.ok(!elsewhere.items.find((i) => i.service_id === target.service_id)?.reasons.some((x) => x.kind === 'feedback'));

        const explained = await t.app.inject(`/api/v1/recommendations/${before.recommendation_id}/services/${target.service_id}/explanation?language=en`);
        assert.equal(explained.statusCode, 200, explained.body);
        const e = explained.json() as { status: string; rank_then: number; rank_now: number; explanation: string; reasons: { kind: string }[]; score_now: number };
        assert.equal(e.status, 'in_results');
        assert.equal(e.rank_then, 6);
        assert.equal(e.rank_now, rankOf(after, target.service_id));
        assert.equal(e.score_now, now.score);
        assert.ok(e.reasons.some((x) => x.kind === 'meter'));
        assert.ok(e.reasons.some((x) => x.kind === 'feedback'));
        assert.match(e.explanation, /You rated “Friends” 1\/10/);
        assert.match(e.explanation, /found this service fitting/);
        const fi = (await t.app.inject(`/api/v1/recommendations/${before.recommendation_id}/services/${target.service_id}/explanation?language=fi`)).json() as { explanation: string };
        assert.match(fi.explanation, /pitäneet tätä palvelua sopivana/);
        const sv = (await t.app.inject(`/api/v1/recommendations/${before.recommendation_id}/services/${target.service_id}/explanation?language=sv`)).json() as { explanation: string };
        assert.match(sv.explanation, /funnit tjänsten lämplig/);
      });

      test('negative teaching lowers a service for that situation; a recommendation that gave it first now explains it has dropped', async () => {
        const situation = { meters: { finance: 2 }, limit: 10 };
        const before = await recommend(situation);
        // A service the next one follows closely, so that the drop shows in the order.
        const at = before.items.findIndex((item, i) => i + 1 < before.items.length && before.items[i + 1]!.score > item.score * 0.8);
        assert.ok(at >= 0);
        const target = before.items[at]!;
        const single = await recommend({ ...situation, limit: at + 1 });
        assert.equal(single.items[at]!.service_id, target.service_id);
        for (const c of clients.slice(0, 2)) {
          const res = await post('/api/v1/teaching', { meters: { finance: 2 }, service_id: target.service_id, fits: false }, c.authorization);
          assert.equal(res.statusCode, 201);
        }
        const after = await recommend(situation);
        assert.ok(rankOf(after, target.service_id) > at + 1, `rank ${at + 1} → ${rankOf(after, target.service_id)}`);
        const now = after.items.find((i) => i.service_id === target.service_id)!;
        assert.ok(Math.abs(now.score - target.score * (1 - 0.5 * Math.tanh(4 / 6))) < 1e-3, 'two providers teaching 2 each: × 0.708');
        const e = (await t.app.inject(`/api/v1/recommendations/${single.recommendation_id}/services/${target.service_id}/explanation?language=en`)).json() as {
          status: string;
          rank_then: number;
          rank_now: null;
          explanation: string;
          reasons: { kind: string; direction?: string }[];
        };
        assert.equal(e.status, 'not_in_results');
        assert.equal(e.rank_then, at + 1);
        assert.equal(e.rank_now, null);
        assert.match(e.explanation, /no longer among the recommendations/);
        assert.equal(e.reasons.find((x) => x.kind === 'feedback')?.direction, 'down');
        assert.match(e.explanation, /fits this situation less well/);
      });

      test('a service just outside the list enters it once feedback raises it', async () => {
        const situation = { meters: { life_satisfaction: 1 } };
        const wide = await recommend({ ...situation, limit: 30 });
        // The first service beyond the fifth that a boost of × 1.29 lifts over the one above it.
        const at = wide.items.findIndex((item, i) => i >= 5 && wide.items[i - 1]!.score < item.score * 1.25);
        assert.ok(at > 0);
        const target = wide.items[at]!;
        const before = await recommend({ ...situation, limit: at });
        assert.ok(!before.items.some((i) => i.service_id === target.service_id));
        for (const c of clients.slice(0, 2))
          assert.equal((await post('/api/v1/teaching', { meters: { life_satisfaction: 1 }, service_id: target.service_id, fits: true }, c.authorization)).statusCode, 201);
        const after = await recommend({ ...situation, limit: at });
        assert.ok(after.items.some((i) => i.service_id === target.service_id), `rank ${at + 1} → inside the first ${at}`);
      });

      test('one client sending 1,000 positives moves a service no more than the cap allows', async () => {
        const situation = { meters: { improvement_of_strengths: 0 }, limit: 20 };
        const before = await recommend(situation);
        const target = before.items[19]!;
        const flood = clients[2]!.authorization;
        for (let i = 0; i < 1000; i += 50)
          await Promise.all(
            Array.from({ length: 50 }, async () => {
              const res = await post(`/api/v1/services/${target.service_id}/feedback`, { rating: 1, meters: { improvement_of_strengths: 0 } }, flood);
              assert.equal(res.statusCode, 201);
            }),
          );
        const stored = await t.database.db.selectFrom('recommendation_signals').select(({ fn }) => fn.countAll<number>().as('n')).where('service_id', '=', target.service_id).executeTakeFirstOrThrow();
        assert.equal(Number(stored.n), 1000, 'every signal is kept');
        const after = await recommend({ ...situation, limit: 50 });
        const now = after.items.find((i) => i.service_id === target.service_id)!;
        const cap = 1 + 0.5 * Math.tanh(5 / 6);
        assert.ok(now.score <= target.score * cap + 1e-3, `${target.score} → ${now.score}: at most × ${cap.toFixed(3)}`);
        assert.ok(now.score >= target.score * cap - 1e-3, 'and the cap is what it reached');
      });

      test('what is learnt survives a restart: loading the stored signals gives the same factors; old signals count less', async () => {
        const live = t.app.aurora.learning;
        const reloaded = new Learning();
        await reloaded.load(t.database.db);
        assert.equal(reloaded.size, live.size);
        const services = await t.database.db.selectFrom('recommendation_signals').select('service_id').distinct().execute();
        for (const { service_id } of services)
          for (const needs of [{}, { friends: needOf(1) }, { finance: needOf(2) }, { improvement_of_strengths: 1 }]) {
            const a = live.adjustment(service_id, needs);
            const b = reloaded.adjustment(service_id, needs);
            assert.ok(Math.abs(a.factor - b.factor) < 1e-6 && a.signals === b.signals, `${service_id} ${JSON.stringify(needs)}`);
          }
        // A signal stored 90 days ago counts half.
        const service = randomUUID();
        const now = Date.now();
        await t.database.db
          .insertInto('recommendation_signals')
          .values([
            { kind: 'service_feedback', service_id: service, client_id: null, needs: '{}', value: 1, at: new Date(now - 90 * 86_400_000) },
            { kind: 'service_feedback', service_id: service, client_id: clients[0]!.id, needs: '{}', value: 1, at: new Date(now) },
          ])
          .execute();
        const fresh = new Learning({ now: () => now });
        await fresh.load(t.database.db);
        const sum = (f: number) => 6 * Math.atanh((f - 1) / 0.5);
        assert.ok(Math.abs(sum(fresh.adjustment(service, {}).factor) - (0.5 * 0.5 + 1)) < 1e-3, 'anonymous × 0.5, 90 days old × 0.5, plus a fresh one');
        await t.database.db.deleteFrom('recommendation_signals').where('service_id', '=', service).execute();
      });
    });
  });
}
