import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ATTRIBUTE_TEXTS } from './attribute-texts.ts';
import { ATTRIBUTE_NAMES, validateAttributes } from './attributes.ts';

/** The attribute registry: the AuroraAI attributes, their schemas, and their texts for consent questions. */

const ATTRS = { age: 34, municipality_code: '091', life_situation_meters: { housing: [2], finance: [3] } };

describe('attribute registry', () => {
  test('has the AuroraAI attributes, each with its schema', () => {
    for (const name of ['age', 'municipality_code', 'life_situation_meters']) assert.ok(ATTRIBUTE_NAMES.includes(name), name);
    assert.deepEqual(validateAttributes(ATTRS), []);
  });
  test('refuses invalid values with field paths, and unknown names', () => {
    const errors = validateAttributes({ age: 201, municipality_code: '91', life_situation_meters: { housing: [11] }, shoe_size: 44 });
    const fields = errors.map((e) => e.field);
    assert.ok(fields.includes('attributes.age'));
    assert.ok(fields.includes('attributes.municipality_code'));
    assert.ok(fields.includes('attributes.life_situation_meters.housing.0'));
    assert.ok(fields.includes('attributes.shoe_size'));
  });
  test('every attribute of the registry has a title and a description in fi, sv and en', () => {
    for (const name of ATTRIBUTE_NAMES) {
      const texts = ATTRIBUTE_TEXTS[name];
      assert.ok(texts, `${name} has texts`);
      for (const part of [texts.title, texts.description])
        for (const language of ['fi', 'sv', 'en'] as const) assert.ok(part[language].trim().length > 1, `${name} ${language}`);
      assert.notEqual(texts.description.fi, texts.description.en);
      assert.notEqual(texts.description.sv, texts.description.en);
    }
  });
});
