import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { contentHash } from '../../lib/canonical-json.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { runImport, type ImportBatch } from '../import-run.ts';
import type { ChannelRecord, OrganizationRecord, ServiceRecord } from '../model.ts';
import { ptvImportBatch } from '../ptv/import.ts';
import { loadCatalogue } from '../records.ts';
import { dayRange, dayRuns, decodeTime, exportHsds, hsdsTables } from './export.ts';
import { readHsds } from './import.ts';
import { TABLE_SCHEMAS, errorsOf, officialSchema } from './official-schemas.ts';
import { EXPORT_TABLES, TABLES, type Row } from './vocabulary.ts';

const demo = join(import.meta.dirname, '..', '..', '..', 'data', 'demo');
const DEMO_FILES = ['services.ptv.json', 'service-channel-otava.json', 'service-etalukio.json', 'services-by-id.json'];
const demoBatch = (): ImportBatch =>
  ptvImportBatch(DEMO_FILES.map((f) => ({ source: f, content: JSON.parse(readFileSync(join(demo, f), 'utf8')) })));

const scratch = mkdtempSync(join(tmpdir(), 'aurora-hsds-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;
const newDir = () => join(scratch, `d${dirs++}`);
const readTable = (dir: string, table: string) => JSON.parse(readFileSync(join(dir, `${table}.json`), 'utf8')) as Row[];
const writeTable = (dir: string, table: string, rows: unknown) => writeFileSync(join(dir, `${table}.json`), JSON.stringify(rows));

/** The fields of each HSDS 3.0 table (url is HSDS 3.1's table; `location_id` there is Aurora's extension). */
const HSDS_FIELDS: Record<string, string[]> = {
  organizations: ['id', 'name', 'alternate_name', 'description', 'email', 'website', 'year_incorporated', 'legal_status', 'logo', 'uri', 'parent_organization_id'],
  organization_identifiers: ['id', 'organization_id', 'identifier_scheme', 'identifier_type', 'identifier'],
  services: [
    'id', 'organization_id', 'program_id', 'name', 'alternate_name', 'description', 'url', 'email', 'status', 'interpretation_services',
    'application_process', 'fees_description', 'accreditations', 'eligibility_description', 'minimum_age', 'maximum_age', 'assured_date',
    'assurer_email', 'alert', 'last_modified',
  ],
  locations: ['id', 'location_type', 'url', 'organization_id', 'name', 'alternate_name', 'description', 'transportation', 'latitude', 'longitude', 'external_identifier', 'external_identifier_type'],
  service_at_locations: ['id', 'service_id', 'location_id', 'description'],
  addresses: ['id', 'location_id', 'attention', 'address_1', 'address_2', 'city', 'region', 'state_province', 'postal_code', 'country', 'address_type'],
  phones: ['id', 'location_id', 'service_id', 'organization_id', 'contact_id', 'service_at_location_id', 'number', 'extension', 'type', 'description'],
  contacts: ['id', 'organization_id', 'service_id', 'service_at_location_id', 'location_id', 'name', 'title', 'department', 'email'],
  schedules: [
    'id', 'service_id', 'location_id', 'service_at_location_id', 'valid_from', 'valid_to', 'dtstart', 'timezone', 'until', 'count', 'wkst', 'freq',
    'interval', 'byday', 'byweekno', 'bymonthday', 'byyearday', 'description', 'opens_at', 'closes_at', 'schedule_link', 'attending_type', 'notes',
  ],
  service_areas: ['id', 'service_id', 'name', 'description', 'extent', 'extent_type', 'uri'],
  urls: ['id', 'label', 'url', 'organization_id', 'service_id', 'location_id'],
  languages: ['id', 'service_id', 'location_id', 'phone_id', 'name', 'code', 'note'],
  taxonomies: ['id', 'name', 'description', 'uri'],
  taxonomy_terms: ['id', 'code', 'name', 'description', 'parent_id', 'taxonomy_id', 'language', 'term_uri'],
  attributes: ['id', 'link_id', 'link_type', 'link_entity', 'taxonomy_term_id', 'value'],
};


test('opening days convert to RFC 5545 byday lists and back', () => {
  assert.deepStrictEqual(dayRange('Monday', 'Friday'), ['MO', 'TU', 'WE', 'TH', 'FR']);
  assert.deepStrictEqual(dayRange('Saturday', 'Monday'), ['SA', 'SU', 'MO']);
  assert.deepStrictEqual(dayRange('Sunday', null), ['SU']);
  assert.equal(dayRange('Holiday', null), null);
  assert.deepStrictEqual(dayRuns('SA,SU,MO'), [{ dayFrom: 'Saturday', dayTo: 'Monday' }]);
  assert.deepStrictEqual(dayRuns('MO,WE,TH,2FR'), [
    { dayFrom: 'Monday', dayTo: null },
    { dayFrom: 'Wednesday', dayTo: 'Friday' },
  ]);
  assert.equal(decodeTime('9:30'), '09:30:00');
  assert.equal(decodeTime('10:00:00-05:00'), '10:00:00');
});

for (const backend of testBackends()) {
  describe(`HSDS round trip of the PTV demo (${backend})`, () => {
    const batch = demoBatch();
    let ptvDb: Database;
    let hsdsDb: Database;
    const first = newDir();
    const second = newDir();
    before(async () => {
      [ptvDb, hsdsDb] = await Promise.all([createTestDatabase(backend), createTestDatabase(backend)]);
      await runImport(ptvDb.db, batch, { actor: 'test' });
    });
    after(async () => {
      await ptvDb?.close();
      await hsdsDb?.close();
    });

    test('export → import into an empty database gives the same records', async () => {
      const summary = await exportHsds(ptvDb.db, first);
      assert.equal(summary.tables.services, 1791);
      assert.equal(summary.tables.locations, 1);
      assert.equal(summary.tables.organizations, 4); // with the placeholder of services naming none
      const read = await readHsds(first);
      assert.deepStrictEqual(read.skipped, []);
      assert.equal(read.format, 'hsds');
      const result = await runImport(hsdsDb.db, read, { actor: 'test' });
      assert.deepStrictEqual(result.services, { added: 1791, updated: 0, unchanged: 0 });
      assert.deepStrictEqual(await loadCatalogue(hsdsDb.db), await loadCatalogue(ptvDb.db));
    });

    test('exporting the imported dataset again gives the same bytes', async () => {
      await exportHsds(hsdsDb.db, second);
      assert.deepStrictEqual(readdirSync(second).sort(), EXPORT_TABLES.map((t) => `${t}.json`).sort());
      for (const table of EXPORT_TABLES) assert.equal(readFileSync(join(second, `${table}.json`), 'utf8'), readFileSync(join(first, `${table}.json`), 'utf8'), table);
    });

    test('re-importing an export into the same database changes nothing', async () => {
      const again = await runImport(hsdsDb.db, await readHsds(second), { actor: 'test' });
      assert.deepStrictEqual([again.services, again.channels], [
        { added: 0, updated: 0, unchanged: 1791 },
        { added: 0, updated: 0, unchanged: 1 },
      ]);
      // Into the database the PTV files filled, too: links and times are kept in one canonical form.
      const loaded = await loadCatalogue(ptvDb.db);
      const original = new Map([...batch.services].map((s) => [s.id, s]));
      assert.deepStrictEqual(loaded.services.filter((s) => contentHash(s) !== contentHash(original.get(s.id))), []);
      const intoPtv = await runImport(ptvDb.db, await readHsds(first), { actor: 'test' });
      assert.deepStrictEqual([intoPtv.services, intoPtv.channels], [
        { added: 0, updated: 0, unchanged: 1791 },
        { added: 0, updated: 0, unchanged: 1 },
      ]);
      assert.deepStrictEqual(await loadCatalogue(ptvDb.db), await loadCatalogue(hsdsDb.db));
    });

    test('writes HSDS 3.0 field names and maps the demo records as documented', async () => {
      // Absent values are absent fields (HSDS types optional fields without null); the rest in HSDS order.
      for (const table of EXPORT_TABLES)
        for (const row of readTable(first, table)) assert.deepStrictEqual(Object.keys(row), HSDS_FIELDS[table]!.filter((f) => f in row), table);
      const services = readTable(first, 'services');
      const etalukio = services.find((s) => s.id === '3668d250-cd80-45c4-abcc-9b2d3a2b3e42')!;
      assert.equal(etalukio.name, 'Nettilukio aikuisille');
      assert.equal(etalukio.alternate_name, 'Etälukio');
      assert.equal(etalukio.organization_id, 'df0c2f24-d2bd-4ba7-bdcd-fcfc9f0d65a7'); // the Responsible one
      assert.equal(etalukio.eligibility_description, 'Nettilukio on aikuislukio ja hakijan tulee olla vähintään 18-vuotias.');
      assert.equal(etalukio.status, 'active');
      assert.equal(etalukio.last_modified, '2020-04-22T09:35:58.293Z');
      const terms = new Map(readTable(first, 'taxonomy_terms').map((t) => [t.id, t]));
      const taxonomies = new Map(readTable(first, 'taxonomies').map((t) => [t.id, t.name]));
      const classes = readTable(first, 'attributes')
        .filter((a) => a.link_id === etalukio.id && a.link_type === 'service_class')
        .map((a) => terms.get(a.taxonomy_term_id)!);
      assert.deepStrictEqual(classes.map((t) => [taxonomies.get(t.taxonomy_id), t.code]), [
        ['ptvserclass2', 'P6'],
        ['ptvserclass2', 'P6.10'],
        ['ptvserclass2', 'P6.13'],
        ['ptvserclass2', 'P6.8'],
      ]);
      assert.equal(terms.get(classes[1]!.parent_id)!.code, 'P6');
      assert.equal(classes[1]!.term_uri, 'http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P6.10');

      const [otava] = readTable(first, 'locations');
      assert.equal(otava!.location_type, 'physical');
      assert.equal(otava!.latitude, 61.645467);
      const hours = readTable(first, 'schedules');
      assert.deepStrictEqual(
        hours.map((h) => [h.byday, h.opens_at, h.closes_at, h.freq]),
        ['MO', 'TU', 'WE', 'TH', 'FR'].map((d) => [d, '08:00', '16:00', 'WEEKLY']),
      );
      assert.deepStrictEqual(
        readTable(first, 'phones').map((p) => [p.location_id, p.number, p.type]),
        [
          [otava!.id, '+358 447943552', 'voice'],
          [otava!.id, '+358 447943565', 'voice'],
        ],
      );
      const liperi = readTable(first, 'service_areas').filter((a) => a.service_id === '6c00d407-d3fd-4c7e-a373-57be9f3b2cff');
      assert.deepStrictEqual(
        liperi.map((a) => [a.name, a.uri]),
        [
          ['Liperi', 'http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/426'],
          // 123 is not in the 2023 municipality code list: the code stands for the name.
          ['123', 'http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/123'],
        ],
      );
    });

    test('stores the services of a compiled file', async () => {
      const file = join(scratch, `compiled-${backend}.json`);
      writeFileSync(file, JSON.stringify([COMPILED_SERVICE, NAMELESS]));
      const read = await readHsds(file, { language: 'en' });
      const result = await runImport(hsdsDb.db, read, { actor: 'test' });
      assert.deepStrictEqual([result.services.added, result.channels.added, result.skipped], [1, 1, 1]);
      const loaded = await loadCatalogue(hsdsDb.db);
      assert.deepStrictEqual(
        loaded.services.find((s) => s.id === read.services[0]!.id),
        read.services[0],
      );
      assert.deepStrictEqual(
        loaded.channels.find((c) => c.id === read.channels[0]!.id),
        read.channels[0],
      );
    });

    test('a broken record is reported and the rest imports', async () => {
      const dir = newDir();
      await exportHsds(ptvDb.db, dir);
      const services = readTable(dir, 'services');
      const nameless = services[0]!;
      delete nameless.name;
      services.push({ ...services[1]!, id: 'not-a-uuid' });
      const late = services[2]!;
      late.last_modified = 'yesterday';
      const repeated: Row = { ...services[3]!, name: 'Toinen' };
      services.push(repeated);
      writeTable(dir, 'services', services);
      const phones = readTable(dir, 'phones');
      phones[1]!.number = 5;
      writeTable(dir, 'phones', phones);

      const read = await readHsds(dir);
      assert.deepStrictEqual(
        read.skipped.map((s) => [s.source, s.index, s.id, s.reason]),
        [
          [join(dir, 'services.json'), 1792, repeated.id, 'service: an earlier row has the same id'],
          [join(dir, 'services.json'), 0, nameless.id, 'service: / must have required properties name'],
          [join(dir, 'phones.json'), 1, phones[1]!.id, 'phone: /number must be string'],
          [join(dir, 'services.json'), 2, late.id, 'service: last_modified "yesterday" is not a date-time'],
          [join(dir, 'services.json'), 1791, 'not-a-uuid', 'service: id "not-a-uuid" is not a UUID'],
        ],
      );
      assert.equal(read.services.length, 1789);
      assert.notEqual(read.services.find((s) => s.id === repeated.id)!.name.fi, 'Toinen');
      assert.deepStrictEqual(read.channels[0]!.phones.map((p) => p.number), ['447943552']);
      // Into an emptied database: the valid records are all added.
      const db = hsdsDb.db;
      for (const table of ['services', 'service_channels', 'service_channel_links', 'organizations'] as const) await db.deleteFrom(table).execute();
      const result = await runImport(db, read, { actor: 'test' });
      assert.deepStrictEqual([result.services.added, result.channels.added, result.skipped], [1789, 1, 5]);
      const loaded = await loadCatalogue(db);
      assert.equal(loaded.services.length, 1789);
      assert.ok(!loaded.services.some((s) => [nameless.id, late.id].includes(s.id)));
    });
  });
}

test('a file that is not JSON is an error naming the file', async () => {
  const dir = newDir();
  await exportHsdsOf(dir, []);
  writeFileSync(join(dir, 'locations.json'), '[{"id": "961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f",');
  await assert.rejects(readHsds(dir), (e: Error) => e.message.startsWith(`${join(dir, 'locations.json')} is not valid JSON`));
  const file = join(scratch, 'broken.json');
  writeFileSync(file, '{ "contents": [ }');
  await assert.rejects(readHsds(file), (e: Error) => e.message.startsWith(`${file} is not valid JSON`));
  await assert.rejects(readHsds(join(scratch, 'missing.json')), /cannot read .*missing\.json: ENOENT/);
  writeFileSync(file, '"services"');
  await assert.rejects(readHsds(file), /holds no HSDS objects/);
});

async function exportHsdsOf(dir: string, services: ServiceRecord[], channels: ChannelRecord[] = [], organizations: OrganizationRecord[] = []) {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
  const tables = await hsdsTables({ services, channels, organizations });
  for (const table of TABLES) writeTable(dir, table, tables[table]);
  return tables;
}

// Records as loadCatalogue gives them (links in id order), using every field in every language.
const ORG_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const ORG_B = 'aaaaaaaa-0000-4000-8000-000000000002';
const SERVICE_1 = 'bbbbbbbb-0000-4000-8000-000000000001';
const SERVICE_2 = 'bbbbbbbb-0000-4000-8000-000000000002';
const CHANNEL = 'cccccccc-0000-4000-8000-000000000001';
const UNKNOWN_SERVICE = 'dddddddd-0000-4000-8000-000000000001';
const UNKNOWN_CHANNEL = 'eeeeeeee-0000-4000-8000-000000000001';

const organizations: OrganizationRecord[] = [
  { id: ORG_A, source: 'ptv', name: { fi: 'Esimerkkikunta', sv: 'Exempelkommun' }, businessCode: '1234567-8' },
  { id: ORG_B, source: 'hsds', name: {}, businessCode: null },
];
const channel: ChannelRecord = {
  id: CHANNEL,
  source: 'ptv',
  sourceId: 'local-7',
  type: 'ServiceLocation',
  organizationId: ORG_A,
  name: { fi: 'Toimipiste', sv: 'Verksamhetsställe' },
  summary: { fi: 'Lyhyt', en: 'Short' },
  description: {},
  languages: ['fi', 'sv'],
  areaType: 'LimitedType',
  areas: [{ type: 'Region', code: '02', municipalities: ['853', '202'] }],
  webPages: [
    { url: 'https://example.fi/', name: 'Etusivu', language: 'fi' },
    { url: 'https://example.fi/sv', name: null, language: null },
  ],
  phones: [
    { type: 'Phone', number: '401234567', prefix: '+358', additionalInformation: 'Vaihde', chargeType: 'Chargeable', chargeDescription: 'pvm/mpm', language: 'fi' },
    { type: 'Sms', number: '040 123 4567', prefix: null, additionalInformation: null, chargeType: null, chargeDescription: null, language: null },
    { type: 'Telex', number: '12', prefix: '', additionalInformation: null, chargeType: null, chargeDescription: null, language: 'sv' },
  ],
  emails: [
    { address: 'info@example.fi', language: 'fi' },
    { address: 'kirjaamo@example.fi', language: null },
  ],
  addresses: [
    {
      type: 'Postal',
      street: { fi: 'PL' },
      streetNumber: '12',
      postalCode: '00100',
      postOffice: { fi: 'HELSINKI', sv: 'HELSINGFORS' },
      municipality: '091',
      latitude: 60.1699,
      longitude: 24.9384,
      additionalInformation: { sv: 'Ingång från gården' },
    },
    { type: 'Location', street: { fi: 'Katu 5', sv: 'Gatan 5' }, streetNumber: '5', postalCode: '', postOffice: {}, municipality: null, latitude: 60.2, longitude: 25, additionalInformation: {} },
    { type: 'Delivery', street: {}, streetNumber: null, postalCode: null, postOffice: { en: 'Espoo' }, municipality: '049', latitude: null, longitude: null, additionalInformation: {} },
  ],
  serviceHours: [
    {
      type: 'DaysOfTheWeek',
      validFrom: null,
      validTo: null,
      isClosed: false,
      isAlwaysOpen: false,
      isReservation: true,
      additionalInformation: { fi: 'Arkisin', sv: 'Vardagar' },
      openingHours: [
        { dayFrom: 'Monday', dayTo: 'Friday', from: '08:00:00', to: '16:15:00' },
        { dayFrom: 'Saturday', dayTo: 'Saturday', from: '10:00:30', to: null },
      ],
    },
    {
      type: 'Exceptional',
      validFrom: '2024-12-24T00:00:00',
      validTo: '2024-12-26T12:00:00',
      isClosed: true,
      isAlwaysOpen: false,
      isReservation: false,
      additionalInformation: { en: 'Christmas' },
      openingHours: [],
    },
    {
      type: 'OverMidnight',
      validFrom: '2025-01-01T00:00:00',
      validTo: null,
      isClosed: false,
      isAlwaysOpen: true,
      isReservation: false,
      additionalInformation: {},
      openingHours: [
        { dayFrom: 'Sunday', dayTo: 'Tuesday', from: '22:00:00', to: '02:00:00' },
        { dayFrom: 'Holiday', dayTo: null, from: null, to: null },
      ],
    },
  ],
  services: [
    { serviceId: SERVICE_1, description: { fi: 'Kanavan kuvaus' } },
    { serviceId: UNKNOWN_SERVICE, description: {} },
  ],
  publishingStatus: 'Published',
  modified: '2024-01-02T03:04:05.500Z',
};
const services: ServiceRecord[] = [
  {
    id: SERVICE_1,
    source: 'ptv',
    sourceId: 'S-1',
    type: 'PermitOrObligation',
    fundingType: 'MarketFunded',
    chargeType: 'Chargeable',
    areaType: 'LimitedType',
    areas: [
      { type: 'Municipality', code: null, municipalities: ['091', '049'] },
      { type: 'Municipality', code: null, municipalities: ['092'] },
      { type: 'Region', code: '01', municipalities: [] },
      { type: 'HospitalDistrict', code: null, municipalities: ['091'] },
      { type: 'Municipality', code: '853', municipalities: [] },
    ],
    name: { fi: 'Lupa', sv: 'Tillstånd', en: 'Permit' },
    alternateName: { sv: 'Licens' },
    summary: { fi: 'Sama teksti', sv: 'Samma text' },
    description: { fi: 'Sama teksti' },
    userInstruction: { en: 'Apply online' },
    requirements: { fi: 'Täysi-ikäisyys' },
    chargeInfo: {},
    keywords: { fi: ['lupa', 'hakemus'], en: ['permit'] },
    languages: ['fi', 'sv', 'en'],
    serviceClasses: ['P6', 'P6.10'],
    targetGroups: ['KR1', 'KR1.2'],
    lifeEvents: [{ code: 'KE1', name: { fi: 'Muutto', sv: 'Flytt' } }],
    serviceCollections: [{ code: 'ffffffff-0000-4000-8000-000000000001', name: {} }],
    organizations: [
      { id: ORG_A, name: { fi: 'Esimerkkikunta' }, role: 'Producer' },
      { id: ORG_B, name: {}, role: null },
      { id: ORG_A, name: { fi: 'Esimerkkikunta', sv: 'Exempelkommun' }, role: 'Responsible' },
      { id: ORG_A, name: {}, role: 'OtherResponsible' },
    ],
    ontologyTerms: [
      { uri: 'http://www.yso.fi/onto/koko/p7822', name: { fi: 'itseopiskelu', sv: 'självstudier' } },
      { uri: 'http://www.yso.fi/onto/koko/p1', name: {} },
    ],
    channels: [
      { channelId: CHANNEL, channelName: 'Toinen nimi', description: { fi: 'Linkin kuvaus', sv: 'Länkens beskrivning' } },
      { channelId: UNKNOWN_CHANNEL, channelName: null, description: {} },
    ],
    generalDescriptionId: '99999999-0000-4000-8000-000000000001',
    publishingStatus: 'Draft',
    modified: '2024-05-06T07:08:09.123Z',
  },
  {
    id: SERVICE_2,
    source: 'hsds',
    sourceId: null,
    type: null,
    fundingType: null,
    chargeType: null,
    areaType: 'NationwideExceptAlandIslands',
    areas: [],
    name: { sv: 'Bara svenska' },
    alternateName: {},
    summary: {},
    description: { fi: 'Kuvaus ilman tiivistelmää' },
    userInstruction: {},
    requirements: {},
    chargeInfo: {},
    keywords: {},
    languages: [],
    serviceClasses: [],
    targetGroups: [],
    lifeEvents: [],
    serviceCollections: [],
    organizations: [],
    ontologyTerms: [],
    channels: [{ channelId: CHANNEL, channelName: 'Toimipiste', description: {} }],
    generalDescriptionId: null,
    publishingStatus: null,
    modified: null,
  },
];

test('every field of every record survives export and import, in every language', async () => {
  const dir = newDir();
  const tables = await exportHsdsOf(dir, services, [channel], organizations);
  // Every row of every table as the official table schemas ask, in every language.
  for (const table of EXPORT_TABLES) {
    const validate = officialSchema(TABLE_SCHEMAS[table]!);
    for (const row of tables[table]) assert.ok(validate(row), `${table} ${row.id}: ${errorsOf(validate).join('; ')}`);
  }
  assert.deepStrictEqual(
    tables.organization_identifiers.map((i) => [i.organization_id, i.identifier_type, i.identifier]),
    [[ORG_A, 'Y-tunnus', '1234567-8']],
  );
  const read = await readHsds(dir);
  assert.deepStrictEqual(read.skipped, []);
  assert.deepStrictEqual(read.organizations, organizations);
  assert.deepStrictEqual(read.channels, [channel]);
  assert.deepStrictEqual(read.services, services);
  // …and exports to the same tables again.
  assert.deepStrictEqual(await hsdsTables(read), tables);

  // The standard fields carry the first of Finnish, Swedish, English.
  const [permit, swedish] = tables.services;
  assert.deepStrictEqual([permit!.name, permit!.alternate_name, permit!.description, permit!.application_process, permit!.status], [
    'Lupa',
    'Licens',
    'Sama teksti',
    'Apply online',
    'inactive',
  ]);
  assert.equal(swedish!.name, 'Bara svenska');
  const terms = new Map(tables.taxonomy_terms.map((t) => [t.id, t]));
  const nameVersions = tables.attributes
    .filter((a) => a.link_id === SERVICE_1 && a.link_type === 'name')
    .map((a) => [terms.get(a.taxonomy_term_id as string)!.code, a.value]);
  assert.deepStrictEqual(nameVersions, [
    ['fi', 'Lupa'],
    ['sv', 'Tillstånd'],
    ['en', 'Permit'],
  ]);
  assert.deepStrictEqual(
    tables.service_areas.filter((a) => a.service_id === SERVICE_1).map((a) => a.name),
    ['Helsinki', 'Espoo', 'Vantaa', 'Uusimaa', 'HospitalDistrict', 'Helsinki', 'Turku'],
  );
  assert.deepStrictEqual(
    tables.service_at_locations.map((l) => [l.service_id, l.location_id]),
    [
      [SERVICE_1, CHANNEL],
      [SERVICE_1, UNKNOWN_CHANNEL],
      [SERVICE_2, CHANNEL],
      [UNKNOWN_SERVICE, CHANNEL],
    ],
  );
  assert.deepStrictEqual(
    tables.schedules.map((s) => [s.byday ?? null, s.opens_at ?? null, s.closes_at ?? null, s.valid_from ?? null]),
    [
      ['MO,TU,WE,TH,FR', '08:00', '16:15', null],
      ['SA', '10:00', null, null],
      [null, null, null, '2024-12-24'],
      ['SU,MO,TU', '22:00', '02:00', '2025-01-01'],
      [null, null, null, '2025-01-01'],
    ],
  );
  assert.deepStrictEqual(tables.locations[0]!.latitude, 60.2); // the first physical address
});

/** A service as an HSDS API's /services returns it, everything nested. */
const COMPILED_SERVICE = {
  id: '5B5FCA57-0000-4000-8000-000000000001',
  name: 'Community Counselling',
  description: 'Counselling services provided by trained professionals.',
  status: 'active',
  application_process: 'Call reception.',
  last_modified: '2023-03-15T10:30:45.123Z',
  organization: { id: '0a0a0a0a-0000-4000-8000-000000000001', name: 'Example Organization', description: '', organization_identifiers: [] },
  languages: [{ id: 'l1', name: 'Swedish', code: 'sv' }],
  service_areas: [
    { id: 'sa1', name: 'Helsinki' },
    { id: 'sa2', name: 'Nowhere in particular' },
  ],
  attributes: [
    {
      id: 'at1',
      link_type: 'service_class',
      taxonomy_term: { id: 'tt1', code: 'P6.10', name: 'Adult education', taxonomy: 'ptvserclass2', taxonomy_detail: { id: 'tx1', name: 'ptvserclass2' } },
    },
    { id: 'at2', link_type: 'topic', taxonomy_term: { id: 'tt2', code: 'BD-1800', name: 'Counseling', taxonomy: 'openeligibility', term_uri: 'https://example.org/terms/BD-1800' } },
  ],
  service_at_locations: [
    {
      id: 'sal1',
      description: 'Walk in.',
      location: {
        id: '1c1c1c1c-0000-4000-8000-000000000001',
        location_type: 'physical',
        name: 'Civic Center',
        latitude: 60.17,
        longitude: 24.94,
        addresses: [{ id: 'ad1', address_1: 'Main Street 1', city: 'Helsinki', postal_code: '00100', state_province: '', country: 'FI', address_type: 'physical' }],
        phones: [{ id: 'ph1', number: '+358 9 123', type: 'voice', languages: [{ id: 'pl1', code: 'fi' }] }],
        schedules: [
          { id: 'sc1', freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opens_at: '10:00:00', closes_at: '18:00:00', description: 'Weekdays' },
          { id: 'sc2', freq: 'WEEKLY', byday: 'SA', opens_at: '10:00', closes_at: '14:00' },
        ],
        contacts: [{ id: 'c1', name: 'Reception', email: 'reception@example.org' }],
      },
    },
  ],
};
const NAMELESS = { id: '5b5fca57-0000-4000-8000-000000000002', description: 'no name' };

test('reads one file of compiled services as an HSDS API returns them', async () => {
  const file = join(scratch, 'compiled.json');
  const service = COMPILED_SERVICE;
  const broken = NAMELESS;
  writeFileSync(file, JSON.stringify({ total_items: 2, page_number: 1, contents: [service, broken] }));
  const read = await readHsds(file, { language: 'en' });
  assert.deepStrictEqual(read.sources, [file]);
  assert.deepStrictEqual(read.skipped, [{ source: file, index: 1, id: broken.id, reason: 'service: / must have required properties name' }]);
  assert.deepStrictEqual(read.organizations, [{ id: '0a0a0a0a-0000-4000-8000-000000000001', source: 'hsds', name: { en: 'Example Organization' }, businessCode: null }]);
  const channelId = '1c1c1c1c-0000-4000-8000-000000000001';
  assert.deepStrictEqual(read.services, [
    {
      id: '5b5fca57-0000-4000-8000-000000000001',
      source: 'hsds',
      sourceId: null,
      type: null,
      fundingType: null,
      chargeType: null,
      areaType: 'LimitedType',
      areas: [{ type: 'Municipality', code: null, municipalities: ['091'] }],
      name: { en: 'Community Counselling' },
      alternateName: {},
      summary: {},
      description: { en: 'Counselling services provided by trained professionals.' },
      userInstruction: { en: 'Call reception.' },
      requirements: {},
      chargeInfo: {},
      keywords: {},
      languages: ['sv'],
      serviceClasses: ['P6.10'],
      targetGroups: [],
      lifeEvents: [],
      serviceCollections: [],
      organizations: [{ id: '0a0a0a0a-0000-4000-8000-000000000001', name: { en: 'Example Organization' }, role: null }],
      ontologyTerms: [{ uri: 'https://example.org/terms/BD-1800', name: { en: 'Counseling' } }],
      channels: [{ channelId, channelName: 'Civic Center', description: { en: 'Walk in.' } }],
      generalDescriptionId: null,
      publishingStatus: null,
      modified: '2023-03-15T10:30:45.123Z',
    },
  ]);
  assert.deepStrictEqual(read.channels, [
    {
      id: channelId,
      source: 'hsds',
      sourceId: null,
      type: 'ServiceLocation',
      organizationId: null,
      name: { en: 'Civic Center' },
      summary: {},
      description: {},
      languages: [],
      areaType: null,
      areas: [],
      webPages: [],
      phones: [{ type: 'Phone', number: '+358 9 123', prefix: null, additionalInformation: null, chargeType: null, chargeDescription: null, language: 'fi' }],
      emails: [{ address: 'reception@example.org', language: null }],
      addresses: [
        {
          type: 'Location',
          street: { en: 'Main Street 1' },
          streetNumber: null,
          postalCode: '00100',
          postOffice: { en: 'Helsinki' },
          municipality: null,
          latitude: 60.17,
          longitude: 24.94,
          additionalInformation: {},
        },
      ],
      serviceHours: [
        {
          type: 'DaysOfTheWeek',
          validFrom: null,
          validTo: null,
          isClosed: false,
          isAlwaysOpen: false,
          isReservation: false,
          additionalInformation: { en: 'Weekdays' },
          openingHours: [{ dayFrom: 'Monday', dayTo: 'Friday', from: '10:00:00', to: '18:00:00' }],
        },
        {
          type: 'DaysOfTheWeek',
          validFrom: null,
          validTo: null,
          isClosed: false,
          isAlwaysOpen: false,
          isReservation: false,
          additionalInformation: {},
          openingHours: [{ dayFrom: 'Saturday', dayTo: null, from: '10:00:00', to: '14:00:00' }],
        },
      ],
      services: null,
      publishingStatus: null,
      modified: null,
    },
  ]);
  // A bare array of services reads the same.
  writeFileSync(file, JSON.stringify([service]));
  assert.deepStrictEqual((await readHsds(file, { language: 'en' })).services, read.services);

});
