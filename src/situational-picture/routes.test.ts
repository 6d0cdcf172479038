import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { testBackends } from '../testing/databases.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { approvedMember, ConsoleUser } from '../testing/console.ts';
import { assertProblem } from '../testing/problems.ts';
import { importIndicators } from './import-indicators.ts';
import { latestComplete, parsePeriod, previousPeriod } from './periods.ts';
import { recordPictureAnswers } from './record-picture-answer.ts';

/**
 * The picture over HTTP: anyone shares an answer and reads the mirror; a member's staff read the
 * picture, its CSV and their follows and notices; the wrong callers are refused.
 */
const PASSWORD = 'tilannekuvan-salasana';

/** A day in the middle of a quarter. */
const inside = (period: string) => new Date(`${parsePeriod(period)!.first}T12:00:00Z`.replace(/-01T/, '-15T'));

for (const backend of testBackends()) {
  describe(`situational picture routes (${backend})`, () => {
    let t: TestApp;
    let admin: ConsoleUser;
    let leader: ConsoleUser;
    let developer: ConsoleUser;
    let other: ConsoleUser;
    let memberId: string;
    let otherId: string;
    const last = latestComplete(new Date()).quarter;
    const before_ = previousPeriod(parsePeriod(last)!);

    before(async () => {
      t = await createTestApp(backend);
      await createNetworkAdmin(t.database.db, { email: 'admin@kuva.example', name: 'A', password: PASSWORD }, 'test');
      admin = await new ConsoleUser(t.app).loginOk('admin@kuva.example', PASSWORD);
      const county = await approvedMember(admin, { name: 'Etelä-Savon hyvinvointialue', email: 'johto@hyvinvointialue.example', password: PASSWORD, developer: { email: 'dev@hyvinvointialue.example', name: 'D' } });
      memberId = county.memberId;
      leader = county.user;
      developer = county.developer!;
      const rival = await approvedMember(admin, { name: 'Muu Oy', email: 'muu@example.fi', password: PASSWORD, remoteAddress: '10.0.0.2' });
      otherId = rival.memberId;
      other = rival.user;
      // Mikkeli's 18-29-year-olds: housing 3 in the quarter before the last, 8 in the last; far beyond the noise.
      await recordPictureAnswers(t.database.db, [
        ...Array.from({ length: 3000 }, () => ({ source: 'check' as const, municipality: '491', ageBand: '18-29', at: inside(before_), meters: { housing: 3, friends: 7 } })),
        ...Array.from({ length: 3000 }, () => ({ source: 'questionnaire' as const, municipality: '491', ageBand: '18-29', at: inside(last), meters: { housing: 8, friends: 7 } })),
      ]);
    });
    after(async () => t?.close());

    test('anyone shares an answer: kept de-identified; what is not an answer is a 400 problem; the address limit', async () => {
      const share = (payload: unknown, remoteAddress = '10.9.9.9') => t.app.inject({ method: 'POST', url: '/api/v1/picture/answers', payload: payload as object, remoteAddress });
      const before = await sql<{ n: number }>`select count(*)::int as n from picture_answers`.execute(t.database.db);
      assert.equal((await share({ municipality: '491', age_band: '45-64', meters: { housing: 5 } })).statusCode, 204);
      for (const bad of [
        { municipality: '999', age_band: '45-64', meters: { housing: 5 } },
        { municipality: '491', age_band: '46-64', meters: { housing: 5 } },
        { municipality: '491', age_band: '45-64', meters: {} },
        { municipality: '491', age_band: '45-64', meters: { housing: 11 } },
        { municipality: '491', age_band: '45-64', meters: { housing: 5 }, person_key: 'x' },
        { municipality: '491', age_band: '45-64', meters: { housing: 5 }, taken_at: '2026-01-01T00:00:00Z' },
      ])
        assertProblem(await share(bad), 400);
      const afterwards = await sql<{ n: number }>`select count(*)::int as n from picture_answers`.execute(t.database.db);
      assert.equal(afterwards.rows[0]!.n, before.rows[0]!.n + 1);
      for (let i = 0; i < 60; i++) assert.equal((await share({ municipality: '491', age_band: '65+', meters: { health: 5 } }, '10.8.8.8')).statusCode, 204);
      const limited = await share({ municipality: '491', age_band: '65+', meters: { health: 5 } }, '10.8.8.8');
      assertProblem(limited, 429);
      assert.ok(Number(limited.headers['retry-after']) > 0);
    });

    test('the mirror: the last released quarter, for the municipality and the age band; too few answers is null', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/picture/mirror?municipality=491&age_band=18-29' });
      assert.equal(res.statusCode, 200, res.body);
      const mirror = res.json();
      assert.equal(mirror.period, last);
      assert.equal(mirror.municipality.name.fi, 'Mikkeli');
      const housing = mirror.same_age.find((f: { meter: string }) => f.meter === 'housing');
      assert.ok(Math.abs(housing.mean - 8) < 1, `about 8: ${housing.mean}`);
      assert.equal(mirror.same_age.find((f: { meter: string }) => f.meter === 'health').mean, null, 'nobody answered health: too few');
      assert.equal(mirror.same_age.length, 10);
      assertProblem(await t.app.inject({ method: 'GET', url: '/api/v1/picture/mirror?municipality=999&age_band=18-29' }), 400);
      assertProblem(await t.app.inject({ method: 'GET', url: '/api/v1/picture/mirror?municipality=491' }), 400);
    });

    test('staff read their county\'s picture: labelled with SSF and OECD, suppressed cells, the budget, audited; CSV marks suppression -1', async () => {
      const url = `/api/v1/console/members/${memberId}/picture?area_kind=county&area_code=12&period=${last}`;
      const view = await leader.json('GET', url);
      assert.equal(view.status, 'released');
      assert.equal(view.area.name.fi, 'Etelä-Savon hyvinvointialue');
      const housing = view.meters.find((m: { meter: string }) => m.meter === 'housing');
      assert.deepEqual({ ssf: housing.ssf, oecd: housing.oecd }, { ssf: ['material_living_standards'], oecd: ['housing'] });
      assert.ok(Math.abs(housing.mean - 8) < 2 && Math.abs(housing.answers - 3000) < 2000, JSON.stringify(housing));
      assert.ok(view.frames.ssf.material_living_standards.sv);
      assert.ok(view.by_municipality.some((m: { code: string }) => m.code === '491'));
      assert.deepEqual(view.budget.quarters[0].quarter, last);
      assert.equal(view.budget.epsilon_cap, 2);
      assert.equal(view.budget.quarters[0].spent, 1, 'the quarter released; its year not yet');
      assert.equal(view.budget.quarters[0].left, 1);
      const again = await leader.json('GET', url);
      assert.deepEqual(again.meters, view.meters, 'the kept release, not fresh noise');
      const csv = await leader.call('GET', `${url}&format=csv&language=en`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
      assert.equal(lines[0], 'period,area,area code,age band,meter,answers,mean,"margin (±, 90 %)",Stiglitz–Sen–Fitoussi,OECD Better Life');
      // A municipality of the county where nobody answered: every figure is -1.
      assert.ok(lines.some((l) => l.startsWith(`${last},Kangasniemi,213,all,Health,-1,-1,-1`)), lines.slice(0, 15).join('\n'));
      const fi = await leader.call('GET', `${url}&format=csv&language=fi`);
      assert.match(fi.body, /^\ufeffkausi;alue;aluekoodi/);
      const audits = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'member.picture.read' and member_id = ${memberId}`.execute(t.database.db);
      assert.equal(audits.rows[0]!.n, 4);
      // Indicators of the area, with their frames.
      await importIndicators(t.database.db, `indicator,area,year,value\nunemployment_rate,HV12,${last.slice(0, 4)},12.8\n`, 'test');
      const withIndicators = await leader.json('GET', url);
      assert.deepEqual(withIndicators.indicators[0], {
        indicator: 'unemployment_rate', name: withIndicators.indicators[0].name, unit: '%', ssf: ['personal_activities', 'insecurity'], oecd: ['jobs'], values: [{ year: Number(last.slice(0, 4)), value: 12.8 }],
      });
    });

    test('a period still going on or unknown areas: said, not an error; bad queries are 400', async () => {
      const current = `/api/v1/console/members/${memberId}/picture?area_kind=municipality&area_code=491&period=2200`;
      const view = await leader.json('GET', current);
      assert.equal(view.status, 'incomplete');
      assert.ok(view.meters.every((m: { suppressed: boolean }) => m.suppressed));
      assertProblem(await leader.call('GET', `/api/v1/console/members/${memberId}/picture?area_kind=county&area_code=77&period=${last}`), 400);
      assertProblem(await leader.call('GET', `/api/v1/console/members/${memberId}/picture?area_kind=region&area_code=10&period=2026-Q5`), 400);
      assertProblem(await leader.call('GET', `/api/v1/console/members/${memberId}/picture?area_kind=region&area_code=10&period=2019`), 400);
      assertProblem(await leader.call('GET', `/api/v1/console/members/${memberId}/picture?area_kind=region&area_code=10&period=${last}&age_band=teen`), 400);
    });

    test('the wrong callers: nobody, another member\'s staff; a network administrator may read', async () => {
      const url = `/api/v1/console/members/${memberId}/picture?area_kind=country&period=${last}`;
      assertProblem(await t.app.inject({ method: 'GET', url }), 401);
      assertProblem(await other.call('GET', url), 403);
      assertProblem(await t.app.inject({ method: 'GET', url: `/api/v1/console/members/${memberId}/picture/follows` }), 401);
      assertProblem(await other.call('GET', `/api/v1/console/members/${memberId}/picture/follows`), 403);
      assertProblem(await other.call('POST', `/api/v1/console/members/${memberId}/picture/follows`, { area_kind: 'country', subject: 'housing', threshold: 1 }), 403);
      assertProblem(await leader.call('POST', `/api/v1/console/members/${memberId}/picture/follows`, { area_kind: 'country', subject: 'housing', threshold: 1 }, { csrf: false }), 403, 'csrf');
      const country = await admin.json('GET', url);
      assert.equal(country.by_municipality.length, 309);
    });

    test('follows and notices: a release that moves a followed mean by the threshold is told; others are not; unfollow', async () => {
      const follows = `/api/v1/console/members/${memberId}/picture/follows`;
      // Follows made before either quarter is released for it: a fresh app database has released both above, so start over on those two.
      await sql`delete from picture_releases where period in (${last}, ${before_})`.execute(t.database.db);
      const housing = await developer.json('POST', follows, { area_kind: 'municipality', area_code: '491', age_band: '18-29', subject: 'housing', threshold: 2 });
      const friends = await leader.json('POST', follows, { area_kind: 'municipality', area_code: '491', age_band: '18-29', subject: 'friends', threshold: 2, webhooks: true });
      assert.deepEqual([housing.webhooks, friends.webhooks], [false, true], 'to webhooks only when asked');
      assertProblem(await leader.call('POST', follows, { area_kind: 'municipality', area_code: '491', age_band: '18-29', subject: 'friends', threshold: 2, webhooks: 'yes' }), 400);
      await leader.json('POST', `/api/v1/console/members/${otherId}/picture/follows`, { area_kind: 'country', subject: 'housing', threshold: 1 }, 403);
      assertProblem(await leader.call('POST', follows, { area_kind: 'municipality', area_code: '491', age_band: '18-29', subject: 'weather', threshold: 2 }), 400);
      assertProblem(await leader.call('POST', follows, { area_kind: 'municipality', area_code: '491', age_band: '18-29', subject: 'housing', threshold: 20 }), 400);
      assertProblem(await leader.call('POST', follows, { area_kind: 'municipality', area_code: '999', subject: 'housing', threshold: 2 }), 400);
      await leader.json('GET', `/api/v1/console/members/${memberId}/picture?area_kind=municipality&area_code=491&age_band=18-29&period=${before_}`);
      assert.deepEqual((await leader.json('GET', follows)).notices, [], 'nothing to compare with yet');
      await leader.json('GET', `/api/v1/console/members/${memberId}/picture?area_kind=municipality&area_code=491&age_band=18-29&period=${last}`);
      const listed = await leader.json('GET', follows);
      assert.deepEqual(listed.follows.map((f: { id: string; webhooks: boolean }) => [f.id, f.webhooks]), [[housing.id, false], [friends.id, true]]);
      assert.equal(listed.notices.length, 1, 'housing moved from 3 to 8; friends stayed at 7');
      const notice = listed.notices[0];
      assert.deepEqual({ follow: notice.follow_id, period: notice.period, previous_period: notice.previous_period }, { follow: housing.id, period: last, previous_period: before_ });
      assert.ok(notice.current - notice.previous > 3);
      assertProblem(await other.call('DELETE', `${follows}/${friends.id}`), 403);
      assertProblem(await other.call('DELETE', `/api/v1/console/members/${otherId}/picture/follows/${friends.id}`), 404);
      assert.equal((await leader.call('DELETE', `${follows}/${housing.id}`)).statusCode, 204);
      const left = await leader.json('GET', follows);
      assert.deepEqual({ follows: left.follows.map((f: { id: string }) => f.id), notices: left.notices.length }, { follows: [friends.id], notices: 0 });
      const audits = await sql<{ action: string }>`select action from audit_log where member_id = ${memberId} and action like 'member.picture.%follow' order by id`.execute(t.database.db);
      assert.deepEqual(audits.rows.map((r) => r.action), ['member.picture.follow', 'member.picture.follow', 'member.picture.unfollow']);
    });
  });
}
