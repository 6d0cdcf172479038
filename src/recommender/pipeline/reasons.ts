import type { Language } from '../../catalogue/model.ts';
import type { Reason } from '../explain.ts';
import type { IndexedService, ServiceIndex } from '../index.ts';
import { LIFE_EVENTS } from '../life-events.ts';
import { METER_TEXTS } from '../meters.ts';
import { analyse, tokenize, type Features } from '../text/analyzer.ts';
import type { SituationConcept } from '../situations/model.ts';
import type { Need } from './needs.ts';
import type { Candidate } from './rank.ts';

/**
 * The last stage: why each result is there, as data (explain.ts says it in words). A result names
 * the needs it serves most (at most MAX_NEEDS, each at least NAMED_SHARE of its strongest), each with
 * the service's own words that meet the need — only words of the service's text in `language`, so
 * a Swedish answer never quotes a Finnish word stem; where the service has no text in that language,
 * the reason names the situation without quoting.
 */
const MAX_NEEDS = 3;
const NAMED_SHARE = 0.35;
const SHOWN_TERMS = 3;

export function reasonsFor(index: ServiceIndex, candidate: Candidate, needs: Need[], language: Language, queryText?: string): Reason[] {
  const service = index.docs[candidate.doc]!;
  const served = needs
    .map((need, i) => ({ need, value: need.weight * candidate.fits[i]! }))
    .filter((s) => s.value > 0)
    .sort((a, b) => Number(b.need.lead) - Number(a.need.lead) || (b.value < a.value ? -1 : b.value > a.value ? 1 : 0));
  const strongest = Math.max(0, ...served.map((s) => s.value));
  const reasons: Reason[] = [];
  for (const { need, value } of served) {
    if (reasons.length >= MAX_NEEDS || value < NAMED_SHARE * strongest) continue;
    if (need.concept) {
      // A neighbour's service is there for what the person said, not for the neighbour.
      const said = need.relatedTo ?? need.concept;
      reasons.push({ kind: 'situation', situation: said.id, said: said.said, terms: keptServiceWords(service, situationWords(need.concept, language), language) });
    } else if (need.meter) {
      const words = profileWords(`meter:${need.meter}:${language}`, () => analyse(METER_TEXTS[need.meter!].profile[language], language, { translate: true }));
      reasons.push({ kind: 'meter', meter: need.meter, value: need.value!, terms: keptServiceWords(service, words, language) });
    } else if (need.lifeEvent) {
      const words = profileWords(`life_event:${need.lifeEvent}:${language}`, () => analyse(LIFE_EVENTS[need.lifeEvent!].profile[language], language, { translate: true }));
      reasons.push({ kind: 'life_event', life_event: need.lifeEvent, terms: keptServiceWords(service, words, language) });
    } else if (queryText) {
      reasons.push({ kind: 'text', terms: serviceWords(service, queryWords(queryText, language), language) });
    }
  }
  if (candidate.audience.group && candidate.audience.factor > 1) reasons.push({ kind: 'target_group', target_group: candidate.audience.group });
  if (candidate.feedback.factor !== 1 && candidate.feedback.signals > 0)
    reasons.push({ kind: 'feedback', direction: candidate.feedback.factor > 1 ? 'up' : 'down', signals: candidate.feedback.signals });
  return reasons;
}

// What a situation, meter or life event is about, analysed once per language rather than for every
// result of every request.
const situationCache = new WeakMap<SituationConcept, Partial<Record<Language, Features>>>();
const profileCache = new Map<string, Features>();

/** A situation's vocabulary in `language` and in Finnish, the catalogue's first language. */
function situationWords(concept: SituationConcept, language: Language): Features {
  let byLanguage = situationCache.get(concept);
  if (!byLanguage) situationCache.set(concept, (byLanguage = {}));
  let words = byLanguage[language];
  if (!words) {
    words = analyse([...concept.vocabulary[language], ...concept.vocabulary.fi].join(' '), language, { translate: true });
    if (language !== 'fi') for (const [k, v] of analyse(concept.vocabulary.fi.join(' '), 'fi')) words.set(k, v);
    byLanguage[language] = words;
  }
  return words;
}

function profileWords(key: string, make: () => Features): Features {
  let words = profileCache.get(key);
  if (!words) profileCache.set(key, (words = make()));
  return words;
}

// Every result of a request with text explains itself by the same query words: analysed once, not per result.
let lastQuery: { text: string; language: Language; words: Features } | undefined;
function queryWords(text: string, language: Language): Features {
  if (lastQuery?.text !== text || lastQuery.language !== language) lastQuery = { text, language, words: analyse(text, language, { translate: true }) };
  return lastQuery.words;
}

// A word's features without the prefix ones, kept per word: explaining ten results reads the same
// catalogue words over and over, and building their features anew was a twentieth of a request's time.
const wordFeatures: Record<Language, Map<string, string[]>> = { fi: new Map(), sv: new Map(), en: new Map() };
function featuresOfWord(word: string, language: Language): string[] {
  const known = wordFeatures[language];
  let features = known.get(word);
  if (!features) {
    features = [...analyse(word, language).keys()].filter((f) => !f.startsWith('p:'));
    if (known.size > 100_000) known.clear();
    known.set(word, features);
  }
  return features;
}

/**
 * A service's words in one language with their features, in text order, kept for the services
 * explained lately (a service is explained for each need it serves, and popular ones in request
 * after request; tokenising its name and summary each time was a tenth of a request); and the
 * terms found in them for each fixed need's words (a situation's, a meter's, a life event's, whose
 * Features objects are kept above), which are the same every time the service is explained for
 * that need: matching them anew was a twentieth of a request's CPU at 100,000 services.
 */
type WordWithFeatures = { readonly word: string; readonly features: readonly string[] };
type ServiceText = { readonly words: readonly WordWithFeatures[]; readonly terms: Map<Features, readonly string[]> };
const SERVICES_KEPT = 5_000;
const serviceTexts = new Map<IndexedService, Partial<Record<Language, ServiceText>>>();
function textOf(service: IndexedService, language: Language): ServiceText {
  let byLanguage = serviceTexts.get(service);
  if (byLanguage) {
    // Least recently explained first in the map, so that the oldest goes when it is full.
    serviceTexts.delete(service);
    serviceTexts.set(service, byLanguage);
  } else {
    serviceTexts.set(service, (byLanguage = {}));
    if (serviceTexts.size > SERVICES_KEPT) serviceTexts.delete(serviceTexts.keys().next().value!);
  }
  let text = byLanguage[language];
  if (!text) {
    const words = [service.name[language], service.summary[language]].filter(Boolean).join(' ');
    text = byLanguage[language] = { words: words ? tokenize(words).map((word) => ({ word, features: featuresOfWord(word, language) })) : [], terms: new Map() };
  }
  return text;
}

/** serviceWords for a fixed need's words (kept, so the same object each time): found once per service. */
function keptServiceWords(service: IndexedService, wanted: Features, language: Language): string[] {
  const { terms } = textOf(service, language);
  let found = terms.get(wanted);
  if (!found) terms.set(wanted, (found = serviceWords(service, wanted, language)));
  return [...found];
}

/** Words of the service's name and summary in `language` that carry the wanted features, one per concept. */
export function serviceWords(service: IndexedService, wanted: Features, language: Language): string[] {
  const covered = new Set<string>();
  const words: string[] = [];
  for (const { word, features } of textOf(service, language).words) {
    if (words.length >= SHOWN_TERMS) break;
    let matches = false;
    let anyNew = false;
    for (const f of features) {
      if (!wanted.has(f)) continue;
      matches = true;
      if (!covered.has(f)) anyNew = true;
    }
    if (!matches || !anyNew) continue;
    for (const f of features) if (wanted.has(f)) covered.add(f);
    if (!words.includes(word)) words.push(word);
  }
  return words;
}
