import { METER_TEXTS } from '../../recommender/meters.ts';
import { tokenize } from '../../recommender/text/analyzer.ts';
import { LANGUAGES, type BotLanguage } from '../pack.ts';

/**
 * Which of a bot's languages a message is in: a naive Bayes model over character 1–3-grams of
 * words, trained on the texts it is given (the pack's and the shared bank's examples) and on the
 * meters' descriptions, which every language has. A message too short to tell keeps the
 * conversation's language; a change needs a clear margin, so that "ok" or a name does not switch.
 */
export class LanguageDetector {
  readonly #counts = new Map<BotLanguage, Map<string, number>>();
  readonly #totals = new Map<BotLanguage, number>();
  readonly #vocabulary = new Set<string>();

  constructor(texts: Partial<Record<BotLanguage, readonly string[]>>) {
    for (const language of LANGUAGES) {
      const counts = new Map<string, number>();
      let total = 0;
      const own = [...(texts[language] ?? []), ...Object.values(METER_TEXTS).map((m) => `${m.name[language]} ${m.profile[language]}`)];
      for (const text of own)
        for (const gram of grams(text)) {
          counts.set(gram, (counts.get(gram) ?? 0) + 1);
          this.#vocabulary.add(gram);
          total++;
        }
      this.#counts.set(language, counts);
      this.#totals.set(language, total);
    }
  }

  /** Log-likelihoods per language, and how many grams the message had. */
  scores(text: string, among: readonly BotLanguage[]): { language: BotLanguage; score: number }[] {
    const message = grams(text);
    const v = this.#vocabulary.size + 1;
    return among
      .map((language) => {
        const counts = this.#counts.get(language)!;
        const total = this.#totals.get(language)!;
        let score = 0;
        for (const gram of message) score += Math.log(((counts.get(gram) ?? 0) + 0.5) / (total + 0.5 * v));
        return { language, score: message.length ? score / message.length : 0 };
      })
      .sort((a, b) => b.score - a.score);
  }

  /** The message's language among the bot's, or `current` when the message does not clearly say. */
  detect(text: string, among: readonly BotLanguage[], current?: BotLanguage): BotLanguage {
    if (among.length === 1) return among[0]!;
    const letters = tokenize(text).join('').length;
    const ranked = this.scores(text, among);
    if (!ranked.length || letters === 0) return current ?? among[0]!;
    const [best, second] = ranked;
    if (!current || !among.includes(current) || best!.language === current) return best!.language;
    // Per gram, in nats: short messages must be clearer to switch.
    const margin = best!.score - (ranked.find((r) => r.language === current)?.score ?? second!.score);
    return margin > (letters < 8 ? 0.6 : 0.25) ? best!.language : current;
  }
}

function grams(text: string): string[] {
  const out: string[] = [];
  for (const word of tokenize(text)) {
    if (/^\d+$/.test(word)) continue;
    const padded = ` ${word} `;
    for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= padded.length; i++) if (n > 1 || padded[i] !== ' ') out.push(padded.slice(i, i + n));
  }
  return out;
}
