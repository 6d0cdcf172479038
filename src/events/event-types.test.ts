import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENT_TYPES, EVENT_TYPE_NAMES, cloudEventType, isEventType } from './event-types.ts';

test('every life event type reads in Finnish, Swedish and English, each name its own', () => {
  assert.deepEqual(EVENT_TYPE_NAMES, ['moved', 'child-born', 'income-changed', 'started-studies', 'unemployed', 'death-of-close-relative']);
  for (const language of ['fi', 'sv', 'en'] as const) {
    const names = EVENT_TYPE_NAMES.map((t) => EVENT_TYPES[t].name[language]);
    assert.equal(new Set(names).size, names.length, `${language} names are distinct`);
    for (const type of EVENT_TYPE_NAMES) {
      assert.ok(EVENT_TYPES[type].name[language].trim().length > 2, `${type} ${language} name`);
      assert.ok(EVENT_TYPES[type].description[language].trim().length > 20, `${type} ${language} description`);
    }
  }
});

test('types are told apart from anything else, and named for CloudEvents in reverse DNS', () => {
  assert.ok(isEventType('moved'));
  for (const other of ['toString', 'constructor', '__proto__', 'Moved', '']) assert.ok(!isEventType(other), other);
  assert.equal(cloudEventType('death-of-close-relative'), 'fi.aurora.life-event.death-of-close-relative');
});
