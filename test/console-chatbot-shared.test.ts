import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SHARED_DIALOGUES } from '../src/chatbot/shared-bank.ts';
import { en } from '../web/console/locales/en.ts';
import { fi } from '../web/console/locales/fi.ts';
import { sv } from '../web/console/locales/sv.ts';
import { SHARED_IDS } from '../web/console/views/chatbot/shared-ids.ts';

test("the console offers every shared dialogue of the server's bank, each named in fi, sv and en", () => {
  assert.deepEqual([...SHARED_IDS].sort(), SHARED_DIALOGUES.map((d) => d.id).sort(), 'a dialogue added to the bank is offered in the console too');
  for (const texts of [fi, sv, en]) for (const id of SHARED_IDS) assert.ok(texts.chatbot.shared[id]?.name, `${id} has a name`);
});
