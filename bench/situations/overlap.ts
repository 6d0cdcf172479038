/**
 * Which phrasings of the situation model repeat a measuring set's question word for word (issue #12).
 *
 *   node --import tsx bench/situations/overlap.ts [FILE.json ...]
 *
 * The development set (dev-set.json) and the Finnish check set (fi-check.json) measure how the
 * model does on wording it has not seen; a phrasing copied from one of their questions makes the
 * figure say how well the model repeats its data instead. Reported: every phrasing of three or more
 * words whose words occur in a question of its language in the same order, one after another.
 * Both are read as the analyser reads them (tokenize: lower case, words only, so "+" marks and
 * punctuation do not hide a copy), and words are compared by their Snowball stems, so a phrasing
 * that differs from a question only by endings or a spoken form ("en päässyt mihinkään kouluun" ~
 * "en päässy mihinkään kouluun") is a copy too; those that are the same word for word are marked.
 * Exits 1 when there is any. test/situation-model-overlap.test.ts keeps it at none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES, type Language } from '../../src/catalogue/model.ts';
import { loadSituationModel, type SituationConcept } from '../../src/recommender/situations/model.ts';
import { stem, tokenize } from '../../src/recommender/text/analyzer.ts';

export const SETS_DIR = import.meta.dirname;
export const MEASURING_SETS = ['dev-set.json', 'fi-check.json'].map((file) => join(SETS_DIR, file));

/** The fewest words a phrasing needs to count as a copy: two words ("olen työtön") are how anyone says it. */
export const MIN_WORDS = 3;

export interface Question {
  set: string;
  situation: string;
  language: Language;
  text: string;
}

export interface Overlap {
  concept: string;
  language: Language;
  phrasing: string;
  question: Question;
  /** The same words, not only the same stems. */
  wordForWord: boolean;
}

interface SetFile {
  situations: { id: string; queries: Partial<Record<Language, string[]>> }[];
  outOfDomain?: Partial<Record<Language, string[]>>;
}

/** Every question of a measuring set, the out-of-domain ones included. */
export function readQuestions(path: string): Question[] {
  const data = JSON.parse(readFileSync(path, 'utf8')) as SetFile;
  const set = path.split('/').at(-1)!;
  const out: Question[] = [];
  for (const situation of data.situations)
    for (const language of LANGUAGES) for (const text of situation.queries[language] ?? []) out.push({ set, situation: situation.id, language, text });
  for (const language of LANGUAGES) for (const text of data.outOfDomain?.[language] ?? []) out.push({ set, situation: 'out-of-domain', language, text });
  return out;
}

/** Whether `needle` occurs in `haystack` as consecutive items. */
export function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0 || needle.length > haystack.length) return false;
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let i = 0; i < needle.length; i++) if (haystack[start + i] !== needle[i]) continue outer;
    return true;
  }
  return false;
}

const stems = (language: Language, words: readonly string[]) => words.map((word) => stem(language, word));

/** The phrasings of `model` (MIN_WORDS words or more) that occur in a question of their language, by stems. */
export function findOverlaps(model: { concepts: readonly (Pick<SituationConcept, 'id' | 'phrasings'> & { crisis?: boolean })[] }, questions: readonly Question[]): Overlap[] {
  const out: Overlap[] = [];
  const asked = questions.map((question) => {
    const words = tokenize(question.text);
    return { question, words, stems: stems(question.language, words) };
  });
  for (const concept of model.concepts) {
    // Immediate danger is said in a few plain words everyone uses ("jag vill inte leva"); such a
    // phrasing stays in the model even where a measuring set asks in the same words, because missing
    // a person in danger costs more than a development figure a little too kind (README says so).
    if (concept.crisis) continue;
    for (const language of LANGUAGES)
      for (const phrasing of concept.phrasings[language]) {
        const words = tokenize(phrasing);
        if (words.length < MIN_WORDS) continue;
        const phraseStems = stems(language, words);
        for (const q of asked)
          if (q.question.language === language && containsRun(q.stems, phraseStems))
            out.push({ concept: concept.id, language, phrasing, question: q.question, wordForWord: containsRun(q.words, words) });
      }
  }
  return out;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const questions = (files.length ? files : MEASURING_SETS).flatMap(readQuestions);
  const model = loadSituationModel();
  const found = findOverlaps(model, questions);
  const exact = found.filter((o) => o.wordForWord).length;
  console.log(`model ${model.version}, ${questions.length} questions: ${found.length} phrasings repeat a question (${exact} word for word, ${found.length - exact} but for endings)`);
  for (const o of found)
    console.log(`${o.language} ${o.wordForWord ? '=' : '~'} ${o.concept}: "${o.phrasing}"  in  ${o.question.set} ${o.question.situation}: "${o.question.text}"`);
  process.exitCode = found.length ? 1 : 0;
}
