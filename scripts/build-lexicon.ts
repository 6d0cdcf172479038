/**
 * Builds data/lexicon/fi-analyses.json: the Finnish word forms of the shipped texts (demo catalogue,
 * code lists, meter and life-event profiles, glossary) analysed by Voikko into base forms and
 * compound parts. The recommender reads it first, so a machine without libvoikko still analyses
 * these words as one with it would. Needs libvoikko1 and voikko-fi (Debian) when run:
 *   node --import tsx scripts/build-lexicon.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeLists } from '../src/catalogue/codelists.ts';
import { tokenize } from '../src/recommender/text/analyzer.ts';
import { loadVoikko } from '../src/recommender/text/voikko.ts';
import { LIFE_EVENTS } from '../src/recommender/life-events.ts';
import { METER_TEXTS } from '../src/recommender/meters.ts';

const voikko = loadVoikko();
if (!voikko) {
  console.error('libvoikko is not installed (apt-get install libvoikko1 voikko-fi)');
  process.exit(1);
}
const root = join(import.meta.dirname, '..');
const texts: string[] = [];
const collect = (value: unknown) => {
  if (typeof value === 'string') texts.push(value);
  else if (Array.isArray(value)) value.forEach(collect);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) if (k === 'value' || k === 'fi' || typeof v === 'object') collect(v);
};
for (const f of ['services.ptv.json', 'service-etalukio.json', 'services-by-id.json', 'service-channel-otava.json'])
  collect(JSON.parse(readFileSync(join(root, 'data', 'demo', f), 'utf8')));
const lists = codeLists();
for (const c of [...lists.serviceClasses, ...lists.targetGroups]) texts.push(c.name.fi ?? '', c.description?.fi ?? '');
for (const m of Object.values(METER_TEXTS)) texts.push(m.name.fi, m.profile.fi);
for (const e of Object.values(LIFE_EVENTS)) texts.push(e.name.fi, e.profile.fi);
const glossary = JSON.parse(readFileSync(join(root, 'data', 'lexicon', 'glossary.json'), 'utf8')) as { en: Record<string, string[]>; sv: Record<string, string[]> };
for (const lang of ['en', 'sv'] as const) for (const values of Object.values(glossary[lang])) texts.push(values.join(' '));

const words = new Set<string>();
for (const text of texts) for (const token of tokenize(text)) for (const w of token.includes('-') ? [token, ...token.split('-')] : [token]) if (w.length >= 2 && !/^\d+$/.test(w)) words.add(w);

const out: Record<string, [string[], string[]]> = {};
for (const word of [...words].sort()) {
  const a = voikko.analyze(word);
  if (a) out[word] = [a.lemmas, a.parts];
}
writeFileSync(join(root, 'data', 'lexicon', 'fi-analyses.json'), JSON.stringify(out) + '\n');
console.log(`${words.size} word forms, ${Object.keys(out).length} analysed, written to data/lexicon/fi-analyses.json`);
