/**
 * Rebuilds the run-time data the project ships (data/codelists, data/demo) from the project's shared
 * reference folder (../shared by default). Run it when the sources change:
 *   node --import tsx scripts/build-data.ts [SHARED_DIR]
 * The outputs are committed, so the network never needs ../shared at run time.
 */
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const shared = resolve(process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared'));
const src = (p: string) => join(shared, 'data', p);
const out = join(import.meta.dirname, '..', 'data');

type Label = { fi?: string; sv?: string; en?: string };
interface CodeEntry { codeValue: string; prefLabel: Label; description?: Label; uri: string; status: string }

const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
const pickLabel = (l: Label | undefined): Label => {
  const r: Label = {};
  for (const k of ['fi', 'sv', 'en'] as const) if (l?.[k]) r[k] = l[k]!.trim();
  return r;
};
/** The code lists' CSV mappings are Windows-1252, `;`-separated, with values like "'020'". */
function readMapping(file: string): Map<string, string> {
  const text = new TextDecoder('windows-1252').decode(readFileSync(src(`codelists/${file}`)));
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^"'(\d+)'";"[^"]*";"'(\d+)'"/.exec(line);
    if (m) map.set(m[1]!, m[2]!);
  }
  return map;
}
const parentOf = (code: string) => (code.includes('.') ? code.slice(0, code.lastIndexOf('.')) : null);
const write = (name: string, value: unknown) => {
  writeFileSync(join(out, name), JSON.stringify(value, null, 1) + '\n');
  console.log(`wrote data/${name}`);
};

mkdirSync(join(out, 'codelists'), { recursive: true });
mkdirSync(join(out, 'demo'), { recursive: true });

const toRegion = readMapping('municipality_to_region.csv');
const toHospital = readMapping('municipality_to_hospital_district.csv');
const toWellbeing = readMapping('municipality_to_wellbeing_service_county_codes.csv');

const municipalities = (readJson(src('codelists/municipalities-2023.json')).results as CodeEntry[]).map((c) => ({
  code: c.codeValue,
  name: pickLabel(c.prefLabel),
  region: toRegion.get(c.codeValue) ?? null,
  hospital_district: toHospital.get(c.codeValue) ?? null,
  wellbeing_service_county: toWellbeing.get(c.codeValue) ?? null,
}));
write('codelists/municipalities.json', municipalities);

const simple = (file: string) =>
  (readJson(src(`codelists/${file}`)).codes as CodeEntry[])
    .map((c) => ({ code: c.codeValue, name: pickLabel(c.prefLabel) }))
    .sort((a, b) => a.code.localeCompare(b.code));
write('codelists/regions.json', simple('regions.json'));
write('codelists/hospital-districts.json', simple('hospital-districts.json'));
write('codelists/wellbeing-service-counties.json', simple('wellbeing-service-counties.json'));
write(
  'codelists/target-groups.json',
  (readJson(src('codelists/target-groups.json')).codes as CodeEntry[]).map((c) => ({
    code: c.codeValue,
    parent: parentOf(c.codeValue),
    name: pickLabel(c.prefLabel),
  })),
);
write(
  'codelists/service-classes.json',
  (readJson(src('codelists/ptv-service-classes-2023.json')).results as CodeEntry[]).map((c) => ({
    code: c.codeValue,
    uri: c.uri,
    parent: parentOf(c.codeValue),
    name: pickLabel(c.prefLabel),
    description: pickLabel(c.description),
  })),
);
write('codelists/funding-types.json', readJson(src('codelists/funding_types.json')));

copyFileSync(src('ptv-sample/services.ptv.json'), join(out, 'demo', 'services.ptv.json'));
for (const f of ['service-etalukio.json', 'service-channel-otava.json', 'services-by-id.json'])
  copyFileSync(src(`ptv-api-samples/${f}`), join(out, 'demo', f));
console.log('copied data/demo');
