import { codeLists } from '../../catalogue/codelists.ts';
import { analyseFinnish, tokenize } from '../../recommender/text/analyzer.ts';

/**
 * Entities a form asks for: an age, a municipality (from the shipped code list, in any of its
 * names and in Finnish inflected forms: "Tampereella", "Espoosta", "Helsingissä") and a date
 * (written as numbers, or today / tomorrow / the day after in fi, sv and en).
 */

const AGE_PATTERNS = [
  /\b(\d{1,3})\s*-?\s*(?:v\b|vuotias|vuotiaana|vuoden ikäinen|vuotta|vee|år(?:ig)?\b|years?\b|yrs?\b|y\/o\b)/iu,
  /\b(?:olen|oon|ikä|ikäni on|ikäni|jag är|i am|i'm|im|age|aged)\s+(\d{1,3})\b(?!\s*(?:lasta|barn|children|kids|kpl|euroa|€|h\b|tuntia|timmar|hours))/iu,
];

/** An age in the message; `bare` accepts a number alone (the answer to "how old are you?"). */
export function findAge(text: string, bare = false): number | null {
  for (const pattern of AGE_PATTERNS) {
    const m = pattern.exec(text);
    if (m) return plausibleAge(Number(m[1]));
  }
  if (bare) {
    const m = /^\D*?(\d{1,3})\D*$/u.exec(text.trim());
    if (m) return plausibleAge(Number(m[1]));
  }
  return null;
}
const plausibleAge = (n: number) => (Number.isInteger(n) && n >= 0 && n <= 120 ? n : null);

interface NamedPlace {
  code: string;
  name: string;
}
let places: NamedPlace[] | undefined;
function knownPlaces(): NamedPlace[] {
  if (!places) {
    const names: NamedPlace[] = [];
    for (const m of codeLists().municipalities) for (const name of new Set(Object.values(m.name).filter(Boolean) as string[])) names.push({ code: m.code, name: name.toLocaleLowerCase('fi') });
    // Longest first, so that "Pedersören kunta" wins over a shorter name inside it.
    places = names.sort((a, b) => b.name.length - a.name.length);
  }
  return places;
}

/** A municipality the message names: its code, or null. */
export function findMunicipality(text: string): string | null {
  const lower = text.toLocaleLowerCase('fi');
  const tokens = tokenize(text);
  for (const place of knownPlaces()) {
    if (place.name.includes(' ') || place.name.includes('-')) {
      if (lower.includes(place.name)) return place.code;
      continue;
    }
    for (const token of tokens) if (token === place.name || inflectionOf(token, place.name)) return place.code;
  }
  return null;
}

function inflectionOf(token: string, name: string): boolean {
  if (name.length < 4 || token.length < name.length - 1) return false;
  const lemmas = analyseFinnish(token)?.lemmas;
  if (lemmas?.some((l) => l.toLocaleLowerCase('fi') === name)) return true;
  // Stem changes ("Helsinki" → "Helsingissä", "Turku" → "Turussa") keep all but the name's last two letters.
  const stem = name.slice(0, Math.max(4, name.length - 2));
  return token.startsWith(stem) && token.length - name.length <= 5 && /^(?:ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|an|en|in|on|un|yn|än|ön|ksi|n|a|ä|ta|tä|ssa|sa|sä|han|hin|hun)?$/.test(token.slice(stem.length).replace(/^[a-zåäö]{0,2}?(?=ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|n$|ksi)/, ''));
}

const RELATIVE: Record<string, number> = { tänään: 0, today: 0, idag: 0, huomenna: 1, tomorrow: 1, imorgon: 1, ylihuomenna: 2, övermorgon: 2 };

/** A date in the message as YYYY-MM-DD, or null; `today` is the conversation's day. */
export function findDate(text: string, today = new Date()): string | null {
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  if (iso) return validDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dotted = /\b(\d{1,2})[./](\d{1,2})[./]?(\d{4}|\d{2})?\b/.exec(text);
  if (dotted) {
    const year = dotted[3] ? (dotted[3].length === 2 ? 2000 + Number(dotted[3]) : Number(dotted[3])) : today.getUTCFullYear();
    return validDate(year, Number(dotted[2]), Number(dotted[1]));
  }
  const joined = text.toLocaleLowerCase('fi').replace(/\bi (dag|morgon|övermorgon)\b/g, 'i$1').replace(/\bday after tomorrow\b/, 'övermorgon');
  for (const token of tokenize(joined)) {
    const days = RELATIVE[token];
    if (days !== undefined) return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + days)).toISOString().slice(0, 10);
  }
  return null;
}

function validDate(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date.toISOString().slice(0, 10) : null;
}
