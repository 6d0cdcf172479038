import { IntentClassifier, type TrainingExample } from './nlu/classifier.ts';
import { LanguageDetector } from './nlu/language.ts';
import { loadSituationModel } from '../recommender/situations/model.ts';
import { readFileSync } from 'node:fs';
import { fromPackageRoot } from '../package-root.ts';
import { DEFAULT_THRESHOLD, LANGUAGES, type BotLanguage, type Pack } from './pack.ts';
import { SHARED_DIALOGUES, SHARED_PREFIX } from './shared-bank.ts';

/** A pack trained: the language detector and the intent classifier over its own intents and the shared dialogues it includes. */
export interface BotModel {
  pack: Pack;
  threshold: number;
  detector: LanguageDetector;
  classifier: IntentClassifier;
}

/** The training examples of a pack per language: its intents', then the included shared dialogues' as `shared:<id>`. */
export function trainingExamples(pack: Pack): Record<BotLanguage, TrainingExample[]> {
  const out: Record<BotLanguage, TrainingExample[]> = { fi: [], sv: [], en: [] };
  for (const language of pack.languages) {
    for (const intent of pack.intents) for (const text of intent.examples[language] ?? []) out[language].push({ intent: intent.id, text });
    for (const dialogue of SHARED_DIALOGUES) if (pack.shared.includes(dialogue.id) || dialogue.id === 'crisis') for (const text of dialogue.examples[language]) out[language].push({ intent: SHARED_PREFIX + dialogue.id, text });
  }
  return out;
}

export function trainBot(pack: Pack): BotModel {
  const examples = trainingExamples(pack);
  const texts = Object.fromEntries(Object.entries(examples).map(([l, list]) => [l, list.map((e) => e.text)]));
  return { pack, threshold: pack.threshold ?? DEFAULT_THRESHOLD, detector: new LanguageDetector(texts), classifier: new IntentClassifier(examples, backgroundOf(pack)) };
}

/**
 * What no intent is for, per language: the situation model's phrasings, life situations that the
 * recommender answers (its crisis concepts left out: the crisis dialogue takes those), and
 * data/chatbot/off-topic.json, messages nothing in the network answers.
 */
export function backgroundOf(pack: Pick<Pack, 'languages'>): Partial<Record<BotLanguage, string[]>> {
  background ??= readBackground();
  return Object.fromEntries(pack.languages.map((language) => [language, background![language]]));
}

let background: Record<BotLanguage, string[]> | undefined;
function readBackground(): Record<BotLanguage, string[]> {
  const situations = loadSituationModel().concepts.filter((c) => !c.crisis);
  const offTopic = readOffTopic();
  return Object.fromEntries(LANGUAGES.map((l) => [l, [...situations.flatMap((c) => c.phrasings[l] ?? []), ...offTopic[l]]])) as Record<BotLanguage, string[]>;
}

/** data/chatbot/off-topic.json: per language, messages no intent is for. */
export function readOffTopic(): Record<BotLanguage, string[]> {
  const data = JSON.parse(readFileSync(fromPackageRoot('data', 'chatbot', 'off-topic.json'), 'utf8')) as Partial<Record<BotLanguage, unknown>>;
  for (const l of LANGUAGES) if (!Array.isArray(data[l]) || !data[l].every((t) => typeof t === 'string' && t.length > 0)) throw new Error(`data/chatbot/off-topic.json: ${l} is not a list of texts`);
  return data as Record<BotLanguage, string[]>;
}

const cache = new Map<string, Promise<BotModel>>();
/**
 * A published version's model, read and trained once per process: versions never change. The
 * promise is what is kept, so that the first messages of many people at once train it once, not
 * once each (training reads the background: most of a second).
 */
export function modelOfVersion(botId: string, version: number, readPack: () => Promise<Pack>): Promise<BotModel> {
  const key = `${botId}:${version}`;
  let model = cache.get(key);
  if (!model) {
    model = readPack().then(trainBot);
    model.catch(() => cache.delete(key));
    if (cache.size >= 200) cache.delete(cache.keys().next().value!);
    cache.set(key, model);
  }
  return model;
}
