import { deletions } from './words.ts';

/**
 * Known words by their deletions, for spelling tolerance (symmetric delete): a word within `depth`
 * typing errors of another shares with it a form that both reach by deleting at most `depth`
 * letters. `candidates` names every known word that shares such a form with the word asked about;
 * the caller measures each candidate's edit distance, which it must do for any candidate.
 *
 * The forms are kept by a 32-bit hash in typed arrays, not as a Map of strings: half a million forms
 * of the model's 11,000 words were 130 MB of strings and arrays, which every full garbage collection
 * of a server marked (a sixth of its time at 100,000 services, in a pause of every request). Two
 * forms of equal hash only add a candidate, which its edit distance then turns away.
 */
export class DeletionIndex {
  readonly #words: string[] = [];
  /** Per bucket (hash & mask), its first entry; -1 for none. */
  readonly #buckets: Int32Array;
  /** Per entry: its form's hash, its word (in #words) and the bucket's next entry. */
  readonly #hashes: Int32Array;
  readonly #wordOf: Int32Array;
  readonly #next: Int32Array;
  readonly #mask: number;

  /** `words`: each word, the form it is compared as (folded), and how many deletions of it to keep. */
  constructor(words: Iterable<{ word: string; form: string; depth: number }>) {
    const hashes: number[] = [];
    const wordOf: number[] = [];
    for (const { word, form, depth } of words) {
      const w = this.#words.push(word) - 1;
      for (const d of deletions(form, depth)) {
        hashes.push(hashOf(d));
        wordOf.push(w);
      }
    }
    let size = 1024;
    while (size < hashes.length * 2) size *= 2;
    this.#mask = size - 1;
    this.#buckets = new Int32Array(size).fill(-1);
    this.#hashes = Int32Array.from(hashes);
    this.#wordOf = Int32Array.from(wordOf);
    this.#next = new Int32Array(hashes.length);
    for (let e = 0; e < hashes.length; e++) {
      const b = hashes[e]! & this.#mask;
      this.#next[e] = this.#buckets[b]!;
      this.#buckets[b] = e;
    }
  }

  /** The known words sharing a form with `form` that it reaches by deleting at most `depth` letters. */
  candidates(form: string, depth: number): Set<string> {
    const out = new Set<string>();
    for (const d of deletions(form, depth)) {
      const h = hashOf(d);
      for (let e = this.#buckets[h & this.#mask]!; e >= 0; e = this.#next[e]!) if (this.#hashes[e] === h) out.add(this.#words[this.#wordOf[e]!]!);
    }
    return out;
  }
}

/** FNV-1a over the UTF-16 code units, as a signed 32-bit integer (what an Int32Array holds). */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}
