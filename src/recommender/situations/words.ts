import type { Language } from '../../catalogue/model.ts';
import { analyseSpokenFinnish as analyseFinnish, englishSpellings, glossaryEntry, glossaryForm, standardFinnish, stem, tokenize } from '../text/analyzer.ts';

/**
 * Words as the situation matcher sees them: each content word of a query or a phrasing becomes a
 * set of keys with a quality, so that two words meet when they share a key. Finnish words give
 * their base forms (lexicon or Voikko, through the recommender's analyser), the base forms of their
 * compound parts (weaker), and Snowball stems of the word and of its base forms, so that inflected
 * forms meet even where Voikko is not installed. Swedish and English words give their stems and,
 * through the recommender's glossary (data/lexicon/glossary.json), the Finnish base forms they
 * translate to, at a lower quality: so "husband" meets "puoliso", and an English question can
 * match a Finnish phrasing. Keys are namespaced: `l:` a Finnish base form (shared by all three
 * languages through the glossary), `s:fi:`, `s:sv:`, `s:en:` a stem.
 *
 * Finnish words are read as people type them (analyser.ts, analyseSpokenFinnish): "masentunu",
 * "hylkäs", "tiiä" and "haluun" are masentunut, hylkäsi, tiedä and haluan.
 *
 * Function words carry no situation and are dropped, negations among them: "en pysty maksamaan
 * vuokraa" and "pystyn maksamaan vuokran" are the same situation to the matcher. (The lists here are
 * short on purpose: general stop-word lists drop "home", "work", "alone" and "help". Words like
 * "nobody", "ketään", "kaikki" and "ingen" stay: "minulla ei ole ketään" is loneliness, and
 * "haluan lopettaa kaiken" is not "haluan lopettaa yritykseni".)
 */
export type WordKeys = Map<string, number>;

const words = (text: string) => new Set(text.split(/\s+/).filter(Boolean));

export const FUNCTION_WORDS: Record<Language, Set<string>> = {
  fi: words(`
    minä mä mää mie mun mulla mulle mua mut multa musta minun minulla minulle minua minut minulta minusta minuun
    sinä sä sää sun sulla sulle sua sut sinun sinulla sinulle sinua sinut hän hänen häntä hänellä hänelle se sen sitä sillä sille siitä siihen
    me meillä meidän meitä meille meil te teillä teidän he heidän heillä heille niillä niiden ne niitä niille
    tämä tää tätä tässä tähän tämän tuo toi tota tuota tuolla siellä täällä täältä tänne sinne
    olla olen oon olet oot oo on ollaan olemme olette ovat oli olin olit olimme olitte olivat ollut ollu olleet olisi olis olisin oisin ois oisi ole olis olisko onko oliko
    ei en et emme ette eivät enkä etkä eikä emmekä emmä eimä en-kä etten ettei
    ja tai sekä mutta vaan vaikka koska kun ku jos että et niin sit sitten siis eli kuin
    joka jotka jonka jota jossa johon jolle mikä mitä mistä missä mihin miksi miten millä milloin minne kuka kenelle ken kenen
    jokin jotain joku jonkun jotenkin
    vain vaan myös jo vielä enää ihan tosi aivan kyllä joo no niinku tavallaan muka hyvin
    kanssa ilman takia jälkeen ennen aikana luona luokse kautta mukaan
    voida voin voi voit voisin voisi voiko pitää pitäis pitäisi täytyy pitäiskö
    tosi todella hirveesti hirveästi kauheasti kauheesti erittäin
    tääl siel tuol täs siin mul sul meil teil heil sil niil hänel jotai jotaki mitää mikää kukaa ketää nii sillee näin
    onks oliks oisko olisko voiks voisko saako saisko pitäskö pitäis pitäs oisin ois oli ollu oltu mist mis mihi mitäs kuka
  `),
  sv: words(`
    jag mig min mitt mina du dig din ditt dina han honom hans hon henne hennes den det de dem deras
    vi oss vår vårt våra ni er ert era sig sin sitt sina
    en ett och eller men om att av för från med till på i åt hos under över efter före mot utan genom vid
    är var vara varit blir blev bli har hade ha haft kan kunde ska skall skulle måste bör
    inte icke
    som så då här där vad vem vilken vilket vilka hur när varför
    mycket lite alla allt några bara också än även sedan redan just ju nog väl jo nej ja
    får fick få gör gjorde göra
    liksom typ helt riktigt verkligen
  `),
  en: words(`
    i me my mine myself we us our ours you your yours he him his she her hers it its they them their theirs
    this that these those there here a an the and or but if so than then as
    of to in on at by for from with without about into onto over under up out off through
    am is are was were be been being do does did doing done have has had having
    will would shall should can could may might must
    not no nor never don doesn didn isn aren wasn weren won wouldn couldn shouldn haven hasn hadn cant dont wont isnt didnt doesnt
    ve ll re im ive
    cannot youre hes shes thats whats theyre weve wasnt werent arent couldnt wouldnt shouldnt havent hasnt hadnt aint
    what which who whom whose when where why how
    just also very really too quite some any all each every such own
    get gets got getting gotten
    please something anything
  `),
};

/**
 * Words that carry meaning but name no situation by themselves: time ("anymore", "aamu", "dagar"),
 * quantity ("liikaa", "so much"), the most general verbs ("keep", "tehdä", "göra"), and the country
 * everyone asking lives in ("Finland": "who is the president of Finland" is no one's move here).
 * They complete a match but never make one (understand.ts): "I don't want to live anymore" is not
 * "my mother can't manage alone anymore", and "tytär itkee joka aamu" is not "krapula joka aamu".
 * Finnish entries are base forms; Swedish and English ones are compared by stem.
 */
const GENERAL_WORDS: Record<Language, Set<string>> = {
  fi: words(`
    aamu ilta yö päivä viikko kuukausi vuosi aika kerta hetki vuorokausi eilen tänään huomenna nyt
    aina taas uudestaan usein joskus koskaan jatkuvasti nykyään viime ensi
    liikaa paljon vähän kaikki kaikenlainen koko muu toinen jokainen mitään mikään yhtään
    tulla tehdä saada ottaa antaa jäädä alkaa ruveta yrittää tietää osata lisätä lisä
    asia juttu homma tapa
  `),
  sv: words(`
    morgon kväll natt dag dagar vecka veckor månad år tid gång stund igår idag imorgon nu
    alltid igen ofta ibland aldrig längre fortfarande förra nästa
    för mycket många alla allting hela annan andra varje något ingenting
    göra ge hålla börja försöka veta starta vilja vill ville
    sak saker grej sätt
    finland
  `),
  en: words(`
    morning evening night day days week weeks month months year years times while yesterday today tomorrow tonight now
    always again often sometimes ever anymore still last next
    much many lot lots whole every everything other others another nothing
    keep keeps kept make makes made give gave say says said tell tells told
    start started try trying know thing things stuff way
    finland
  `),
};
const generalStems = { sv: new Set<string>(), en: new Set<string>() };

/** Whether a content word names no situation by itself (GENERAL_WORDS): it weighs little. */
export function isGeneralWord(language: Language, word: string): boolean {
  const general = GENERAL_WORDS[language];
  if (general.has(word)) return true;
  if (language === 'fi') return analyseFinnish(word)?.lemmas.some((l) => general.has(l)) ?? false;
  if (!generalStems[language].size) for (const w of general) generalStems[language].add(stem(language, w));
  return generalStems[language].has(stem(language, word));
}

/** Base forms that are function words however they are spelt ("minulla" → minä, "enkä" → ei). */
const FINNISH_FUNCTION_LEMMAS = words(`
  minä sinä hän se me te he tämä tuo ne
  olla ei ettei ja tai sekä mutta vaan että kun jos koska vaikka niin kuin joka mikä kuka ken jokin joku
  voida pitää täytyä vain myös jo vielä enää ihan tosi aivan kanssa ilman takia jotenkin sitten siis eli
  täällä siellä tuolla
`);

/**
 * Family members, one class: "hoidan sairasta äitiäni" and "hoidan vaimoani" are the same situation,
 * someone close being cared for. A shared class counts as weakly as a compound's part.
 */
const RELATIVES: Record<Language, Set<string>> = {
  fi: words(`äiti isä mies vaimo puoliso kumppani veli sisko sisar isoäiti isoisä mummo mummi ukki vaari
    pappa mamma faija mutsi iskä äiskä poikaystävä tyttöystävä avomies avovaimo aviomies aviovaimo vanhempi
    setä eno täti serkku anoppi appi isovanhempi`),
  sv: words(`mamma pappa mor far man fru make maka sambo partner bror syster mormor farmor morfar farfar
    pojkvän flickvän förälder föräldrar farbror morbror faster moster kusin svärmor svärfar`),
  en: words(`mother mum mom father dad husband wife partner brother sister grandma
    grandmother grandpa grandfather granddad grandad boyfriend girlfriend parent parents spouse
    mommy mummy daddy granny nan nana gran uncle aunt auntie cousin nephew niece stepdad stepfather stepmum stepmom stepmother grandparent grandparents`),
};
/**
 * Children, a class of their own: a child is what some situations are about (a single parent is
 * alone with a child, not with "vaimo"), so "poika" meets "lapsi" but a wife or a mother does not.
 */
const CHILDREN: Record<Language, Set<string>> = {
  fi: words(`poika tytär lapsi teini vauva vastasyntynyt`),
  sv: words(`son dotter barn tonåring bebis`),
  en: words(`son daughter child kid kids children teenager teen baby`),
};
const THIRD_REFLEXIVES = words('himself herself themselves themself');
const relativeStems = { sv: new Set<string>(), en: new Set<string>() };
const childStems = { sv: new Set<string>(), en: new Set<string>() };

/** Lower case without diacritics: how "tyoton" meets "työtön" and "ar" meets "är". */
export function fold(word: string): string {
  return /[^\x00-\x7f]/.test(word) ? word.normalize('NFD').replace(/\p{M}+/gu, '') : word;
}

export const QUALITY = { lemma: 1, stem: 1, part: 0.6, translation: 0.8, synonym: 0.84 };


const keyCache = new Map<string, WordKeys | null>();

/** The keys of one lower-case word, or null for a function word. */
export function wordKeys(language: Language, word: string): WordKeys | null {
  const cacheKey = `${language}:${word}`;
  const cached = keyCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const keys = computeKeys(language, word);
  if (keyCache.size > 100_000) keyCache.clear();
  keyCache.set(cacheKey, keys);
  return keys;
}

function computeKeys(language: Language, word: string): WordKeys | null {
  if (word.length < 2 || FUNCTION_WORDS[language].has(word)) return null;
  const keys: WordKeys = new Map();
  const put = (key: string, quality: number) => keys.set(key, Math.max(keys.get(key) ?? 0, quality));
  let analysed = false;
  if (language === 'fi') {
    const analysis = analyseFinnish(word);
    analysed = !!analysis?.lemmas.length;
    if (analysis?.lemmas.some((l) => FINNISH_FUNCTION_LEMMAS.has(l))) return null;
    if (RELATIVES.fi.has(word) || analysis?.lemmas.some((l) => RELATIVES.fi.has(l))) put('c:relative', QUALITY.part);
    if (CHILDREN.fi.has(word) || analysis?.lemmas.some((l) => CHILDREN.fi.has(l))) put('c:child', QUALITY.part);
    for (const lemma of analysis?.lemmas ?? []) {
      put(`l:${lemma}`, QUALITY.lemma);
      put(`s:fi:${stem('fi', lemma)}`, QUALITY.stem);
      // "olen pelannut" is pelata as "pelasin" is: the analyser gives a past participle as its own base form.
      const verb = participleVerb(lemma);
      if (verb) {
        put(`l:${verb}`, QUALITY.lemma);
        put(`s:fi:${stem('fi', verb)}`, QUALITY.stem);
      }
    }
    for (const part of analysis?.parts ?? []) if (part.length >= 3) put(`l:${part}`, QUALITY.part);
    // A colloquial word is also its standard word ("firma" a yritys), as a translation is.
    for (const lemma of analysis?.lemmas ?? []) {
      const standard = standardFinnish(lemma);
      if (standard) {
        put(`l:${standard}`, QUALITY.translation);
        put(`s:fi:${stem('fi', standard)}`, QUALITY.translation);
      }
    }
    for (const part of analysis?.parts ?? []) {
      const standard = standardFinnish(part);
      if (standard) put(`l:${standard}`, QUALITY.part * QUALITY.translation);
    }
  } else {
    // By the word itself, or by its stem where that is long enough not to be another word ("fara" is not "far").
    const stemmed = stem(language, word);
    if (!relativeStems[language].size) for (const r of RELATIVES[language]) relativeStems[language].add(stem(language, r));
    if (RELATIVES[language].has(word) || relativeStems[language].has(stemmed)) put('c:relative', QUALITY.part);
    if (!childStems[language].size) for (const r of CHILDREN[language]) childStems[language].add(stem(language, r));
    if (CHILDREN[language].has(word) || childStems[language].has(stemmed)) put('c:child', QUALITY.part);
    // "himself" and "herself" are one word but for a gender the situation does not turn on: "my son is cutting himself" is "my daughter is cutting herself".
    if (language === 'en' && THIRD_REFLEXIVES.has(word)) put('c:reflexive-other', QUALITY.stem);
    const finnish = glossaryEntry(language, word) ?? (stemmed.length >= 5 ? glossaryEntry(language, stemmed) : undefined) ?? (language === 'en' ? glossaryForm(language, word) : undefined) ?? [];
    // English words the glossary gives the same Finnish meet as nearly the same word, whatever their
    // stems ("anxious" and "anxiety", "lonely" and "loneliness"): better than a translation, less
    // than the word itself, so that a one-word entry ("job") still needs its own word (not "work").
    if (finnish.length && language === 'en') put(`g:${language}:${[...finnish].sort().join('|')}`, QUALITY.synonym);
    // The other spelling's stem too, so that "behavior" meets a phrasing's "behaviour".
    if (language === 'en') for (const variant of englishSpellings(word)) put(`s:en:${stem('en', variant)}`, QUALITY.stem);
    for (const fi of finnish)
      for (const piece of tokenize(fi))
        for (const [key, quality] of wordKeys('fi', piece) ?? []) if (key.startsWith('l:')) put(key, quality * QUALITY.translation);
  }
  // A hyphenated word ("raha-asiat", "id-kort") also counts by its parts.
  if (word.includes('-')) {
    const pieces = word.split('-').filter((p) => p.length >= 2);
    for (const piece of pieces) {
      const inner = wordKeys(language, piece);
      for (const [key, quality] of inner ?? []) put(key, quality * QUALITY.part);
    }
  }
  // A Finnish word the analyser knows meets others by its base forms' stems: the stem of the form as
  // written may be another word's ("jätti", left, and "jätteiden", of waste, are both "jät").
  if (!analysed) put(`s:${language}:${stem(language, word)}`, QUALITY.stem);
  return keys;
}

const participleCache = new Map<string, string | null>();
/**
 * The verb of a Finnish past participle the analyser gives as a base form ("pelannut" → pelata,
 * "päässyt" → päästä, "tullut" → tulla, "puhunut" → puhua, "saanut" → saada), or null.
 */
export function participleVerb(lemma: string): string | null {
  const passive = /[th](tu|ty)$/.test(lemma);
  if (!passive && !/(n|l|r|s)(ut|yt)$/.test(lemma)) return null;
  const cached = participleCache.get(lemma);
  if (cached !== undefined) return cached;
  const a = /[aou]/.test(lemma) ? 'a' : 'ä';
  if (passive) {
    const verb = passiveParticipleVerb(lemma, a);
    participleCache.set(lemma, verb);
    return verb;
  }
  const base = lemma.slice(0, -3); // pelan, men, pääs, tul, puhu, saa, teh
  const consonant = lemma.at(-3);
  const candidates =
    consonant === 'n'
      ? base.endsWith('n')
        ? [`${base.slice(0, -1)}t${a}`, `${base}n${a}`] // pelata, mennä
        : [`${base}${a}`, `${base}d${a}`] // puhua, saada, tehdä
      : consonant === 's'
        ? [`${base}t${a}`] // päästä
        : [`${base}${consonant}${a}`]; // tulla, purra
  let verb: string | null = null;
  for (const candidate of candidates) {
    if (candidate.length < 3) continue;
    if (analyseFinnish(candidate)?.lemmas.includes(candidate)) {
      verb = candidate;
      break;
    }
  }
  participleCache.set(lemma, verb);
  return verb;
}

/**
 * The verb of a Finnish passive past participle ("yritetty" → yrittää, "menetetty" → menettää,
 * "maksettu" → maksaa, "irtisanottu" → irtisanoa, "kiusattu" → kiusata, "tehty" → tehdä, "haettu" → hakea): "on yritetty"
 * and "yritämme" are the same doing. Candidates are tried against the analyser; null when none is a verb.
 */
function passiveParticipleVerb(lemma: string, a: string): string | null {
  const base = lemma.endsWith('htu') || lemma.endsWith('hty') ? lemma.slice(0, -2) : lemma.slice(0, -3); // yrite, menete, makse, irtisano, kiusa, teh, hae, hoide
  const short = base.slice(0, -1); // yrit, menet, maks, irtisan, te, ha, hoid
  const candidates = [
    `${short}t${a}${a}`, // yrittää, menettää
    `${short}${a}${a}`, // maksaa
    `${base}${a}`, // irtisanoa
    `${base}t${a}`, // kiusata
    `${base}d${a}`, // tehdä
    `${short}ke${a}`, // hakea
    `${short.replace(/d$/, 't')}${a}${a}`, // hoitaa
    `${base.replace(/(?<=[aeiouyäö])([kpt])(?=[aeiouyäö]$)/, '$1$1')}${a}`, // nukuttu → nukkua
    `${short.replace(/(?<=[aeiouyäö])([kpt])$/, '$1$1')}${a}${a}`, // tapettu → tappaa
  ];
  for (const candidate of candidates) if (candidate.length >= 4 && analyseFinnish(candidate)?.lemmas.includes(candidate)) return candidate;
  return null;
}

/** The words of a text that can carry meaning, lower case, in order (repeats removed). */
export function contentWords(language: Language, text: string): string[] {
  const out: string[] = [];
  for (const token of meaningfulTokens(language, text)) if (!out.includes(token) && wordKeys(language, token)) out.push(token);
  return out;
}

/** Spoken English as typed: "i wanna die" says what "i want to die" does. */
const SPOKEN_ENGLISH = new Map([
  ['wanna', 'want'],
  ['gonna', 'going'],
  ['kinda', 'kind'],
  ['gotta', 'must'],
  ['dunno', 'know'],
]);

/**
 * English phrasal verbs whose meaning is not their verb's, as the one word that says it: "who looks
 * after my kid" is care, "i am looking for work" a search, and the two met by "look". Both a
 * question and the model's phrasings are read so.
 */
const PHRASAL_VERBS = new Map<string, Map<string, string>>([
  ['look', new Map([['after', 'care'], ['for', 'seek']])],
  ['looks', new Map([['after', 'cares'], ['for', 'seeks']])],
  ['looking', new Map([['after', 'caring'], ['for', 'seeking']])],
  ['looked', new Map([['after', 'cared'], ['for', 'sought']])],
  ['pass', new Map([['away', 'die']])],
  ['passed', new Map([['away', 'died']])],
  ['passing', new Map([['away', 'dying']])],
  ['pick', new Map([['on', 'bully']])],
  ['picks', new Map([['on', 'bullies']])],
  ['picked', new Map([['on', 'bullied']])],
  ['picking', new Map([['on', 'bullying']])],
]);
function phrasalVerbs(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const joined = PHRASAL_VERBS.get(tokens[i]!)?.get(tokens[i + 1] ?? '');
    if (joined) {
      out.push(joined);
      i++;
    } else out.push(tokens[i]!);
  }
  return out;
}

const SWEDISH_POSSESSIVES = words('min din hans hennes vår er sin deras ens');
/**
 * The tokens of a text, less a Swedish "man" that is the pronoun "one" ("hur gör man", "var lämnar
 * man"): it is someone's husband only after a possessive ("min man", "systerns man", "mammas man").
 * Else "min man lämnade mig" met "var lämnar man gamla färger" by both its words.
 */
export function meaningfulTokens(language: Language, text: string): string[] {
  const tokens = tokenize(text);
  if (language === 'en') return phrasalVerbs(tokens.map((token) => SPOKEN_ENGLISH.get(token) ?? token));
  if (language !== 'sv') return tokens;
  return tokens.filter((token, i) => token !== 'man' || (i > 0 && (SWEDISH_POSSESSIVES.has(tokens[i - 1]!) || /\p{L}{3,}s$/u.test(tokens[i - 1]!))));
}

/**
 * Optimal string alignment distance (Damerau–Levenshtein, adjacent swaps count one), or
 * `limit + 1` as soon as it is sure to exceed `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let prevPrev = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const cur = new Array<number>(cols).fill(0);
    cur[0] = i;
    let best = cur[0];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      cur[j] = v;
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[cols - 1]!;
}

/** Whether the analyser knows the word as it is written (Finnish only; Swedish and English have no analyser here). */
export function isKnownWord(language: Language, word: string): boolean {
  return language === 'fi' && analyseFinnish(word) !== null;
}

/** Every string made of `word` less one or two of its letters (with the word itself): the keys of a delete index. */
export function deletions(word: string, depth: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const w of frontier)
      for (let i = 0; i < w.length; i++) {
        const shorter = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(shorter)) {
          out.add(shorter);
          next.push(shorter);
        }
      }
    frontier = next;
  }
  return out;
}
