import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { idKeyOf, type IndexedService } from '../index.ts';
import { indexedService, serviceId } from './fixtures.ts';
import { meterNeeds, type Need } from './needs.ts';
import { MIN_CONFIDENCE, rank } from './rank.ts';
import { audienceOf } from './audience.ts';

const service = (i: number) => indexedService(serviceId(i), { fi: `Palvelu ${i}` });
const need = (key: string, weight: number, lead = true): Need => ({ key, source: 'meter', weight, lead });

test('the lowest meters lead; middling ones only add context; 8 and above are no need', () => {
  const needs = meterNeeds({ housing: 2, finance: 1, health: 5, family: 9 });
  const byMeter = Object.fromEntries(needs.map((n) => [n.meter, n]));
  assert.equal(byMeter.finance?.lead, true);
  assert.equal(byMeter.housing?.lead, true, 'within a point of the lowest');
  assert.equal(byMeter.health?.lead, false, 'a 5 beside a 1 is context');
  assert.equal(byMeter.family, undefined);
  assert.ok(meterNeeds({ health: 5, family: 6 }).find((n) => n.meter === 'health')!.lead, 'when all are middling, the lowest still leads');
});

test('nothing below the confidence threshold is returned, whatever the fits', () => {
  fc.assert(
    fc.property(fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 10 }), (values, limit) => {
      const docs = values.map((_, i) => service(i));
      const fit = Float32Array.from(values);
      const out = rank({ docs, needs: [need('meter:housing', 1)], fits: [fit], accept: () => true, asker: 'person', limit });
      assert.ok(out.length <= limit);
      for (const c of out) assert.ok(c.confidence >= MIN_CONFIDENCE);
      if (values.every((v) => v < MIN_CONFIDENCE)) assert.equal(out.length, 0, 'nothing fits: nothing is returned');
    }),
  );
});

test('results cover the different needs instead of ten variants of one', () => {
  const docs = Array.from({ length: 12 }, (_, i) => service(i));
  // Ten services fit housing very well, two fit money a little less well.
  const housing = Float32Array.from(docs.map((_, i) => (i < 10 ? 0.9 - i * 0.01 : 0)));
  const money = Float32Array.from(docs.map((_, i) => (i >= 10 ? 0.7 : 0)));
  const out = rank({ docs, needs: [need('meter:housing', 1), need('meter:finance', 1)], fits: [housing, money], accept: () => true, asker: 'person', limit: 4 });
  assert.ok(out.slice(0, 4).some((c) => c.doc >= 10), 'a money service is among the first four');
  assert.ok(out.slice(0, 4).some((c) => c.doc < 10));
});

test('a context need reorders what the leading needs bring but brings nothing itself', () => {
  const docs = Array.from({ length: 3 }, (_, i) => service(i));
  const lead = Float32Array.from([0.6, 0.6, 0]);
  const context = Float32Array.from([0, 0.9, 0.9]);
  const out = rank({ docs, needs: [need('meter:housing', 1), need('meter:health', 0.3, false)], fits: [lead, context], accept: () => true, asker: 'person', limit: 3 });
  assert.deepEqual(out.map((c) => c.doc), [1, 0]);
});

test('the best services the filters accept are found, however many services fit and however few pass the filters', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 20 }), (size, every, limit) => {
      const docs = Array.from({ length: size }, (_, i) => service(i));
      // Distinct fits, most of them above the cut-off: thousands of candidates for one need.
      const fit = Float32Array.from(docs, (_, i) => 0.3 + (((i * 7919) % size) / size) * 0.7);
      const accept = (s: IndexedService) => Number(s.id.slice(-12)) % every === 0;
      const out = rank({ docs, needs: [need('meter:housing', 1)], fits: [fit], accept, asker: 'person', limit });
      const best = docs
        .map((_, d) => d)
        .filter((d) => accept(docs[d]!) && fit[d]! >= MIN_CONFIDENCE)
        .sort((a, b) => fit[b]! - fit[a]!)
        .filter((d, _, all) => fit[d]! >= 0.2 * fit[all[0]!]!)
        .slice(0, limit);
      assert.deepEqual(out.map((c) => c.doc), best);
    }),
    { numRuns: 60 },
  );
});

test('looking at candidates best first and stopping early never changes the answer: the same list as looking at every one', () => {
  // The reference asks for as many results as there are services: its pool never fills, so nothing
  // is passed over. With one leading need the list is in score order, so the first `limit` of the
  // reference are the answer; at most 400 services, every one is within both runs' depth.
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 400 }),
      fc.array(fc.float({ min: Math.fround(0.05), max: 1, noNaN: true }), { maxLength: 3 }),
      fc.integer({ min: 1, max: 2 ** 31 - 2 }),
      fc.integer({ min: 1, max: 10 }),
      fc.boolean(),
      (size, contextWeights, seed, limit, withFeedback) => {
        const docs = Array.from({ length: size }, (_, i) => service(i));
        let state = seed;
        const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
        const needs = [need('meter:0', 1), ...contextWeights.map((w, i) => need(`meter:${i + 1}`, w, false))];
        // Two levels of fit (many exact ties, which the pool must settle alike whatever the order), and
        // a few services that feedback doubles: one of the lower level then outranks the higher level,
        // though it scored under the pool's least before its factor.
        const fits = needs.map(() => Float32Array.from(docs, () => (next() < 0.2 ? 0 : next() < 0.5 ? 0.8 : 1)));
        const factors = docs.map(() => (next() < 0.05 ? 2 : next() < 0.2 ? 0.7 : 1));
        const feedback = withFeedback ? (s: IndexedService) => ({ factor: factors[Number(s.id.slice(-12))]!, signals: 1 }) : undefined;
        const input = { docs, needs, fits, accept: () => true, asker: 'person' as const, feedback, maxFeedback: withFeedback ? 2 : undefined };
        const answer = rank({ ...input, limit });
        const everyOne = rank({ ...input, limit: size });
        assert.deepEqual(answer.map((c) => [c.doc, c.score]), everyOne.slice(0, limit).map((c) => [c.doc, c.score]));
      },
    ),
    { numRuns: 150 },
  );
});

test("ties are settled alike with the index's id keys as by the ids alone", () => {
  // Few distinct fits, so most scores tie; ids random, upper and lower case, so that some share
  // their first eight digits and some have no key (idKeyOf's -1).
  const id = fc.tuple(fc.constantFrom('0', '1', 'f', 'A'), fc.uuid()).map(([first, uuid]) => first + uuid.slice(1));
  fc.assert(
    fc.property(
      fc.uniqueArray(id, { minLength: 1, maxLength: 120 }),
      fc.array(fc.constantFrom(0.4, 0.7, 1), { minLength: 120, maxLength: 120 }),
      fc.integer({ min: 1, max: 10 }),
      (ids, values, limit) => {
        const docs = ids.map((i) => indexedService(i, { fi: 'Palvelu' }));
        const fit = Float32Array.from(docs, (_, d) => values[d]!);
        const input = { docs, needs: [need('meter:housing', 1)], fits: [fit], accept: () => true, asker: 'person' as const, limit };
        const byIds = rank(input).map((c) => c.doc);
        const byKeys = rank({ ...input, idKeys: Float64Array.from(ids, idKeyOf) }).map((c) => c.doc);
        assert.deepEqual(byKeys, byIds);
      },
    ),
    { numRuns: 150 },
  );
});

test('reading fits from rows gives the same ranking as reading each need its own array', () => {
  // Rows hold some of the needs' fits (by the Fit object), and one column copies an array no need
  // uses: each need must read its own fit whichever way it is held.
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 200 }),
      fc.array(fc.tuple(fc.float({ min: Math.fround(0.05), max: 1, noNaN: true }), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 1, max: 2 ** 31 - 2 }),
      fc.integer({ min: 1, max: 10 }),
      (size, shapes, seed, limit) => {
        const docs = Array.from({ length: size }, (_, i) => service(i));
        let state = seed;
        const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
        const needs = shapes.map(([weight, lead], i) => need(`meter:${i}`, weight, i === 0 || lead));
        const fits = needs.map(() => Float32Array.from(docs, () => (next() < 0.3 ? 0 : Math.fround(next()))));
        const held = [Float32Array.from(docs, () => 1), ...fits.filter((_, i) => shapes[i]![2])].reverse();
        const width = held.length;
        const data = new Float32Array(size * width);
        held.forEach((fit, column) => fit.forEach((v, d) => (data[d * width + column] = v)));
        const input = { docs, needs, fits, accept: () => true, asker: 'person' as const, limit };
        const plain = rank(input).map((c) => [c.doc, c.score, c.confidence, c.fits]);
        const byRows = rank({ ...input, rows: [undefined, { data, width, columns: new Map(held.map((fit, column) => [fit, column])) }] }).map((c) => [c.doc, c.score, c.confidence, c.fits]);
        assert.deepEqual(byRows, plain);
      },
    ),
    { numRuns: 150 },
  );
});

test('ranking with who each service is for kept per document gives what reading each service gives, and keeps it right', () => {
  const groups = fc.subarray(['KR1', 'KR1.1', 'KR1.3', 'KR2', 'KR3'], { maxLength: 3 });
  const names = fc.constantFrom('Palvelu', 'Yritysneuvonta', 'Nuorisotilat', 'Ikäihmisten palveluohjaus', 'Services for employers');
  fc.assert(
    fc.property(
      fc.array(fc.tuple(groups, names, fc.float({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 80 }),
      fc.constantFrom('person' as const, 'business' as const),
      fc.option(fc.integer({ min: 10, max: 95 }), { nil: undefined }),
      fc.integer({ min: 1, max: 10 }),
      (shapes, asker, age, limit) => {
        const docs = shapes.map(([targetGroups, name], i) => ({ ...indexedService(serviceId(i), { fi: name }), targetGroupFilter: targetGroups }));
        const input = { docs, needs: [need('meter:housing', 1)], fits: [Float32Array.from(shapes, (s) => s[2])], accept: () => true, asker, age, limit };
        const plain = rank(input).map((c) => [c.doc, c.score, c.confidence, c.audience]);
        const audiences = new Uint8Array(docs.length);
        // Twice: first filling the codes, then reading them.
        for (const time of ['first', 'again'])
          assert.deepEqual(rank({ ...input, audiences }).map((c) => [c.doc, c.score, c.confidence, c.audience]), plain, time);
        for (const [d, code] of audiences.entries()) if (code) assert.equal([undefined, 'person', 'business', 'any'][code], audienceOf(docs[d]!), `service ${d}`);
      },
    ),
    { numRuns: 150 },
  );
});
