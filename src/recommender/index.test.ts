import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compileFilter } from '../catalogue/filter-predicate.ts';
import { idKeyOf, ServiceIndex } from './index.ts';
import { serviceRow } from './pipeline/fixtures.ts';
import type { Features } from './text/analyzer.ts';

const WORDS = ['asunto', 'vuokra', 'tuki', 'työ', 'lapsi', 'perhe', 'velka', 'neuvonta', 'kela', 'koulu', 'terveys', 'laina'];

const row = (i: number, words: string[]) => serviceRow(i, words.slice(0, 2).join(' '), words.slice(2).join(' '));

/** phraseScores as written before it learnt to pass over services that cannot count: every posting of every word walked. */
function reference(index: ServiceIndex, words: Features[], minCoverage: number): Float64Array {
  const scores = new Float64Array(index.docs.length);
  const sums = new Float64Array(index.docs.length);
  const covered = new Float64Array(index.docs.length);
  let total = 0;
  for (const word of words) {
    let weight = 0;
    const best = new Float64Array(index.docs.length);
    const cover = new Float64Array(index.docs.length);
    for (const [name, queryWeight] of word) {
      const f = index.featureId(name);
      if (f === undefined) {
        weight = Math.max(weight, queryWeight * Math.log(1 + index.size));
        continue;
      }
      const idf = index.idf(f);
      weight = Math.max(weight, queryWeight * idf);
      for (const [d, entry] of index.docs.entries()) {
        if (!entry) continue;
        const { score } = index.contributions(new Map([[name, queryWeight]]), d)[0] ?? { score: 0 };
        if (score > best[d]!) best[d] = score;
        if (score > 0) cover[d] = Math.max(cover[d]!, queryWeight * idf);
      }
    }
    total += weight;
    for (let d = 0; d < index.docs.length; d++) {
      sums[d] = sums[d]! + best[d]!;
      covered[d] = covered[d]! + Math.min(weight, cover[d]!);
    }
  }
  for (let d = 0; d < index.docs.length; d++) {
    const share = total > 0 ? Math.min(1, covered[d]! / total) : 0;
    if (sums[d]! > 0 && share >= minCoverage - 1e-9) scores[d] = sums[d]! * share * share;
  }
  return scores;
}

test('phraseScores passes over only the services that could never cover enough of the phrase', () => {
  const word = fc.constantFrom(...WORDS);
  fc.assert(
    fc.property(
      fc.array(fc.array(word, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 60 }),
      fc.array(fc.array(fc.tuple(fc.constantFrom(...WORDS, 'tuntematon'), fc.float({ min: Math.fround(0.1), max: 1, noNaN: true })), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
      fc.constantFrom(0.3, 0.5, 0.7, 1),
      fc.array(fc.nat(59), { maxLength: 5 }),
      (services, phrase, minCoverage, removed) => {
        const index = new ServiceIndex();
        services.forEach((words, i) => index.upsert(row(i, words)));
        for (const i of removed) index.remove(row(i, []).id);
        // Each phrase word as features of its base form, the way the analyser names them.
        const words: Features[] = phrase.map((alternatives) => {
          const features: Features = new Map();
          for (const [w, weight] of alternatives) {
            const name = [...index.docs.flatMap((d) => (d ? [...d.features].map((f) => index.featureName(f)) : []))].find((n) => n.endsWith(`:${w}`)) ?? `fi:${w}`;
            features.set(name, Math.max(features.get(name) ?? 0, weight));
          }
          return features;
        });
        const actual = index.phraseScores(words, minCoverage);
        const expected = reference(index, words, minCoverage);
        for (let d = 0; d < expected.length; d++) assert.ok(Math.abs(actual[d]! - expected[d]!) <= 1e-9 * Math.max(1, expected[d]!), `service ${d}: ${actual[d]} != ${expected[d]}`);
      },
    ),
    { numRuns: 300 },
  );
});

test('acceptor accepts by document number exactly the services compileFilter accepts, through updates and removals', () => {
  const municipalities = ['091', '049', '491', '853', '179'];
  const service = fc.record({
    nationwide: fc.boolean(),
    municipalities: fc.subarray(municipalities, { maxLength: 3 }),
    classes: fc.subarray(['P1', 'P6.1', 'P10.2'], { maxLength: 2 }),
    funding: fc.constantFrom(null, 'PubliclyFunded', 'MarketFunded'),
  });
  const filters = fc.record(
    {
      municipality_codes: fc.subarray([...municipalities, '999'], { maxLength: 3 }),
      region_codes: fc.subarray(['01', '10', '02'], { maxLength: 2 }),
      include_national_services: fc.boolean(),
      only_national_services: fc.boolean(),
      service_classes: fc.subarray(['P1', 'P6.1', 'P10.2'], { maxLength: 2 }),
      funding_type: fc.subarray(['PubliclyFunded', 'MarketFunded'], { maxLength: 1 }),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(29), service), { minLength: 1, maxLength: 60 }),
      fc.array(fc.nat(29), { maxLength: 8 }),
      filters,
      fc.array(fc.tuple(fc.nat(39), service), { maxLength: 20 }),
      fc.array(fc.nat(39), { maxLength: 8 }),
      (upserts, removed, f, later, laterRemoved) => {
      const index = new ServiceIndex();
      for (const [i, s] of upserts)
        index.upsert({ ...row(i, ['asunto']), nationwide: s.nationwide, municipalities: s.municipalities, service_class_filter: s.classes, funding_type: s.funding });
      for (const i of removed) index.remove(row(i, []).id);
      const accept = compileFilter(f);
      const agrees = (when: string) => {
        const acceptDoc = index.acceptor(f);
        for (const [d, entry] of index.docs.entries()) assert.equal(acceptDoc(d), entry !== undefined && accept(entry), `service ${d} with ${JSON.stringify(f)} ${when}`);
      };
      agrees('at first');
      // The area's documents are kept between calls: they must follow the index's changes.
      for (const [i, s] of later) index.upsert({ ...row(i, ['asunto']), nationwide: s.nationwide, municipalities: s.municipalities, service_class_filter: s.classes, funding_type: s.funding });
      for (const i of laterRemoved) index.remove(row(i, []).id);
      agrees('after changes');
    }),
    { numRuns: 300 },
  );
});

test('acceptor agrees with compileFilter across a compaction, moved services and ones re-added', () => {
  const index = new ServiceIndex();
  const at = (i: number, round: number) => ({ ...row(i, ['asunto']), nationwide: (i + round) % 7 === 0, municipalities: [['091'], ['049', '091'], ['853'], []][(i + round) % 4]! });
  for (let i = 0; i < 3000; i++) index.upsert(at(i, 0));
  const filters = [{ municipality_codes: ['091'] }, { municipality_codes: ['853', '049'], include_national_services: false }, { only_national_services: true }, {}, { include_national_services: false }];
  const agree = (when: string) => {
    for (const f of filters) {
      const accept = compileFilter(f);
      const acceptDoc = index.acceptor(f);
      for (const [d, entry] of index.docs.entries()) assert.equal(acceptDoc(d), entry !== undefined && accept(entry), `${when}: service ${d} with ${JSON.stringify(f)}`);
    }
  };
  agree('at first');
  // Removing 1,500 of 3,000 compacts the index (more than 1,000 removed, and a quarter of it).
  for (let i = 0; i < 1500; i++) index.remove(row(i, []).id);
  for (let i = 1500; i < 2000; i++) index.upsert(at(i, 1));
  for (let i = 0; i < 300; i++) index.upsert(at(i, 2));
  agree('after removals, a compaction and moves');
});

test('services with equal code lists share one frozen list, which holds what each row said; compaction keeps them', () => {
  const index = new ServiceIndex();
  const codes = (i: number) => ({ municipalities: i % 2 ? ['091', '049'] : ['853'], service_class_filter: ['P1', 'P6.1'], target_group_filter: i % 3 ? ['KR1'] : [] });
  for (let i = 0; i < 2500; i++) index.upsert({ ...row(i, ['asunto']), ...codes(i) });
  const first = index.docs[0]!;
  const third = index.docs[2]!;
  assert.equal(first.municipalities, third.municipalities, 'one array for equal lists');
  assert.equal(first.serviceClassFilter, index.docs[1]!.serviceClassFilter);
  assert.notEqual(first.municipalities, index.docs[1]!.municipalities);
  assert.ok(Object.isFrozen(first.municipalities), 'shared, so never changed in place');
  const given = ['179', '091'];
  index.upsert({ ...row(5000, ['asunto']), municipalities: given });
  given.push('999');
  assert.deepEqual(index.docs[index.docOf(row(5000, []).id)!]!.municipalities, ['179', '091'], 'a copy of the row’s list, not the row’s own array');
  // Removing most services compacts the index; the lists of those left are as they were.
  for (let i = 0; i < 2000; i++) index.remove(row(i, []).id);
  for (let i = 2000; i < 2500; i++) {
    const entry = index.docs[index.docOf(row(i, []).id)!]!;
    assert.deepEqual([entry.municipalities, entry.serviceClassFilter, entry.targetGroupFilter], Object.values(codes(i)));
  }
  index.upsert({ ...row(6000, ['asunto']), ...codes(2001) });
  assert.equal(index.docs[index.docOf(row(6000, []).id)!]!.municipalities, index.docs[index.docOf(row(2001, []).id)!]!.municipalities, 'still shared after compaction');
});

test("id keys order ids as the ids do wherever two keys differ, and the index keeps each document's", () => {
  const id = fc.oneof(fc.uuid(), fc.uuid().map((u) => u.toUpperCase()), fc.string({ maxLength: 12 }));
  fc.assert(
    fc.property(id, id, (a, b) => {
      const [ka, kb] = [idKeyOf(a), idKeyOf(b)];
      if (a === b) assert.equal(ka, kb);
      // Keys of UUIDs in canonical (lower) case agree with the ids' order; any other id keys as -1.
      if (ka !== -1 && kb !== -1 && ka !== kb) assert.equal(ka < kb, a < b);
      if (!/^[0-9a-f]{8}/.test(a)) assert.equal(ka, -1);
    }),
    { numRuns: 500 },
  );
  const index = new ServiceIndex();
  const rows = Array.from({ length: 1500 }, (_, i) => ({ ...row(i, ['asunto', 'tuki']), id: i % 3 ? crypto.randomUUID() : `X-${i}` }));
  for (const r of rows) index.upsert(r);
  for (const r of rows) assert.equal(index.idKeys[index.docOf(r.id)!], idKeyOf(r.id));
});
