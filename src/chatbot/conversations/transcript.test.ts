import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTranscript, replyMeets } from './transcript.ts';

/** Transcripts in the Botium style: turns on the marker's line or below it, and what makes one wrong. */

test('turns on the marker line or the lines after it, with their line numbers', () => {
  assert.deepEqual(parseTranscript('#me hei\n#bot\nKerro omin sanoin\nmitä tilanteessasi on\n\n#me kiitos'), [
    { who: 'me', text: 'hei', line: 1 },
    { who: 'bot', text: 'Kerro omin sanoin mitä tilanteessasi on', line: 2 },
    { who: 'me', text: 'kiitos', line: 6 },
  ]);
});

test('a transcript that does not begin with the person, has no person or an empty turn is refused with its line', () => {
  assert.throws(() => parseTranscript('hei'), /line 1/);
  assert.throws(() => parseTranscript('#bot hei\n#me moi'), /the person speaks first/);
  assert.throws(() => parseTranscript('#bot hei'), /at least one #me/);
  assert.throws(() => parseTranscript('#me\n#bot moi'), /line 1: #me without text/);
});

test('a reply meets a #bot turn when it contains the text (case and spacing aside) or has the intent asked for', () => {
  assert.ok(replyMeets('kerro  OMIN sanoin', { text: 'Hei! Kerro omin sanoin, mitä…', intent: 'shared:greet' }));
  assert.ok(!replyMeets('aukioloajat', { text: 'Hei!', intent: 'shared:greet' }));
  assert.ok(replyMeets('intent: shared:greet', { text: 'x', intent: 'shared:greet' }));
  assert.ok(!replyMeets('intent:shared:help', { text: 'x', intent: 'shared:greet' }));
});
