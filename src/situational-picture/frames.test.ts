import assert from 'node:assert/strict';
import { test } from 'node:test';
import { METERS } from '../recommender/meter-names.ts';
import { frames } from './frames.ts';

/** The SSF/OECD mapping file: every meter mapped to known dimensions and topics, with its reasoning, in three languages. */

test('every meter maps to at least one SSF dimension and OECD topic that the file names in fi, sv and en', () => {
  const f = frames();
  assert.equal(Object.keys(f.ssf_dimensions).filter((d) => d !== 'subjective').length, 8, 'the eight SSF dimensions');
  assert.equal(Object.keys(f.oecd_topics).length, 11, 'the eleven Better Life topics');
  for (const text of [...Object.values(f.ssf_dimensions), ...Object.values(f.oecd_topics)]) for (const l of ['fi', 'sv', 'en'] as const) assert.ok(text[l], JSON.stringify(text));
  assert.deepEqual(Object.keys(f.meters).sort(), [...METERS].sort());
  for (const m of METERS) {
    const entry = f.meters[m];
    assert.ok(entry.ssf.length > 0 && entry.ssf.every((d) => d in f.ssf_dimensions), m);
    assert.ok(entry.oecd.length > 0 && entry.oecd.every((d) => d in f.oecd_topics), m);
    assert.ok(entry.why.length > 20, `${m} says why`);
  }
  // What no meter covers is said, and really is uncovered.
  const used = { ssf: new Set(METERS.flatMap((m) => f.meters[m].ssf)), oecd: new Set(METERS.flatMap((m) => f.meters[m].oecd)) };
  for (const d of f.not_covered.ssf) assert.ok(!used.ssf.has(d), d);
  for (const d of f.not_covered.oecd) assert.ok(!used.oecd.has(d), d);
  assert.deepEqual([...Object.keys(f.ssf_dimensions)].filter((d) => !used.ssf.has(d)).sort(), [...f.not_covered.ssf].sort());
  assert.deepEqual([...Object.keys(f.oecd_topics)].filter((d) => !used.oecd.has(d)).sort(), [...f.not_covered.oecd].sort());
});
