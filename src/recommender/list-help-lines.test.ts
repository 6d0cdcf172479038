import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { importDemo } from '../testing/fixtures.ts';
import { assertProblem } from '../testing/problems.ts';
import { helpLinesFileWith, localAdviceLine } from '../testing/help-lines.ts';

const MIKKELI = localAdviceLine('mikkeli-advice', '491', { fi: 'Mikkelin kaupungin neuvonta', sv: 'S:t Michels stads rådgivning', en: 'City of Mikkeli advice' }, '015 000 000');

for (const backend of testBackends()) {
  describe(`help lines for a place (${backend})`, () => {
    let t: TestApp;
    const previous = process.env.AURORA_HELP_LINES_FILE;
    before(async () => {
      process.env.AURORA_HELP_LINES_FILE = helpLinesFileWith(MIKKELI);
      t = await createTestApp(backend);
      await importDemo(t.database.db);
    });
    after(async () => {
      if (previous === undefined) delete process.env.AURORA_HELP_LINES_FILE;
      else process.env.AURORA_HELP_LINES_FILE = previous;
      await t?.close();
    });
    const lines = async (query: string) => {
      const res = await t.app.inject(`/api/v1/help-lines${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { language: string; items: { id: string; name: string; phone: string; municipalities: string[] | null }[] };
    };

    test("a Mikkeli person's advice line is the city's, before the national one; elsewhere only the national one", async () => {
      const mikkeli = await lines('?municipality=491&kind=advice&lang=sv');
      assert.equal(mikkeli.language, 'sv');
      assert.deepEqual(mikkeli.items.map((l) => l.id), ['mikkeli-advice', 'citizens-advice']);
      assert.equal(mikkeli.items[0]!.name, 'S:t Michels stads rådgivning');
      assert.deepEqual(mikkeli.items[0]!.municipalities, ['491']);
      assert.deepEqual((await lines('?municipality=853&kind=advice')).items.map((l) => l.id), ['citizens-advice']);
      assert.deepEqual((await lines('?kind=advice')).items.map((l) => l.id), ['citizens-advice'], 'no place known: national lines only');
      const all = await lines('?municipality=491');
      assert.equal(all.items[0]!.id, 'emergency-112', 'emergency first');
      assert.equal(all.items.at(-1)!.id, 'citizens-advice');
    });

    test('an answer where nothing fits offers the local advice line to a Mikkeli person', async () => {
      const ask = async (municipality?: string) => {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/recommendations', payload: { text: 'how do I bake rye bread', ...(municipality ? { municipality_code: municipality } : {}) } });
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as { nothing_fits: boolean; help_lines: { id: string }[] };
      };
      const here = await ask('491');
      assert.equal(here.nothing_fits, true);
      assert.deepEqual(here.help_lines.map((l) => l.id), ['mikkeli-advice', 'citizens-advice']);
      assert.deepEqual((await ask('853')).help_lines.map((l) => l.id), ['citizens-advice']);
      assert.deepEqual((await ask()).help_lines.map((l) => l.id), ['citizens-advice']);
    });

    test('a wrong municipality, kind, language or parameter is a 400 problem', async () => {
      for (const query of ['?municipality=999', '?municipality=49', '?kind=hotline', '?lang=de', '?town=491']) {
        const res = await t.app.inject(`/api/v1/help-lines${query}`);
        assertProblem(res, 400);
      }
    });
  });
}
