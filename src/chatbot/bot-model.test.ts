import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backgroundOf, modelOfVersion, readOffTopic } from './bot-model.ts';
import { LANGUAGES, starterPack } from './pack.ts';

test("many first messages at once read and train a version's model once; a failed read is not kept", async () => {
  let reads = 0;
  const readPack = async () => {
    reads++;
    await new Promise((resolve) => setTimeout(resolve, 10));
    return starterPack(['fi']);
  };
  const models = await Promise.all(Array.from({ length: 8 }, () => modelOfVersion('race-bot', 1, readPack)));
  assert.equal(reads, 1);
  assert.ok(models.every((m) => m === models[0]));
  await assert.rejects(modelOfVersion('race-bot', 2, async () => Promise.reject(new Error('gone'))));
  assert.equal((await modelOfVersion('race-bot', 2, readPack)).pack.languages[0], 'fi');
});

test('the background is the situations, crisis aside, and the off-topic messages, in each language', () => {
  const background = backgroundOf({ languages: [...LANGUAGES] });
  const offTopic = readOffTopic();
  for (const language of LANGUAGES) {
    assert.ok(background[language]!.length > 500, language);
    for (const text of offTopic[language]) assert.ok(background[language]!.includes(text));
  }
  assert.ok(!background.fi!.includes('haluan kuolla'), 'crisis phrasings belong to the crisis dialogue');
});
