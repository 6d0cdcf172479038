import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadVoikko, type FinnishAnalysis } from './voikko.ts';
import { fromPackageRoot } from '../../package-root.ts';

/**
 * Turns text into weighted features for retrieval. Finnish words become their base forms and the
 * base forms of their compound parts (so "asuntoa" and "asunnot" meet at "asunto", and
 * "vuokra-asunto" reaches "vuokra"), from the shipped lexicon, else libvoikko where installed, else
 * a Snowball stem. Every word also gives a short prefix, which catches inflections no analyser knew.
 * Swedish and English words become their Snowball stems and, through the shipped glossary, the
 * Finnish base forms they translate to: that is how an English question finds a Finnish service.
 */
export type TextLanguage = 'fi' | 'sv' | 'en';
export type Features = Map<string, number>;

const require = createRequire(import.meta.url);
const snowball = require('snowball-stemmers') as { newStemmer(lang: string): { stem(word: string): string } };
const stopwordsIso = require('stopwords-iso') as Record<string, string[]>;
const stemmers = { fi: snowball.newStemmer('finnish'), sv: snowball.newStemmer('swedish'), en: snowball.newStemmer('english') };
const stopwords = {
  fi: new Set(stopwordsIso.fi),
  sv: new Set(stopwordsIso.sv),
  en: new Set(stopwordsIso.en),
};

const dataDir = fromPackageRoot('data', 'lexicon');
function readJson<T>(file: string, fallback: T): T {
  const path = join(dataDir, file);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : fallback;
}

/** Finnish word forms analysed ahead of time with Voikko (scripts/build-lexicon.ts): form → [lemmas, parts]. */
const lexicon = new Map<string, [string[], string[]]>(Object.entries(readJson<Record<string, [string[], string[]]>>('fi-analyses.json', {})));
const glossary = readJson<{ en: Record<string, string[]>; sv: Record<string, string[]> }>('glossary.json', { en: {}, sv: {} });

/** The glossary's Finnish words for a Swedish or English word. Own entries only: "constructor" would otherwise find Object.prototype's. */
export function glossaryEntry(language: 'sv' | 'en', word: string): string[] | undefined {
  return Object.hasOwn(glossary[language], word) ? glossary[language][word] : undefined;
}

/**
 * The glossary's Finnish words for another form of one of its words: the entries whose Snowball
 * stem the word shares ("retiring" and "retirement" are "retir", "gambled" and "gambling"
 * "gambl"), or, in English, the other spelling of it ("behavior" for "behaviour", "counseling",
 * "pediatric", "mold"). A stem whose entries disagree ("train" and "training") gives nothing, nor
 * does a stem of fewer than four letters.
 */
export function glossaryForm(language: 'sv' | 'en', word: string): string[] | undefined {
  for (const variant of language === 'en' ? englishSpellings(word) : []) {
    const entry = glossaryEntry(language, variant);
    if (entry) return entry;
  }
  const stemmed = stem(language, word);
  return stemmed.length >= 4 ? glossaryStems(language).get(stemmed) ?? undefined : undefined;
}

const stemIndex: Partial<Record<'sv' | 'en', Map<string, string[] | null>>> = {};
function glossaryStems(language: 'sv' | 'en'): Map<string, string[] | null> {
  let index = stemIndex[language];
  if (index) return index;
  index = new Map();
  for (const [word, finnish] of Object.entries(glossary[language])) {
    const key = stem(language, word);
    const previous = index.get(key);
    if (previous === undefined) index.set(key, finnish);
    else if (previous && previous.join('|') !== finnish.join('|')) index.set(key, null);
  }
  return (stemIndex[language] = index);
}

/** British and American spellings of an English word, the word itself not among them: "behaviour" ↔ "behavior", "organise" ↔ "organize", "centre" ↔ "center". */
export function englishSpellings(word: string): string[] {
  const out = new Set<string>();
  const swap = (pattern: RegExp, replacement: string | ((match: string) => string)) => {
    const other = word.replace(pattern, replacement as string);
    if (other !== word) out.add(other);
  };
  swap(/our(s|ed|ing|ite|ites|able|ful|less)?$/, 'or$1'); // behaviour, neighbours, favourite
  swap(/([^o])or(s|ed|ing)?$/, '$1our$2'); // behavior, neighbors (and "doctor" → "doctour", which no word is)
  swap(/is(e|es|ed|ing|ation|ations)$/, 'iz$1'); // organise, organisation
  swap(/iz(e|es|ed|ing|ation|ations)$/, 'is$1');
  swap(/ys(e|es|ed|ing)$/, 'yz$1'); // analyse
  swap(/yz(e|es|ed|ing)$/, 'ys$1');
  swap(/([^aeiou])tre(s)?$/, '$1ter$2'); // centre, theatre
  swap(/([^aeiou])ter(s)?$/, '$1tre$2');
  if (word.length >= 8) {
    // Long words only: "filled" is no American "filed".
    swap(/([aeiou])ll(ing|ed|or|ors|er|ers)$/, '$1l$2'); // counselling, travelled
    swap(/([aeiou])l(ing|ed|or|ors|er|ers)$/, '$1ll$2');
  }
  swap(/^(p|gyn|an|h|orthop)ae/, '$1e'); // paediatric, gynaecology, anaemia, haemorrhage
  swap(/^(ped(?=i)|gyne|anem|hem(?=[ao]))/, (m: string) => m.replace('e', 'ae')); // pediatric, gynecology, anemia, hemorrhage
  swap(/^oe/, 'e'); // oestrogen
  swap(/^mould/, 'mold'); // mould, mouldy
  swap(/^mold/, 'mould');
  swap(/ogue$/, 'og'); // dialogue
  swap(/amme(s)?$/, 'am$1'); // programme
  swap(/^program(s)?$/, 'programme$1');
  swap(/ence$/, 'ense'); // licence, defence
  swap(/ense$/, 'ence');
  return [...out];
}

export const WEIGHTS = { lemma: 1, part: 0.5, prefix: 0.25, foreign: 1, translation: 0.8 };

export function tokenize(text: string): string[] {
  return text.toLocaleLowerCase('fi').match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? [];
}

/** The Finnish analysis of one word form: lexicon, then Voikko, then null. */
export function analyseFinnish(word: string): FinnishAnalysis | null {
  const analysis = analyseAsWritten(word);
  return analysis && withoutCliticReadings(word, analysis);
}

function analyseAsWritten(word: string): FinnishAnalysis | null {
  const known = lexicon.get(word);
  return known ? { lemmas: known[0], parts: known[1] } : (loadVoikko()?.analyze(word) ?? null);
}

const CLITIC = /(?:pa|pä|han|hän|kin|kaan|kään|ko|kö)$/;
/**
 * A word that is a base form as written is not also another word with a clitic: "syöpä" is cancer,
 * not "syö" + "-pä" (eat, then), which made "en oo syöny" (I haven't eaten) a cancer.
 */
function withoutCliticReadings(word: string, analysis: FinnishAnalysis): FinnishAnalysis {
  if (analysis.lemmas.length < 2 || !analysis.lemmas.includes(word)) return analysis;
  const match = CLITIC.exec(word);
  if (!match) return analysis;
  const hostLemmas = analyseAsWritten(word.slice(0, match.index))?.lemmas ?? [];
  const lemmas = analysis.lemmas.filter((lemma) => lemma === word || !hostLemmas.includes(lemma));
  return lemmas.length === analysis.lemmas.length ? analysis : { lemmas, parts: analysis.parts };
}

/**
 * Spoken Finnish as people type it, mapped to the written form the analyser knows: a form that is
 * also another written word ("haluun" is halu's illative but said for haluan) or that no rule below
 * derives ("tiiä", "tarviin", "itteeni").
 */
const SPOKEN_FINNISH = new Map<string, string>(
  Object.entries({
    haluun: 'haluan', haluut: 'haluat', haluis: 'haluaisi', haluisin: 'haluaisin', haluisko: 'haluaisiko',
    tarviin: 'tarvitsen', tarvii: 'tarvitsee', tarvis: 'tarvitsisi', tarttis: 'tarvitsisi', tarviis: 'tarvitsisi', tarvisin: 'tarvitsisin',
    // "tappo itsensä" is tappoi: the noun tappo (manslaughter) is rarer in a question than the spoken past tense.
    tappo: 'tappoi',
    tiiä: 'tiedä', tiiän: 'tiedän', tiijä: 'tiedä', tiedä: 'tiedä', tehä: 'tehdä', nähä: 'nähdä', mennä: 'mennä',
    meen: 'menen', tuun: 'tulen', tuu: 'tule', meet: 'menet', tuut: 'tulet', pääsis: 'pääsisi', saisin: 'saisin',
    kaa: 'kanssa', ens: 'ensi', millanen: 'millainen', millon: 'milloin', tän: 'tämän', ton: 'tuon',
    uus: 'uusi', uuen: 'uuden', uudet: 'uudet', uuet: 'uudet', kans: 'kanssa', tarttee: 'tarvitsee', tartten: 'tarvitsen', tartteis: 'tarvitsisi',
    itelle: 'itselle', iteltä: 'itseltä', itestä: 'itsestä', itteltä: 'itseltä', ittestä: 'itsestä',
    itte: 'itse', ite: 'itse', itteeni: 'itseeni', itteäni: 'itseäni', ittensä: 'itsensä', itteni: 'itseni', ittelle: 'itselle', ittelleni: 'itselleni',
    semmonen: 'sellainen', semmosta: 'sellaista', tommonen: 'tuollainen', jonkinlainen: 'jonkinlainen',
    hirveen: 'hirveän', kauheen: 'kauhean', oikeen: 'oikein', vähä: 'vähän', yhtää: 'yhtään', mitää: 'mitään', mikää: 'mikään', kukaa: 'kukaan', ketää: 'ketään', missää: 'missään', mistää: 'mistään', mihinkää: 'mihinkään', koskaa: 'koskaan', ikinä: 'ikinä',
  }),
);

/**
 * Everyday Finnish words for which services and most phrasings use another: a colloquial base form →
 * the standard one ("firma" is a yritys, "kämppä" an asunto, "duuni" työ). Only words the analyser
 * knows as base forms; a word read this way also counts as its standard word, a little less.
 */
const COLLOQUIAL_FINNISH = new Map<string, string>(
  Object.entries({
    firma: 'yritys', kämppä: 'asunto', duuni: 'työ', mutsi: 'äiti', muksu: 'lapsi', kersa: 'lapsi', pomo: 'esimies',
    vuokraisäntä: 'vuokranantaja', äijä: 'mies', ukko: 'mies', akka: 'vaimo', eukko: 'vaimo', sossu: 'sosiaalityö',
  }),
);

/** The standard Finnish word for a colloquial base form ("firma" → yritys), or undefined. */
export function standardFinnish(lemma: string): string | undefined {
  return COLLOQUIAL_FINNISH.get(lemma);
}

const backVowel = /[aou]/;
/** Written forms a spoken word may stand for, most likely first (used only when the word itself is unknown). */
function spokenCandidates(word: string): string[] {
  const out: string[] = [];
  const a = backVowel.test(word) ? 'a' : 'ä';
  const last = word.at(-1)!;
  if (word.endsWith('ks')) out.push(`${word}i`); // työttömäks → työttömäksi
  if (/[nlrst][uy]$/.test(word)) out.push(`${word}t`); // masentunu → masentunut, päässy → päässyt
  if (/ii$/.test(word)) out.push(`${word.slice(0, -1)}${a}`); // hakemuksii → hakemuksia
  if (/ee$/.test(word)) out.push(`${word.slice(0, -1)}${a}`); // vaikee → vaikea
  if (/(oo|öö|uu|yy)$/.test(word)) out.push(`${word.slice(0, -1)}${a}`); // tyttöö → tyttöä, viikkoo → viikkoa
  if (/een$/.test(word)) out.push(`${word.slice(0, -2)}${a}n`); // vaikeen → vaikean
  if (/eet[aä]$/.test(word)) out.push(`${word.slice(0, -3)}${a}${a}`); // vaikeeta → vaikeaa, hirveetä → hirveää
  if (/(aa|ää|ee|ii|oo|uu|yy)$/.test(word)) out.push(`${word}n`); // mihinkää → mihinkään
  if (last === 's' || /[aeiouyäö]$/.test(word)) out.push(`${word}i`); // hylkäs → hylkäsi, kaatu → kaatui
  if (last === 'l') out.push(`${word}l${a}`); // tääl → täällä
  if (/tt[aeiouyäö]/.test(word)) out.push(word.replace(/tt(?=[aeiouyäö])/, 'ts')); // itteensä → itseensä
  // A diphthong spoken short before t: alottaa → aloittaa, alotin → aloitin, lopettanu → lopettanut.
  for (const m of word.matchAll(/[aouäöy](?=tt?[aeiouyäö])/g)) out.push(`${word.slice(0, m.index + 1)}i${word.slice(m.index + 1)}`);
  return out;
}

/**
 * The Finnish analysis of a word as people type it: the word itself, else the written form of a
 * spoken one ("masentunu" → masentunut, "hylkäs" → hylkäsi, "tiiä" → tiedä, "mihinkää" →
 * mihinkään). Only words of people's questions go through this (the situation matcher, the query
 * side of retrieval); language detection keeps to written Finnish.
 */
export function analyseSpokenFinnish(word: string): FinnishAnalysis | null {
  const spoken = SPOKEN_FINNISH.get(word);
  if (spoken && spoken !== word) return analyseFinnish(spoken);
  const analysis = analyseFinnish(word);
  if (analysis || word.length < 4) return analysis;
  for (const candidate of spokenCandidates(word)) {
    const found = analyseFinnish(candidate);
    if (found) return found;
  }
  return null;
}

export function analyserInfo() {
  return { lexiconWords: lexicon.size, voikko: loadVoikko() !== null, glossary: { en: Object.keys(glossary.en).length, sv: Object.keys(glossary.sv).length } };
}

const stemCache = new Map<string, string>();
/** A word's Snowball stem, cached: the analyser and the situation matcher (situations/words.ts) share it. */
export function stem(language: TextLanguage, word: string): string {
  const key = `${language}:${word}`;
  let stemmed = stemCache.get(key);
  if (stemmed === undefined) {
    stemmed = stemmers[language].stem(word);
    if (stemCache.size > 300_000) stemCache.clear();
    stemCache.set(key, stemmed);
  }
  return stemmed;
}

const prefixOf = (word: string) => (word.length >= 6 ? word.slice(0, 5) : null);

function add(features: Features, key: string, weight: number) {
  features.set(key, (features.get(key) ?? 0) + weight);
}

/** Features of one Finnish word, added with the given weight. */
function finnishWord(features: Features, token: string, weight: number, keepStopwords = false, spoken = false) {
  const pieces = token.includes('-') ? [token, ...token.split('-')] : [token];
  for (const [i, word] of pieces.entries()) {
    if ((!keepStopwords && stopwords.fi.has(word)) || word.length < 2) continue;
    const w = i === 0 ? weight : weight * WEIGHTS.part;
    for (const [feature, unit] of finnishWordFeatures(word, keepStopwords, spoken)) add(features, feature, w * unit);
  }
}

// Catalogue texts repeat their words: analysing each distinct word once makes indexing several times faster.
const wordCache = new Map<string, [string, number][]>();

function finnishWordFeatures(word: string, keepStopwords: boolean, spoken: boolean): [string, number][] {
  const key = `${keepStopwords ? '!' : ''}${spoken ? '~' : ''}${word}`;
  const cached = wordCache.get(key);
  if (cached) return cached;
  const out: [string, number][] = [];
  const analysis = spoken ? analyseSpokenFinnish(word) : analyseFinnish(word);
  if (analysis && analysis.lemmas.length) {
    for (const lemma of analysis.lemmas) if (keepStopwords || !stopwords.fi.has(lemma)) out.push([`fi:${lemma}`, WEIGHTS.lemma / analysis.lemmas.length]);
    if (spoken) for (const lemma of analysis.lemmas) { const standard = standardFinnish(lemma); if (standard) out.push([`fi:${standard}`, WEIGHTS.translation / analysis.lemmas.length]); }
    for (const part of analysis.parts) out.push([`fi:${part}`, WEIGHTS.part]);
  } else out.push([`fi:${stemmers.fi.stem(word)}`, WEIGHTS.lemma]);
  const prefix = prefixOf(word);
  if (prefix) out.push([`p:${prefix}`, WEIGHTS.prefix]);
  if (wordCache.size > 300_000) wordCache.clear();
  wordCache.set(key, out);
  return out;
}

/**
 * Features of a text written in `language`. For Swedish and English, `translate` adds the Finnish
 * base forms the glossary gives, so that the text also matches Finnish services. `spoken` reads
 * Finnish words as people type them (analyseSpokenFinnish): for questions, not catalogue texts.
 */
export function analyse(text: string, language: TextLanguage, options: { translate?: boolean; weight?: number; spoken?: boolean } = {}): Features {
  const features: Features = new Map();
  const weight = options.weight ?? 1;
  for (const token of tokenize(text)) {
    if (language === 'fi') {
      finnishWord(features, token, weight, false, options.spoken);
      continue;
    }
    for (const word of token.includes('-') ? [token, ...token.split('-')] : [token]) {
      if (word.length < 2) continue;
      // The glossary is asked first: "work", "home" and "help" are stop words of general English.
      const finnish = options.translate ? (glossaryEntry(language, word) ?? glossaryEntry(language, stem(language, word)) ?? glossaryForm(language, word)) : undefined;
      if (finnish) for (const fi of finnish) finnishWord(features, fi, (weight * WEIGHTS.translation) / finnish.length, true);
      if (!finnish && stopwords[language].has(word)) continue;
      add(features, `${language}:${stem(language, word)}`, weight * WEIGHTS.foreign);
    }
  }
  return features;
}

/** Which of fi, sv, en a short text is most likely in, from stopwords, glossary and Finnish analysis. */
export function detectLanguage(text: string): TextLanguage {
  const tokens = tokenize(text);
  if (tokens.length === 0) return 'fi';
  const score = { fi: 0, sv: 0, en: 0 };
  for (const t of tokens) {
    if (stopwords.fi.has(t) || analyseFinnish(t)) score.fi += 1;
    if (stopwords.sv.has(t)) score.sv += 1;
    if (glossaryEntry('sv', t)) score.sv += 0.8;
    if (stopwords.en.has(t)) score.en += 1;
    if (glossaryEntry('en', t)) score.en += 0.8;
    if (/[åäö]/.test(t)) {
      score.sv += t.includes('å') ? 1 : 0;
      score.fi += 0.2;
    }
  }
  const best = (Object.entries(score) as [TextLanguage, number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] === 0 ? 'fi' : best[0];
}
