import { analyse, tokenize, type Features } from '../../recommender/text/analyzer.ts';
import type { BotLanguage } from '../pack.ts';

/**
 * A message as the classifier sees it: the analyser's base forms (Finnish lemmas and compound
 * parts from Voikko's lexicon, Swedish and English Snowball stems; stop words kept, since "when"
 * or "where" is what an intent is about) and character 3-grams of each word, weighted lower, which
 * carry a typo or an inflection no analyser knew.
 */
export const GRAM_WEIGHT = 0.6;

/** ä → a, ö → o, å → a, é → e: letters as typed without them. */
export const fold = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '');

const cache = new Map<string, Features>();

/**
 * A message's features, read once per process: every bot trains on the shared bank and the
 * situations' background, thousands of the same texts. The map returned is shared: read it only.
 */
export function messageFeatures(text: string, language: BotLanguage): Features {
  const key = `${language}\u0000${text}`;
  let features = cache.get(key);
  if (!features) {
    if (cache.size >= 50_000) cache.clear();
    features = readFeatures(text, language);
    cache.set(key, features);
  }
  return features;
}

function readFeatures(text: string, language: BotLanguage): Features {
  const features: Features = new Map();
  for (const [key, weight] of analyse(text, language, { spoken: language === 'fi' })) features.set(key, weight);
  // Stop words ("missä", "when", "när") name what an intent asks: they count as themselves too.
  // Words and grams are read without diacritics: many type "mita" or "oppettider" on a phone.
  const words = tokenize(text).map(fold);
  for (const word of words) features.set(`w:${word}`, (features.get(`w:${word}`) ?? 0) + 0.5);
  for (const word of words) {
    const padded = `<${word}>`;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const key = `g:${padded.slice(i, i + 3)}`;
      features.set(key, (features.get(key) ?? 0) + GRAM_WEIGHT / Math.max(1, padded.length - 2) * 3);
    }
  }
  return features;
}
