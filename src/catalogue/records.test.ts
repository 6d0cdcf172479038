import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, testBackends, type Backend } from '../testing/databases.ts';
import type { Database } from '../db/database.ts';
import { runImport, type ImportBatch } from './import-run.ts';
import type { Catalogue } from './records.ts';
import { loadCatalogue, streamServices } from './records.ts';
import { deleteService, municipalitiesOf } from './store.ts';
import type { ChannelRecord, LocalizedText, OrganizationRecord, ServiceRecord } from './model.ts';
import { ptvImportBatch } from './ptv/import.ts';

const demo = join(import.meta.dirname, '..', '..', 'data', 'demo');
const DEMO_FILES = ['services.ptv.json', 'service-channel-otava.json', 'service-etalukio.json', 'services-by-id.json'];

function demoBatch(): ImportBatch {
  return ptvImportBatch(DEMO_FILES.map((f) => ({ source: f, content: JSON.parse(readFileSync(join(demo, f), 'utf8')) })));
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const lastById = <T extends { id: string }>(items: T[]) => [...new Map(items.map((i) => [i.id, i])).values()];
function lastByKey<T>(items: T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((i) => [key(i), i])).values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * What the database can give back of a batch, written out rule by rule (see records.ts): links
 * deduplicated and ordered by the other end's id, an empty channel→service list read as null,
 * code names shared, organisations one per id.
 */
function asStored(batch: ImportBatch): Catalogue {
  const services = lastById(batch.services);
  const names = (pick: (s: ServiceRecord) => { code: string; name: LocalizedText }[]) => {
    const m = new Map<string, LocalizedText>();
    for (const s of services) for (const e of pick(s)) if (Object.keys(e.name).length) m.set(e.code, { ...m.get(e.code), ...e.name });
    return m;
  };
  const lifeEvents = names((s) => s.lifeEvents);
  const collections = names((s) => s.serviceCollections);
  return {
    services: services
      .map(
        (s): ServiceRecord => ({
          ...s,
          channels: lastByKey(s.channels, (l) => l.channelId),
          lifeEvents: s.lifeEvents.map((e) => ({ code: e.code, name: lifeEvents.get(e.code) ?? {} })),
          serviceCollections: s.serviceCollections.map((e) => ({ code: e.code, name: collections.get(e.code) ?? {} })),
        }),
      )
      .sort(byId),
    channels: lastById(batch.channels)
      .map((c): ChannelRecord => {
        const services = c.services ? lastByKey(c.services, (s) => s.serviceId) : null;
        return { ...c, services: services && services.length ? services : null };
      })
      .sort(byId),
    organizations: lastById(batch.organizations)
      .map((o): OrganizationRecord => ({ ...o }))
      .sort(byId),
  };
}

for (const backend of testBackends()) {
  describe(`loadCatalogue (${backend})`, () => {
    let database: Database;
    const batch = demoBatch();
    before(async () => {
      database = await createTestDatabase(backend as Backend);
      await runImport(database.db, batch, { actor: 'test' });
    });
    after(async () => database?.close());

    test('gives back the imported PTV demo records', async () => {
      const loaded = await loadCatalogue(database.db);
      assert.equal(loaded.services.length, 1791); // 1,792 records, one service in two files
      assert.equal(loaded.channels.length, 1);
      assert.equal(loaded.organizations.length, 3);
      assert.deepStrictEqual(loaded, asStored(batch));
    });

    test('returns a record whose links were already in id order exactly as imported', async () => {
      const loaded = await loadCatalogue(database.db);
      const etalukio = batch.services.filter((s) => s.id === '3668d250-cd80-45c4-abcc-9b2d3a2b3e42').at(-1)!;
      assert.deepStrictEqual(
        loaded.services.find((s) => s.id === etalukio.id),
        etalukio,
      );
      const otava = loaded.channels[0]!;
      assert.equal(otava.addresses[0]!.latitude, 61.645467);
      assert.deepStrictEqual(otava.areas, [{ type: 'Municipality', code: null, municipalities: ['491'] }]);
      assert.deepStrictEqual(
        otava.services!.map((s) => s.serviceId.slice(0, 8)),
        ['2afc11a0', '3668d250', '904afe53', 'c53df08b', 'd03600d5', 'd4c733f1', 'd78c9764', 'e2b26c46'],
      );
      assert.equal(otava.modified, '2020-04-22T09:45:14.154Z');
    });

    test('pages through the tables in id order', async () => {
      const ids: string[] = [];
      for await (const s of streamServices(database.db, { pageSize: 97 })) ids.push(s.id);
      assert.equal(ids.length, 1791);
      assert.deepStrictEqual(ids, [...ids].sort());
      const paged = await loadCatalogue(database.db, { pageSize: 13 });
      assert.deepStrictEqual(paged, await loadCatalogue(database.db));
    });

    test('reads life events, collections and channel-asserted links from their tables', async () => {
      const db = database.db;
      const service = (await loadCatalogue(db)).services.find((s) => s.id === '3668d250-cd80-45c4-abcc-9b2d3a2b3e42')!;
      await runImport(
        db,
        {
          ...batch,
          services: [{ ...service, id: '00000000-0000-4000-8000-000000000001', lifeEvents: [{ code: 'KE9', name: { sv: 'Flytt' } }] }],
          channels: [],
          organizations: [],
        },
        { actor: 'test' },
      );
      await runImport(
        db,
        {
          ...batch,
          services: [{ ...service, id: '00000000-0000-4000-8000-000000000002', lifeEvents: [{ code: 'KE9', name: { fi: 'Muutto' } }] }],
          channels: [],
          organizations: [],
        },
        { actor: 'test' },
      );
      const loaded = await loadCatalogue(db);
      const two = loaded.services.filter((s) => s.id.startsWith('00000000'));
      // One shared, merged name per code: both services read it.
      assert.deepStrictEqual(
        two.map((s) => s.lifeEvents),
        [
          [{ code: 'KE9', name: { fi: 'Muutto', sv: 'Flytt' } }],
          [{ code: 'KE9', name: { fi: 'Muutto', sv: 'Flytt' } }],
        ],
      );
      assert.deepStrictEqual(two[0]!.serviceCollections, [{ code: '744c4b61-fde5-4d23-a844-cee5728b9119', name: { fi: 'Kaavoitus ja maankäyttö' } }]);
      for (const s of two) assert.ok(await deleteService(db, s.id));
      await db.deleteFrom('code_list_entries').where('list', '=', 'life_events').where('code', '=', 'KE9').execute();
      assert.deepStrictEqual(await loadCatalogue(db), asStored(batch));
    });
  });
}
