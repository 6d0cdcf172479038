import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SignJWT, generateKeyPair } from 'jose';
import type { Database } from '../../db/database.ts';
import { buildServer } from '../../http/server.ts';
import { GDPR_JWT_TYPE, callSigner, type CallSigner } from '../../service-profiles/signed-call.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { OidcBrowser } from '../../testing/oidc-browser.ts';
import { TEST_ORIGIN, passLogin } from '../../testing/oidc-login.ts';
import { DEMO_CALLBACK_PATH, DEMO_PROFILE_PATH } from './demo-client.ts';

/**
 * The demo service that logs in with Aurora as its OpenID Provider: through the test eID and the
 * consent page, it sees its pairwise subject and only what the person ticked; a cancelled or
 * tampered login keeps nothing; its profile (GDPR) API answers only calls the network signed for it,
 * that subject, that method and that URL, and exports, dry-runs and erases what it kept.
 */
const CALLBACK = `${TEST_ORIGIN}${DEMO_CALLBACK_PATH}`;

for (const backend of testBackends()) {
  describe(`the demo service logs in with Aurora (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let sign: CallSigner;

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, testEid: true });
      sign = callSigner(app.aurora.identity.provider.issuer, app.aurora.identity.signingKeys);
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    const kept = () => database.db.selectFrom('demo_login_people').selectAll().execute();

    async function logIn(lang: string, approve: string[], person = 'aino') {
      const browser = new OidcBrowser(app, TEST_ORIGIN);
      const start = await browser.request('GET', `/demo/service/login?lang=${lang}`);
      assert.equal(start.statusCode, 303, start.body);
      const authorize = new URL(String(start.headers.location));
      assert.equal(authorize.origin + authorize.pathname, `${TEST_ORIGIN}/oidc/auth`);
      assert.equal(authorize.searchParams.get('scope'), 'openid age municipality_code');
      assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
      const { location, consentPage } = await passLogin(browser, start, CALLBACK, { person, approve });
      const page = await browser.request('GET', location.pathname + location.search);
      return { page, consentPage, browser, location };
    }

    test('the person shares their home municipality only: the service sees its pairwise subject and that, nothing else', async () => {
      const { page, consentPage } = await logIn('en', ['municipality_code']);
      assert.match(consentPage ?? '', /Demo: Nettilukio/, 'the consent page names the service');
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /You are logged in/);
      const subject = /<code data-subject>([^<]+)<\/code>/.exec(page.body)?.[1];
      assert.match(subject ?? '', /^[A-Za-z0-9_-]{20,}$/);
      const shared = /<div data-shared>(.*?)<\/div>/s.exec(page.body)?.[1] ?? '';
      assert.match(shared, /Mikkeli \(491\)/);
      assert.doesNotMatch(shared, /Age/, 'the age was not ticked');
      assert.match(page.body, /<ul class="not-shared"><li>Age<\/li><\/ul>/);
      for (const never of ['Aino', 'Testinen', '010190-901R', '1990-01-01']) assert.ok(!page.body.includes(never), `the service never sees ${never}`);
      const rows = await kept();
      assert.deepEqual(
        rows.map((r) => [r.subject, r.claims]),
        [[subject, { municipality_code: '491' }]],
      );
      // The same person at the same service: the same subject; nothing more is kept than was shared.
      const again = await logIn('fi', []);
      assert.equal(/<code data-subject>([^<]+)<\/code>/.exec(again.page.body)?.[1], subject);
      assert.match(again.page.body, /Et antanut palvelulle muita tietoja kuin tunnisteen/);
      assert.deepEqual((await kept()).map((r) => r.claims), [{}]);
    });

    test('a cancelled login, a missing or forged cookie, or another state keep nothing', async () => {
      await database.db.deleteFrom('demo_login_people').execute();
      const browser = new OidcBrowser(app, TEST_ORIGIN);
      const start = await browser.request('GET', '/demo/service/login?lang=sv');
      let { response } = await browser.follow(start, CALLBACK);
      const eidLink = /href="([^"]*\/eid\/test-oidc)"/.exec(response.body)![1]!;
      const atEid = await browser.request('GET', String((await browser.request('GET', eidLink)).headers.location));
      const hidden = Object.fromEntries([...atEid.body.matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replaceAll('&amp;', '&')]));
      const back = await browser.request('POST', '/test-eid/authorize', { ...hidden, person: 'aino' });
      ({ response } = await browser.follow(await browser.request('GET', String(back.headers.location)), CALLBACK));
      const abort = /<form method="post" action="([^"]+\/abort)"/.exec(response.body)?.[1];
      assert.ok(abort, response.body);
      const { location } = await browser.follow(await browser.request('POST', abort), CALLBACK);
      assert.equal(location?.searchParams.get('error'), 'access_denied');
      const cancelled = await browser.request('GET', location!.pathname + location!.search);
      assert.equal(cancelled.statusCode, 200);
      assert.match(cancelled.body, /Du avbröt inloggningen/);

      // A login finished in a browser that did not start it, or with a cookie made up or changed.
      const done = await logIn('en', ['municipality_code']);
      await database.db.deleteFrom('demo_login_people').execute();
      const callback = done.location.pathname + done.location.search;
      for (const cookie of [undefined, 'local-1.AAAA', 'nonsense']) {
        const answer = await app.inject({ method: 'GET', url: callback, headers: cookie ? { cookie: `aurora_demo_login=${cookie}` } : {} });
        assert.equal(answer.statusCode, 400, answer.body);
        assert.match(answer.body, /The login expired or was started in another browser|Kirjautuminen vanhentui/);
      }
      // The right browser, but the code was already used for the page above: the login fails, cleanly.
      const replay = await done.browser.request('GET', callback);
      assert.equal(replay.statusCode, 400);
      assert.deepEqual(await kept(), []);
    });

    describe('its profile (GDPR) API', () => {
      let subject: string;
      let clientId: string;
      const url = (sub: string, dryRun = false) => `${TEST_ORIGIN}${DEMO_PROFILE_PATH}/${encodeURIComponent(sub)}${dryRun ? '?dry_run=true' : ''}`;
      const call = (method: 'GET' | 'DELETE', target: string, token?: string) =>
        app.inject({ method, url: new URL(target).pathname + new URL(target).search, headers: token ? { authorization: `Bearer ${token}` } : {} });

      before(async () => {
        await database.db.deleteFrom('demo_login_people').execute();
        const { page } = await logIn('fi', ['municipality_code']);
        subject = /<code data-subject>([^<]+)<\/code>/.exec(page.body)![1]!;
        clientId = (await database.db.selectFrom('demo_login_client').select('client_id').executeTakeFirstOrThrow()).client_id;
      });

      test('refuses whatever the network did not sign for this service, subject, method and URL', async () => {
        const { privateKey } = await generateKeyPair('RS256');
        const forged = await new SignJWT({ scope: 'gdpr:delete', htm: 'DELETE', htu: url(subject) })
          .setProtectedHeader({ alg: 'RS256', kid: String(app.aurora.identity.signingKeys.find((k) => k.alg === 'RS256')!.kid), typ: GDPR_JWT_TYPE })
          .setIssuer(app.aurora.identity.provider.issuer)
          .setAudience(clientId)
          .setSubject(subject)
          .setIssuedAt()
          .setExpirationTime('2m')
          .sign(privateKey);
        const wrong = [
          ['no token', 'DELETE', url(subject), undefined],
          ['another key', 'DELETE', url(subject), forged],
          ['another service', 'DELETE', url(subject), await sign({ clientId: 'aoc_other', subject, scope: 'gdpr:delete', method: 'DELETE', url: url(subject) })],
          ['another person', 'DELETE', url(subject), await sign({ clientId, subject: 'someone-else', scope: 'gdpr:delete', method: 'DELETE', url: url(subject) })],
          ['an export signature used to erase', 'DELETE', url(subject), await sign({ clientId, subject, scope: 'gdpr:export', method: 'DELETE', url: url(subject) })],
          ['a dry run signature used for the real thing', 'DELETE', url(subject), await sign({ clientId, subject, scope: 'gdpr:delete', method: 'DELETE', url: url(subject, true) })],
          ['a GET signature used to erase', 'DELETE', url(subject), await sign({ clientId, subject, scope: 'gdpr:delete', method: 'GET', url: url(subject) })],
        ] as const;
        for (const [why, method, target, token] of wrong) {
          const answer = await call(method, target, token);
          assert.equal(answer.statusCode, 401, `${why}: ${answer.body}`);
          assert.match(String(answer.headers['www-authenticate']), /^Bearer/);
        }
        assert.equal((await kept()).length, 1, 'nothing was erased');
      });

      test('exports, answers a dry run, erases; then holds nothing', async () => {
        const exported = await call('GET', url(subject), await sign({ clientId, subject, scope: 'gdpr:export', method: 'GET', url: url(subject) }));
        assert.equal(exported.statusCode, 200, exported.body);
        assert.deepEqual(exported.json().shared_at_login, { municipality_code: '491' });
        assert.equal(exported.json().subject, subject);
        const dry = await call('DELETE', url(subject, true), await sign({ clientId, subject, scope: 'gdpr:delete', method: 'DELETE', url: url(subject, true) }));
        assert.equal(dry.statusCode, 204);
        assert.equal((await kept()).length, 1, 'a dry run erases nothing');
        const erased = await call('DELETE', url(subject), await sign({ clientId, subject, scope: 'gdpr:delete', method: 'DELETE', url: url(subject) }));
        assert.equal(erased.statusCode, 204);
        assert.deepEqual(await kept(), []);
        const after = await call('GET', url(subject), await sign({ clientId, subject, scope: 'gdpr:export', method: 'GET', url: url(subject) }));
        assert.equal(after.statusCode, 404);
        const again = await call('DELETE', url(subject), await sign({ clientId, subject, scope: 'gdpr:delete', method: 'DELETE', url: url(subject) }));
        assert.equal(again.statusCode, 404);
      });
    });

    test('the start page in each language offers the login; an unknown language falls back to Finnish', async () => {
      for (const [lang, button] of [['fi', 'Kirjaudu sisään Aurora-tunnuksella'], ['sv', 'Logga in med Aurora'], ['en', 'Log in with Aurora'], ['xx', 'Kirjaudu sisään Aurora-tunnuksella']]) {
        const page = await app.inject(`/demo/service?lang=${lang}`);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, new RegExp(`<button type="submit">${button}</button>`));
        assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
      }
    });
  });
}
