import { createRequire } from 'node:module';
import { setting } from '../../config.ts';

/**
 * Finnish morphology through libvoikko (Debian: libvoikko1 and voikko-fi), the standard Finnish
 * analyser, called through koffi's FFI. It is optional: where the library or its dictionary is
 * missing, `loadVoikko` gives null and the analyser falls back to the shipped lexicon and a stemmer.
 */
export interface FinnishAnalysis {
  /** Base forms of the word (several when it is ambiguous). */
  lemmas: string[];
  /** Base forms of the parts of a compound ("vuokra-asunto": vuokra, asunto); empty for a simple word. */
  parts: string[];
}

export interface Voikko {
  analyze(word: string): FinnishAnalysis | null;
}

let loaded: Voikko | null | undefined;

export function loadVoikko(): Voikko | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (!setting('AURORA_VOIKKO')) return null;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const lib = koffi.load('libvoikko.so.1');
    const init = lib.func('void *voikkoInit(_Out_ const char **error, const char *langcode, const char *path)');
    const analyzeWord = lib.func('void **voikkoAnalyzeWordCstr(void *handle, const char *word)');
    const value = lib.func('const char *voikko_mor_analysis_value_cstr(void *analysis, const char *key)');
    const free = lib.func('void voikko_free_mor_analysis(void **analysis)');
    const error: (string | null)[] = [null];
    const handle = init(error, 'fi', null);
    if (!handle) return null;
    const cache = new Map<string, FinnishAnalysis | null>();
    const raw = (word: string) => {
      const list = analyzeWord(handle, word);
      const out: { base: string; structure: string }[] = [];
      if (!list) return out;
      try {
        for (let i = 0; ; i++) {
          const analysis = koffi.decode(list, i * koffi.sizeof('void *'), 'void *');
          if (!analysis) break;
          const base = value(analysis, 'BASEFORM') as string | null;
          if (base) out.push({ base: base.toLowerCase(), structure: (value(analysis, 'WORDBASES') as string | null) ?? '' });
        }
      } finally {
        free(list);
      }
      return out;
    };
    loaded = {
      analyze(word: string) {
        if (cache.has(word)) return cache.get(word)!;
        const analyses = raw(word);
        let result: FinnishAnalysis | null = null;
        if (analyses.length) {
          const lemmas = [...new Set(analyses.map((a) => a.base))];
          const parts = new Set<string>();
          for (const a of analyses) for (const part of compoundParts(a.structure)) if (!lemmas.includes(part)) parts.add(part);
          // Parts are named by their surface text; analyse each to its own base form.
          const partLemmas = new Set<string>();
          for (const p of parts) {
            const inner = raw(p);
            partLemmas.add(inner.find((a) => a.base === p)?.base ?? inner[0]?.base ?? p);
          }
          result = { lemmas, parts: [...partLemmas].filter((p) => p.length >= 3 && !lemmas.includes(p)) };
        }
        if (cache.size > 200_000) cache.clear();
        cache.set(word, result);
        return result;
      },
    };
    return loaded;
  } catch {
    return null;
  }
}

/**
 * Voikko's WORDBASES, e.g. "+mielen(mieli)+terve(terve)+ys(+ys)+palvel(palvella)+u(+u)": each
 * "+surface(base)" is a morpheme; those whose base starts with "+" are suffixes of the part before.
 * Returns the surface text of each compound part ("mielen", "terveys", "palvelu").
 */
export function compoundParts(structure: string): string[] {
  const parts: string[] = [];
  // A morpheme without "(base)" ("+n" in "+neuvo(neuvoa)+n+ta(+ta)") is a suffix too; "+-" a hyphen.
  for (const m of structure.matchAll(/\+([^+(]*)(?:\(([^)]*)\))?/g)) {
    const [, surface = '', base] = m;
    if (surface === '-') continue;
    if ((base === undefined || base.startsWith('+')) && parts.length) parts[parts.length - 1] += surface;
    else if (surface) parts.push(surface);
  }
  return parts.length > 1 ? parts.map((p) => p.toLowerCase()) : [];
}
