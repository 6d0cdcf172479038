/**
 * Probes the situation matcher with your own questions (issue #12): prints, for each, the concepts
 * understood (with score and matched phrase) and whether the expected one is among the first two;
 * with --services, also the first five services a Mikkeli resident gets (demo import, ~20 s).
 *
 *   node --import tsx bench/situations/probe.ts MODULE.ts [--services] [--misses]
 *
 * MODULE exports COLLOQUIAL: [language, text, concept][] and optionally OOD: [language, text][] and
 * CRISIS: [language, text, crisis][] (whether the text should put the crisis lines first).
 * Never point it at the development set: it is for fresh phrasings.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { shippedSituationMatcher } from '../../src/recommender/situations/understand.ts';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: probe.ts MODULE.ts [--services] [--misses]');
const services = args.includes('--services');
const missesOnly = args.includes('--misses');
const mod = (await import(pathToFileURL(resolve(file)).href)) as {
  COLLOQUIAL: readonly (readonly [string, string, string])[];
  OOD?: readonly (readonly [string, string])[];
  CRISIS?: readonly (readonly [string, string, boolean])[];
};
const matcher = shippedSituationMatcher();
type Lang = 'fi' | 'sv' | 'en';

let recommend: ((text: string, language: Lang) => string[]) | undefined;
if (services) {
  const { openDatabase } = await import('../../src/db/database.ts');
  const { importDemo } = await import('../../src/testing/fixtures.ts');
  const { Recommender } = await import('../../src/recommender/recommender.ts');
  const database = await openDatabase({ kind: 'pglite-memory' });
  await importDemo(database.db);
  const recommender = new Recommender();
  await recommender.sync(database.db);
  recommend = (text, language) =>
    recommender
      .recommend({ text, textLanguage: language, filters: { municipality_codes: ['491'] }, limit: 5 })
      .map((r) => (r.name as Record<string, string | undefined>)[language] ?? (r.name as Record<string, string | undefined>).fi ?? r.serviceId);
}

const tally = new Map<string, [number, number]>();
for (const [language, text, expected] of mod.COLLOQUIAL) {
  const u = matcher.understand(text, { language: language as Lang });
  const ids = u.concepts.map((m) => m.concept.id);
  const ok = ids.slice(0, 2).includes(expected);
  const t = tally.get(language) ?? [0, 0];
  tally.set(language, [t[0] + (ok ? 1 : 0), t[1] + 1]);
  if (missesOnly && ok) continue;
  console.log(`${ok ? 'ok  ' : 'MISS'} [${language}] ${text}  → want ${expected}`);
  for (const m of u.concepts.slice(0, 3)) console.log(`       ${m.concept.id} ${m.score} "${m.phrase}" (${m.words.join(', ')})`);
  if (!ok) for (const m of matcher.matches(text, language as Lang).slice(0, 4)) console.log(`       ~ ${m.concept.id} ${m.score} "${m.phrase}" (${m.words.join(', ')})`);
  if (recommend) for (const name of recommend(text, language as Lang)) console.log(`         · ${name}`);
}
for (const [language, [ok, n]] of tally) console.log(`${language}: ${ok}/${n} = ${((100 * ok) / n).toFixed(0)} %`);
for (const [language, text] of mod.OOD ?? []) {
  const ids = matcher.understand(text, { language: language as Lang }).concepts.map((m) => `${m.concept.id} ${m.score}`);
  const found = recommend ? recommend(text, language as Lang).length : 0;
  console.log(`OOD [${language}] ${text} → ${ids.join(', ') || '-'}${recommend ? `; ${found} services` : ''}`);
}
let crisisRight = 0;
for (const [language, text, expected] of mod.CRISIS ?? []) {
  const u = matcher.understand(text, { language: language as Lang });
  const ok = u.crisis === expected;
  if (ok) crisisRight++;
  if (missesOnly && ok) continue;
  const why = u.concepts.filter((m) => m.concept.crisis).map((m) => `${m.concept.id} ${m.score} "${m.phrase}"`);
  console.log(`${ok ? 'ok  ' : 'MISS'} crisis ${u.crisis ? 'yes' : 'no '} (want ${expected ? 'yes' : 'no'}) [${language}] ${text}${why.length ? `  ← ${why.join(', ')}` : ''}`);
}
if (mod.CRISIS?.length) console.log(`crisis: ${crisisRight}/${mod.CRISIS.length}`);
