import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { demoDocument, importDemo } from '../../testing/fixtures.ts';
import { runImport } from '../import-run.ts';
import { ptvImportBatch } from './import.ts';
import { ptvRecordsOf, parsePtvRecord } from './read.ts';

const count = async (database: Database, table: 'services' | 'service_channels') =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('PTV record shapes', () => {
  test('an array, an object by id, a single service, a single channel and an API page are all read', () => {
    assert.equal(ptvRecordsOf(demoDocument('services.ptv.json')).length, 1790);
    assert.equal(ptvRecordsOf(demoDocument('services-by-id.json')).length, 1);
    assert.equal(ptvRecordsOf(demoDocument('service-etalukio.json')).length, 1);
    assert.equal(ptvRecordsOf(demoDocument('service-channel-otava.json')).length, 1);
    assert.equal(ptvRecordsOf({ pageNumber: 1, itemList: [{ id: 'a' }, { id: 'b' }] }).length, 2);
  });

  test('the Etälukio sample keeps its classes, target groups, channels, organisation and texts', () => {
    const parsed = parsePtvRecord(demoDocument('service-etalukio.json'));
    assert.equal(parsed.kind, 'service');
    if (parsed.kind !== 'service') return;
    const s = parsed.service;
    assert.equal(s.id, '3668d250-cd80-45c4-abcc-9b2d3a2b3e42');
    assert.deepEqual(s.name, { fi: 'Nettilukio aikuisille' });
    assert.deepEqual(s.alternateName, { fi: 'Etälukio' });
    assert.equal(s.summary.fi, 'Aikuislukio verkko-opintoina.');
    assert.ok(s.serviceClasses.includes('P6.10'));
    assert.deepEqual(s.targetGroups, ['KR1']);
    assert.equal(s.channels.length, 3);
    assert.equal(s.organizations[0]?.id, 'cd8efa0a-44f3-4748-a667-6402242e327d');
    assert.equal(s.areaType, 'Nationwide');
    assert.deepEqual(parsed.organizations.map((o) => o.name.fi), ['Mikkelin kaupunki', 'Mikkelin kaupungin liikelaitos Otavia']);
  });

  test('a service location converts ETRS-TM35FIN coordinates to WGS84', () => {
    const parsed = parsePtvRecord(demoDocument('service-channel-otava.json'));
    assert.equal(parsed.kind, 'channel');
    if (parsed.kind !== 'channel') return;
    const address = parsed.channel.addresses[0]!;
    assert.equal(address.municipality, '491');
    // Otava, Mikkeli: 61.65 N, 27.07 E.
    assert.ok(Math.abs(address.latitude! - 61.6455) < 0.001, `latitude ${address.latitude}`);
    assert.ok(Math.abs(address.longitude! - 27.0732) < 0.001, `longitude ${address.longitude}`);
    assert.equal(parsed.channel.serviceHours[0]?.openingHours[0]?.dayFrom, 'Monday');
    assert.ok(parsed.channel.services!.length >= 2);
  });

  test('broken records are named with a reason', () => {
    const cases: [unknown, RegExp][] = [
      [42, /not a JSON object/],
      [{ id: 'not-a-uuid', serviceNames: [{ language: 'fi', value: 'x', type: 'Name' }], areaType: 'Nationwide' }, /\/id/],
      [{ id: '3668d250-cd80-45c4-abcc-9b2d3a2b3e42', serviceNames: [], areaType: 'Nationwide' }, /serviceNames/],
      [{ id: '3668d250-cd80-45c4-abcc-9b2d3a2b3e42', serviceNames: [{ language: 'fi', value: 'x', type: 'Name' }], areaType: 'Mars' }, /areaType/],
      [{ id: '3668d250-cd80-45c4-abcc-9b2d3a2b3e42', serviceNames: [{ language: 'de', value: 'x', type: 'Name' }], areaType: 'Nationwide' }, /no name/],
      [{ contentId: 'abc', languageVersions: [] }, /v12/],
    ];
    for (const [record, reason] of cases) {
      const parsed = parsePtvRecord(record);
      assert.equal(parsed.kind, 'invalid', JSON.stringify(record));
      if (parsed.kind === 'invalid') assert.match(parsed.reason, reason);
    }
  });
});

for (const backend of testBackends()) {
  describe(`PTV import (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database.close());

    test('the demo catalogue imports, and importing it again changes nothing', async () => {
      const first = await importDemo(database.db);
      // 1,790 sample services (Etälukio among them, in full from its own sample) + the by-id sample.
      assert.equal(first.services.added, 1791);
      assert.equal(first.channels.added, 1);
      assert.equal(first.skipped, 0);
      assert.equal(await count(database, 'services'), 1791);
      const before = await database.db.selectFrom('services').select(['id', 'updated_at']).orderBy('id').execute();
      const second = await importDemo(database.db);
      assert.deepEqual([second.added, second.updated, second.unchanged], [0, 0, 1792]);
      const afterRows = await database.db.selectFrom('services').select(['id', 'updated_at']).orderBy('id').execute();
      assert.deepEqual(afterRows, before, 'an unchanged service is not rewritten');
    });

    test('area data becomes municipalities, national services have none', async () => {
      const inMunicipality = async (code: string) =>
        Number(
          (await database.db.selectFrom('services').select((eb) => eb.fn.countAll().as('n')).where(sql<boolean>`${code} = any(municipalities)`).executeTakeFirstOrThrow()).n,
        );
      // Counted from the sample file: Turku 140, Oulu 319, Mikkeli 290; Liperi only in the by-id sample.
      assert.deepEqual([await inMunicipality('853'), await inMunicipality('564'), await inMunicipality('491'), await inMunicipality('426')], [140, 319, 290, 1]);
      const national = await database.db.selectFrom('services').select(['municipalities']).where('nationwide', '=', true).execute();
      assert.equal(national.length, 1051);
      assert.ok(national.every((n) => n.municipalities.length === 0));
    });

    test('a file with a broken record imports the rest and reports the broken one', async () => {
      const good = structuredClone(demoDocument('service-etalukio.json')) as Record<string, unknown>;
      good.id = '11111111-2222-4333-8444-555555555555';
      const broken = { ...good, id: '11111111-2222-4333-8444-666666666666', areaType: 'Everywhere' };
      const summary = await runImport(database.db, ptvImportBatch([{ source: 'mixed.json', content: [good, broken] }]), { actor: 'test' });
      assert.equal(summary.services.added, 1);
      assert.equal(summary.skipped, 1);
      assert.deepEqual(summary.skipped_records.map((s) => [s.source, s.index, s.id]), [['mixed.json', 1, '11111111-2222-4333-8444-666666666666']]);
      assert.match(summary.skipped_records[0]!.reason, /areaType/);
      const rows = await database.db.selectFrom('services').select('id').where('id', 'in', [good.id as string, broken.id]).execute();
      assert.deepEqual(rows.map((r) => r.id), [good.id]);
    });

    test('a record with texts beyond the limit is skipped, not allowed to fail the run', async () => {
      const huge = structuredClone(demoDocument('service-etalukio.json')) as { id: string; serviceDescriptions: { language: string; value: string; type: string }[] };
      huge.id = '11111111-2222-4333-8444-777777777777';
      huge.serviceDescriptions.push({ language: 'sv', value: 'lång text '.repeat(200_000), type: 'Description' });
      const summary = await runImport(database.db, ptvImportBatch([{ source: 'huge.json', content: [huge] }]), { actor: 'test' });
      assert.equal(summary.skipped, 1);
      assert.match(summary.skipped_records[0]!.reason, /more than 100000/);
      assert.equal((await database.db.selectFrom('services').select('id').where('id', '=', huge.id).execute()).length, 0);
    });

    test('a changed service is updated, its links replaced', async () => {
      const changed = structuredClone(demoDocument('service-etalukio.json')) as { serviceNames: { value: string; type: string; language: string }[]; serviceChannels: unknown[] };
      changed.serviceNames = [{ language: 'fi', value: 'Nettilukio', type: 'Name' }, { language: 'sv', value: 'Nätgymnasium', type: 'Name' }];
      changed.serviceChannels = changed.serviceChannels.slice(0, 1);
      const summary = await runImport(database.db, ptvImportBatch([{ source: 'x', content: changed }]), { actor: 'test' });
      assert.deepEqual([summary.updated, summary.added, summary.unchanged], [1, 0, 0]);
      const row = await database.db.selectFrom('services').select(['name', 'sort_name']).where('id', '=', '3668d250-cd80-45c4-abcc-9b2d3a2b3e42').executeTakeFirstOrThrow();
      assert.deepEqual(row.name, { fi: 'Nettilukio', sv: 'Nätgymnasium' });
      assert.equal(row.sort_name, 'nettilukio');
      const links = await database.db
        .selectFrom('service_channel_links')
        .select('channel_id')
        .where('service_id', '=', '3668d250-cd80-45c4-abcc-9b2d3a2b3e42')
        .where('asserted_by', '=', 'service')
        .execute();
      assert.equal(links.length, 1);
    });

    test('a run that fails part-way leaves the catalogue exactly as it was', async () => {
      const before = await count(database, 'services');
      const runsBefore = (await database.db.selectFrom('import_runs').select('id').execute()).length;
      const records = Array.from({ length: 2500 }, (_, i) => {
        const s = structuredClone(demoDocument('service-etalukio.json')) as Record<string, unknown>;
        s.id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        return s;
      });
      const controller = new AbortController();
      await assert.rejects(
        runImport(database.db, ptvImportBatch([{ source: 'big', content: records }]), {
          actor: 'test',
          signal: controller.signal,
          // Abort after the first chunk has been written inside the transaction.
          onProgress: (p) => p.done > 0 && controller.abort(new Error('stop')),
        }),
        /stop/,
      );
      assert.equal(await count(database, 'services'), before);
      const runs = await database.db.selectFrom('import_runs').select('id').execute();
      assert.equal(runs.length, runsBefore, 'the failed run is not recorded');
    });
  });
}
