import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { createNetworkAdmin } from '../../staff/staff.ts';
import { ConsoleUser, addService, approvedMember, nextBusinessId } from '../../testing/console.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { assertProblem } from '../../testing/problems.ts';
import type { ProgrammeInput } from './schemas.ts';

/**
 * Voucher programmes over HTTP as the console and the public call them: a payer's staff drafts,
 * edits, opens and closes; the wrong callers are refused; what is public says no budget; "where it
 * can be used" resolves services, classes and approved providers to catalogue services.
 */

const ADMIN = { email: 'vouchers-admin@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';

for (const backend of testBackends()) {
  describe(`voucher programmes (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let payer: { memberId: string; user: ConsoleUser; developer?: ConsoleUser };
    let provider: { memberId: string; businessId: string; user: ConsoleUser };
    let other: { memberId: string; user: ConsoleUser };
    let admin: ConsoleUser;
    let homeCare: { serviceId: string; channelIds: string[] };
    let dental: { serviceId: string; channelIds: string[] };
    let providersOwn: { serviceId: string; channelIds: string[] };
    const path = (memberId: string, rest = '') => `/api/v1/console/members/${memberId}/voucher-programmes${rest}`;

    const complete = (): ProgrammeInput => ({
      name: { fi: 'Kotihoidon palveluseteli', sv: 'Servicesedel för hemvård', en: 'Home care service voucher' },
      description: { fi: 'Kotihoitoa hyväksytyiltä tuottajilta.', sv: 'Hemvård av godkända producenter.', en: 'Home care from approved providers.' },
      unit: 'hour',
      value_per_unit_cents: 3200,
      units_per_voucher: 10,
      valid_from: '2027-01-01',
      valid_until: '2027-12-31',
      voucher_validity_days: 90,
      co_payment: { kind: 'percentage', percent: 20 },
      budget_cap_cents: 50_000_000,
      per_person_limit: { vouchers: 2, period: 'year' },
      eligibility: { all_of: [{ type: 'age_band', in: ['65+'] }, { type: 'municipality', in: ['491'] }] },
      funds: { services: [homeCare.serviceId], service_classes: [], providers: [] },
    });

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
      await createNetworkAdmin(database.db, { email: ADMIN.email, name: 'Ylläpitäjä', password: ADMIN.password }, 'test');
      admin = await new ConsoleUser(app).loginOk(ADMIN.email, ADMIN.password);
      payer = await approvedMember(admin, { name: 'Etelä-Savon hyvinvointialue', email: 'admin@esavo-vouchers.example', password: PASSWORD, developer: { email: 'dev@esavo-vouchers.example', name: 'Kehittäjä' } });
      provider = await approvedMember(admin, { name: 'Hoivapalvelu Oy', email: 'admin@hoiva-vouchers.example', password: PASSWORD });
      other = await approvedMember(admin, { name: 'Naapurikunta', email: 'admin@naapuri-vouchers.example', password: PASSWORD });
      homeCare = await addService(database.db, 'Kotihoito', 2);
      dental = await addService(database.db, 'Suun terveydenhuolto', 1);
      await sql`update services set service_classes = ${['P4.2']}, service_class_filter = ${['P4', 'P4.2']} where id = ${dental.serviceId}`.execute(database.db);
      providersOwn = await addService(database.db, 'Hoivan kotihoito', 1, { businessId: provider.businessId });
      await provider.user.json('POST', `/api/v1/console/members/${provider.memberId}/services`, { service_id: providersOwn.serviceId });
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('a draft is created, edited, opened once complete and closed; each step audited', async () => {
      const draft = await payer.user.json('POST', path(payer.memberId), { ...complete(), name: { fi: 'Kotihoito' }, budget_cap_cents: null });
      assert.equal(draft.status, 'draft');
      assert.deepEqual(draft.open_blockers, ['names', 'budget-cap']);
      assert.equal(draft.eligibility_explained.en, 'For people aged 65 or over whose home municipality is Mikkeli.');
      assert.match(draft.co_payment_explained.fi, /20 % hinnasta/);
      const incomplete = await assertProblem(await payer.user.call('POST', path(payer.memberId, `/${draft.id}/open`), {}), 422, '/programme-incomplete');
      assert.deepEqual(incomplete.errors!.map((e) => e.field), ['names', 'budget-cap']);

      const edited = await payer.developer!.json('PUT', path(payer.memberId, `/${draft.id}`), complete(), 200);
      assert.deepEqual(edited.open_blockers, []);
      assert.deepEqual(edited.funds, { services: [homeCare.serviceId], service_classes: [], providers: [] });
      assert.equal(edited.budget_cap_cents, 50_000_000);
      assert.equal(edited.valid_from, '2027-01-01');
      const opened = await payer.user.json('POST', path(payer.memberId, `/${draft.id}/open`), {}, 200);
      assert.equal(opened.status, 'open');
      assert.ok(opened.opened_at);
      await assertProblem(await payer.user.call('PUT', path(payer.memberId, `/${draft.id}`), complete()), 409, '/programme-not-draft');
      await assertProblem(await payer.user.call('POST', path(payer.memberId, `/${draft.id}/open`), {}), 409, '/programme-not-draft');

      const other = await payer.user.json('POST', path(payer.memberId), complete());
      assert.equal((await payer.user.json('POST', path(payer.memberId, `/${other.id}/close`), {}, 200)).status, 'closed', 'a draft may be closed, never to be opened');
      await assertProblem(await payer.user.call('POST', path(payer.memberId, `/${other.id}/open`), {}), 409, '/programme-not-draft');
      await assertProblem(await payer.user.call('PUT', path(payer.memberId, `/${other.id}`), complete()), 409, '/programme-not-draft');

      const closed = await payer.user.json('POST', path(payer.memberId, `/${draft.id}/close`), {}, 200);
      assert.equal(closed.status, 'closed');
      await assertProblem(await payer.user.call('POST', path(payer.memberId, `/${draft.id}/close`), {}), 409, '/programme-closed');
      const actions = await database.db.selectFrom('audit_log').select('action').where('target', '=', draft.id).orderBy('id').execute();
      assert.deepEqual(actions.map((a) => a.action), ['voucher-programme.create', 'voucher-programme.edit', 'voucher-programme.open', 'voucher-programme.close']);
      const listed = (await payer.user.json('GET', '/api/v1/console/audit?limit=100')).entries.filter((e: any) => e.target === draft.id);
      assert.equal(listed.length, 4, "the member's own log has them");
      assert.deepEqual(listed[0].target_name, complete().name, 'a row names the programme');
    });

    test('an edit and an opening at once: never an incomplete programme opened', async () => {
      for (let round = 0; round < 5; round++) {
        const draft = await payer.user.json('POST', path(payer.memberId), complete());
        // The edit takes the budget cap away: opened before it, the edit is refused; edited first, the opening is.
        const [edit, open] = await Promise.all([payer.user.call('PUT', path(payer.memberId, `/${draft.id}`), { ...complete(), budget_cap_cents: null }), payer.user.call('POST', path(payer.memberId, `/${draft.id}/open`), {})]);
        const final = await payer.user.json('GET', path(payer.memberId, `/${draft.id}`));
        if (open.statusCode === 200) {
          await assertProblem(edit, 409, '/programme-not-draft');
          assert.equal(final.status, 'open');
          assert.equal(final.budget_cap_cents, complete().budget_cap_cents);
        } else {
          await assertProblem(open, 422, '/programme-incomplete');
          assert.equal(edit.statusCode, 200, edit.body);
          assert.equal(final.status, 'draft');
          assert.deepEqual(final.open_blockers, ['budget-cap']);
        }
      }
    });

    test('the public sees open programmes only, with who pays what and for whom, and no budget', async () => {
      const draft = await payer.user.json('POST', path(payer.memberId), complete());
      const open = await payer.user.json('POST', path(payer.memberId), { ...complete(), name: { ...complete().name, en: 'Dental care voucher' }, funds: { services: [], service_classes: ['P4.2'], providers: [provider.memberId] } });
      await payer.user.json('POST', path(payer.memberId, `/${open.id}/open`), {}, 200);
      const res = await app.inject({ method: 'GET', url: '/api/v1/voucher-programmes' });
      assert.equal(res.statusCode, 200);
      const listed = res.json().programmes as any[];
      assert.equal(res.json().truncated, false);
      assert.ok(listed.some((p) => p.id === open.id));
      assert.ok(!listed.some((p) => p.id === draft.id), 'a draft is not public');
      const mine = listed.find((p) => p.id === open.id);
      assert.equal(mine.payer.name, 'Etelä-Savon hyvinvointialue');
      assert.deepEqual(mine.funds.providers, [{ id: provider.memberId, name: 'Hoivapalvelu Oy' }]);
      assert.equal(mine.funds.service_classes[0].code, 'P4.2');
      assert.ok(mine.funds.service_classes[0].name.fi);
      assert.equal(mine.eligibility_explained.sv, 'För personer som är 65 år eller äldre och vars hemkommun är S:t Michel.');
      assert.equal('budget_cap_cents' in mine, false);
      assert.doesNotMatch(res.body, /50000000|budget/);
      await assertProblem(await app.inject({ method: 'GET', url: `/api/v1/voucher-programmes/${draft.id}/where-usable` }), 404);
    });

    test('where it can be used: listed services, services of a class, and with providers only theirs', async () => {
      const byService = await payer.user.json('POST', path(payer.memberId), complete());
      const where = await payer.user.json('GET', path(payer.memberId, `/${byService.id}/where-usable`));
      assert.deepEqual(where.services.map((s: any) => s.id), [homeCare.serviceId]);
      assert.deepEqual(where.services[0].channels.map((c: any) => c.id).sort(), [...homeCare.channelIds].sort());
      assert.equal(where.services[0].provider, null, 'an operator\'s service has no member provider');

      const byClass = await payer.user.json('POST', path(payer.memberId), { ...complete(), funds: { services: [], service_classes: ['P4'], providers: [] } });
      const classWhere = await payer.user.json('GET', path(payer.memberId, `/${byClass.id}/where-usable`));
      assert.deepEqual(classWhere.services.map((s: any) => s.id), [dental.serviceId], 'a class includes its subclasses');

      const byProvider = await payer.user.json('POST', path(payer.memberId), { ...complete(), funds: { services: [homeCare.serviceId, providersOwn.serviceId], service_classes: [], providers: [provider.memberId] } });
      const providerWhere = await payer.user.json('GET', path(payer.memberId, `/${byProvider.id}/where-usable`));
      assert.deepEqual(providerWhere.services.map((s: any) => s.id), [providersOwn.serviceId], "with providers, only the providers' services");
      assert.deepEqual(providerWhere.services[0].provider, { id: provider.memberId, name: 'Hoivapalvelu Oy' });

      const providersOnly = await payer.user.json('POST', path(payer.memberId), { ...complete(), funds: { services: [], service_classes: [], providers: [provider.memberId] } });
      assert.deepEqual((await payer.user.json('GET', path(payer.memberId, `/${providersOnly.id}/where-usable`))).services.map((s: any) => s.id), [providersOwn.serviceId]);
      await payer.user.json('POST', path(payer.memberId, `/${providersOnly.id}/open`), {}, 200);
      const publicWhere = await app.inject({ method: 'GET', url: `/api/v1/voucher-programmes/${providersOnly.id}/where-usable` });
      assert.equal(publicWhere.statusCode, 200);
      assert.deepEqual(publicWhere.json().services.map((s: any) => s.id), [providersOwn.serviceId]);

      // Suspended, the provider is no place to use a voucher, and no other provider takes its place.
      await admin.json('POST', `/api/v1/console/members/${provider.memberId}/suspend`, { reason: 'testi' }, 200);
      try {
        assert.deepEqual((await payer.user.json('GET', path(payer.memberId, `/${byProvider.id}/where-usable`))).services, []);
        assert.deepEqual((await app.inject({ method: 'GET', url: `/api/v1/voucher-programmes/${providersOnly.id}/where-usable` })).json().services, []);
      } finally {
        await admin.json('POST', `/api/v1/console/members/${provider.memberId}/reinstate`, {}, 200);
      }
    });

    test('what the schema cannot see is refused: unknown services, classes, providers, municipalities and a validity backwards', async () => {
      const cases: [Partial<ProgrammeInput>, string][] = [
        [{ funds: { services: ['00000000-0000-4000-8000-000000000000'], service_classes: [], providers: [] } }, 'funds.services'],
        [{ funds: { services: [], service_classes: ['P999'], providers: [] } }, 'funds.service_classes'],
        [{ funds: { services: [], service_classes: [], providers: ['00000000-0000-4000-8000-000000000000'] } }, 'funds.providers'],
        [{ eligibility: { all_of: [{ type: 'municipality', in: ['999'] }] } }, 'eligibility'],
        [{ valid_from: '2027-12-31', valid_until: '2027-01-01' }, 'valid_until'],
      ];
      for (const [change, field] of cases) {
        const problem = await assertProblem(await payer.user.call('POST', path(payer.memberId), { ...complete(), ...change }), 400);
        assert.ok(problem.errors!.some((e) => e.field === field), `${field}: ${JSON.stringify(problem.errors)}`);
      }
      for (const bad of [{ ...complete(), unit: 'litre' }, { ...complete(), value_per_unit_cents: 0 }, { ...complete(), co_payment: { kind: 'fixed' } }, { ...complete(), eligibility: { all_of: [{ type: 'income', below: 1 }] } }, { ...complete(), extra: 1 }, { ...complete(), name: { fi: 'x'.repeat(201) } }, { ...complete(), valid_from: '2027-02-30x' }])
        await assertProblem(await payer.user.call('POST', path(payer.memberId), bad), 400);
      const questionnaire = await payer.user.json('POST', path(payer.memberId), { ...complete(), eligibility: { all_of: [{ type: 'questionnaire', questionnaire: 'kotihoidon-tarve', result: 'tarve' }] } });
      assert.deepEqual(questionnaire.open_blockers, ['eligibility-questionnaire']);
      const nobody = await payer.user.json('POST', path(payer.memberId), { ...complete(), eligibility: { all_of: [{ type: 'adult', equals: false }, { type: 'age_band', in: ['65+'] }] } });
      assert.deepEqual(nobody.open_blockers, ['eligibility-nobody']);
      assert.equal(nobody.eligibility_explained.en, 'For people under 18 and aged 65 or over.', 'said as it is, for the payer to see');
      await assertProblem(await payer.user.call('POST', path(payer.memberId, `/${questionnaire.id}/open`), {}), 422, '/programme-incomplete');
    });

    test('wrong callers: no session 401, no CSRF header 403, another member 403, another member\'s programme 404', async () => {
      const mine = await payer.user.json('POST', path(payer.memberId), complete());
      const anonymous = new ConsoleUser(app);
      for (const [method, url] of [
        ['GET', path(payer.memberId)],
        ['POST', path(payer.memberId)],
        ['GET', path(payer.memberId, `/${mine.id}`)],
        ['PUT', path(payer.memberId, `/${mine.id}`)],
        ['POST', path(payer.memberId, `/${mine.id}/open`)],
        ['POST', path(payer.memberId, `/${mine.id}/close`)],
        ['GET', path(payer.memberId, `/${mine.id}/where-usable`)],
        ['GET', `/api/v1/console/members/${payer.memberId}/voucher-providers?q=hoiva`],
      ] as const) {
        await assertProblem(await anonymous.call(method, url, method === 'GET' ? undefined : complete()), 401);
        await assertProblem(await other.user.call(method, url, method === 'GET' ? undefined : complete()), 403);
      }
      await assertProblem(await payer.user.call('POST', path(payer.memberId), complete(), { csrf: false }), 403, '/csrf');
      // Another member's staff under their own member's path: the programme is not theirs.
      for (const [method, rest] of [['GET', ''], ['PUT', ''], ['POST', '/open'], ['POST', '/close'], ['GET', '/where-usable']] as const)
        await assertProblem(await other.user.call(method, path(other.memberId, `/${mine.id}${rest}`), method === 'PUT' ? complete() : method === 'POST' ? {} : undefined), 404);
      assert.equal((await other.user.json('GET', path(other.memberId))).programmes.length, 0);
      // The network administrator may read and act for any member, as elsewhere in the console.
      assert.equal((await admin.json('GET', path(payer.memberId, `/${mine.id}`))).id, mine.id);
      await assertProblem(await payer.user.call('GET', path(payer.memberId, '/not-a-uuid')), 400);
    });

    test('approved providers to name: by a part of the name, approved members only', async () => {
      const found = await payer.user.json('GET', `/api/v1/console/members/${payer.memberId}/voucher-providers?q=hoiva`);
      assert.deepEqual(found.providers.map((p: any) => p.id), [provider.memberId]);
      await new ConsoleUser(app).json('POST', '/api/v1/console/applications', { organisation_name: 'Hoiva odottaa Oy', business_id: nextBusinessId(), contact_name: 'X', contact_email: 'odottaa@hoiva.example', admin_password: PASSWORD });
      const again = await payer.user.json('GET', `/api/v1/console/members/${payer.memberId}/voucher-providers?q=hoiva`);
      assert.deepEqual(again.providers.map((p: any) => p.id), [provider.memberId], 'a member still applying is not offered');
      assert.equal((await payer.user.json('GET', `/api/v1/console/members/${payer.memberId}/voucher-providers?q=100%25`)).providers.length, 0, 'a % is a character, not a wildcard');
    });
  });
}
