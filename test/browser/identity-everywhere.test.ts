import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sql } from 'kysely';
import en from '../../web/citizen/locales/en.ts';
import fi from '../../web/citizen/locales/fi.ts';
import sv from '../../web/citizen/locales/sv.ts';
import { FakeSuomifiIdp, IDP_SSO_URL, type TestPerson } from '../../src/testing/fake-suomifi-idp.ts';
import { SUOMIFI_ENV_KEYS, madeUpPerson, suomifiEnv } from '../../src/testing/suomifi-network.ts';
import { expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';
import { freePort } from '../../src/testing/server-processes.ts';

/**
 * Issue #15's "done when", in Chromium, in Finnish, Swedish and English: a person logs in to the
 * citizen app with (the test) Suomi.fi e-Identification, keeps their age in the profile, then logs in
 * to a demo service that uses Aurora as its OpenID Provider and lets it see the age but not the home
 * municipality; the service shows only its pairwise identifier and the age. Back in the app, "erase me
 * everywhere" makes the network call the service's profile API, which erases what it kept, and
 * "erase all my data" empties the profile. Suomi.fi is the in-process fake IdP, reached through
 * Playwright's routing at its real test address: the network's signed AuthnRequest in, a signed and
 * encrypted assertion posted back to the network's ACS.
 */

const TEXTS = { fi, sv, en } as const;
type Language = keyof typeof TEXTS;
const LOCALES: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-SE', en: 'en-GB' };
// What the network's own pages (the provider's and the demo service's) say, per language.
const PAGES = {
  fi: { suomifi: 'Suomi.fi-tunnistus', allow: 'Jatka ja anna valitut tiedot', age: /^Ikä: 47/, municipality: /^Kotikunta/, demoLogin: 'Kirjaudu sisään Aurora-tunnuksella', welcome: 'Olet kirjautunut sisään', toMy: 'Omat tiedot Aurora-sovelluksessa', municipalityName: 'Kotikunta' },
  sv: { suomifi: 'Suomi.fi-identifikation', allow: 'Fortsätt och lämna ut de valda uppgifterna', age: /^Ålder: 47/, municipality: /^Hemkommun/, demoLogin: 'Logga in med Aurora', welcome: 'Du är inloggad', toMy: 'Mina uppgifter i Aurora-appen', municipalityName: 'Hemkommun' },
  en: { suomifi: 'Suomi.fi e-Identification', allow: 'Continue and share what is selected', age: /^Age: 47/, municipality: /^Home municipality/, demoLogin: 'Log in with Aurora', welcome: 'You are logged in', toMy: 'My data in the Aurora app', municipalityName: 'Home municipality' },
} as const;


/** Suomi.fi's login page, as the fake IdP answers: the person confirms, and the form posts the Response to the network's ACS. */
async function routeSuomifi(context: BrowserContext, idp: FakeSuomifiIdp, person: TestPerson, requests: { signatureValid: boolean }[]) {
  const idpOrigin = new URL(IDP_SSO_URL).origin;
  await context.route(
    (url) => url.origin === idpOrigin,
    async (route) => {
      const received = idp.receive(route.request().url());
      requests.push(received);
      const answer = await idp.answer(received, person);
      const hidden = Object.entries(answer)
        .map(([name, value]) => `<input type="hidden" name="${name}" value="${value.replace(/"/g, '&quot;')}">`)
        .join('');
      await route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>Suomi.fi-tunnistus (testi)</title></head><body><main><h1>Suomi.fi-tunnistus (testi)</h1><form method="post" action="${received.acsUrl}">${hidden}<button type="submit">Jatka palveluun</button></form></main></body></html>`,
      });
    },
  );
}

describe('strong anonymous login: Suomi.fi, a profile, a service on Aurora, erased everywhere', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  let removeFixtures: () => void;
  const saved = Object.fromEntries(SUOMIFI_ENV_KEYS.map((k) => [k, process.env[k]]));
  const idp = new FakeSuomifiIdp();

  before(async () => {
    const port = await freePort();
    const { env, remove } = suomifiEnv(`http://127.0.0.1:${port}`);
    removeFixtures = remove;
    for (const k of SUOMIFI_ENV_KEYS) delete process.env[k];
    Object.assign(process.env, env);
    // The profile-call job every second, so that the person's report fills while they look.
    network = await startNetwork({ demo: false, port, server: { testEid: false, profileCallIntervalMs: 1000 } });
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
    removeFixtures?.();
    for (const k of SUOMIFI_ENV_KEYS) if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  });

  const db = () => network.database.db;

  for (const [n, language] of (['fi', 'sv', 'en'] as const).entries()) {
    test(`${language}: Suomi.fi login, age kept, the demo service sees only its identifier and the age, then erased everywhere`, async () => {
      const t = TEXTS[language];
      const p = PAGES[language];
      const person = madeUpPerson(700 + n);
      const context = await newContext(browser, network, { locale: LOCALES[language] });
      const requests: { signatureValid: boolean }[] = [];
      await routeSuomifi(context, idp, person, requests);
      const page: Page = await context.newPage();
      page.setDefaultTimeout(20_000);
      try {
        // 1. The citizen app: log in with Suomi.fi.
        await page.goto('/my');
        await page.getByRole('button', { name: t.account.login, exact: true }).click();
        await page.getByRole('link', { name: p.suomifi }).click();
        await page.getByRole('button', { name: 'Jatka palveluun' }).click();
        await page.waitForURL(/\/my\?login=/);
        await page.getByText(t.account.welcome, { exact: true }).waitFor();
        assert.equal(requests.length, 1);
        assert.equal(requests[0]!.signatureValid, true, "the network's AuthnRequest is signed");

        // 2. The profile: the age, kept with the person's own consent.
        await page.getByLabel(t.profile.attribute, { exact: true }).selectOption('age');
        await page.getByLabel(t.profile.value, { exact: true }).fill('47');
        await page.getByRole('button', { name: t.profile.save }).click();
        await page.getByText(t.profile.saved, { exact: true }).waitFor();
        await screenshot(page, `identity-${language}-profile`);

        // 3. The demo service logs in with Aurora: the session is there, so only the consent is asked.
        await page.goto(`/demo/service?lang=${language}`);
        await expectNoSeriousAxeViolations(page, `demo service start (${language})`);
        await page.getByRole('button', { name: p.demoLogin }).click();
        const age = page.getByRole('checkbox', { name: p.age });
        const municipality = page.getByRole('checkbox', { name: p.municipality });
        await age.waitFor();
        assert.equal(await age.isChecked(), false, 'nothing is ticked in advance');
        assert.equal(await municipality.isChecked(), false);
        await expectNoSeriousAxeViolations(page, `consent page (${language})`);
        await screenshot(page, `identity-${language}-consent`);
        await age.check();
        await page.getByRole('button', { name: p.allow }).click();
        await page.getByRole('heading', { level: 2, name: p.welcome }).waitFor();
        const subject = (await page.locator('[data-subject]').textContent()) ?? '';
        assert.match(subject, /^[A-Za-z0-9_-]{20,}$/, 'a pairwise identifier');
        const shared = (await page.locator('[data-shared]').textContent()) ?? '';
        assert.match(shared, /47/);
        assert.ok(!shared.includes('091') && !shared.includes('Helsinki') && !shared.includes('Helsingfors'), `the municipality was not given: ${shared}`);
        assert.match((await page.locator('.not-shared').textContent()) ?? '', new RegExp(p.municipalityName));
        const body = (await page.content()) ?? '';
        for (const never of [person.identityCode, person.givenName, person.sn, person.mail!]) assert.ok(!body.includes(never), `the service never sees ${never}`);
        await expectNoSeriousAxeViolations(page, `demo service, logged in (${language})`);
        await screenshot(page, `identity-${language}-demo-service`);
        const kept = await db().selectFrom('demo_login_people').select(['subject', 'claims']).where('subject', '=', subject).execute();
        assert.deepEqual(kept.map((k) => k.claims), [{ age: 47 }], 'the service kept what it was let see, under its pairwise subject');

        // 4. Back in the app: erase me everywhere. The network calls the service with the same pairwise subject.
        await page.getByRole('link', { name: p.toMy }).click();
        await page.getByRole('button', { name: t.everywhere.erase, exact: true }).click();
        await page.getByRole('button', { name: t.everywhere.confirm, exact: true }).click();
        await page.getByText(t.everywhere.done, { exact: true }).waitFor({ timeout: 30_000 });
        const row = page.getByRole('row').filter({ hasText: 'Demo: Nettilukio' });
        assert.match((await row.textContent()) ?? '', new RegExp(t.everywhere.s_erased));
        const call = await db().selectFrom('profile_request_calls').select(['subject', 'status']).where('subject', '=', subject).executeTakeFirst();
        assert.deepEqual(call, { subject, status: 'erased' });
        assert.deepEqual(await db().selectFrom('demo_login_people').select('subject').where('subject', '=', subject).execute(), [], 'the service holds nothing of the person');
        await expectNoSeriousAxeViolations(page, `My data after erase everywhere (${language})`);
        await screenshot(page, `identity-${language}-erased-everywhere`);

        // 5. And the network's own data: erase all; the profile is empty.
        const profileRows = async () => Number((await sql<{ n: number }>`select count(*)::int as n from profile_attributes`.execute(db())).rows[0]!.n);
        assert.ok((await profileRows()) >= 1);
        await page.getByRole('button', { name: t.my.erase, exact: true }).click();
        await page.getByRole('button', { name: t.my.eraseYes, exact: true }).click();
        await page.getByText(t.my.erased, { exact: true }).waitFor();
        assert.equal(await profileRows(), 0, 'the profile is gone with the rest');
      } catch (error) {
        await keepFailure(page, `identity-everywhere-${language}`);
        throw error;
      } finally {
        await context.close();
      }
    });
  }
});
