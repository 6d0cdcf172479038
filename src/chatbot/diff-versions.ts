import type { Db } from '../db/database.ts';
import type { Pack } from './pack.ts';
import { ownBot, readVersion } from './store.ts';

/**
 * What changed between two versions (or a version and the draft), as data the console can show:
 * intents added and removed, and per changed intent the examples added and removed per language
 * and the answers changed; forms, shared dialogues, tests and settings as added/removed ids.
 */
export interface PackDiff {
  intents: { added: string[]; removed: string[]; changed: { id: string; examples: Record<string, { added: string[]; removed: string[] }>; answer: Record<string, { from: string | null; to: string | null }>; services: { added: string[]; removed: string[] } }[] };
  forms: { added: string[]; removed: string[]; changed: string[] };
  shared: { added: string[]; removed: string[] };
  tests: { added: string[]; removed: string[]; changed: string[] };
  settings: string[];
}

const setDiff = (a: readonly string[], b: readonly string[]) => ({ added: b.filter((x) => !a.includes(x)), removed: a.filter((x) => !b.includes(x)) });

export function diffPacks(from: Pack, to: Pack): PackDiff {
  const ids = (p: Pack) => p.intents.map((i) => i.id);
  const changed: PackDiff['intents']['changed'] = [];
  for (const after of to.intents) {
    const before = from.intents.find((i) => i.id === after.id);
    if (!before) continue;
    const examples: Record<string, { added: string[]; removed: string[] }> = {};
    const answer: Record<string, { from: string | null; to: string | null }> = {};
    for (const l of ['fi', 'sv', 'en'] as const) {
      const d = setDiff(before.examples[l] ?? [], after.examples[l] ?? []);
      if (d.added.length || d.removed.length) examples[l] = d;
      if ((before.answer.text[l] ?? null) !== (after.answer.text[l] ?? null)) answer[l] = { from: before.answer.text[l] ?? null, to: after.answer.text[l] ?? null };
    }
    const services = setDiff(before.answer.services ?? [], after.answer.services ?? []);
    if (Object.keys(examples).length || Object.keys(answer).length || services.added.length || services.removed.length || before.form !== after.form) changed.push({ id: after.id, examples, answer, services });
  }
  const byId = <T extends { id?: string; name?: string }>(list: T[], key: (t: T) => string, a: T[]) => list.filter((x) => { const o = a.find((y) => key(y) === key(x)); return o && JSON.stringify(o) !== JSON.stringify(x); }).map(key);
  const settings = (['languages', 'handover', 'threshold'] as const).filter((k) => JSON.stringify(from[k]) !== JSON.stringify(to[k]));
  return {
    intents: { ...setDiff(ids(from), ids(to)), changed },
    forms: { ...setDiff(from.forms.map((f) => f.id), to.forms.map((f) => f.id)), changed: byId(to.forms, (f) => f.id, from.forms) },
    shared: setDiff(from.shared, to.shared),
    tests: { ...setDiff(from.tests.map((t) => t.name), to.tests.map((t) => t.name)), changed: byId(to.tests, (t) => t.name, from.tests) },
    settings,
  };
}

/** The diff from version `from` to version `to` ('draft' for the draft). */
export async function diffVersions(db: Db, memberId: string, botId: string, from: number, to: number | 'draft'): Promise<PackDiff> {
  const bot = await ownBot(db, memberId, botId);
  return diffPacks(await readVersion(db, botId, from), to === 'draft' ? bot.draft : await readVersion(db, botId, to));
}
