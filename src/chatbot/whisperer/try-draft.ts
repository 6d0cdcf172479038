import Type, { type Static } from 'typebox';
import { METERS } from '../../recommender/meter-names.ts';
import type { Recommender } from '../../recommender/recommender.ts';
import type { Db } from '../../db/database.ts';
import { respond, type ConversationState, type Reply } from '../conversations/engine.ts';
import { maskPersonalData } from '../conversations/mask.ts';
import { botNetwork } from '../conversations/network.ts';
import { SLOTS_PER_FORM } from '../limits.ts';
import type { BotLanguage } from '../pack.ts';
import { draftModel } from './draft-model.ts';

/**
 * A whisperer tries a message against the draft, unpublished: the reply a conversation would give,
 * and why (the best intents with their scores and the features that carried each, against the
 * threshold). Nothing is stored: no conversation, no message, no recommendation (the network runs
 * dry, as for the transcript tests); the conversation's state goes back to the console, which sends
 * it with the next message, so a form or the life check can be tried turn by turn.
 */
const Language = Type.Union([Type.Literal('fi'), Type.Literal('sv'), Type.Literal('en')]);
const Value = Type.Union([Type.String({ maxLength: 200 }), Type.Number()]);
// The engine trusts the state it kept itself; coming from a browser, it is held to what the engine can read.
export const TryStateSchema = Type.Object(
  {
    language: Type.Optional(Language),
    form: Type.Optional(Type.Object({ id: Type.String({ maxLength: 60 }), slot: Type.Integer({ minimum: 0, maximum: SLOTS_PER_FORM - 1 }), values: Type.Record(Type.String({ maxLength: 60 }), Value, { maxProperties: SLOTS_PER_FORM }) }, { additionalProperties: false })),
    check: Type.Optional(
      Type.Object(
        {
          question: Type.Integer({ minimum: 0, maximum: METERS.length - 1 }),
          answers: Type.Object(Object.fromEntries(METERS.map((m) => [m, Type.Optional(Type.Integer({ minimum: 0, maximum: 10 }))])), { additionalProperties: false }),
        },
        { additionalProperties: false },
      ),
    ),
    municipality: Type.Optional(Type.String({ pattern: '^[0-9]{3}$' })),
    age: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
  },
  { additionalProperties: false },
);
export type TryState = Static<typeof TryStateSchema>;

export interface TryResult {
  reply: Reply;
  state: ConversationState;
  /** The message as the engine read it, masked. */
  masked_text: string;
  threshold: number;
  intents: { intent: string; score: number; because: string[] }[];
}

export async function tryDraft(db: Db, recommender: { ready(): Promise<Recommender> }, memberId: string, botId: string, input: { text: string; language?: BotLanguage; state?: TryState }): Promise<TryResult> {
  const model = await draftModel(db, memberId, botId);
  const masked = maskPersonalData(input.text);
  const state: ConversationState = { ...(input.state as ConversationState | undefined), ...(input.language && model.pack.languages.includes(input.language) ? { language: input.language } : {}) };
  const { reply, state: next } = await respond(model, botNetwork(db, recommender, memberId, { dry: true }), state, masked);
  return { reply, state: next, masked_text: masked, threshold: model.threshold, intents: model.classifier.classify(masked, reply.language).ranking };
}
