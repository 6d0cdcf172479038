import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { codeLists } from '../catalogue/codelists.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { MAX_REACH_KM, MIN_REACH_KM, distanceKm, municipalityCentres, nearestMunicipality } from './municipality.ts';

describe('municipality centres', () => {
  test('cover the 2023 municipality codes, each once, inside Finland; the missing one is named', () => {
    const { centres, missing } = municipalityCentres();
    const codes = codeLists().municipalityCodes;
    assert.equal(new Set(centres.map((c) => c.code)).size, centres.length);
    for (const c of centres) {
      assert.ok(codes.has(c.code), c.code);
      assert.ok(c.latitude > 59.5 && c.latitude < 70.1 && c.longitude > 19.3 && c.longitude < 31.6, `${c.code} ${c.latitude},${c.longitude}`);
    }
    assert.equal(centres.length + missing.length, codes.size);
    assert.deepEqual(missing, ['082 Hattula']);
  });

  test('distance: Helsinki to Turku is about 150 km', () => {
    const d = distanceKm(60.1695, 24.9354, 60.4515, 22.2687);
    assert.ok(d > 145 && d < 155, String(d));
    assert.equal(distanceKm(60, 25, 60, 25), 0);
  });

  test('known places resolve to their municipality', () => {
    const cases: [string, number, number, string][] = [
      ['Helsinki railway station', 60.1710, 24.9414, '091'],
      ['Espoo centre', 60.2050, 24.6560, '049'],
      ['Vaasa market square', 63.0960, 21.6158, '905'],
      ['Kuopio market square', 62.8924, 27.6783, '297'],
      ['Nuorgam, Utsjoki', 70.0800, 27.8700, '890'],
      ['Turku cathedral', 60.4524, 22.2781, '853'],
      ['Oulu market square', 65.0138, 25.4650, '564'],
      ['Mikkeli centre', 61.6886, 27.2723, '491'],
      ['Mariehamn, Åland', 60.0970, 19.9350, '478'],
      ['Rovaniemi, Arktikum', 66.5079, 25.7344, '698'],
      ['Ivalo, Inari', 68.6573, 27.5394, '148'],
    ];
    for (const [label, lat, lon, code] of cases) assert.equal(nearestMunicipality(lat, lon)?.code, code, label);
  });

  test('outside Finland: none', () => {
    assert.equal(nearestMunicipality(59.3293, 18.0686), null); // Stockholm
    assert.equal(nearestMunicipality(59.4370, 24.7536), null); // Tallinn, inside the box, across the gulf
    assert.equal(nearestMunicipality(60.7096, 28.7490), null); // Vyborg
    assert.equal(nearestMunicipality(59.9386, 30.3141), null); // St Petersburg
    assert.equal(nearestMunicipality(67.9, 31.5), null); // Russian Karelia
    assert.equal(nearestMunicipality(69.65, 18.96), null); // Tromsø, west of the box
    assert.equal(nearestMunicipality(Number.NaN, 25), null);
  });

  test('property: the answer is the centre with the least distance, when within its reach', () => {
    const { centres } = municipalityCentres();
    for (const c of centres) assert.ok(c.reachKm >= MIN_REACH_KM && c.reachKm <= MAX_REACH_KM);
    fc.assert(
      fc.property(fc.double({ min: 59.3, max: 70.2, noNaN: true }), fc.double({ min: 19, max: 31.7, noNaN: true }), (lat, lon) => {
        const found = nearestMunicipality(lat, lon);
        const distances = centres.map((c) => distanceKm(lat, lon, c.latitude, c.longitude));
        const least = Math.min(...distances);
        const nearest = centres[distances.indexOf(least)]!;
        if (least > nearest.reachKm) return found === null;
        return found !== null && Math.abs(found.distanceKm - least) < 1e-9 && codeLists().municipalityCodes.has(found.code);
      }),
      { numRuns: 500 },
    );
  });

  test('property: each centre is its own municipality', () => {
    for (const c of municipalityCentres().centres) assert.equal(nearestMunicipality(c.latitude, c.longitude)?.code, c.code, c.place);
  });
});

for (const backend of testBackends()) {
  describe(`GET /api/v1/geo/municipality (${backend})`, () => {
    let t: TestApp;
    let app: FastifyInstance;
    before(async () => {
      t = await createTestApp(backend);
      app = t.app;
    });
    after(async () => t.close());

    const get = (query: string) => app.inject({ method: 'GET', url: `/api/v1/geo/municipality?${query}` });

    test('coordinates to a municipality, named in the language asked, not cached', async () => {
      const r = await get('lat=61.69&lon=27.27&lang=sv');
      assert.equal(r.statusCode, 200, r.body);
      const body = r.json();
      assert.equal(body.code, '491');
      assert.equal(body.name, 'S:t Michel');
      assert.equal(body.method, 'nearest-municipal-centre');
      assert.equal(body.approximate, true);
      assert.match(body.attribution, /GeoNames/);
      assert.ok(body.distance_km < 5);
      assert.equal(r.headers['cache-control'], 'no-store');
      const all = (await get('lat=60.17&lon=24.94')).json();
      assert.deepEqual(all.name, { fi: 'Helsinki', sv: 'Helsingfors', en: 'Helsinki' });
    });

    test('outside Finland: 404 problem in the language asked', async () => {
      const r = await get('lat=59.33&lon=18.07&lang=fi');
      assert.equal(r.statusCode, 404);
      assert.match(r.headers['content-type'] as string, /^application\/problem\+json/);
      assert.match(r.json().type, /outside-finland$/);
      assert.match(r.json().detail, /Valitse kunta/);
    });

    test('bad input: 400 problem, never a 500', async () => {
      for (const query of ['', 'lat=60', 'lon=25', 'lat=abc&lon=25', 'lat=91&lon=25', 'lat=60&lon=181', 'lat=1e999&lon=25', 'lat=60&lon=-1e999', 'lat=60&lon=25&lang=de', 'lat=60&lon=25&x=1', 'lat=Infinity&lon=25']) {
        const r = await get(query);
        assert.equal(r.statusCode, 400, `${query}: ${r.body}`);
        assert.match(r.headers['content-type'] as string, /^application\/problem\+json/);
      }
    });
  });
}
