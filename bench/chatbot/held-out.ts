import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BotModel } from '../../src/chatbot/bot-model.ts';
import { LANGUAGES, type BotLanguage } from '../../src/chatbot/pack.ts';
import { SHARED_PREFIX } from '../../src/chatbot/shared-bank.ts';

/** A held-out line: the text and the shared intent it asks for, or 'none' where no intent may answer. */
export type HeldOut = Record<BotLanguage, [string, string][]>;

export const HELD_OUT_FILE = join(import.meta.dirname, 'held-out.json');
export const readHeldOut = (): HeldOut => JSON.parse(readFileSync(HELD_OUT_FILE, 'utf8')) as HeldOut;

export interface HeldOutFigures {
  /** In-scope lines whose best intent is right, threshold or not. */
  top1: number;
  /** In-scope lines answered by the right intent: right and at least the threshold, as the engine answers. */
  answered: number;
  /** Out-of-scope lines that some intent took (at least the threshold): the recommender never saw them. */
  falseIntent: number;
  /** Lines whose language the detector names right with no conversation language to keep. */
  language: number;
  inScope: number;
  outOfScope: number;
}

/**
 * The held-out figures per language, as the engine decides: an intent answers only at or above
 * the model's threshold; below it the message goes to the recommender.
 */
export function heldOutFigures(model: BotModel, heldOut: HeldOut = readHeldOut()): Record<BotLanguage, HeldOutFigures> {
  const out = {} as Record<BotLanguage, HeldOutFigures>;
  for (const language of LANGUAGES) {
    const lines = heldOut[language];
    let top1 = 0, answered = 0, falseIntent = 0, detected = 0, inScope = 0;
    for (const [text, intent] of lines) {
      const c = model.classifier.classify(text, language);
      const sure = c.intent !== null && c.confidence >= model.threshold;
      if (model.detector.detect(text, LANGUAGES) === language) detected++;
      if (intent === 'none') {
        if (sure) falseIntent++;
        continue;
      }
      inScope++;
      if (c.intent === SHARED_PREFIX + intent) {
        top1++;
        if (sure) answered++;
      }
    }
    const outOfScope = lines.length - inScope;
    out[language] = { top1: top1 / inScope, answered: answered / inScope, falseIntent: falseIntent / Math.max(1, outOfScope), language: detected / lines.length, inScope, outOfScope };
  }
  return out;
}
