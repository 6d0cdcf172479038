import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { ConsoleUser, approvedMember } from '../testing/console.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { exampleQuestionnaire } from './example-questionnaire.ts';

/**
 * Questionnaires over HTTP as the console and a respondent's page call them: a member's staff
 * drafts, previews and publishes; a PIN run for a class is answered; the results show once ten
 * have answered, noised, to the organiser and to the respondents alike; the wrong callers are refused.
 */

const ADMIN = { email: 'questionnaires-admin@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';
const hour = 3600_000;
const window = () => ({ opens_at: new Date(Date.now() - hour).toISOString(), closes_at: new Date(Date.now() + 24 * hour).toISOString() });

for (const backend of testBackends()) {
  describe(`questionnaires (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let owner: { memberId: string; user: ConsoleUser };
    let other: { memberId: string; user: ConsoleUser };
    const path = (memberId: string, rest = '') => `/api/v1/console/members/${memberId}/questionnaires${rest}`;
    const respondent = (address = '10.0.0.1') => ({
      call: (method: 'POST', url: string, payload: object, headers: Record<string, string> = {}) => app.inject({ method, url, payload, headers, remoteAddress: address }),
    });
    const runPath = (runId: string, rest: string) => `/api/v1/questionnaire-runs/${runId}${rest}`;

    /** A questionnaire with its first version published. */
    async function published() {
      const q = await owner.user.json('POST', path(owner.memberId), { definition: exampleQuestionnaire() });
      await owner.user.json('POST', path(owner.memberId, `/${q.id}/versions`), {});
      return q.id as string;
    }

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
      await createNetworkAdmin(database.db, { email: ADMIN.email, name: 'Ylläpitäjä', password: ADMIN.password }, 'test');
      const admin = await new ConsoleUser(app).loginOk(ADMIN.email, ADMIN.password);
      owner = await approvedMember(admin, { name: 'Nuorisopalvelut', email: 'admin@nuoriso-q.example', password: PASSWORD });
      other = await approvedMember(admin, { name: 'Naapurikunta', email: 'admin@naapuri-q.example', password: PASSWORD });
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('a draft is created, previewed, published as numbered versions that never change; each step audited', async () => {
      const untranslated = exampleQuestionnaire();
      untranslated.title = { fi: 'Miten voit?' };
      const draft = await owner.user.json('POST', path(owner.memberId), { definition: untranslated });
      assert.deepEqual(draft.publish_blockers, ['title']);
      assert.deepEqual(draft.versions, []);
      const blocked = await assertProblem(await owner.user.call('POST', path(owner.memberId, `/${draft.id}/versions`), {}), 422, '/questionnaire-untranslated');
      assert.deepEqual(blocked.errors!.map((e) => e.field), ['title']);

      const edited = await owner.user.json('PUT', path(owner.memberId, `/${draft.id}`), { definition: exampleQuestionnaire() }, 200);
      assert.deepEqual(edited.publish_blockers, []);
      const preview = await owner.user.json('POST', path(owner.memberId, `/${draft.id}/preview`), { answers: { life: 8, friends: 'none' } }, 200);
      assert.deepEqual(preview.issues, [{ field: 'lonely', message: 'is required' }]);
      assert.ok(preview.shown.includes('lonely'));
      const fine = await owner.user.json('POST', path(owner.memberId, `/${draft.id}/preview`), { answers: { life: 8, friends: 'many' } }, 200);
      assert.deepEqual(fine.meters, { friends: 9, life_satisfaction: 8 });

      const v1 = await owner.user.json('POST', path(owner.memberId, `/${draft.id}/versions`), {});
      assert.equal(v1.version, 1);
      const changed = exampleQuestionnaire();
      changed.title = { fi: 'Uusi', sv: 'Ny', en: 'New' };
      await owner.user.json('PUT', path(owner.memberId, `/${draft.id}`), { definition: changed }, 200);
      const v2 = await owner.user.json('POST', path(owner.memberId, `/${draft.id}/versions`), {});
      assert.equal(v2.version, 2);
      assert.equal((await owner.user.json('GET', path(owner.memberId, `/${draft.id}/versions/1`))).definition.title.fi, 'Miten voit?', 'a version keeps what was published');
      const listed = await owner.user.json('GET', path(owner.memberId));
      assert.deepEqual(listed.questionnaires.find((q: any) => q.id === draft.id).latest_version, 2);
      const actions = await database.db.selectFrom('audit_log').select('action').where('target', '=', draft.id).orderBy('id').execute();
      assert.deepEqual(actions.map((a) => a.action), ['questionnaire.create', 'questionnaire.edit', 'questionnaire.publish', 'questionnaire.edit', 'questionnaire.publish']);
      const logged = (await owner.user.json('GET', '/api/v1/console/audit?limit=100')).entries.filter((e: any) => e.target === draft.id);
      assert.equal(logged.length, 5, "the member's own log has them");
      assert.deepEqual(logged[0].target_name, changed.title, 'a row names the questionnaire by its title');
    });

    test('what is not ours to keep is a 400 naming it: another type, a broken condition, a text too long', async () => {
      const broken = exampleQuestionnaire();
      (broken.pages[0]!.elements[3] as any).visibleIf = "{friends} = = 'none'";
      const problem = await assertProblem(await owner.user.call('POST', path(owner.memberId), { definition: broken }), 400);
      assert.equal(problem.errors![0]!.field, 'lonely.visibleIf');
      await assertProblem(await owner.user.call('POST', path(owner.memberId), { definition: { ...exampleQuestionnaire(), pages: [{ name: 'p', elements: [{ type: 'html', name: 'h', html: '<b>x</b>' }] }] } }), 400);
      await assertProblem(await owner.user.call('POST', path(owner.memberId), { definition: { ...exampleQuestionnaire(), title: { fi: 'x'.repeat(1001) } } }), 400);
    });

    test('a PIN run for a class: the PIN asked for, wrong ones refused; results only once ten have answered, the same release to organiser and respondents', async () => {
      const qid = await published();
      const run = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: '7B', access: 'pin', pin: '246810', ...window() });
      assert.equal(run.access, 'pin');
      assert.equal(run.link_key, undefined);
      const stored = await database.db.selectFrom('questionnaire_runs').select('secret_hash').where('id', '=', run.id).executeTakeFirstOrThrow();
      assert.ok(stored.secret_hash && !stored.secret_hash.includes('246810'), 'the PIN is kept hashed');

      const pupil = respondent('10.1.0.1');
      const asked = await pupil.call('POST', runPath(run.id, '/form'), {});
      await assertProblem(asked, 401, '/pin-required');
      // The answering page asks for the PIN itself: a Basic challenge would open the browser's own password dialog instead.
      assert.equal(asked.headers['www-authenticate'], undefined);
      await assertProblem(await pupil.call('POST', runPath(run.id, '/form'), { pin: '000000' }), 403, '/wrong-pin');
      const form = (await pupil.call('POST', runPath(run.id, '/form'), { pin: '246810' })).json();
      assert.equal(form.version, 1);
      assert.equal(form.definition.title.fi, 'Miten voit?');

      const bad = await assertProblem(await pupil.call('POST', runPath(run.id, '/responses'), { pin: '246810', answers: { life: 11, friends: 'many', lonely: 'x' } }), 400);
      assert.deepEqual(bad.errors!.map((e) => e.field), ['life', 'lonely']);
      await assertProblem(await pupil.call('POST', runPath(run.id, '/responses'), { pin: '111111', answers: { life: 5, friends: 'many' } }), 403, '/wrong-pin');

      for (let i = 0; i < 9; i++) {
        const res = await pupil.call('POST', runPath(run.id, '/responses'), { pin: '246810', answers: { life: i, friends: i % 2 ? 'some' : 'many', worries: ['school'] } });
        assert.equal(res.statusCode, 201, res.body);
        assert.deepEqual(res.json().meters, { working_studying: 4, friends: i % 2 ? 6 : 9, life_satisfaction: i });
        assert.equal(res.json().saved_check_id, null);
      }
      const notYet = await owner.user.json('GET', path(owner.memberId, `/${qid}/runs/${run.id}/results`));
      assert.deepEqual(notYet, { status: 'not-yet', responses: 9, threshold: 10 });
      assert.deepEqual((await pupil.call('POST', runPath(run.id, '/picture'), { pin: '246810' })).json(), notYet);

      assert.equal((await pupil.call('POST', runPath(run.id, '/responses'), { pin: '246810', answers: { life: 10, friends: 'none', lonely: 'Välillä yksin.' } })).statusCode, 201);
      const results = await owner.user.json('GET', path(owner.memberId, `/${qid}/runs/${run.id}/results`));
      assert.equal(results.status, 'released');
      assert.equal(results.release, 1);
      assert.equal(results.figures.sensitivity, 11);
      assert.ok(results.figures.noise_scale > 0);
      assert.ok(!JSON.stringify(results).includes('Välillä yksin'), 'free text is never released');
      assert.deepEqual(results.figures.questions.map((q: any) => q.name), ['life', 'friends', 'worries']);
      assert.equal(results.privacy.epsilon_spent, results.privacy.epsilon);
      const again = await owner.user.json('GET', path(owner.memberId, `/${qid}/runs/${run.id}/results`));
      assert.deepEqual(again, results, 'the kept release, not fresh noise');
      assert.deepEqual((await pupil.call('POST', runPath(run.id, '/picture'), { pin: '246810' })).json(), results, 'respondents see the same release');

      const reads = await database.db.selectFrom('audit_log').select(['action', 'actor']).where('target', '=', run.id).orderBy('id').execute();
      assert.deepEqual(reads.map((r) => r.action), ['questionnaire-run.start', 'questionnaire-run.results.read', 'questionnaire-run.results.read', 'questionnaire-run.results.read']);
      const named = (await owner.user.json('GET', '/api/v1/console/audit?limit=100')).entries.filter((e: any) => e.target === run.id);
      assert.ok(named.length === 4 && named.every((e: any) => e.target_name === '7B'), 'a row names the run by its group');
      const rows = await database.db.selectFrom('questionnaire_responses').selectAll().where('run_id', '=', run.id).execute();
      assert.equal(rows.length, 10);
      assert.ok(rows.every((r) => r.version === 1 && Object.keys(r).sort().join() === 'answers,id,meters,run_id,submitted_at,version'), 'anonymous: no person, no address');
    });

    test('a PIN run is found by its short code, typed any way, while it is open; other runs have no code and unknown codes are 404', async () => {
      const qid = await published();
      const run = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: '8C', access: 'pin', pin: '135790', ...window() });
      assert.match(run.code, /^[A-HJKMNP-Z2-9]{6}$/);
      const pupil = respondent('10.5.0.1');
      const typed = `${run.code.slice(0, 3).toLowerCase()} ${run.code.slice(3)}`;
      const found = await pupil.call('POST', '/api/v1/questionnaire-runs/find', { code: typed });
      assert.equal(found.statusCode, 200, found.body);
      assert.deepEqual(found.json(), { run_id: run.id });
      // Finding it gives nothing without the PIN.
      await assertProblem(await pupil.call('POST', runPath(run.id, '/form'), {}), 401, '/pin-required');

      const link = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: 'linkki', access: 'link', ...window() });
      const open = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: 'avoin', access: 'open', ...window() });
      assert.equal(link.code, null);
      assert.equal(open.code, null);
      await assertProblem(await pupil.call('POST', '/api/v1/questionnaire-runs/find', { code: 'ZZZZZZ' }), 404);
      await assertProblem(await pupil.call('POST', '/api/v1/questionnaire-runs/find', { code: '' }), 400);

      await owner.user.json('POST', path(owner.memberId, `/${qid}/runs/${run.id}/close`), {}, 200);
      await assertProblem(await pupil.call('POST', '/api/v1/questionnaire-runs/find', { code: run.code }), 404);
    });

    test('wrong PINs are limited per address: past forty, 429 even with the right one; a class with the right PIN at once is not', async () => {
      const qid = await published();
      const run = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: 'Kerho', access: 'pin', pin: 'kerho2027', ...window() });
      const guesser = respondent('10.2.0.1');
      const classroom = await Promise.all(Array.from({ length: 30 }, () => respondent('10.2.0.9').call('POST', runPath(run.id, '/form'), { pin: 'kerho2027' })));
      assert.deepEqual([...new Set(classroom.map((r) => r.statusCode))], [200]);
      for (let i = 0; i < 40; i++) await assertProblem(await guesser.call('POST', runPath(run.id, '/form'), { pin: `guess${i}x` }), 403, '/wrong-pin');
      const limited = await assertProblem(await guesser.call('POST', runPath(run.id, '/form'), { pin: 'kerho2027' }), 429);
      assert.ok(Number(limited.retry_after) > 0);
      assert.equal((await respondent('10.2.0.2').call('POST', runPath(run.id, '/form'), { pin: 'kerho2027' })).statusCode, 200, 'another address is not limited by these');
    });

    test('a link run is reached with its key only; an open run by anyone; the window is kept; a closed run takes no answers', async () => {
      const qid = await published();
      const linked = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: 'Seura', access: 'link', ...window() });
      assert.match(linked.link_key, /^[A-Za-z0-9_-]{32}$/);
      await assertProblem(await respondent().call('POST', runPath(linked.id, '/form'), {}), 404);
      await assertProblem(await respondent().call('POST', runPath(linked.id, '/form'), { key: 'x'.repeat(32) }), 404);
      assert.equal((await respondent().call('POST', runPath(linked.id, '/form'), { key: linked.link_key })).statusCode, 200);

      const later = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: 'Ensi viikko', access: 'open', opens_at: new Date(Date.now() + 24 * hour).toISOString(), closes_at: new Date(Date.now() + 48 * hour).toISOString() });
      await assertProblem(await respondent().call('POST', runPath(later.id, '/form'), {}), 409, '/run-not-open');

      const open = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: 'Kaikille', access: 'open', ...window() });
      assert.equal((await respondent().call('POST', runPath(open.id, '/responses'), { answers: { life: 5, friends: 'some' } })).statusCode, 201);
      const closed = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs/${open.id}/close`), {}, 200);
      assert.ok(new Date(closed.closes_at) <= new Date());
      assert.equal(closed.responses, 1);
      await assertProblem(await respondent().call('POST', runPath(open.id, '/responses'), { answers: { life: 5, friends: 'some' } }), 409, '/run-closed');
      await assertProblem(await owner.user.call('POST', path(owner.memberId, `/${qid}/runs/${open.id}/close`), {}), 409, '/run-closed');
      await assertProblem(await respondent().call('POST', runPath('00000000-0000-4000-8000-000000000000', '/form'), {}), 404);

      await assertProblem(await owner.user.call('POST', path(owner.memberId, `/${qid}/runs`), { version: 9, name: 'x', access: 'open', ...window() }), 404);
      await assertProblem(await owner.user.call('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: 'x', access: 'pin', ...window() }), 400);
      await assertProblem(await owner.user.call('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: 'x', access: 'open', opens_at: window().closes_at, closes_at: window().opens_at }), 400);
    });

    test('with consent and a person key, the meters are kept as one of the person\'s saved checks; only where the run allows it', async () => {
      const qid = await published();
      const saving = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: 'Tallentava', access: 'open', profile_saving: true, ...window() });
      const personKey = randomBytes(32).toString('base64url');
      const bearer = { authorization: `Bearer ${personKey}` };
      await assertProblem(await respondent().call('POST', runPath(saving.id, '/responses'), { answers: { life: 6, friends: 'many' }, save_to_profile: true }), 401);
      const saved = (await respondent().call('POST', runPath(saving.id, '/responses'), { answers: { life: 6, friends: 'many' }, save_to_profile: true }, bearer)).json();
      assert.ok(saved.saved_check_id);
      const checks = (await app.inject({ method: 'GET', url: '/api/v1/my/checks', headers: bearer })).json();
      assert.deepEqual(checks.checks.map((c: any) => [c.id, c.meters]), [[saved.saved_check_id, { friends: 9, life_satisfaction: 6 }]]);

      const anonymousOnly = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: 'Nimetön', access: 'open', ...window() });
      await assertProblem(await respondent().call('POST', runPath(anonymousOnly.id, '/responses'), { answers: { life: 6, friends: 'many' }, save_to_profile: true }, bearer), 409, '/profile-saving-off');
      assert.equal((await database.db.selectFrom('questionnaire_responses').select('id').where('run_id', '=', anonymousOnly.id).execute()).length, 0, 'a refused response is not kept');
    });

    test("with consent, the meters go to the area's situational picture as a row of their own: municipality, age band, week and meters, nothing of the response", async () => {
      const qid = await published();
      const run = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: 'Alueelle', access: 'open', ...window() });
      // The picture's table is written and read in SQL by its own domain (src/situational-picture/).
      const pictureRows = async () => (await sql<Record<string, unknown>>`select * from picture_answers`.execute(database.db)).rows;
      const before = (await pictureRows()).length;
      const plain = (await respondent().call('POST', runPath(run.id, '/responses'), { answers: { life: 6, friends: 'many' } })).json();
      assert.equal(plain.shared_for_picture, false);
      await assertProblem(await respondent().call('POST', runPath(run.id, '/responses'), { answers: { life: 6, friends: 'many' }, share_for_picture: { municipality: '999', age_band: '18-29' } }), 400);
      await assertProblem(await respondent().call('POST', runPath(run.id, '/responses'), { answers: { life: 6, friends: 'many' }, share_for_picture: { municipality: '491', age_band: '13-17' } }), 400);
      const shared = (await respondent().call('POST', runPath(run.id, '/responses'), { answers: { life: 4, friends: 'some' }, share_for_picture: { municipality: '491', age_band: '18-29' } })).json();
      assert.equal(shared.shared_for_picture, true);
      const rows = await pictureRows();
      assert.equal(rows.length, before + 1, 'one row: only the consented answer, and not the refused ones');
      const row = rows.find((r) => r.municipality === '491' && r.age_band === '18-29')!;
      assert.deepEqual(Object.keys(row).sort(), ['age_band', 'meters', 'municipality', 'source', 'week'], 'no id, response, run or time finer than a week');
      assert.equal((await database.db.selectFrom('questionnaire_responses').select('id').where('run_id', '=', run.id).execute()).length, 2, 'the refused ones were not kept either');
    });

    test('any answers at all over HTTP: 201 with meters or 400 naming what is wrong, never a 5xx; only accepted ones are kept', async () => {
      const qid = await published();
      const run = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: 'Sumea', access: 'open', ...window() });
      let accepted = 0;
      const value = fc.oneof(fc.integer({ min: -2, max: 12 }), fc.constantFrom('many', 'some', 'none', 'money', '', 'x'), fc.subarray(['money', 'school', 'home', 'money']), fc.string(), fc.anything());
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.constantFrom('life', 'friends', 'worries', 'lonely', 'nickname', 'other'), value), async (answers) => {
          const res = await respondent(`10.3.${accepted % 250}.1`).call('POST', runPath(run.id, '/responses'), { answers });
          assert.ok(res.statusCode === 201 || res.statusCode === 400, `${res.statusCode} ${res.body.slice(0, 300)}`);
          if (res.statusCode === 201) accepted += 1;
          else assert.ok(((res.json() as { errors?: unknown[] }).errors ?? []).length > 0 || /body/.test(res.body), res.body);
        }),
        { numRuns: 120 },
      );
      const kept = await database.db.selectFrom('questionnaire_responses').select('id').where('run_id', '=', run.id).execute();
      assert.equal(kept.length, accepted);
    });

    test('wrong callers: no session 401, another member 403, another member\'s questionnaire 404', async () => {
      const qid = await published();
      const run = await owner.user.json('POST', path(owner.memberId, `/${qid}/runs`), { version: 1, name: 'x', access: 'open', ...window() });
      const body = { definition: exampleQuestionnaire() };
      const routes = [
        ['GET', ''],
        ['POST', ''],
        ['GET', `/${qid}`],
        ['PUT', `/${qid}`],
        ['POST', `/${qid}/preview`],
        ['POST', `/${qid}/versions`],
        ['GET', `/${qid}/versions/1`],
        ['GET', `/${qid}/runs`],
        ['POST', `/${qid}/runs`],
        ['GET', `/${qid}/runs/${run.id}`],
        ['POST', `/${qid}/runs/${run.id}/close`],
        ['GET', `/${qid}/runs/${run.id}/results`],
      ] as const;
      const payload = (rest: string) => (rest.endsWith('/preview') ? { answers: {} } : rest.endsWith('/runs') ? { version: 1, name: 'y', access: 'open', ...window() } : body);
      const anonymous = new ConsoleUser(app);
      for (const [method, rest] of routes) {
        await assertProblem(await anonymous.call(method, path(owner.memberId, rest), method === 'GET' ? undefined : payload(rest)), 401);
        await assertProblem(await other.user.call(method, path(owner.memberId, rest), method === 'GET' ? undefined : payload(rest)), 403);
        if (rest !== '') await assertProblem(await other.user.call(method, path(other.memberId, rest), method === 'GET' ? undefined : payload(rest)), 404);
      }
      assert.equal((await other.user.json('GET', path(other.memberId))).questionnaires.length, 0);
      assert.equal((await owner.user.json('GET', path(owner.memberId, `/${qid}/runs/${run.id}`))).closes_at, run.closes_at, 'nothing the others tried changed the run');
    });
  });
}
