import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createClient } from '../clients/clients.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { nextBusinessId } from '../testing/console.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';

/**
 * Catalogue records belong to the operator or to a member; a member's client writes only its own
 * (ownership.ts). Each attack goes through HTTP, and the record is read back unchanged.
 */

const ptvService = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'Service',
  languages: ['fi'],
  serviceNames: [{ language: 'fi', value: name, type: 'Name' }],
  areaType: 'Nationwide',
  areas: [],
  ...extra,
});
const ptvChannel = (id: string, url: string, services: string[] = []) => ({
  id,
  serviceChannelType: 'WebPage',
  serviceChannelNames: [{ language: 'fi', value: 'Verkkosivu', type: 'Name' }],
  webPages: [{ url, value: 'sivu', language: 'fi' }],
  ...(services.length ? { services: services.map((s) => ({ service: { id: s } })) } : {}),
});

for (const backend of testBackends()) {
  describe(`catalogue records belong to their owner (${backend})`, () => {
    let t: TestApp;
    const members = { a: { id: randomUUID(), businessId: nextBusinessId(), authorization: '' }, b: { id: randomUUID(), businessId: nextBusinessId(), authorization: '' } };
    const OPERATOR_SERVICE = randomUUID();
    const A_ORG_SERVICE = randomUUID(); // an operator (PTV) record of A's organisation
    const A_ORG = randomUUID();
    const B_SERVICE = randomUUID();
    const B_CHANNEL = randomUUID();

    const importAs = (authorization: string, payload: unknown[]) => t.app.inject({ method: 'POST', url: '/api/v1/imports/ptv', payload, headers: { authorization } });
    const deleteAs = (authorization: string, id: string) => t.app.inject({ method: 'DELETE', url: `/api/v1/services/${id}`, headers: { authorization } });
    const nameOf = async (id: string) => {
      const res = await t.app.inject(`/api/v1/services/${id}?lang=fi`);
      return res.statusCode === 200 ? (res.json() as { name: string }).name : res.statusCode;
    };

    before(async () => {
      t = await createTestApp(backend);
      const db = t.database.db;
      for (const [key, m] of Object.entries(members)) {
        await db.insertInto('members').values({ id: m.id, name: `Jäsen ${key}`, business_id: m.businessId, contact_name: 'Yhteys', contact_email: `${key}@example.fi`, status: 'approved' }).execute();
        const client = await createClient(db, `Jäsen ${key} luettelo`, ['catalogue:write'], { memberId: m.id });
        m.authorization = basicAuth(client.client_id, client.client_secret);
      }
      // The operator's import, through its own client (no member).
      const res = await importAs(t.client.authorization, [
        ptvService(OPERATOR_SERVICE, 'Operaattorin palvelu'),
        ptvService(A_ORG_SERVICE, 'A:n organisaation palvelu', { organizations: [{ organization: { id: A_ORG, name: 'A Oy' }, roleType: 'Responsible' }] }),
      ]);
      assert.equal(res.statusCode, 200, res.body);
      // The organisation's business ID, as the operator's organisation data gives it.
      await db.updateTable('organizations').set({ business_code: members.a.businessId }).where('id', '=', A_ORG).execute();
      const created = await importAs(members.b.authorization, [ptvService(B_SERVICE, 'B:n palvelu'), ptvChannel(B_CHANNEL, 'https://b.example/', [B_SERVICE])]);
      assert.equal(created.statusCode, 200, created.body);
    });
    after(async () => {
      await t?.close();
    });

    test('a member creates records that are its own; the operator\'s stay the operator\'s', async () => {
      const rows = await t.database.db.selectFrom('services').select(['id', 'owner_member_id']).where('id', 'in', [OPERATOR_SERVICE, A_ORG_SERVICE, B_SERVICE]).execute();
      assert.deepEqual(new Map(rows.map((r) => [r.id, r.owner_member_id])), new Map([[OPERATOR_SERVICE, null], [A_ORG_SERVICE, null], [B_SERVICE, members.b.id]]));
      const channel = await t.database.db.selectFrom('service_channels').select('owner_member_id').where('id', '=', B_CHANNEL).executeTakeFirstOrThrow();
      assert.equal(channel.owner_member_id, members.b.id);
    });

    test('attack: member A overwrites member B\'s service or the operator\'s: 403 naming it, nothing of the batch is written', async () => {
      const mine = randomUUID();
      for (const victim of [B_SERVICE, OPERATOR_SERVICE]) {
        const before = await nameOf(victim);
        const res = await importAs(members.a.authorization, [ptvService(mine, 'A:n uusi palvelu'), ptvService(victim, 'Kaapattu')]);
        const problem = assertProblem(res, 403);
        assert.match(String(problem.detail), new RegExp(victim));
        assert.deepEqual((problem as unknown as { records: unknown[] }).records, [{ kind: 'service', id: victim }]);
        assert.equal(await nameOf(victim), before, 'unchanged');
        assert.equal(await nameOf(mine), 404, 'all or nothing: its own new service was not written either');
      }
    });

    test('attack: member A overwrites B\'s channel, or links a channel of its own to B\'s or the operator\'s service: 403, no link', async () => {
      assertProblem(await importAs(members.a.authorization, [ptvChannel(B_CHANNEL, 'https://evil.example/')]), 403);
      const stored = await t.database.db.selectFrom('service_channels').select('web_pages').where('id', '=', B_CHANNEL).executeTakeFirstOrThrow();
      assert.deepEqual((stored.web_pages as { url: string }[]).map((p) => p.url), ['https://b.example/']);
      const evil = randomUUID();
      for (const victim of [B_SERVICE, OPERATOR_SERVICE]) {
        const res = await importAs(members.a.authorization, [ptvChannel(evil, 'https://evil.example/', [victim])]);
        assert.match(String(assertProblem(res, 403).detail), new RegExp(`links itself to the service ${victim}`));
        const detail = (await t.app.inject(`/api/v1/services/${victim}`)).json() as { channels: { id: string }[] };
        assert.ok(!detail.channels.some((c) => c.id === evil), 'the channel is not on the victim\'s service');
      }
      assertProblem(await t.app.inject(`/api/v1/channels/${evil}`), 404);
    });

    test("attack: member A's own service links itself to B's channel (which would stop B's transfers there): 403, no link", async () => {
      const mine = randomUUID();
      const res = await importAs(members.a.authorization, [ptvService(mine, 'A:n kaappaava palvelu', { serviceChannels: [{ serviceChannel: { id: B_CHANNEL } }] })]);
      assert.match(String(assertProblem(res, 403).detail), new RegExp(`links itself to the channel ${B_CHANNEL}`));
      const links = await t.database.db.selectFrom('service_channel_links').select('service_id').where('channel_id', '=', B_CHANNEL).execute();
      assert.deepEqual([...new Set(links.map((l) => l.service_id))], [B_SERVICE]);
      // Its own channel, written with it or before, it may link.
      const own = randomUUID();
      const ok = await importAs(members.a.authorization, [ptvService(mine, 'A:n palvelu', { serviceChannels: [{ serviceChannel: { id: own } }] }), ptvChannel(own, 'https://a.example/')]);
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal((await importAs(members.a.authorization, [ptvService(mine, 'A:n palvelu', { serviceChannels: [{ serviceChannel: { id: own } }] })])).statusCode, 200);
      // A channel not in the catalogue would link whatever is imported with that id later.
      assertProblem(await importAs(members.a.authorization, [ptvService(mine, 'A:n palvelu', { serviceChannels: [{ serviceChannel: { id: randomUUID() } }] })]), 403);
    });

    test("attack: member B's own service names A's organisation (to show as A's): 403; an organisation B introduces carries B's business ID", async () => {
      const posing = randomUUID();
      const res = await importAs(members.b.authorization, [ptvService(posing, 'A:n nimissä', { organizations: [{ organization: { id: A_ORG, name: 'A Oy' }, roleType: 'Responsible' }] })]);
      assert.match(String(assertProblem(res, 403).detail), new RegExp(`names the organisation ${A_ORG}`));
      assertProblem(await t.app.inject(`/api/v1/services/${posing}`), 404);
      const introduced = randomUUID();
      const own = await importAs(members.b.authorization, [ptvService(randomUUID(), 'B:n toinen palvelu', { organizations: [{ organization: { id: introduced, name: 'B:n yksikkö' }, roleType: 'Responsible' }] })]);
      assert.equal(own.statusCode, 200, own.body);
      const org = await t.database.db.selectFrom('organizations').select('business_code').where('id', '=', introduced).executeTakeFirstOrThrow();
      assert.equal(org.business_code, members.b.businessId);
    });

    test('attack: member A deletes B\'s service or the operator\'s: 403, the service stays', async () => {
      for (const victim of [B_SERVICE, OPERATOR_SERVICE]) {
        assert.match(String(assertProblem(await deleteAs(members.a.authorization, victim), 403).detail), new RegExp(victim));
        assert.equal(typeof (await nameOf(victim)), 'string', 'still there');
      }
      assertProblem(await deleteAs(members.a.authorization, randomUUID()), 404);
    });

    test('a member writes its own: what it created, and PTV records of its business ID; overwrites and deletes are audited with the member', async () => {
      const mine = randomUUID();
      assert.equal((await importAs(members.a.authorization, [ptvService(mine, 'A:n palvelu')])).statusCode, 200);
      const updated = await importAs(members.a.authorization, [ptvService(mine, 'A:n palvelu, uusi nimi'), ptvService(A_ORG_SERVICE, 'A:n organisaation palvelu, päivitetty', { organizations: [{ organization: { id: A_ORG, name: 'A Oy' }, roleType: 'Responsible' }] })]);
      assert.equal(updated.statusCode, 200, updated.body);
      assert.deepEqual((updated.json() as { services: { updated: number } }).services.updated, 2);
      assert.equal(await nameOf(mine), 'A:n palvelu, uusi nimi');
      assert.equal(await nameOf(A_ORG_SERVICE), 'A:n organisaation palvelu, päivitetty');
      const owner = await t.database.db.selectFrom('services').select('owner_member_id').where('id', '=', A_ORG_SERVICE).executeTakeFirstOrThrow();
      assert.equal(owner.owner_member_id, null, 'an overwrite keeps the owner');
      const imports = await t.database.db.selectFrom('audit_log').select(['member_id', 'details']).where('action', '=', 'catalogue.import.ptv').where('member_id', '=', members.a.id).execute();
      assert.ok(imports.some((r) => JSON.stringify((r.details as { updated_services?: string[] }).updated_services?.sort()) === JSON.stringify([mine, A_ORG_SERVICE].sort())), JSON.stringify(imports));
      assert.equal((await deleteAs(members.a.authorization, mine)).statusCode, 204);
      const deleted = await t.database.db.selectFrom('audit_log').select(['member_id', 'actor']).where('action', '=', 'catalogue.service.delete').where('target', '=', mine).execute();
      assert.deepEqual(deleted.map((d) => d.member_id), [members.a.id]);
    });

    test('the operator\'s clients still write any record', async () => {
      const res = await importAs(t.client.authorization, [ptvService(B_SERVICE, 'B:n palvelu, operaattorin korjaama')]);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(await nameOf(B_SERVICE), 'B:n palvelu, operaattorin korjaama');
      const owner = await t.database.db.selectFrom('services').select('owner_member_id').where('id', '=', B_SERVICE).executeTakeFirstOrThrow();
      assert.equal(owner.owner_member_id, members.b.id, 'still B\'s');
    });
  });
}
