import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { badRequest } from '../http/problem.ts';
import { SHARED_DIALOGUE_IDS } from './shared-bank.ts';
import { parseTranscript } from './conversations/transcript.ts';
import * as L from './limits.ts';

/**
 * A bot's content pack (docs/chatbot.md): its languages and handover, the shared dialogues it
 * includes, its own intents (example phrasings and an answer per language), simple forms that ask
 * for an age, a municipality or a date, and the transcript tests a publish must pass. The draft is
 * checked whole on every save; what only a publish needs (every language answered) is a blocker.
 */
export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type BotLanguage = (typeof LANGUAGES)[number];
const Language = Type.Union([Type.Literal('fi'), Type.Literal('sv'), Type.Literal('en')]);
const Id = Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 60 });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const PerLanguage = <T extends Type.TSchema>(item: T) => Type.Object({ fi: Type.Optional(item), sv: Type.Optional(item), en: Type.Optional(item) }, { additionalProperties: false });

export const AnswerSchema = Type.Object(
  {
    text: PerLanguage(Text(L.ANSWER_LENGTH)),
    /** The member's own catalogue services the answer links to. */
    services: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: L.SERVICES_PER_ANSWER, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export const IntentSchema = Type.Object(
  {
    id: Id,
    examples: PerLanguage(Type.Array(Text(L.EXAMPLE_LENGTH), { maxItems: L.EXAMPLES_PER_INTENT })),
    answer: AnswerSchema,
    /** A form to fill after the answer. */
    form: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export const SlotKind = Type.Union([Type.Literal('age'), Type.Literal('municipality'), Type.Literal('date')]);
export const FormSchema = Type.Object(
  {
    id: Id,
    slots: Type.Array(Type.Object({ name: Id, kind: SlotKind, prompt: PerLanguage(Text(500)) }, { additionalProperties: false }), { minItems: 1, maxItems: L.SLOTS_PER_FORM }),
    /** Said once every slot is filled; `{name}` is replaced by a slot's value. */
    done: PerLanguage(Text(L.ANSWER_LENGTH)),
  },
  { additionalProperties: false },
);
export const TranscriptTestSchema = Type.Object({ name: Text(120), language: Language, transcript: Text(L.TRANSCRIPT_LENGTH) }, { additionalProperties: false });
export const PackSchema = Type.Object(
  {
    languages: Type.Array(Language, { minItems: 1, maxItems: 3, uniqueItems: true }),
    handover: Type.Object(
      {
        phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ]{3,20}$' })),
        chat_url: Type.Optional(Type.String({ pattern: '^https://', maxLength: 300 })),
      },
      { additionalProperties: false },
    ),
    shared: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 20, uniqueItems: true }),
    intents: Type.Array(IntentSchema, { maxItems: L.INTENTS_PER_PACK }),
    forms: Type.Array(FormSchema, { maxItems: L.FORMS_PER_PACK }),
    tests: Type.Array(TranscriptTestSchema, { maxItems: L.TESTS_PER_PACK }),
    /** The least confidence at which an intent answers; below it the recommender is asked. */
    threshold: Type.Optional(Type.Number({ minimum: 0.05, maximum: 0.95 })),
  },
  { additionalProperties: false },
);
export type Pack = Static<typeof PackSchema>;
export type Intent = Static<typeof IntentSchema>;
export type Form = Static<typeof FormSchema>;
/**
 * Read off bench/chatbot/calibrate.ts: the bank's examples each scored by a model trained without
 * them, against the situation model's phrasings; at 0.2 some 2 % of life situations are taken by
 * an intent instead of going to the recommender, and two thirds of the examples answer.
 */
export const DEFAULT_THRESHOLD = 0.2;

const checkSchema = Compile(PackSchema);

export function asPack(value: unknown): Pack {
  return value as Pack;
}

/** What is wrong with a pack beyond its schema: ids repeated, a form or shared dialogue unknown, a transcript that does not parse. */
export function packErrors(pack: Pack): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  pack.intents.forEach((intent, i) => {
    if (seen.has(intent.id)) errors.push({ field: `intents.${i}.id`, message: 'repeats an intent id' });
    seen.add(intent.id);
    if (intent.form && !pack.forms.some((f) => f.id === intent.form)) errors.push({ field: `intents.${i}.form`, message: 'names no form of the pack' });
  });
  const forms = new Set<string>();
  pack.forms.forEach((form, i) => {
    if (forms.has(form.id)) errors.push({ field: `forms.${i}.id`, message: 'repeats a form id' });
    forms.add(form.id);
  });
  pack.shared.forEach((id, i) => {
    if (!SHARED_DIALOGUE_IDS.includes(id)) errors.push({ field: `shared.${i}`, message: `is not a shared dialogue (${SHARED_DIALOGUE_IDS.join(', ')})` });
  });
  pack.tests.forEach((test, i) => {
    try {
      parseTranscript(test.transcript);
    } catch (e) {
      errors.push({ field: `tests.${i}.transcript`, message: (e as Error).message });
    }
    if (!pack.languages.includes(test.language)) errors.push({ field: `tests.${i}.language`, message: 'is not a language of the bot' });
  });
  return errors;
}

/** The pack checked whole: its schema, then packErrors; 400 naming every problem. */
export function checkPack(value: unknown): Pack {
  if (!checkSchema.Check(value)) {
    const errors = [...checkSchema.Errors(value)].slice(0, 20).map((e) => ({ field: e.instancePath.replace(/^\//, '').replaceAll('/', '.') || 'pack', message: e.message }));
    throw badRequest('the content pack does not follow its format', errors);
  }
  const errors = packErrors(value);
  if (errors.length) throw badRequest('the content pack has problems', errors);
  return value;
}

/** What keeps a draft from being published: a language of the bot without an answer, a prompt or examples. */
export function publishBlockers(pack: Pack): string[] {
  const blockers: string[] = [];
  for (const [i, intent] of pack.intents.entries())
    for (const language of pack.languages) {
      if (!intent.answer.text[language]) blockers.push(`intents.${i}.answer.text.${language}`);
      if (!intent.examples[language]?.length) blockers.push(`intents.${i}.examples.${language}`);
    }
  for (const [i, form] of pack.forms.entries())
    for (const language of pack.languages) {
      if (!form.done[language]) blockers.push(`forms.${i}.done.${language}`);
      form.slots.forEach((slot, s) => {
        if (!slot.prompt[language]) blockers.push(`forms.${i}.slots.${s}.prompt.${language}`);
      });
    }
  if (!pack.handover.phone && !pack.handover.chat_url && pack.shared.includes('handover')) blockers.push('handover');
  return blockers;
}

/** A new bot's pack: every shared dialogue, no intents of its own yet. */
export function starterPack(languages: BotLanguage[]): Pack {
  return { languages, handover: {}, shared: SHARED_DIALOGUE_IDS.filter((id) => id !== 'handover'), intents: [], forms: [], tests: [] };
}
