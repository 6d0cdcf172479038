import { readFileSync } from 'node:fs';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { fromPackageRoot } from '../package-root.ts';

/**
 * The shared dialogue bank (data/chatbot/shared-dialogues.json): dialogues every bot may include,
 * each with example phrasings in fi, sv and en for the classifier, an opening answer, and the
 * action the engine takes (answer only, the recommender, crisis lines, a service's hours, handover,
 * the life-situation check, taking the person's story to a service they choose).
 */
const Localized = Type.Object({ fi: Type.String({ minLength: 1 }), sv: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) }, { additionalProperties: false });
const Phrases = Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { minItems: 3 });
const DialogueSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]+$' }),
    action: Type.Union([Type.Literal('answer'), Type.Literal('recommend'), Type.Literal('crisis'), Type.Literal('service-hours'), Type.Literal('handover'), Type.Literal('life-check'), Type.Literal('take-story')]),
    examples: Type.Object({ fi: Phrases, sv: Phrases, en: Phrases }, { additionalProperties: false }),
    answer: Localized,
  },
  { additionalProperties: false },
);
const BankSchema = Type.Object({ source: Type.String({ minLength: 1 }), version: Type.String(), dialogues: Type.Array(DialogueSchema, { minItems: 1 }) }, { additionalProperties: false });
export type SharedDialogue = Static<typeof DialogueSchema>;
export type DialogueAction = SharedDialogue['action'];

function loadBank(): SharedDialogue[] {
  const data: unknown = JSON.parse(readFileSync(fromPackageRoot('data', 'chatbot', 'shared-dialogues.json'), 'utf8'));
  const check = Compile(BankSchema);
  if (!check.Check(data)) throw new Error(`data/chatbot/shared-dialogues.json: ${[...check.Errors(data)].map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
  return data.dialogues;
}

export const SHARED_DIALOGUES: readonly SharedDialogue[] = loadBank();
export const SHARED_DIALOGUE_IDS: readonly string[] = SHARED_DIALOGUES.map((d) => d.id);
export const sharedDialogue = (id: string) => SHARED_DIALOGUES.find((d) => d.id === id);
/** Intents of the shared bank are named `shared:<id>` beside a pack's own. */
export const SHARED_PREFIX = 'shared:';
