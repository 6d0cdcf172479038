/**
 * Which held-out lines (bench/chatbot/held-out.json) the classifier's training texts repeat (issue
 * #19): the shared bank's examples, and the background (the situation model's phrasings and
 * data/chatbot/off-topic.json).
 *
 *   node --import tsx bench/chatbot/overlap.ts
 *
 * The held-out set measures the chatbot on phrasings it has not seen; a bank example that is one
 * of its lines, or nearly, makes the figure say how well the classifier repeats its data. Both are
 * read alike: words only, lower case, diacritics folded (people write "hyvaa" for "hyvää"), each
 * word's Snowball stem. A line and an example are the same when they have the same stems in any
 * order ("hej hej" is "hej"), or when they share three quarters of their stems and each has three
 * or more ("vad kan du" and "vad kan du göra"). Exits 1 when there is any.
 */
import { stem, tokenize } from '../../src/recommender/text/analyzer.ts';
import { LANGUAGES, type BotLanguage } from '../../src/chatbot/pack.ts';
import { SHARED_DIALOGUES } from '../../src/chatbot/shared-bank.ts';
import { backgroundOf } from '../../src/chatbot/bot-model.ts';
import { readHeldOut, type HeldOut } from './held-out.ts';

export const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '');

/** The stems of a text's words, diacritics folded. */
export const stemSet = (language: BotLanguage, text: string) => new Set(tokenize(fold(text.toLowerCase())).map((word) => fold(stem(language, word))));

/** Whether two stem sets are the same phrasing, as above. */
export function nearlySame(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  const union = a.size + b.size - shared;
  if (union === 0) return false;
  if (shared === union) return true;
  return Math.min(a.size, b.size) >= 3 && shared / union >= 0.75;
}

export interface Copy {
  language: BotLanguage;
  line: string;
  example: string;
  dialogue: string;
}

/**
 * `bank`'s examples that repeat a held-out line. A dialogue named 'background' (what no intent is
 * for) is held against the out-of-scope lines only: an intent's line near it is made harder, not
 * easier, so that is no copy that flatters the figure.
 */
export function findCopies(heldOut: HeldOut, bank: readonly { id: string; examples: Record<BotLanguage, readonly string[]> }[]): Copy[] {
  const out: Copy[] = [];
  for (const language of LANGUAGES) {
    const examples = bank.flatMap((d) => d.examples[language].map((example) => ({ dialogue: d.id, example, stems: stemSet(language, example) })));
    for (const [line, intent] of heldOut[language]) {
      const stems = stemSet(language, line);
      for (const e of examples) if ((e.dialogue !== 'background' || intent === 'none') && nearlySame(stems, e.stems)) out.push({ language, line, example: e.example, dialogue: e.dialogue });
    }
  }
  return out;
}

/** Everything the classifier learns from besides a pack's own intents: the bank, and the background as one more dialogue. */
export function trainingTexts() {
  const background = backgroundOf({ languages: [...LANGUAGES] }) as Record<BotLanguage, string[]>;
  return [...SHARED_DIALOGUES, { id: 'background', examples: background }];
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const copies = findCopies(readHeldOut(), trainingTexts());
  for (const c of copies) console.log(`${c.language}: held-out "${c.line}" ~ ${c.dialogue} example "${c.example}"`);
  process.exitCode = copies.length ? 1 : 0;
}
