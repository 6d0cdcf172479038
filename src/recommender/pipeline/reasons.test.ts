import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceIndex } from '../index.ts';
import { shippedSituationMatcher } from '../situations/understand.ts';
import { serviceRow } from './fixtures.ts';
import type { Need } from './needs.ts';
import type { Candidate } from './rank.ts';
import { reasonsFor } from './reasons.ts';

test("a service's terms for a situation are the same each time it is explained, and a caller changing them changes no later answer", () => {
  const index = new ServiceIndex();
  index.upsert(serviceRow(0, 'Asumisneuvonta vuokralaisille', 'Neuvontaa, kun vuokranmaksu on vaikeaa tai asunto on vaarassa mennä.'));
  index.upsert(serviceRow(1, 'Velkaneuvonta', 'Maksutonta apua velkoihin ja maksuvaikeuksiin.'));
  const model = shippedSituationMatcher().model;
  const needs: Need[] = [
    { key: 'situation:cannot-pay-rent', source: 'situation', weight: 1, lead: true, concept: model.byId.get('cannot-pay-rent')! },
    { key: 'meter:housing', source: 'meter', weight: 0.8, lead: true, meter: 'housing', value: 2 },
  ];
  const candidate = (doc: number): Candidate => ({ doc, score: 1, confidence: 1, fits: [0.9, 0.8], audience: { factor: 1 }, feedback: { factor: 1, signals: 0 }, crisis: false });
  const first = reasonsFor(index, candidate(0), needs, 'fi');
  const terms = first.map((r) => ('terms' in r ? [...r.terms] : []));
  assert.ok(terms[0]!.length > 0, `the situation's words are found in the service: ${JSON.stringify(first)}`);
  for (const r of first) if ('terms' in r) r.terms.push('muutettu');
  reasonsFor(index, candidate(1), needs, 'fi');
  const again = reasonsFor(index, candidate(0), needs, 'fi');
  assert.deepEqual(again.map((r) => ('terms' in r ? r.terms : [])), terms);
});
