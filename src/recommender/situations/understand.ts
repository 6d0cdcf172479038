import { LANGUAGES, type Language } from '../../catalogue/model.ts';
import { detectLanguage, tokenize } from '../text/analyzer.ts';
import { loadSituationModel, type SituationConcept, type SituationModel } from './model.ts';
import { DeletionIndex } from './deletion-index.ts';
import { contentWords, meaningfulTokens, editDistance, fold, FUNCTION_WORDS, isGeneralWord, isKnownWord, QUALITY, wordKeys, type WordKeys } from './words.ts';

/**
 * Query understanding, the first stage of the recommender's pipeline: free text → the life
 * situations it speaks of, whether it is a crisis, the person's language and who is asking.
 *
 * How a query meets a concept. Every phrasing and vocabulary entry of every concept is a short list
 * of content words, each a set of keys (words.ts: base forms, stems, compound parts, glossary
 * translations, a class for family members). A word's weight is how specific it is: the inverse of
 * the number of concepts that use it. A concept scores by the better of
 * - its best-covered entry: the weighted share of the entry's words the query has, each query word
 *   standing for one of them ("menetin työpaikkani enkä pysty maksamaan vuokraa" covers a phrasing of
 *   lost-job and one of cannot-pay-rent, and both are returned);
 * - the concept as a whole (BAG_FACTOR): the weighted share of the query's words that its entries
 *   have between them, when two or more do ("jag vill byta yrke": "byta" is in one phrasing of
 *   career-change, "yrke" in another), when one of those words is of few concepts: "tarvitsen apua"
 *   is two words nearly every concept has, and no situation. Crisis concepts score only by their own
 *   phrasings.
 * - A phrasing's word marked "+" is one its situation cannot go without ("oon yksin +lasten
 *   kanssa"): a query without it (or a word of its class) does not meet that phrasing at all.
 * - A query word that is only a part of a phrasing's compound weighs as itself ("apua" is a part
 *   of "ruoka-apua", but no more specific for that).
 *
 * - Query words the model does not know are looked up leniently: without diacritics ("tyoton"),
 *   within one typing error (two in words of nine letters or more), or as a known word's inflected,
 *   derived or compounded form ("vuokrakämppä", "viiltelen" ~ "viiltely") — at a lower quality.
 *   Words the Finnish analyser knows are taken as written, never as someone's typo.
 * - An entry of only common words (one "työ") counts less than one of specific words
 *   (RELIABLE_SHARE); a one-word entry counts only for that word itself, not a translation or a part.
 * - General words (words.ts: "anymore", "aamu", "dagar") complete a match but never make one: the
 *   query's other words must cover the entry's specific words as a match without them would.
 * - A business's word that a person's situation explains better is not a business's ("my mum needs
 *   company").
 * - A concept is returned when its score reaches THRESHOLD: one word that merely occurs in a phrasing
 *   ("bread", "Suomi") covers too little of it, so out-of-domain questions get nothing. Crisis
 *   concepts have a lower bar (CRISIS_THRESHOLD): missing one costs more than a false alarm.
 * - A concept for businesses needs a business's word in the query (BUSINESS_SHARE), and a match whose
 *   query words are all used by a better match is dropped (subsume()).
 * - The query is analysed in the person's language and, for its words that are not function words
 *   there, in the other two at a lower quality; it is matched against the phrasings of all three
 *   languages at once (an English query can reach a Finnish phrasing through the glossary).
 *
 * Measured on held-out phrasings (held-out.ts, with the figures): paraphrases built from the model's
 * vocabulary are mostly found; idioms and words the model lacks mostly are not — the remedy is more
 * phrasings (or, later, the optional dense retrieval of the issue), not a lower threshold.
 */

export interface ConceptMatch {
  concept: SituationConcept;
  /** 0..1: how fully the query covers the matched phrase (or the query is explained by the concept). */
  score: number;
  /** The concept's phrasing (or vocabulary entry) that the query matched best. */
  phrase: string;
  phraseKind: 'phrasing' | 'vocabulary';
  phraseLanguage: Language;
  /** The query's own words that matched it. */
  words: string[];
  /**
   * How specific each of those words is, in the order of `words`: 1 for a word of one concept
   * ("dementoitunut", "yksinhuoltaja"), about half for a word many concepts use ("yksin", "äiti",
   * "hoitaa"), a fifth at most for a general word (words.ts). Ranking weighs a second situation by it.
   */
  specificity: number[];
  /** The query's words that matched a word of the phrase whole, not as a part of a compound or a longer word. */
  wholeWords: string[];
  /** Whether the phrase's most specific word is among those matched ("slår" of "hjälp, han slår mig nu"). */
  core: boolean;
}

export interface Understanding {
  language: Language;
  /** Where the language came from: the caller's hint, detection, or the language of what matched. */
  languageFrom: 'hint' | 'detected' | 'matched';
  /** Best first; empty when nothing fits. Shared between the requests that asked the same (frozen). */
  concepts: readonly ConceptMatch[];
  /** Some matched concept means immediate danger: crisis lines go first. */
  crisis: boolean;
  /** 'business' when the text speaks as a company or an entrepreneur ("minulla on yritys"). */
  asker: 'person' | 'business';
}

export const THRESHOLD = 0.6;
export const CRISIS_THRESHOLD = 0.5;
/** A crisis matched by one word of the query needs this score, or that word to be its situation's alone (isCrisisWord). */
const CRISIS_ALONE = 0.85;
/** A word's specificity (ConceptMatch.specificity) when no other situation uses it. */
const CRISIS_WORD_SPECIFICITY = 0.95;
/** A word analysed as another language than the person's counts this much. */
const OTHER_LANGUAGE = 0.85;
const KIND_FACTOR = { phrasing: 1, vocabulary: 0.9 } as const;
/**
 * An entry whose words together weigh less than this share of the weight of a word of one concept
 * is too general to be trusted in full: "ei ole enää töitä" is one common word, "olen työtön" one
 * specific word. Its score is scaled down by the shortfall.
 */
const RELIABLE_SHARE = 0.75;
/** The least match quality by which a one-word entry counts (a typo's is 0.85, a translation's 0.8). */
const SINGLE_WORD_QUALITY = 0.85;
/** The quality of a part of a compound in the query (a part of a compound in the model has QUALITY.part). */
const QUERY_PART = 0.8;
/** A concept that explains this share of the query's words, through any of its entries, scores this much. */
const BAG_FACTOR = 0.85;
/** The concept as a whole needs a query word at least this specific (a share of a word of one concept). */
const BAG_SPECIFIC = 0.4;
/** A query word the model does not know weighs this share of a word of one concept. */
const UNKNOWN_SHARE = 0.6;
/**
 * A concept for businesses is matched only when the query has a word that is mostly businesses'
 * (at least this share of the concepts using it are for businesses): "en pysty maksamaan laskuja"
 * is a person's bills until the person says "yrityksen".
 */
const BUSINESS_SHARE = 0.5;
/** In the concept-as-a-whole score, a general word of the query (words.ts) weighs at most this share of a word of one concept. */
const GENERAL_SHARE = 0.2;
/** Below this much matched weight (about one specific word), a match is too thin to trust. */
const MIN_MATCHED_WEIGHT = 1.5;

interface Term {
  keys: WordKeys;
  /**
   * `keys` as a list, each marked when it is a Finnish base form at a part's quality (a part of the
   * phrasing's compound): the matching loop reads these for every candidate entry of every query.
   */
  keyList: { key: string; quality: number; compoundPart: boolean }[];
  weight: number;
  /** A word that names no situation by itself (words.ts, GENERAL_WORDS). */
  general: boolean;
  /** Marked "+" in the phrasing: without it the phrasing is another situation ("oon yksin +lasten kanssa"). */
  required: boolean;
}

interface Entry {
  concept: number;
  language: Language;
  kind: keyof typeof KIND_FACTOR;
  text: string;
  terms: Term[];
  total: number;
  /** What its words that are not general (words.ts) weigh. */
  specificTotal: number;
  /** The indices of its required terms. */
  required: number[];
  /** The index of its most specific word. */
  core: number;
  /** The terms a negation of its language bears on ("kuule" of "en kuule enää hyvin", "gå" of "jag kan inte gå"): see matchText. */
  negatedTerms: number[];
}

/** A query word meeting one of an entry's words: how much it weighs there and how well it matched. */
interface Pair {
  value: number;
  term: number;
  word: string;
  quality: number;
  /** Matched through a part of a compound (the query's or the phrasing's). */
  part: boolean;
  /** Matched a part of the phrasing's compound by its base form. */
  ofCompound: boolean;
  /** The entry's word or the query word is general (words.ts). */
  general: boolean;
}

/** "+lasten": a phrasing's word that its situation needs (data/situations/README.md). */
const REQUIRED_MARK = /(?<=^|\s)\+(?=\p{L})/gu;
function requiredWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const token of text.split(/\s+/)) if (token.startsWith('+')) for (const word of tokenize(token.slice(1))) out.add(word);
  return out;
}

export class SituationMatcher {
  private readonly entries: Entry[] = [];
  /** key → entries with a term having it */
  private readonly byKey = new Map<string, number[]>();
  /** every known surface word and base form → its keys, for lenient lookup */
  private readonly known = new Map<string, WordKeys>();
  /** folded word → known words */
  private readonly folded = new Map<string, string[]>();
  /** the first five letters of a folded known word → the known words and their folded forms */
  private readonly byBeginning = new Map<string, [word: string, folded: string][]>();
  /** lenient lookups already made */
  private readonly lenientCache = new Map<string, WordKeys>();
  /** every known word → the languages of the phrasings it is in (a Finnish base form is Finnish) */
  private readonly languagesOf = new Map<string, Set<Language>>();
  /** keys that are mostly businesses' words ("yritys", "company", "företag") */
  private readonly businessKeys = new Set<string>();
  /**
   * The known words by their folded forms less one or two letters (deletion-index.ts). Half a
   * million forms, half of what making a matcher costs: made on the first lookup of a word the
   * model does not know (deleteIndex), which many processes (most tests, `aurora recommend` without a
   * typo) never make; a server makes it before it listens (prepareSpellingTolerance).
   */
  #deletes: DeletionIndex | undefined;
  /** the weight of a word of one concept */
  private readonly oneConcept: number;
  /** an entry's weight below which its score is scaled down */
  private readonly reliable: number;
  /** key → its weight (inverse concept frequency) */
  private readonly idf = new Map<string, number>();
  /** the weight of a query word the model does not know at all */
  private readonly unknownWeight: number;
  /** the most a general word ("anymore", "aamu") weighs */
  private readonly generalWeight: number;

  constructor(readonly model: SituationModel) {
    const conceptsByKey = new Map<string, Set<number>>();
    for (const [ci, concept] of model.concepts.entries()) {
      for (const language of LANGUAGES) {
        // Labels are names for explanations, not how people talk: they are not matched.
        const texts: [Entry['kind'], string][] = [
          ...concept.phrasings[language].map((t) => ['phrasing', t] as [Entry['kind'], string]),
          ...concept.vocabulary[language].map((t) => ['vocabulary', t] as [Entry['kind'], string]),
        ];
        for (const [kind, marked] of texts) {
          const terms: Term[] = [];
          const required = requiredWords(marked);
          const text = marked.replace(REQUIRED_MARK, '');
          const words = contentWords(language, text);
          const negatedWords = wordsNegated(language, text);
          for (const word of words) {
            const keys = wordKeys(language, word)!;
            const keyList = [...keys].map(([key, quality]) => ({ key, quality, compoundPart: quality === QUALITY.part && key.startsWith('l:') }));
            terms.push({ keys, keyList, weight: 0, general: isGeneralWord(language, word), required: required.has(word) });
            this.remember(word, keys, language);
            for (const key of keys.keys()) {
              let set = conceptsByKey.get(key);
              if (!set) conceptsByKey.set(key, (set = new Set()));
              set.add(ci);
            }
            if (language === 'fi') for (const key of keys.keys()) if (key.startsWith('l:')) this.remember(key.slice(2), wordKeys('fi', key.slice(2)), 'fi');
          }
          if (terms.length)
            this.entries.push({ concept: ci, language, kind, text, terms, total: 0, specificTotal: 0, required: terms.flatMap((t, ti) => (t.required ? [ti] : [])), core: 0, negatedTerms: words.flatMap((w, ti) => (negatedWords.has(w) ? [ti] : [])) });
        }
      }
    }
    const n = model.concepts.length;
    this.generalWeight = GENERAL_SHARE * Math.log(1 + n);
    for (const [key, set] of conceptsByKey) this.idf.set(key, Math.log(1 + n / set.size));
    const idf = (key: string) => this.idf.get(key) ?? Math.log(2);
    for (const [ei, entry] of this.entries.entries()) {
      for (const term of entry.terms) {
        term.weight = this.weightOf(term.keys, idf);
        for (const key of term.keys.keys()) {
          let list = this.byKey.get(key);
          if (!list) this.byKey.set(key, (list = []));
          if (list.at(-1) !== ei) list.push(ei);
        }
      }
      entry.total = entry.terms.reduce((sum, t) => sum + t.weight, 0);
      for (const [ti, term] of entry.terms.entries()) if (!term.general && (entry.terms[entry.core]!.general || term.weight > entry.terms[entry.core]!.weight)) entry.core = ti;
      for (const term of entry.terms) if (!term.general) entry.specificTotal += term.weight;
    }
    for (const [key, set] of conceptsByKey) {
      const business = [...set].filter((ci) => model.concepts[ci]!.audience === 'business').length;
      if (business / set.size >= BUSINESS_SHARE) this.businessKeys.add(key);
    }
    for (const word of this.known.keys()) {
      const f = fold(word);
      if (f.length >= 5) {
        const beginning = f.slice(0, 5);
        let words = this.byBeginning.get(beginning);
        if (!words) this.byBeginning.set(beginning, (words = []));
        words.push([word, f]);
      }
      let same = this.folded.get(f);
      if (!same) this.folded.set(f, (same = []));
      same.push(word);
    }
    this.oneConcept = Math.log(1 + n);
    this.reliable = RELIABLE_SHARE * Math.log(1 + n);
    this.unknownWeight = UNKNOWN_SHARE * Math.log(1 + n);
  }

  /**
   * How specific a word is: its base form's weight (the most common one's when the analyser reads it
   * several ways: "halua" is haluta more often than halu), else its stem's.
   */
  private weightOf(keys: Iterable<[string, number]>, idf: (key: string) => number): number {
    let lemma = Infinity;
    let other = 0;
    for (const [key, quality] of keys) {
      if (quality < 1) continue;
      if (key.startsWith('l:')) lemma = Math.min(lemma, idf(key));
      else other = Math.max(other, idf(key));
    }
    return lemma < Infinity ? lemma : other;
  }

  /** Makes what matching a misspelt word needs now rather than on the first misspelt word (a server before it listens). */
  prepareSpellingTolerance(): void {
    this.deleteIndex();
  }

  private deleteIndex(): DeletionIndex {
    if (this.#deletes) return this.#deletes;
    const words: { word: string; form: string; depth: number }[] = [];
    for (const word of this.known.keys()) {
      const form = fold(word);
      if (form.length >= 5) words.push({ word, form, depth: form.length >= 8 ? 2 : 1 });
    }
    return (this.#deletes = new DeletionIndex(words));
  }

  private remember(word: string, keys: WordKeys | null, language: Language) {
    if (!keys) return;
    let languages = this.languagesOf.get(word);
    if (!languages) this.languagesOf.set(word, (languages = new Set()));
    languages.add(language);
    const previous = this.known.get(word);
    if (!previous) this.known.set(word, new Map(keys));
    else for (const [key, q] of keys) previous.set(key, Math.max(previous.get(key) ?? 0, q));
  }

  /**
   * What a text says: the situations in it, best first, with the phrase each matched. The answer is
   * a function of the model and the text alone, and people ask the same questions again ("asumistuki",
   * "I feel lonely"), so the last UNDERSTOOD_KEPT are kept (frozen: they are shared), which spares
   * a repeated question the few milliseconds of matching.
   */
  understand(text: string, options: { language?: Language } = {}): Understanding {
    const key = `${options.language ?? ''}\u0000${text}`;
    const kept = this.#understood.get(key);
    if (kept) {
      // Used again: the newest in the Map's order, which is what is dropped last.
      this.#understood.delete(key);
      this.#understood.set(key, kept);
      return kept;
    }
    const understanding = deepFreeze(this.#understand(text, options));
    if (this.#understood.size >= UNDERSTOOD_KEPT) this.#understood.delete(this.#understood.keys().next().value!);
    this.#understood.set(key, understanding);
    return understanding;
  }

  readonly #understood = new Map<string, Understanding>();

  #understand(text: string, options: { language?: Language }): Understanding {
    const detected = detectLanguage(text) as Language;
    const primary = options.language ?? detected;
    const { matches: all, business, saysNo } = this.matchText(text, primary);
    const concepts = subsume(all.filter((m) => (m.concept.crisis ? isCrisis(m) && !explainedOtherwise(m, all) && (saysNo || !negated(m.phrase, m.phraseLanguage)) : m.score >= THRESHOLD)));
    let language = primary;
    let languageFrom: Understanding['languageFrom'] = options.language ? 'hint' : 'detected';
    if (!options.language && concepts.length && !hasFunctionWords(text, detected)) {
      // Detection leans on function words; a text of one or two content words may have none.
      const counts = new Map<Language, number>();
      for (const m of concepts) counts.set(m.phraseLanguage, (counts.get(m.phraseLanguage) ?? 0) + m.score);
      const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
      if (top !== detected && !counts.has(detected)) {
        language = top;
        languageFrom = 'matched';
      }
    }
    return {
      language,
      languageFrom,
      concepts,
      crisis: concepts.some((m) => m.concept.crisis),
      asker: business || concepts.some((m) => m.concept.audience === 'business') ? 'business' : 'person',
    };
  }

  /** Every concept the text touches, with its best entry, best first: no threshold, no subsuming (for diagnostics and tests). */
  matches(text: string, language: Language): ConceptMatch[] {
    return this.matchText(text, language).matches;
  }

  /** The matches, whether the text has a word that is mostly businesses' ("yritykselle", "my company"), and whether it says no. */
  private matchText(text: string, language: Language): { matches: ConceptMatch[]; business: boolean; saysNo: boolean } {
    const { keys: queryKeys, weights, general: generalQueryWords } = this.queryKeys(text, language);
    const saysNo = negated(text);
    const candidates = new Set<number>();
    for (const key of queryKeys.keys()) for (const ei of this.byKey.get(key) ?? []) candidates.add(ei);
    const best = new Map<number, ConceptMatch>();
    // concept → query word → the best quality it matched any of the concept's words with
    const bags = new Map<number, Map<string, number>>();
    // The loop below runs for every entry that shares a key with the query (hundreds a query), so it
    // allocates little: a term's matches are found in `pairs` itself, and the words used in short arrays.
    for (const ei of candidates) {
      const entry = this.entries[ei]!;
      // A service's word of one general word ("having a say") is no situation: "my landlord says" is not taking part.
      if (entry.kind === 'vocabulary' && entry.terms.length === 1 && entry.terms[0]!.general) continue;
      // Each query word matches one of the entry's words at most: the pairs that weigh most first.
      const pairs: Pair[] = [];
      for (let ti = 0; ti < entry.terms.length; ti++) {
        const term = entry.terms[ti]!;
        // This term's pairs, one per query word (its best quality), in the order the words were first met.
        const first = pairs.length;
        for (const { key, quality, compoundPart } of term.keyList) {
          const q = queryKeys.get(key);
          if (!q) continue;
          // Two compounds that only share a part ("työpaikka", "ylityö") are different words.
          if (q[2] && compoundPart) continue;
          const value = q[0] * quality;
          let previous: Pair | undefined;
          for (let p = first; p < pairs.length; p++)
            if (pairs[p]!.word === q[1]) {
              previous = pairs[p];
              break;
            }
          if (!previous) pairs.push({ value: 0, term: ti, word: q[1], quality: value, part: q[2] || quality === QUALITY.part, ofCompound: compoundPart, general: false });
          else if (previous.quality < value) {
            previous.quality = value;
            previous.part = q[2] || quality === QUALITY.part;
            previous.ofCompound = compoundPart;
          }
        }
        // A query word that is only a part of the entry's compound weighs as itself: "apua" is not
        // as specific as "ruoka-apua" or "apuväline", which it is a part of.
        for (let p = first; p < pairs.length; p++) {
          const pair = pairs[p]!;
          pair.value = (pair.ofCompound ? Math.min(term.weight, weights.get(pair.word) ?? term.weight) : term.weight) * pair.quality;
          pair.general = term.general || generalQueryWords.has(pair.word);
        }
      }
      pairs.sort((a, b) => b.value - a.value);
      // Without its required word the phrasing says something else, and lends the concept no words either.
      if (entry.required.some((ti) => !pairs.some((p) => p.term === ti))) continue;
      let bag = bags.get(entry.concept);
      if (!bag) bags.set(entry.concept, (bag = new Map()));
      for (const { word, quality, part } of pairs) if (!part) bag.set(word, Math.max(bag.get(word) ?? 0, quality));
      let matched = 0;
      // What the entry's words that are not general (words.ts) weigh, and how much of it the query has.
      let specific = 0;
      const specificTotal = entry.specificTotal;
      const used: string[] = [];
      const covered: number[] = [];
      const usedFully: string[] = [];
      for (const { value, term: ti, word, quality, part, general } of pairs) {
        // A compound may cover several words by its parts ("syöpädiagnoosi": syöpä, diagnoosi).
        if (covered.includes(ti) || (!part && usedFully.includes(word))) continue;
        // A one-word entry needs that word itself (any inflection, a typo), not a translation or a part.
        if (entry.terms.length === 1 && (quality < SINGLE_WORD_QUALITY || part)) continue;
        covered.push(ti);
        if (!used.includes(word)) used.push(word);
        if (!part && !usedFully.includes(word)) usedFully.push(word);
        matched += value;
        if (!general) specific += value;
      }
      // General words complete a match but never make one: "joka aamu" alone is not "krapula joka aamu".
      if (specific < Math.min(MIN_MATCHED_WEIGHT, specificTotal * 0.99)) continue;
      // A phrasing's word that it says no to, met alone by a text that says no to nothing, is the
      // opposite: "kuulin että…" (I heard that…) is not "en kuule enää hyvin", nor is "när kan jag gå i
      // pension" "jag kan inte gå". ("i can't stop betting" is still met by "betting": its "no" is the
      // stopping's.) With more of its words the text may say no otherwise ("vuokra on maksamatta").
      if (!saysNo && used.length === 1 && covered.some((ti) => entry.negatedTerms.includes(ti))) continue;
      const score = round((matched / entry.total) * KIND_FACTOR[entry.kind] * Math.min(1, entry.total / this.reliable));
      const previous = best.get(entry.concept);
      if (!previous || score > previous.score || (score === previous.score && used.length > previous.words.length))
        best.set(entry.concept, {
          concept: this.model.concepts[entry.concept]!,
          score,
          phrase: entry.text,
          phraseKind: entry.kind,
          phraseLanguage: entry.language,
          words: used,
          specificity: [],
          wholeWords: usedFully,
          core: covered.includes(entry.core),
        });
    }
    // The concept as a whole: how much of the query its words explain, across its entries ("jag
    // vill byta yrke": "byta" is in one phrasing of career-change, "yrke" in another).
    const queryWeight = [...weights.values()].reduce((a, b) => a + b, 0);
    for (const [ci, bag] of bags) {
      // Immediate danger is recognised by its own phrasings, never by words gathered from several.
      if (this.model.concepts[ci]!.crisis) continue;
      // General words complete a match but never make one: they are not among the two words it needs.
      const strong = [...bag.entries()].filter(([word, quality]) => quality >= SINGLE_WORD_QUALITY * OTHER_LANGUAGE && !generalQueryWords.has(word));
      if (strong.length < 2 || !queryWeight) continue;
      // Words every other situation uses ("tarvitsen apua", "I need help") explain a short question
      // whole but name no situation: one of them must be nearly half as specific as a word of one concept.
      if (!strong.some(([word]) => (weights.get(word) ?? 0) >= BAG_SPECIFIC * this.oneConcept)) continue;
      const explained = [...bag.entries()].reduce((sum, [word, quality]) => sum + (weights.get(word) ?? 0) * quality, 0);
      const score = round((BAG_FACTOR * explained) / queryWeight);
      const previous = best.get(ci);
      if (previous && previous.score >= score) continue;
      // The words stay those of the best entry: a concept's bag must not swallow another's match (subsume()).
      if (previous) best.set(ci, { ...previous, score });
    }
    const businessWords = new Set<string>();
    for (const [key, [quality, word]] of queryKeys) if (quality >= QUALITY.translation && this.businessKeys.has(key)) businessWords.add(word);
    // A business's word that a person's situation explains better is the person's ("my mum needs company").
    const all = [...best.values()];
    for (const m of all) m.specificity = m.words.map((word) => round((weights.get(word) ?? 0) / this.oneConcept));
    const business = [...businessWords].some((word) => {
      const using = all.filter((m) => m.words.includes(word));
      const bestOf = (audience: boolean) => Math.max(0, ...using.filter((m) => (m.concept.audience === 'business') === audience).map((m) => m.score));
      return bestOf(true) >= bestOf(false);
    });
    const matches = all
      .filter((m) => business || m.concept.audience !== 'business')
      .sort((a, b) => b.score - a.score || b.words.length - a.words.length);
    return { matches, business, saysNo };
  }

  /** The query's keys (key → [quality, the query word it came from]), its words' weights and which of them are general (words.ts). */
  private queryKeys(text: string, primary: Language) {
    const out = new Map<string, [number, string, boolean]>();
    const weights = new Map<string, number>();
    const put = (key: string, quality: number, word: string, part = false) => {
      const previous = out.get(key);
      if (!previous || previous[0] < quality) out.set(key, [quality, word, part]);
    };
    const tokens = meaningfulTokens(primary, text);
    for (const word of new Set(tokens)) {
      // A function word however it is inflected ("meidät", "hänet": me, hän) says nothing, as its base form does not.
      if (word.length < 2 || FUNCTION_WORDS[primary].has(word) || !wordKeys(primary, word)) continue;
      let hit = false;
      for (const language of LANGUAGES) {
        const keys = wordKeys(language, word);
        if (!keys) continue;
        const factor = language === primary ? 1 : OTHER_LANGUAGE;
        for (const [key, quality] of keys) {
          if (!this.byKey.has(key)) continue;
          // A part of the query's compound says more than a part of the model's: "syöpädiagnoosi" is about syöpä.
          put(key, (quality === QUALITY.part ? QUERY_PART : quality) * factor, word, quality === QUALITY.part);
          if (quality === 1 && language === primary) hit = true;
        }
      }
      if (!hit) for (const [key, quality] of this.lenient(word, isKnownWord(primary, word), primary)) put(key, quality, word, quality <= QUALITY.part);
      else for (const [key, quality] of this.family(word)) put(key, quality, word, true);
      weights.set(word, 0);
    }
    // A word weighs as an entry's word does, by the keys the model has; an unknown word as UNKNOWN_SHARE says.
    const byWord = new Map<string, [string, number][]>();
    for (const [key, [quality, word]] of out) if (quality >= SINGLE_WORD_QUALITY) byWord.set(word, [...(byWord.get(word) ?? []), [key, 1]]);
    const general = new Set<string>();
    for (const word of weights.keys()) {
      const keys = byWord.get(word);
      const weight = keys ? this.weightOf(keys, (key) => this.idf.get(key) ?? 0) || this.unknownWeight : this.unknownWeight;
      if (isGeneralWord(primary, word)) general.add(word);
      weights.set(word, general.has(word) ? Math.min(weight, this.generalWeight) : weight);
    }
    return { keys: out, weights, general };
  }

  /**
   * Keys of the words of the same family as a word, at a part's quality: a long shared beginning
   * ("viiltely", "viiltelen"; "lomautus", "lomauttaa"; "sairastui", "sairas").
   */
  private family(word: string): WordKeys {
    const out: WordKeys = new Map();
    const f = fold(word);
    if (f.length < 6) return out;
    for (const [known, k] of this.byBeginning.get(f.slice(0, 5)) ?? []) {
      if (k === f) continue;
      let p = 5;
      while (p < f.length && p < k.length && f[p] === k[p]) p++;
      if (p >= 0.7 * Math.min(f.length, k.length))
        for (const [key, q] of this.known.get(known) ?? []) if (key.startsWith('l:') || key.startsWith('s:')) out.set(key, Math.max(out.get(key) ?? 0, Math.min(q, QUALITY.part)));
    }
    return out;
  }

  /**
   * Keys for a word the model does not know: folded, misspelt, inflected, derived or compounded forms
   * of known words. A word the Finnish analyser knows (`real`) is not taken for a typo.
   */
  private lenient(word: string, real: boolean, language: Language): WordKeys {
    const cacheKey = `${language}:${word}`;
    const cached = this.lenientCache.get(cacheKey);
    if (cached) return cached;
    const out: WordKeys = new Map();
    if (this.lenientCache.size > 50_000) this.lenientCache.clear();
    this.lenientCache.set(cacheKey, out);
    // A typo is of a word of the person's language: Swedish "bästa" is no misspelt Finnish "lasta".
    const ofLanguage = (known: string) => this.languagesOf.get(known)?.has(language) ?? false;
    const take = (known: string, quality: number) => {
      for (const [key, q] of this.known.get(known) ?? []) out.set(key, Math.max(out.get(key) ?? 0, Math.min(q, QUALITY.part) * quality));
    };
    const takeFull = (known: string, quality: number) => {
      for (const [key, q] of this.known.get(known) ?? []) out.set(key, Math.max(out.get(key) ?? 0, q * quality));
    };
    const f = fold(word);
    if (!real && f.length >= 4) for (const known of this.folded.get(f) ?? []) if (known !== word && ofLanguage(known)) takeFull(known, 0.95);
    if (!real && f.length >= 5) {
      // One typing error in a word of five to eight letters, two in a longer one.
      const limit = f.length >= 9 ? 2 : 1;
      for (const known of this.deleteIndex().candidates(f, limit)) {
        const distance = editDistance(f, fold(known), limit);
        if (distance > 0 && distance <= limit && ofLanguage(known)) takeFull(known, distance === 1 ? 0.85 : 0.75);
      }
    }
    if (f.length >= 6) {
      // A known word at the start (an inflected or compound form) or, give or take an ending of up
      // to three letters, at the end (the last part of a compound: "vuokrakämppää" → kämppä).
      for (let length = Math.max(4, Math.ceil(f.length * 0.45)); length < f.length; length++)
        for (const known of this.folded.get(f.slice(0, length)) ?? []) take(known, 1);
      for (let at = 3; at + 5 <= f.length; at++)
        for (let end = Math.max(at + 5, f.length - 3); end <= f.length; end++)
          if (end - at < f.length) for (const known of this.folded.get(f.slice(at, end)) ?? []) take(known, 1);
      for (const [key, quality] of this.family(word)) out.set(key, Math.max(out.get(key) ?? 0, quality));
    }
    return out;
  }
}

/**
 * Drops a match whose query words are all used by a better match that uses more: in "my husband
 * drinks and hits me", "drinks" alone (the person's own drinking) adds nothing to "my husband
 * drinks"; in "haluan lopettaa yritykseni", "haluan lopettaa" is closing the business, not the end
 * of everything. A crisis match goes only when the better one scores higher too.
 */
function subsume(matches: ConceptMatch[]): ConceptMatch[] {
  return matches.filter(
    (m) =>
      !matches.some(
        (other) =>
          other !== m &&
          m.words.every((w) => other.words.includes(w)) &&
          (other.words.length > m.words.length
            ? m.concept.crisis
              ? other.score > m.score
              : other.score >= m.score
            : !m.concept.crisis && other.score >= m.score + SAME_WORDS_MARGIN),
      ) && !(m.concept.crisis ? false : oneWordOfAnother(m, matches)),
  );
}

/**
 * A reading of one word that another reading explains with more of the query's words, about as
 * well, is that reading's: "sydän hakkaa" is a pounding heart (stress, anxiety), not someone beating
 * anyone. (Crisis readings go by explainedOtherwise.)
 */
function oneWordOfAnother(match: ConceptMatch, all: readonly ConceptMatch[]) {
  // Only a reading of one word and nothing else: "koulukiusattu" of "mun poika on koulukiusattu" is more than its "kouluun".
  if (match.wholeWords.length !== 1 || match.words.length !== 1) return false;
  const [word] = match.wholeWords;
  return all.some(
    (other) =>
      other !== match &&
      other.score >= match.score - SAME_WORDS_MARGIN &&
      other.wholeWords.length >= 2 &&
      other.wholeWords.includes(word!) &&
      // The other reading's other words must be its own, not a better reading's: in "I lost my job and
      // can't pay rent", "my employer is not paying me" has "job" and "pay", but "pay" is the rent's.
      other.wholeWords.some((w) => w !== word && !all.some((third) => third !== other && third.score > other.score && third.wholeWords.includes(w))),
  );
}


/** Of two readings of the same words, the weaker goes when it is this much weaker: "min man dog" is bereavement (1.0), not a child's death (0.76, a husband being family as a son is). */
const SAME_WORDS_MARGIN = 0.15;

const round = (score: number) => Math.round(score * 1e4) / 1e4;

/**
 * A crisis is taken from two of its phrase's words, or from one that covers it almost whole, and one
 * of them must be the phrase's most specific word: a single shared word ("nyt" of "hän lyö minua nyt",
 * "kuoli" of "haluan kuolla") is not a crisis, nor are the words every request for help has ("hjälp"
 * and "nu" of "hjälp, han slår mig nu": "jag behöver hjälp nu" is no one hitting anyone).
 */
function isCrisis(match: ConceptMatch) {
  return (
    // A service's words ("keskusteluapu nuorille") are no one saying they are in danger: they need an ordinary match's score.
    match.score >= (match.phraseKind === 'vocabulary' ? THRESHOLD : CRISIS_THRESHOLD) &&
    (match.words.length >= 2 || match.score >= CRISIS_ALONE || isCrisisWord(match)) &&
    match.core
  );
}

/**
 * One word of a crisis phrasing that no other situation uses, written whole and carrying most of the
 * phrasing (an ordinary match's score), is a crisis by itself: "mieheni on tajuton", "my husband is
 * unconscious", "min pappa fick hjärtattack" say no more of the phrasing ("ihminen on tajuton") than
 * the word, and nothing else is meant by it. A word other situations share ("kuoli" of "haluan
 * kuolla", "hakkaa" of a pounding heart), or one that is only a part of its phrasing ("everyone" of
 * "everyone would be better off without me"), still needs more.
 */
function isCrisisWord(match: ConceptMatch) {
  return match.phraseKind === 'phrasing' && match.score >= THRESHOLD && match.words.length === 1 && match.wholeWords.length === 1 && (match.specificity[0] ?? 0) >= CRISIS_WORD_SPECIFICITY;
}

/**
 * Whether a text says no. A crisis phrase that does ("en halua elää", "i do not want to live") is
 * not met by a message that does not: "haluan tehdä elämäntilannekyselyn" and "i want to do the life
 * situation check" share its "want" and "life" and mean the opposite. ("don't" and "can't" are
 * tokenised as "don" "t" and "can" "t".)
 */
const NEGATIONS: Record<Language, ReadonlySet<string>> = {
  fi: new Set(['en', 'et', 'ei', 'emme', 'ette', 'eivät', 'älä', 'enkä', 'etkä', 'eikä']),
  sv: new Set(['inte', 'ej', 'icke', 'aldrig', 'ingen', 'inget', 'inga']),
  en: new Set(['not', 'no', 'never', 'nothing', 'nobody', 't', 'dont', 'cant', 'wont', 'cannot', 'nt']),
};
const ANY_NEGATION = new Set(LANGUAGES.flatMap((language) => [...NEGATIONS[language]]));
/**
 * A phrasing is read in its own language (Swedish "en" is "a", not the Finnish "no": "han har fått en
 * hjärtattack" says no to nothing); a query in any (a word that says no in one of them counts, as
 * missing a "no" would cost a crisis phrasing that has one).
 */
const negated = (text: string, language?: Language) => tokenize(text).some((word) => (language ? NEGATIONS[language] : ANY_NEGATION).has(word));

/**
 * The words of a phrasing that a negation of its language bears on: the first word after it that says
 * something, with the auxiliaries and general words on the way ("kuule" of "en kuule", "unta" of "en
 * saa unta", "hear" of "can't hear", "food" of "i do not have food"), and in Swedish, where the verb
 * comes first, the word before "inte", "ej" and "aldrig" as well ("sover" of "jag sover inte").
 */
function wordsNegated(language: Language, text: string): Set<string> {
  const tokens = tokenize(text);
  const out = new Set<string>();
  const says = (word: string) => !FUNCTION_WORDS[language].has(word) && !isGeneralWord(language, word);
  for (const [at, token] of tokens.entries()) {
    if (!NEGATIONS[language].has(token)) continue;
    for (let next = at + 1; next < tokens.length; next++) {
      out.add(tokens[next]!);
      if (says(tokens[next]!)) break;
    }
    if (language === 'sv' && (token === 'inte' || token === 'ej' || token === 'aldrig') && at > 0 && says(tokens[at - 1]!)) out.add(tokens[at - 1]!);
  }
  return out;
}


/**
 * A crisis read from one word that another situation reads together with more of the query's words
 * is that situation: "sydän hakkaa" is a heart pounding with anxiety, not "hän hakkaa minua".
 */
function explainedOtherwise(match: ConceptMatch, all: readonly ConceptMatch[]) {
  if (match.wholeWords.length !== 1) return false;
  const [word] = match.wholeWords;
  return all.some((other) => !other.concept.crisis && other.score >= THRESHOLD && other.wholeWords.length >= 2 && other.wholeWords.includes(word!));
}

function hasFunctionWords(text: string, language: Language) {
  return tokenize(text).some((w) => FUNCTION_WORDS[language].has(w));
}

/** Texts whose understanding a matcher keeps: a few megabytes at most. */
const UNDERSTOOD_KEPT = 2000;

/** An understanding and what it holds, frozen, but not the model's concepts it points to (they are the model's). */
function deepFreeze(understanding: Understanding): Understanding {
  for (const match of understanding.concepts) {
    Object.freeze(match.words);
    Object.freeze(match.specificity);
    Object.freeze(match.wholeWords);
    Object.freeze(match);
  }
  Object.freeze(understanding.concepts);
  return Object.freeze(understanding);
}

/** A matcher for a model, built once (some hundreds of milliseconds for the shipped model). */
export function createSituationMatcher(model: SituationModel) {
  return new SituationMatcher(model);
}

let shippedModel: SituationModel | undefined;

/** The shipped model (data/situations), read on first use and kept: the one its matcher has. */
export function shippedSituationModel(): SituationModel {
  return (shippedModel ??= loadSituationModel());
}

let shipped: SituationMatcher | undefined;

/** The matcher of the shipped model (data/situations), built on first use and kept. */
export function shippedSituationMatcher(): SituationMatcher {
  return (shipped ??= new SituationMatcher(shippedSituationModel()));
}
