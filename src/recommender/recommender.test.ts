import { sql } from 'kysely';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Database } from '../db/database.ts';
import { compileFilter } from '../catalogue/filter-predicate.ts';
import { runImport } from '../catalogue/import-run.ts';
import { ptvImportBatch } from '../catalogue/ptv/import.ts';
import { checkFilters, type ServiceFilters } from '../catalogue/query.ts';
import { deleteService } from '../catalogue/store.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { demoDocument, importDemo } from '../testing/fixtures.ts';
import { audienceFit } from './pipeline/audience.ts';
import { explanationText } from './explain.ts';
import { METERS } from './meters.ts';
import { Recommender } from './recommender.ts';
import { analyse, detectLanguage } from './text/analyzer.ts';

const hasFeature = (text: string, feature: string) => analyse(text, 'fi').has(feature);

describe('text analysis', () => {
  test('Finnish inflections meet at their base form, compounds reach their parts', () => {
    // Stemming alone fails here: Snowball makes "asunnot" "asuno" but "asuntoa" "asunto".
    assert.ok(hasFeature('asunnot', 'fi:asunto'));
    assert.ok(hasFeature('asuntoa', 'fi:asunto'));
    assert.ok(hasFeature('vuokra-asunto', 'fi:vuokra'));
    assert.ok(hasFeature('lasten', 'fi:lapsi'));
    assert.ok(!analyse('ja sekä tai', 'fi').size, 'stop words give nothing');
  });
  test('languages are told apart', () => {
    assert.equal(detectLanguage('nuorten työttömyys'), 'fi');
    assert.equal(detectLanguage('min mamma är sjuk'), 'sv');
    assert.equal(detectLanguage("I lost my job and can't pay rent"), 'en');
  });
});

for (const backend of testBackends()) {
  describe(`recommender (${backend})`, () => {
    let database: Database;
    const recommender = new Recommender();
    before(async () => {
      database = await createTestDatabase(backend);
      await importDemo(database.db);
      await recommender.sync(database.db);
    });
    after(() => database.close());

    const names = (results: { name: { fi?: string } }[]) => results.map((r) => r.name.fi ?? '');

    test('free text in Finnish finds services whatever the inflection', () => {
      for (const query of ['asuntoa', 'asunnot', 'vuokra-asunto']) {
        const top = names(recommender.recommend({ text: query, limit: 5 }));
        assert.ok(top.filter((n) => /asun|vuokra/i.test(n)).length >= 3, `${query}: ${top.join(' | ')}`);
      }
      const youth = names(recommender.recommend({ text: 'nuorten työttömyys', limit: 10 }));
      assert.ok(youth.some((n) => /nuor/i.test(n)) && youth.some((n) => /työ/i.test(n)), youth.join(' | '));
    });

    test('English and Swedish questions find the Finnish services', () => {
      const job = names(recommender.recommend({ text: "I lost my job and can't pay rent", limit: 10 }));
      assert.ok(job.some((n) => /työ/i.test(n)) && job.some((n) => /vuokra|asum|asun/i.test(n)), job.join(' | '));
      const mother = recommender.recommend({ text: 'min mamma är sjuk', limit: 10 });
      assert.ok(mother.length > 0);
      assert.ok(names(mother).some((n) => /omais|sairau|terve|äiti|hoito/i.test(n)), names(mother).join(' | '));
    });

    test('a low meter brings services of that area first, with the reason in three languages', () => {
      const results = recommender.recommend({ meters: { housing: 2, health: 9, finance: 8 }, limit: 5 });
      assert.equal(results.length, 5);
      assert.ok(names(results).every((n) => /asu|vuokra|koti/i.test(n)), names(results).join(' | '));
      const reason = results[0]!.reasons[0]!;
      assert.equal(reason.kind, 'meter');
      assert.match(explanationText(results[0]!.reasons, 'fi'), /asuminen.*2\/10/i);
      assert.match(explanationText(results[0]!.reasons, 'sv'), /boende.*2\/10/i);
      assert.match(explanationText(results[0]!.reasons, 'en'), /housing.*2\/10/i);
      assert.deepEqual(recommender.recommend({ meters: { housing: 9, health: 10 }, limit: 5 }), [], 'no need, no recommendation');
    });

    test('every meter and every life event finds something', () => {
      for (const meter of METERS) assert.ok(recommender.recommend({ meters: { [meter]: 0 }, limit: 3 }).length === 3, meter);
      assert.ok(names(recommender.recommend({ lifeEvent: 'moving', limit: 5 })).some((n) => /muut|asun|vuokra/i.test(n)));
    });

    test('filters are honoured strictly', () => {
      const municipalities = ['491', '564', '853', '091', '426'];
      fc.assert(
        fc.property(
          fc.record(
            {
              municipality_codes: fc.subarray(municipalities, { maxLength: 2 }),
              include_national_services: fc.boolean(),
              only_national_services: fc.boolean(),
              target_groups: fc.subarray(['KR1', 'KR2'], { maxLength: 1 }),
            },
            { requiredKeys: [] },
          ),
          fc.constantFrom('housing', 'finance', 'friends', 'working_studying'),
          (filters: ServiceFilters, meter) => {
            fc.pre(checkFilters(filters).length === 0);
            const accept = compileFilter(filters);
            const results = recommender.recommend({ meters: { [meter]: 1 }, filters, limit: 50 });
            for (const r of results) assert.ok(accept(recommender.index.docs[recommender.index.docOf(r.serviceId)!]!), r.serviceId);
            if (filters.municipality_codes?.length && filters.include_national_services === false && !filters.only_national_services)
              assert.ok(results.every((r) => !recommender.index.docs[recommender.index.docOf(r.serviceId)!]!.nationwide));
          },
        ),
        { numRuns: 60, seed: 5 },
      );
    });

    test('an age brings services meant for that age group up, and says so', async () => {
      const young = structuredClone(demoDocument('service-etalukio.json')) as Record<string, unknown>;
      young.id = 'abcdef00-0000-4000-8000-0000000000a1';
      young.serviceNames = [{ language: 'fi', value: 'Plokkaus-ohjaus nuorille', type: 'Name' }];
      young.targetGroups = [{ code: 'KR1.3' }];
      const everyone = { ...structuredClone(young), id: 'abcdef00-0000-4000-8000-0000000000a2', targetGroups: [{ code: 'KR1' }] };
      const business = { ...structuredClone(young), id: 'abcdef00-0000-4000-8000-0000000000a3', targetGroups: [{ code: 'KR2' }] };
      await runImport(database.db, ptvImportBatch([{ source: 't', content: [young, everyone, business] }]), { actor: 'test' });
      await recommender.sync(database.db);
      const order = (age?: number) => recommender.recommend({ text: 'plokkaus', limit: 3, ...(age !== undefined ? { age } : {}) }).map((r) => r.serviceId.slice(-2));
      assert.equal(order(19)[0], 'a1');
      assert.equal(order(45)[0], 'a2', 'a young people\'s service counts less for a 45-year-old');
      assert.ok(!order().includes('a3'), "a service only for businesses does not answer a person's question");
      const doc = (id: string) => recommender.index.docs[recommender.index.docOf(id)!]!;
      assert.ok(
        audienceFit(doc(business.id as string), 'business', undefined).factor > audienceFit(doc(young.id as string), 'business', undefined).factor,
        'for one who says they run a business, a service for businesses counts more than one for young people',
      );
      const reasons = recommender.recommend({ text: 'plokkaus', limit: 1, age: 19 })[0]!.reasons;
      assert.match(explanationText(reasons, 'en'), /meant for young people/);
      assert.match(explanationText(reasons, 'fi'), /kohderyhmälle ”nuoret”/);
      for (const id of [young.id, everyone.id, business.id]) await deleteService(database.db, id as string);
      await recommender.sync(database.db);
    });

    test('the index follows imports and deletions incrementally', async () => {
      const fresh = structuredClone(demoDocument('service-etalukio.json')) as Record<string, unknown>;
      fresh.id = 'abcdef00-0000-4000-8000-000000000001';
      fresh.serviceNames = [{ language: 'fi', value: 'Zyxwv-erikoispalvelu', type: 'Name' }];
      await runImport(database.db, ptvImportBatch([{ source: 't', content: fresh }]), { actor: 'test' });
      assert.deepEqual(await recommender.sync(database.db), { added: 1, updated: 0, removed: 0 });
      assert.equal(recommender.recommend({ text: 'zyxwv', limit: 3 })[0]?.serviceId, fresh.id);
      fresh.serviceNames = [{ language: 'fi', value: 'Qwerty-erikoispalvelu', type: 'Name' }];
      await runImport(database.db, ptvImportBatch([{ source: 't', content: fresh }]), { actor: 'test' });
      assert.deepEqual(await recommender.sync(database.db), { added: 0, updated: 1, removed: 0 });
      assert.equal(recommender.recommend({ text: 'zyxwv', limit: 3 }).length, 0);
      assert.equal(recommender.recommend({ text: 'qwerty', limit: 3 })[0]?.serviceId, fresh.id);
      await deleteService(database.db, fresh.id as string);
      assert.deepEqual(await recommender.sync(database.db), { added: 0, updated: 0, removed: 1 });
      assert.equal(recommender.recommend({ text: 'qwerty', limit: 3 }).length, 0);
      assert.deepEqual(await recommender.sync(database.db), { added: 0, updated: 0, removed: 0 }, 'nothing to do when nothing changed');
    });

    test('a sync reads the services only when the catalogue version moved, whoever changed it', async () => {
      const [first] = await database.db.selectFrom('services').select(['id', 'content_hash']).limit(1).execute();
      const rehash = (hash: string) => database.db.updateTable('services').set({ content_hash: hash }).where('id', '=', first!.id).execute();
      try {
        // A change that does not move the version (its trigger off) is not looked for: the sync read one row, not the catalogue.
        await sql`alter table services disable trigger services_bump_catalogue_version`.execute(database.db);
        await rehash('changed-behind-its-back');
        assert.deepEqual(await recommender.sync(database.db), { added: 0, updated: 0, removed: 0 });
        await sql`alter table services enable trigger services_bump_catalogue_version`.execute(database.db);
        // Any statement on services, as another server's import would run it, moves the version: the next sync compares every hash.
        await rehash('changed-in-the-open');
        assert.deepEqual(await recommender.sync(database.db), { added: 0, updated: 1, removed: 0 });
        assert.deepEqual(await recommender.sync(database.db), { added: 0, updated: 0, removed: 0 });
      } finally {
        await sql`alter table services enable trigger services_bump_catalogue_version`.execute(database.db);
        await rehash(first!.content_hash);
        await recommender.sync(database.db);
      }
    });
  });
}
