import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createNetworkAdmin } from '../../src/staff/staff.ts';
import { recordServiceEvents } from '../../src/statistics/index.ts';
import { en } from '../../web/console/locales/en.ts';
import { fi } from '../../web/console/locales/fi.ts';
import { sv } from '../../web/console/locales/sv.ts';
import { meterName } from '../../web/console/meter-names.ts';
import { expectNoSeriousAxeViolations, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network, consoleLogin } from './harness.ts';

/**
 * The provider console end to end in Chromium: an organisation applies, a network administrator
 * approves it, it claims its services (the administrator verifies the claims: the demo catalogue
 * gives no business IDs) and sets up session transfer, creates an API client whose
 * secret works against the API, teaches the recommender and reads its statistics. And the
 * refusals: the wrong role sees no admin views and the API answers 403; another organisation's
 * data is refused; a suspended client stops working at once; a client over its rate limit gets
 * 429. axe finds no serious or critical violation on any view.
 */

const ADMIN = { email: 'operator@aurora.test', name: 'Olli Operaattori', password: 'operator-password-1' };
const ORG = {
  name: 'Otavan Opisto',
  businessId: '0112038-9',
  contact: 'Outi Opettaja',
  email: 'outi@otava.test',
  password: 'outi-password-123',
};
const DEVELOPER = { name: 'Dani Developer', email: 'dani@otava.test', password: 'dani-password-1234' };
// Demo catalogue services: one named in the application, one claimed later from the search.
const NETTILUKIO = '3668d250-cd80-45c4-abcc-9b2d3a2b3e42';
const VAPAA_SIVISTYSTYO = 'd03600d5-5a54-4f13-a1ac-3c0604194330';
// Nettilukio's one channel in the demo catalogue, the Otava service location, serves these services
// too. The catalogue names no business ID for any organisation, so the network administrator
// verifies each claim; the channel receives transfers only once every one of them is Otava's.
const OTAVA_LOCATION = '961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f';
const OTAVA_SERVICES: Record<string, string> = {
  [NETTILUKIO]: 'Nettilukio aikuisille',
  [VAPAA_SIVISTYSTYO]: 'Vapaan sivistystyön koulutukset Otavan Opistossa',
  '2afc11a0-f7f3-4a5f-8585-be246bb2a5ea': 'Otavian aineopiskelu',
  '904afe53-a428-41ce-9132-5301462e488d': 'Otavan Opiston aikuislukio',
  'c53df08b-90d3-4491-afc1-9a3886a9e51f': 'Monikulttuurinen perusopetus: Aikuisten perusopetuksen alkuvaihe',
  'd78c9764-5cb7-41da-bd52-2f0fcd5e0b6c': 'Monikulttuurinen perusopetus: Aikuisten perusopetuksen päättövaihe',
  'd4c733f1-9693-4cd2-8c21-54617cac1e44': 'Lukiokoulutus',
  'e2b26c46-95ef-4b32-9f41-00e51cda443b': 'Nettiperuskoulu aikuisille',
};
// Claimed by mistake (the customs' service), and rejected by the network administrator.
const MISTAKE = { id: '53cad464-9b4a-4631-8abe-2232d3200209', name: 'Muuttotavaroiden tulliselvitys' };
const MISTAKE_REASON = 'Tullin palvelu, ei Otavan Opiston.'
// A situation in which the recommender puts both services in its top ten.
const STUDY_SITUATION = { working_studying: 0, improvement_of_strengths: 0 };

type Texts = typeof en;
const TEXTS = { fi, sv, en };
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Code passed to page.evaluate runs in the browser; the tests' tsconfig has no DOM types.
declare const document: any;
declare const window: any;


/** A call from inside the page: the console's cookie and CSRF header, as the app itself would send. */
async function pageFetch(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const response = await fetch(path, {
        method,
        headers: { 'x-aurora-csrf': '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: response.status, json };
    },
    { method, path, body },
  );
}

/**
 * A screenshot for docs/ (AURORA_SCREENSHOTS=1). Chromium can be left with a stale scroll after a
 * full-page capture, so that the next click's focus scrolls the page between mouse down and up:
 * back to the top first, and the next action scrolls its target into view afresh.
 */
async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  await screenshot(page, name, options);
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** Opens a service's expander (its title button: the name, then the claim's state) unless it is open. */
async function expand(page: Page, name: string) {
  const button = page.getByRole('button', { name: new RegExp(`^${escape(name)}\\b`) });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  return page.locator('.fi-expander', { has: button });
}

/** Switches the console's language with the header's language menu. */
async function switchLanguage(page: Page, from: keyof typeof TEXTS, to: keyof typeof TEXTS) {
  const names = { fi: 'Suomi (FI)', sv: 'Svenska (SV)', en: 'English (EN)' };
  await page.getByRole('button', { name: `${TEXTS[from].app.language}: ${names[from]}` }).click();
  await page.getByRole('menuitem', { name: names[to] }).click();
  await page.getByRole('button', { name: `${TEXTS[to].app.language}: ${names[to]}` }).waitFor();
}

/** The period of a statistics request, to ask for the same release again. */
const periodQuery = (url: string) => {
  const params = new URL(url).searchParams;
  return new URLSearchParams({ from: params.get('from')!, to: params.get('to')!, format: 'json' }).toString();
};

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('console in the browser', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let orgPage: Page; // the applicant, in Finnish
  let adminPage: Page; // the network administrator, in English
  let memberId = '';
  let client = { id: '', secret: '' };

  const open = async (locale: string) => {
    const context = await newContext(browser, network, { locale });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context.newPage();
  };
  const api = (path: string, init: RequestInit = {}) => fetch(new URL(path, network.url), init);

  before(async () => {
    network = await startNetwork();
    await createNetworkAdmin(network.database.db, ADMIN, 'test');
    browser = await openBrowser();
    orgPage = await open('fi-FI');
    adminPage = await open('en-GB');
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await network?.close();
  });

  test('login page: skip link first, keyboard-only login, wrong password refused', async () => {
    const page = await open('en-GB');
    await page.goto('/console');
    await page.getByRole('heading', { level: 1, name: en.login.title }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await page.locator('link[rel="manifest"]').count(), 0, "the console does not offer to install the citizen app");
    await expectNoSeriousAxeViolations(page, 'login');
    await shot(page, 'console-login');

    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), en.app.skip, 'the skip link is the first stop');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');

    await page.getByLabel(en.login.email, { exact: true }).fill(ADMIN.email);
    await page.getByLabel(en.login.password, { exact: true }).fill('not the password');
    await page.keyboard.press('Enter');
    await page.getByText(en.login.wrong).waitFor();

    // Keyboard only: Tab from the e-mail field to the password, Enter submits.
    await page.getByLabel(en.login.email, { exact: true }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: en.members.title }).waitFor();
    await page.context().close();
  });

  test('apply: business ID checked as typed, services from the catalogue search, then pending', async () => {
    const page = orgPage;
    await page.goto('/console/apply');
    await page.getByRole('heading', { level: 1, name: fi.apply.title }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fi');

    await page.getByLabel(fi.apply.organisationName, { exact: true }).fill(ORG.name);
    const businessId = page.getByLabel(fi.apply.businessId, { exact: true });
    await businessId.fill('0112038-8');
    await page.getByText(fi.apply.businessIdCheck).waitFor();
    await businessId.fill('0112038');
    assert.equal(await page.getByText(fi.apply.businessIdCheck).count(), 0, 'no complaint while the ID is still being typed');
    await businessId.fill(ORG.businessId);
    await page.getByText(fi.apply.businessIdOk).waitFor();

    await page.getByLabel(fi.apply.contactName, { exact: true }).fill(ORG.contact);
    await page.getByLabel(fi.apply.contactEmail, { exact: true }).fill(ORG.email);
    await page.getByRole('searchbox', { name: fi.apply.search }).fill('nettilukio');
    await page.getByRole('searchbox', { name: fi.apply.search }).press('Enter');
    await page.getByRole('button', { name: `${fi.apply.addShort}: Nettilukio aikuisille` }).click();
    await page.getByRole('heading', { name: fi.apply.selected.replace('{{count}}', '1') }).waitFor();
    await page.getByLabel(fi.apply.password, { exact: true }).fill(ORG.password);
    await page.getByLabel(fi.apply.passwordRepeat, { exact: true }).fill('something else');
    await page.getByRole('button', { name: fi.apply.submit }).click();
    // The error summary lists what is wrong and takes the focus; nothing was sent.
    await page.getByText(fi.apply.passwordMismatch).first().waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'H2');
    await expectNoSeriousAxeViolations(page, 'apply with errors');

    await page.getByLabel(fi.apply.passwordRepeat, { exact: true }).fill(ORG.password);
    await shot(page, 'console-apply');
    await page.getByRole('button', { name: fi.apply.submit }).click();
    await page.getByRole('heading', { level: 1, name: fi.apply.sentTitle }).waitFor();

    // The same business ID again is refused by the server (the form's answer is tested in Swedish below).
    const again = await api('/api/v1/console/applications', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organisation_name: 'Copy', business_id: ORG.businessId, contact_name: 'X', contact_email: 'x@copy.test', admin_password: 'x'.repeat(12) }),
    });
    assert.equal(again.status, 409);

    await consoleLogin(page, fi, ORG.email, ORG.password);
    await page.getByRole('heading', { level: 1, name: fi.pending.title }).waitFor();
    assert.equal(await page.getByRole('link', { name: fi.nav.clients }).count(), 0, 'no organisation views before approval');
    await expectNoSeriousAxeViolations(page, 'pending');
    await shot(page, 'console-pending');
    const session = await pageFetch(page, 'GET', '/api/v1/console/session');
    memberId = session.json.staff.member.id;
    assert.equal(session.json.staff.member.status, 'pending');
    // Pending: the organisation's own API is refused.
    assert.equal((await pageFetch(page, 'POST', `/api/v1/console/members/${memberId}/clients`, { name: 'early', scopes: ['recommend'] })).status, 403);
  });

  test('network administrator filters the members and approves the application', async () => {
    const page = adminPage;
    await consoleLogin(page, en, ADMIN.email, ADMIN.password);
    await page.getByRole('heading', { level: 1, name: en.members.title }).waitFor();
    await page.getByRole('button', { name: new RegExp(`${en.members.filter}$`) }).click();
    await page.getByRole('option', { name: en.status.pending }).click();
    const row = page.getByRole('row', { name: new RegExp(ORG.name) });
    await row.waitFor();
    await expectNoSeriousAxeViolations(page, 'members');
    await shot(page, 'console-members');

    // Rejecting asks for a reason; Escape closes the dialog without deciding.
    await row.getByRole('button', { name: `${en.members.reject}: ${ORG.name}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: en.members.reject, exact: true }).click();
    await dialog.getByText(en.members.reasonMissing).waitFor();
    await expectNoSeriousAxeViolations(page, 'reject dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await row.getByRole('button', { name: `${en.members.approve}: ${ORG.name}` }).click();
    await page.getByRole('dialog').getByText(en.members.approveText).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: en.members.approve, exact: true }).click();
    await page.getByText(`${ORG.name}: ${en.status.approved.toLowerCase()}.`).waitFor();
    // The service named in the application is now the organisation's claim: nothing in the demo
    // catalogue ties it to the organisation's business ID, so it waits for an administrator.
    await page.getByRole('button', { name: new RegExp(`${en.members.filter}$`) }).click();
    await page.getByRole('option', { name: en.status.approved }).click();
    await row.getByRole('link', { name: en.members.pendingClaims_one }).waitFor();

    await page.goto(`/console/admin/members/${memberId}`);
    await page.getByRole('heading', { level: 1, name: en.member.title.replace('{{name}}', ORG.name) }).waitFor();
    await page.getByRole('cell', { name: en.member.actions.approve }).waitFor();
    await page.getByRole('link', { name: en.members.pendingClaims_one }).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Nettilukio aikuisille' }).getByText(en.claimStatus.pending).waitFor();
    // The member's privacy budget: a cap out of range is explained at the field, a valid one saved.
    await page.getByRole('heading', { level: 2, name: en.member.privacy }).waitFor();
    const capField = page.getByLabel(en.member.privacyLabel);
    await capField.fill('11');
    await page.getByRole('button', { name: en.member.privacySave }).click();
    await page.getByText(en.member.privacyInvalid.replace('{{max}}', '10')).waitFor();
    await expectNoSeriousAxeViolations(page, 'member detail');
    await capField.fill('1.5');
    await page.getByRole('button', { name: en.member.privacySave }).click();
    await page.getByText(en.member.privacySaved.replace('{{cap}}', '1.5')).waitFor();
    await page.getByRole('button', { name: en.member.privacyReset }).click();
    await page.getByText(en.member.privacySaved.replace('{{cap}}', '3')).waitFor();
  });

  test('the organisation claims its services: each waits for the network administrator, and so does transfer on the shared location', async () => {
    const page = orgPage;
    await page.getByRole('button', { name: fi.pending.refresh }).click();
    await page.getByRole('heading', { level: 1, name: fi.services.title }).waitFor();
    // The service named in the application is a claim, waiting; its one channel cannot be set up yet.
    const nettilukio = await expand(page, 'Nettilukio aikuisille');
    await nettilukio.getByText(fi.services.claimPendingTitle).waitFor();
    await nettilukio.getByText(fi.services.claimPending).waitFor();
    await nettilukio.getByRole('cell', { name: fi.services.transferAfterApproval }).waitFor();
    assert.equal(await page.getByRole('button', { name: new RegExp(`^${fi.services.setUpShort}: `) }).count(), 0, 'no transfer set-up for a waiting claim');
    // The location serves seven more services, which the page lists, saying why that matters.
    const shared = nettilukio.locator(`[data-channel="${OTAVA_LOCATION}"]`);
    await shared.getByText(fill(fi.services.sharedText_other, { count: 7 })).waitFor();
    for (const [id, name] of Object.entries(OTAVA_SERVICES)) if (id !== NETTILUKIO) await shared.getByRole('listitem').filter({ hasText: name }).waitFor();

    // One of them from the catalogue search…
    await page.getByRole('searchbox', { name: fi.apply.search }).fill('Otavan Opisto');
    await page.getByRole('searchbox', { name: fi.apply.search }).press('Enter');
    await page.getByRole('button', { name: `${fi.services.linkShort}: ${OTAVA_SERVICES[VAPAA_SIVISTYSTYO]}` }).click();
    await page.getByText(fill(fi.services.claimedPending, { name: OTAVA_SERVICES[VAPAA_SIVISTYSTYO]! })).waitFor();
    assert.ok(await page.getByRole('button', { name: `${fi.services.claimedShort}: ${OTAVA_SERVICES[VAPAA_SIVISTYSTYO]}` }).isDisabled(), 'the search says it is claimed');
    await shared.getByRole('listitem').filter({ hasText: OTAVA_SERVICES[VAPAA_SIVISTYSTYO]! }).getByText(fi.services.sharedYoursPending).waitFor();
    // … the other six at once from the location's list…
    await shared.getByRole('button', { name: fill(fi.services.sharedClaim_other, { count: 6 }) }).click();
    await page.getByText(fill(fi.services.claimedMany_other, { count: 6 })).waitFor();
    await shared.getByText(fill(fi.services.sharedClaimedText_other, { count: 7 })).waitFor();
    // … and, by mistake, someone else's service.
    await page.getByRole('searchbox', { name: fi.apply.search }).fill('tulliselvitys');
    await page.getByRole('searchbox', { name: fi.apply.search }).press('Enter');
    await page.getByRole('button', { name: `${fi.services.linkShort}: ${MISTAKE.name}` }).click();
    await page.getByText(fill(fi.services.claimedPending, { name: MISTAKE.name })).waitFor();

    const listed = await pageFetch(page, 'GET', `/api/v1/console/members/${memberId}/services`);
    assert.deepEqual(
      listed.json.services.map((s: { service_id: string; claim: { status: string } }) => [s.service_id, s.claim.status]).sort(),
      [...Object.keys(OTAVA_SERVICES), MISTAKE.id].map((id) => [id, 'pending']).sort(),
    );
    // The server agrees: a waiting claim's channel is refused with its reason.
    const refused = await pageFetch(page, 'PUT', `/api/v1/console/members/${memberId}/channels/${OTAVA_LOCATION}/transfer`, { landing_url: 'https://otava.example.fi/aurora', accepts: ['age'], client_id: 'aur_none' });
    assert.equal(refused.status, 409);
    assert.match(refused.json.type, /claim-not-verified$/);

    await page.evaluate(() => window.scrollTo(0, 0));
    await expectNoSeriousAxeViolations(page, 'services with claims waiting');
    await shot(page, 'console-services-pending-fi');
    for (const [from, to] of [['fi', 'sv'], ['sv', 'en'], ['en', 'fi']] as const) {
      await switchLanguage(page, from, to);
      await page.getByRole('heading', { level: 1, name: TEXTS[to].services.title }).waitFor();
      // The view is drawn anew in the new language, its services folded: open the one the others share a location with.
      await (await expand(page, 'Nettilukio aikuisille')).getByText(TEXTS[to].services.claimPendingTitle).waitFor();
      if (to !== 'fi') {
        await expectNoSeriousAxeViolations(page, `services with claims waiting (${to})`);
        await shot(page, `console-services-pending-${to}`);
      }
    }
  });

  test('the network administrator sees the waiting claims, rejects a mistaken one with a reason and approves the rest', async () => {
    const page = adminPage;
    // The overview counts the waiting claims and leads to them.
    await page.getByRole('link', { name: en.nav.overview }).click();
    await page.getByRole('heading', { level: 1, name: en.overview.title }).waitFor();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: en.overview.pendingClaims }) });
    assert.equal((await card.locator('.n').textContent())?.trim(), String(Object.keys(OTAVA_SERVICES).length + 1));
    await card.getByRole('link', { name: en.overview.pendingClaims }).click();
    await page.getByRole('heading', { level: 1, name: en.claims.title }).waitFor();
    assert.equal(await page.getByRole('button', { name: en.claims.showPending }).getAttribute('aria-pressed'), 'true');
    const table = page.getByRole('table', { name: en.claims.captionPending });
    await table.waitFor();
    // Each row says what to compare: the member and its business ID, the catalogue's organisations and theirs.
    const nettilukio = table.getByRole('row').filter({ hasText: 'Nettilukio aikuisille' });
    await nettilukio.getByText(`${en.members.businessId}: ${ORG.businessId}`).waitFor();
    await nettilukio.getByText(`Mikkelin kaupungin liikelaitos Otavia: ${en.claims.noBusinessId}`).waitFor();
    await table.getByRole('row').filter({ hasText: MISTAKE.name }).getByText(en.claims.noOrganisation).waitFor();
    await expectNoSeriousAxeViolations(page, 'claims');
    await shot(page, 'console-claims-en');
    for (const [from, to] of [['en', 'fi'], ['fi', 'sv'], ['sv', 'en']] as const) {
      await switchLanguage(page, from, to);
      await page.getByRole('heading', { level: 1, name: TEXTS[to].claims.title }).waitFor();
      await page.getByRole('table', { name: TEXTS[to].claims.captionPending }).waitFor();
      if (to !== 'en') {
        await expectNoSeriousAxeViolations(page, `claims (${to})`);
        await shot(page, `console-claims-${to}`);
      }
    }

    // Rejecting asks for the reason, which the organisation then sees in its log.
    const names = (service: string) => ({ member: ORG.name, service });
    await table.getByRole('button', { name: fill(en.claims.rejectLabel, names(MISTAKE.name)) }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(fill(en.claims.rejectTitle, names(MISTAKE.name))).waitFor();
    await dialog.getByRole('button', { name: en.claims.reject, exact: true }).click();
    await dialog.getByText(en.members.reasonMissing).waitFor();
    await expectNoSeriousAxeViolations(page, 'reject claim dialog');
    await shot(page, 'console-claims-reject', { fullPage: false });
    await dialog.getByLabel(en.members.reason, { exact: true }).fill(MISTAKE_REASON);
    await dialog.getByRole('button', { name: en.claims.reject, exact: true }).click();
    await page.getByText(fill(en.claims.rejectDone, names(MISTAKE.name))).waitFor();
    await table.getByRole('row').filter({ hasText: MISTAKE.name }).waitFor({ state: 'detached' });

    // Approving: one by one, each after a look at what it gives.
    for (const name of Object.values(OTAVA_SERVICES)) {
      await table.getByRole('button', { name: fill(en.claims.approveLabel, names(name)) }).click();
      await dialog.getByText(fill(en.claims.approveText, names(name))).waitFor();
      await dialog.getByRole('button', { name: en.claims.approve, exact: true }).click();
      await page.getByText(fill(en.claims.approveDone, names(name))).waitFor();
    }
    await page.getByText(en.claims.emptyPending).waitFor();

    // The verified ones, each with who approved it; revoking asks for a reason too.
    await page.getByRole('button', { name: en.claims.showVerified }).click();
    const verified = page.getByRole('table', { name: en.claims.captionVerified });
    await verified.waitFor();
    assert.equal(await verified.getByRole('button', { name: new RegExp(`^${en.claims.revoke}: `) }).count(), Object.keys(OTAVA_SERVICES).length);
    await verified.getByRole('row').filter({ hasText: 'Nettilukio aikuisille' }).getByText(fill(en.claims.byAdministrator, { who: ADMIN.email })).waitFor();
    await expectNoSeriousAxeViolations(page, 'verified claims');
    await shot(page, 'console-claims-verified-en');
    await verified.getByRole('button', { name: fill(en.claims.revokeLabel, names('Nettilukio aikuisille')) }).click();
    await dialog.getByText(fill(en.claims.revokeText, names('Nettilukio aikuisille'))).waitFor();
    await dialog.getByRole('button', { name: en.claims.revoke, exact: true }).click();
    await dialog.getByText(en.members.reasonMissing).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await verified.getByRole('button', { name: new RegExp(`^${en.claims.revoke}: `) }).count(), Object.keys(OTAVA_SERVICES).length, 'nothing revoked');
  });

  test('with every claim on the location verified, the organisation sets up session transfer there; a shared channel can still be turned off', async () => {
    const page = orgPage;
    await page.reload();
    await page.getByRole('heading', { level: 1, name: fi.services.title }).waitFor();
    assert.equal(await page.getByRole('button', { name: new RegExp(`^${escape(MISTAKE.name)}`) }).count(), 0, 'the rejected claim is gone');
    const rejection = await pageFetch(page, 'GET', '/api/v1/console/audit?limit=500');
    assert.ok(
      rejection.json.entries.some((e: { action: string; target: string; details: { reason?: string } }) => e.action === 'member.service.reject' && e.target === MISTAKE.id && e.details.reason === MISTAKE_REASON),
      "the organisation's log has the reason",
    );
    const nettilukio = await expand(page, 'Nettilukio aikuisille');
    await nettilukio.getByRole('button', { name: new RegExp(fi.claimStatus.verified) }).waitFor();
    await nettilukio.getByText(new RegExp(escape(fi.services.claimByAdministrator.split(':')[1]!.trim()))).waitFor();
    assert.equal(await nettilukio.locator(`[data-channel="${OTAVA_LOCATION}"]`).count(), 0, 'the location is no longer shared');

    // Transfer needs a receiving client first: the dialog says so.
    const setUp = nettilukio.getByRole('button', { name: new RegExp(`^${fi.services.setUpShort}: `) }).first();
    await setUp.click();
    await page.getByRole('dialog').getByText(fi.services.noReceivingClient).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: fi.app.cancel }).click();

    const created = await pageFetch(page, 'POST', `/api/v1/console/members/${memberId}/clients`, { name: 'Vastaanotto', scopes: ['transfer:receive'] });
    assert.equal(created.status, 201);
    await page.reload();
    const opened = await expand(page, 'Nettilukio aikuisille');
    await opened.getByRole('button', { name: new RegExp(`^${fi.services.setUpShort}: `) }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(fi.services.landingUrl, { exact: true }).fill('http://example.fi/aurora');
    await dialog.getByRole('button', { name: fi.app.save }).click();
    await dialog.getByText(fi.services.landingUrlInvalid).waitFor();
    await dialog.getByText(fi.services.acceptsMissing).waitFor();
    await dialog.getByLabel(fi.services.landingUrl, { exact: true }).fill('https://otava.example.fi/aurora');
    const attributes = (await (await api('/api/v1/attributes')).json()) as { attributes: { name: string; title: Record<string, string> }[] };
    const age = attributes.attributes.find((a) => a.name === 'age')!;
    await dialog.getByText(age.title.fi!, { exact: true }).click();
    await expectNoSeriousAxeViolations(page, 'transfer dialog');
    await shot(page, 'console-transfer');
    await dialog.getByRole('button', { name: fi.app.save }).click();
    await page.getByText(fi.services.transferSaved).waitFor();
    // The location serves all eight services: each lists it, set up now.
    await opened.getByText('https://otava.example.fi/aurora').waitFor();

    const services = await pageFetch(page, 'GET', `/api/v1/console/members/${memberId}/services`);
    const listed = services.json.services.find((s: { service_id: string }) => s.service_id === NETTILUKIO);
    const configured = listed.channels.find((c: { transfer: unknown }) => c.transfer);
    assert.deepEqual(configured.transfer, { landing_url: 'https://otava.example.fi/aurora', accepts: ['age'], client_id: created.json.client_id });
    assert.deepEqual(configured.other_services, []);
    assert.ok(services.json.services.some((s: { service_id: string; claim: { status: string } }) => s.service_id === VAPAA_SIVISTYSTYO && s.claim.status === 'verified'));
    // People are offered the location now, with Otava named as the receiver.
    const offered = (await (await api(`/api/v1/services/${NETTILUKIO}/transfer-targets`)).json()) as { targets: { channel_id: string; receiver: unknown }[] };
    assert.deepEqual(offered.targets.map((x) => [x.channel_id, x.receiver]), [[OTAVA_LOCATION, { kind: 'member', organisation: ORG.name, business_id: ORG.businessId }]]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await expectNoSeriousAxeViolations(page, 'services');
    await shot(page, 'console-services');

    // The catalogue's next import links another organisation's service to the location: the
    // transfer stops working there at once, the page says why, and it can still be turned off.
    const neighbour = randomUUID();
    const db = network.database.db;
    await db.insertInto('services').values({ id: neighbour, source: 'test', area_type: 'Nationwide', nationwide: true, name: JSON.stringify({ fi: 'Naapurin neuvonta' }), content_hash: 'x', sort_name: 'naapurin neuvonta' } as never).execute();
    await db.insertInto('service_channel_links').values({ service_id: neighbour, channel_id: OTAVA_LOCATION, asserted_by: 'service', channel_name: null, description: '{}' } as never).execute();
    try {
      await page.reload();
      const again = await expand(page, 'Nettilukio aikuisille');
      const sharedNow = again.locator(`[data-channel="${OTAVA_LOCATION}"]`);
      await sharedNow.getByText(fill(fi.services.sharedText_one, { count: 1 })).waitFor();
      await sharedNow.getByRole('listitem').filter({ hasText: 'Naapurin neuvonta' }).waitFor();
      await again.getByRole('cell', { name: new RegExp(`^${escape(fi.services.transferIdle)}`) }).getByText(fi.services.transferIdleShared).waitFor();
      assert.equal(await again.getByRole('button', { name: new RegExp(`^${fi.services.editShort}: `) }).count(), 0, 'no editing a shared channel');
      assert.deepEqual(((await (await api(`/api/v1/services/${NETTILUKIO}/transfer-targets`)).json()) as { targets: unknown[] }).targets, []);
      await expectNoSeriousAxeViolations(page, 'services with a shared channel');
      await shot(page, 'console-services-shared');
      await again.getByRole('button', { name: new RegExp(`^${fi.services.turnOffShort}: `) }).click();
      await page.getByRole('dialog').getByRole('button', { name: fi.services.turnOffShort }).click();
      await page.getByText(fi.services.turnedOff).waitFor();
      await again.getByRole('cell', { name: fi.services.transferShared }).waitFor();
    } finally {
      await db.deleteFrom('service_channel_links').where('service_id', '=', neighbour).execute();
      await db.deleteFrom('services').where('id', '=', neighbour).execute();
    }
  });

  test('API client: created with scopes, secret shown once, works against the API, rotated, rate-limited, revoked', async () => {
    const page = orgPage;
    await page.getByRole('link', { name: fi.nav.clients }).click();
    await page.getByRole('heading', { level: 1, name: fi.clients.title }).waitFor();
    await page.getByRole('button', { name: fi.clients.createButton }).click();
    await page.getByText(fi.clients.nameMissing).waitFor();
    await page.getByText(fi.clients.scopesMissing).waitFor();

    await page.getByLabel(fi.clients.nameLabel, { exact: true }).fill('Opintoneuvonta');
    await page.getByText(fi.clients.scope.recommend, { exact: true }).click();
    await page.getByText(fi.clients.scope.stats_read, { exact: true }).click();
    await page.getByRole('button', { name: fi.clients.createButton }).click();
    const panel = page.getByTestId('client-secret');
    await panel.waitFor();
    await panel.getByText(fi.clients.secretWarning).waitFor();
    client = { id: (await page.getByTestId('new-client-id').textContent())!, secret: (await page.getByTestId('new-client-secret').textContent())! };
    assert.match(client.id, /^aur_/);
    assert.ok(client.secret.length >= 20);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'client-secret', 'the panel takes the focus');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await panel.getByRole('button', { name: fi.clients.copy.replace('{{what}}', fi.clients.secret) }).click();
    await panel.getByText(fi.clients.copied.replace('{{what}}', fi.clients.secret)).waitFor();
    assert.equal(await page.evaluate(() => (globalThis as any).navigator.clipboard.readText()), client.secret, 'the copy button copies the secret');
    await expectNoSeriousAxeViolations(page, 'client secret');
    await shot(page, 'console-clients-secret');

    // The secret works against the API; a wrong one does not.
    const search = (secret: string) =>
      api('/service-recommender/v1/text_search', { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic(client.id, secret) }, body: JSON.stringify({ search_text: 'lukio' }) });
    assert.equal((await search(client.secret)).status, 200);
    assert.equal((await search(`${client.secret}x`)).status, 401);

    await panel.getByRole('button', { name: fi.clients.savedIt }).click();
    await panel.waitFor({ state: 'detached' });
    assert.equal(await page.getByText(client.secret).count(), 0, 'the secret is not shown again');
    await page.reload();
    const row = page.getByRole('row', { name: /Opintoneuvonta/ });
    await row.waitFor();
    assert.equal(await row.getByText(fi.clients.never).count(), 0, 'last use is shown');

    // Rotating shows a new secret once; the old one stops working at once.
    await row.getByRole('button', { name: `${fi.clients.rotateShort}: Opintoneuvonta` }).click();
    await page.getByRole('dialog').getByRole('button', { name: fi.clients.rotateShort }).click();
    await page.getByTestId('client-secret').waitFor();
    const rotated = (await page.getByTestId('new-client-secret').textContent())!;
    assert.notEqual(rotated, client.secret);
    assert.equal((await search(client.secret)).status, 401);
    assert.equal((await search(rotated)).status, 200);
    client.secret = rotated;
    await page.getByRole('button', { name: fi.clients.savedIt }).click();

    // The member reads its clients' rate limit but does not set it: the network administrator does.
    assert.equal(await page.getByLabel(fi.clients.rateLimit).count(), 0, 'no rate limit field for the member');
    await page.getByText(fi.clients.rateLimitByNetwork).waitFor();
    await page.getByLabel(fi.clients.nameLabel, { exact: true }).fill('Kokeilu');
    await page.getByText(fi.clients.scope.recommend, { exact: true }).click();
    await page.getByRole('button', { name: fi.clients.createButton }).click();
    await page.getByTestId('client-secret').waitFor();
    const limited = { id: (await page.getByTestId('new-client-id').textContent())!, secret: (await page.getByTestId('new-client-secret').textContent())! };
    await page.getByRole('button', { name: fi.clients.savedIt }).click();
    await page.getByRole('row', { name: /Kokeilu/ }).getByText(fi.clients.rateDefault).waitFor();

    // A client the network administrator limits to 2 a minute gets 429 with Retry-After on its third call.
    await adminPage.goto(`/console/admin/members/${memberId}`);
    await adminPage.getByRole('row', { name: /Kokeilu/ }).getByRole('button', { name: `${en.member.rateLimitChange}: Kokeilu` }).click();
    const dialog = adminPage.getByRole('dialog');
    await dialog.getByLabel(en.clients.rateLimit).fill('0');
    await dialog.getByRole('button', { name: en.member.rateLimitSave }).click();
    await dialog.getByText(en.member.rateLimitInvalid.replace('{{max}}', '1000000')).waitFor();
    await expectNoSeriousAxeViolations(adminPage, 'rate limit dialog');
    await dialog.getByLabel(en.clients.rateLimit).fill('2');
    await dialog.getByRole('button', { name: en.member.rateLimitSave }).click();
    await adminPage.getByText(en.member.rateLimitSaved.replace('{{name}}', 'Kokeilu').replace('{{n}}', '2')).waitFor();
    const call = () => api('/service-recommender/v1/text_search', { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic(limited.id, limited.secret) }, body: JSON.stringify({ search_text: 'lukio' }) });
    assert.equal((await call()).status, 200);
    assert.equal((await call()).status, 200);
    const third = await call();
    assert.equal(third.status, 429);
    assert.ok(Number(third.headers.get('retry-after')) > 0);
    await page.reload();
    await page.getByRole('row', { name: /Kokeilu/ }).getByText(fi.clients.rateSet).waitFor();

    // Revoking is final.
    await page.getByRole('row', { name: /Kokeilu/ }).getByRole('button', { name: `${fi.clients.revokeShort}: Kokeilu` }).click();
    await page.getByRole('dialog').getByRole('button', { name: fi.clients.revokeShort }).click();
    await page.getByText(fi.clients.revoked.replace('{{name}}', 'Kokeilu')).waitFor();
    assert.equal((await call()).status, 401);
    await expectNoSeriousAxeViolations(page, 'clients');
    await shot(page, 'console-clients');
  });

  test('teaching: sliders and a municipality, the recommendations, a mark with a comment', async () => {
    const page = orgPage;
    await page.getByRole('link', { name: fi.nav.teach }).click();
    await page.getByRole('heading', { level: 1, name: fi.teach.title }).waitFor();
    // The sliders answer the keyboard: Home is 0.
    for (const meter of Object.keys(STUDY_SITUATION) as (keyof typeof STUDY_SITUATION)[]) {
      const slider = page.getByRole('slider', { name: meterName('fi', meter) });
      await slider.focus();
      await page.keyboard.press('Home');
      assert.equal(await slider.inputValue(), '0');
    }
    await page.getByRole('slider', { name: meterName('fi', 'health') }).fill('9');
    await page.getByLabel(fi.teach.municipality).selectOption({ label: 'Mikkeli' });
    await page.getByRole('button', { name: fi.teach.show }).click();
    await page.getByRole('heading', { level: 3, name: fi.teach.results }).waitFor();
    // The first result is marked, whoever's it is: which services lead for a situation is the
    // recommender's business (its tests), this is the console's flow.
    const ours = page.locator('li[data-service-id]').first();
    await ours.waitFor();
    const markedId = (await ours.getAttribute('data-service-id'))!;
    const markedName = (await ours.getByRole('heading', { level: 3 }).innerText()).trim();
    if (Object.keys(OTAVA_SERVICES).includes(markedId)) await ours.getByText(fi.teach.yours).waitFor();
    await ours.getByRole('button', { name: `${fi.teach.sendShort}: ${markedName}` }).click();
    await ours.getByText(fi.teach.chooseFirst).waitFor();
    await ours.getByText(fi.teach.fits, { exact: true }).click();
    await ours.getByLabel(fi.teach.comment).fill('Sopii aikuiselle, joka haluaa opiskella.');
    await ours.getByRole('button', { name: `${fi.teach.sendShort}: ${markedName}` }).click();
    await ours.getByText(fi.teach.sent.replace('{{name}}', markedName)).waitFor();
    await expectNoSeriousAxeViolations(page, 'teach');
    await shot(page, 'console-teach');

    const signals = await network.database.db
      .selectFrom('recommendation_signals')
      .selectAll()
      .where('service_id', '=', markedId)
      .execute();
    assert.ok(signals.length >= 1, 'the mark reached the recommender');
  });

  test('statistics: weekly charts with a table, meter distributions, weeks released once and kept, CSV', async () => {
    // Twelve people are recommended the organisation's services this week (each recommendation is one
    // person): this week is still going on, so it is shown as pending.
    for (let i = 0; i < 12; i++) {
      const r = await api('/api/v1/recommendations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ meters: { ...STUDY_SITUATION, health: 5 + (i % 5) }, language: 'fi', limit: 10 }) });
      assert.equal(r.status, 200);
    }
    // The statistics hooks write in the background.
    for (let tries = 0; tries < 50; tries++) {
      const row = await network.database.db.selectFrom('service_events').select((eb) => eb.fn.countAll<string>().as('n')).where('service_id', '=', VAPAA_SIVISTYSTYO).executeTakeFirst();
      if (Number(row?.n ?? 0) >= 12) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Last week (completed, so released with the other 10 completed weeks of the period): 300 people recommended the service, with their meters.
    // So many that the noisy people count (Laplace, scale ~24), on which the 10-person threshold is decided, is never under 10.
    const lastWeek = new Date(Date.now() - 7 * 86_400_000);
    await recordServiceEvents(
      network.database.db,
      Array.from({ length: 300 }, (_, i) => ({ kind: 'recommended' as const, service_id: VAPAA_SIVISTYSTYO, recommendation_id: randomUUID(), meters: { ...STUDY_SITUATION, health: 5 + (i % 5) }, at: lastWeek })),
    );

    const page = orgPage;
    await page.getByRole('link', { name: fi.nav.statistics }).click();
    await page.getByRole('heading', { level: 1, name: fi.statistics.title }).waitFor();
    const asked = page.waitForResponse((r) => r.url().includes(`/api/v1/console/members/${memberId}/statistics?`));
    await page.getByRole('button', { name: fi.statistics.show }).click();
    const statisticsUrl = (await asked).url();
    await page.getByRole('heading', { name: fi.statistics.weekly, level: 2 }).waitFor();
    // Approved today: the page says no full week of membership has passed, not "the figures of 11
    // weeks were computed now, for the first time" (issue #14); the weeks before are still shown.
    await page.getByText(fi.statistics.noCompletedWeek.split('{{joined}}')[0]!, { exact: false }).waitFor();
    assert.equal(await page.getByText(fi.statistics.releasedNow_other.replace('{{count}}', '11')).count(), 0);
    await page.getByText(new RegExp(fi.statistics.pendingNote.split('(')[0]!.trim())).waitFor();
    const chart = page.getByRole('img', { name: fi.statistics.recommended });
    await chart.waitFor();
    assert.ok((await chart.getAttribute('aria-describedby'))?.length, 'the chart has a description');
    await page.getByText(fi.statistics.asTable).first().click();
    const table = page.getByRole('table', { name: fi.statistics.weekly });
    await table.waitFor();
    // Last week's row has figures (300 people, far above 10 after noise); this week's row says it is still going on.
    const rows = table.getByRole('row');
    const lastWeeks = await rows.nth((await rows.count()) - 2).getByRole('cell').allTextContents();
    assert.ok(lastWeeks.slice(1).some((f) => /^[0-9]/.test(f)), lastWeeks.join(' | '));
    const thisWeek = await rows.last().getByRole('cell').allTextContents();
    assert.ok(thisWeek.slice(1).every((f) => f === fi.statistics.pending), thisWeek.join(' | '));
    await page.getByRole('img', { name: meterName('fi', 'working_studying') }).waitFor();
    await expectNoSeriousAxeViolations(page, 'statistics');
    await shot(page, 'console-statistics');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: fi.statistics.csv }).click();
    const file = await download;
    const path = await file.path();
    const { readFile } = await import('node:fs/promises');
    const csv = await readFile(path!, 'utf8');
    assert.match(csv, /viikko/);

    // The same period again is the kept weekly releases: the same figures, nothing computed anew;
    // the organisation's API client with stats:read gets those releases too.
    await page.getByRole('button', { name: fi.statistics.show }).click();
    await page.getByText(fi.statistics.noCompletedWeek.split('{{joined}}')[0]!, { exact: false }).waitFor();
    const shown = await pageFetch(page, 'GET', `/api/v1/console/members/${memberId}/statistics?${periodQuery(statisticsUrl)}`);
    const viaClient = await api(`/api/v1/statistics?${periodQuery(statisticsUrl)}`, { headers: { authorization: basic(client.id, client.secret) } });
    assert.equal(viaClient.status, 200);
    const released = (await viaClient.json()) as { new_releases: number; weeks: unknown[] };
    assert.equal(released.new_releases, 0);
    assert.deepEqual(released.weeks, shown.json.weeks);
  });

  test('the organisation administrator adds a developer, who sees no staff or admin views; the API refuses with 403', async () => {
    const page = orgPage;
    await page.getByRole('link', { name: fi.nav.staff }).click();
    await page.getByRole('heading', { level: 1, name: fi.staff.title }).waitFor();
    await page.getByLabel(fi.staff.nameLabel, { exact: true }).fill(DEVELOPER.name);
    await page.getByLabel(fi.staff.emailLabel, { exact: true }).fill(DEVELOPER.email);
    await page.getByText(fi.roles.developer, { exact: true }).click();
    await page.getByLabel(fi.staff.passwordLabel, { exact: true }).fill(DEVELOPER.password);
    await page.getByRole('button', { name: fi.staff.addButton }).click();
    await page.getByText(fi.staff.added.replace('{{name}}', DEVELOPER.name)).waitFor();
    await page.getByRole('cell', { name: DEVELOPER.email }).waitFor();
    await expectNoSeriousAxeViolations(page, 'staff');
    await shot(page, 'console-staff');

    const dev = await open('sv-SE');
    await consoleLogin(dev, sv, DEVELOPER.email, DEVELOPER.password);
    await dev.getByRole('heading', { level: 1, name: sv.services.title }).waitFor();
    const nav = dev.getByRole('navigation', { name: sv.app.mainNav });
    assert.equal(await nav.getByRole('link', { name: sv.nav.staff }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: sv.nav.members }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: sv.nav.audit }).count(), 0);
    assert.ok((await nav.getByRole('link', { name: sv.nav.clients }).count()) === 1);
    for (const path of ['/console/org/staff', '/console/admin/members', '/console/admin/overview']) {
      await dev.goto(path);
      await dev.getByRole('heading', { level: 1, name: sv.app.forbidden }).waitFor();
    }
    await expectNoSeriousAxeViolations(dev, 'forbidden');
    assert.equal((await pageFetch(dev, 'GET', '/api/v1/console/members')).status, 403);
    assert.equal((await pageFetch(dev, 'GET', `/api/v1/console/members/${memberId}/staff`)).status, 403);
    assert.equal((await pageFetch(dev, 'POST', `/api/v1/console/members/${memberId}/staff`, { email: 'x@otava.test', name: 'X', role: 'org_admin', password: 'x'.repeat(12) })).status, 403);
    assert.equal((await pageFetch(dev, 'POST', `/api/v1/console/members/${memberId}/approve`, {})).status, 403);
    // What a developer may do, it can.
    assert.equal((await pageFetch(dev, 'GET', `/api/v1/console/members/${memberId}/clients`)).status, 200);
    // Without the CSRF header a cookie-authenticated change is refused.
    const noCsrf = await dev.evaluate(async (path) => (await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', scopes: ['recommend'] }) })).status, `/api/v1/console/members/${memberId}/clients`);
    assert.equal(noCsrf, 403);

    // A session that ends elsewhere (logged out in another tab) brings the login back at the next call.
    assert.equal((await pageFetch(dev, 'DELETE', '/api/v1/console/session')).status < 300, true);
    await dev.getByRole('navigation', { name: sv.app.mainNav }).getByRole('link', { name: sv.nav.clients }).click();
    await dev.getByRole('heading', { level: 1, name: sv.login.title }).waitFor();

    // The organisation administrator is no network administrator either.
    await orgPage.goto('/console/admin/members');
    await orgPage.getByRole('heading', { level: 1, name: fi.app.forbidden }).waitFor();
    assert.equal((await pageFetch(orgPage, 'GET', '/api/v1/console/overview')).status, 403);
  });

  test("another organisation's data is refused", async () => {
    const other = await api('/api/v1/console/applications', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organisation_name: 'Toinen Oy', business_id: '0245437-2', contact_name: 'Toni Toinen', contact_email: 'toni@toinen.test', admin_password: 'toni-password-12' }),
    });
    assert.equal(other.status, 201);
    const otherId = ((await other.json()) as { member_id: string }).member_id;
    assert.equal((await pageFetch(adminPage, 'POST', `/api/v1/console/members/${otherId}/approve`, {})).status, 200);
    const created = await pageFetch(adminPage, 'GET', `/api/v1/console/members/${otherId}/clients`);
    assert.equal(created.status, 200, 'the network administrator may read any member');

    for (const [method, path, body] of [
      ['GET', `/api/v1/console/members/${otherId}`],
      ['GET', `/api/v1/console/members/${otherId}/clients`],
      ['GET', `/api/v1/console/members/${otherId}/services`],
      ['GET', `/api/v1/console/members/${otherId}/statistics?from=2025-01-06&to=2025-01-06&format=json`],
      ['POST', `/api/v1/console/members/${otherId}/clients`, { name: 'sneaky', scopes: ['recommend'] }],
      ['POST', `/api/v1/console/members/${otherId}/teaching`, { meters: { health: 1 }, service_id: NETTILUKIO, fits: false }],
    ] as [string, string, unknown?][]) {
      const answer = await pageFetch(orgPage, method, path, body);
      assert.ok([403, 404].includes(answer.status), `${method} ${path}: ${answer.status}`);
    }
    await orgPage.goto(`/console/admin/members/${otherId}`);
    await orgPage.getByRole('heading', { level: 1, name: fi.app.forbidden }).waitFor();
  });

  test('a suspended client stops working at once; reinstated, it works again', async () => {
    const page = adminPage;
    await page.goto(`/console/admin/members/${memberId}`);
    const row = page.getByRole('row', { name: /Opintoneuvonta/ });
    await row.waitFor();
    await row.getByRole('button', { name: `${en.members.suspend}: Opintoneuvonta` }).click();
    await page.getByRole('dialog').getByRole('button', { name: en.members.suspend }).click();
    await page.getByText(en.member.clientSuspended.replace('{{name}}', 'Opintoneuvonta')).waitFor();
    const search = () =>
      api('/service-recommender/v1/text_search', { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic(client.id, client.secret) }, body: JSON.stringify({ search_text: 'lukio' }) });
    assert.equal((await search()).status, 403);
    await expectNoSeriousAxeViolations(page, 'member detail with clients');
    await shot(page, 'console-member');

    await row.getByRole('button', { name: `${en.members.reinstate}: Opintoneuvonta` }).click();
    await page.getByRole('dialog').getByRole('button', { name: en.members.reinstate }).click();
    await page.getByText(en.member.clientReinstated.replace('{{name}}', 'Opintoneuvonta')).waitFor();
    assert.equal((await search()).status, 200);

    // Suspending the member stops all its clients, and its staff see why.
    await page.getByRole('button', { name: en.members.suspend, exact: true }).click();
    await page.getByRole('dialog').getByLabel(en.members.reason, { exact: true }).fill('Too many calls from a misbehaving script.');
    await page.getByRole('dialog').getByRole('button', { name: en.members.suspend }).click();
    await page.getByText(`${ORG.name}: ${en.status.suspended.toLowerCase()}.`).waitFor();
    assert.equal((await search()).status, 403);
    await orgPage.goto('/console');
    await orgPage.getByRole('heading', { level: 1, name: fi.pending.title }).waitFor();
    await orgPage.getByText('Too many calls from a misbehaving script.', { exact: false }).waitFor();
    await page.getByRole('button', { name: en.members.reinstate, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: en.members.reinstate }).click();
    await page.getByText(`${ORG.name}: ${en.status.approved.toLowerCase()}.`).waitFor();
    assert.equal((await search()).status, 200);
  });

  test('network overview and audit log', async () => {
    const page = adminPage;
    await page.getByRole('link', { name: en.nav.overview }).click();
    await page.getByRole('heading', { level: 1, name: en.overview.title }).waitFor();
    await page.getByRole('img', { name: en.overview.recommendations }).waitFor();
    await expectNoSeriousAxeViolations(page, 'overview');
    await shot(page, 'console-overview');

    await page.getByRole('link', { name: en.nav.audit }).click();
    await page.getByRole('heading', { level: 1, name: en.audit.title }).waitFor();
    // Rows read as sentences (issue #14): the application, by its contact, naming the organisation.
    await page.getByText(en.audit.sentence.replace('{{who}}', ORG.email).replace('{{what}}', en.audit.actions.member_apply.replace('{{target}}', ORG.name))).first().waitFor();
    await expectNoSeriousAxeViolations(page, 'audit');
    await shot(page, 'console-audit', { fullPage: false });

    // An organisation administrator sees its own organisation's rows only.
    await orgPage.goto('/console/org/audit');
    await orgPage.getByRole('heading', { level: 1, name: fi.audit.title }).waitFor();
    await expectNoSeriousAxeViolations(orgPage, 'audit of one organisation');
    const own = await pageFetch(orgPage, 'GET', '/api/v1/console/audit?limit=500');
    assert.ok(own.json.entries.length > 0);
    assert.ok(own.json.entries.every((e: { member_id: string | null }) => e.member_id === memberId));
  });

  test('two-step verification: set up with the QR code, then asked at login', async () => {
    const page = orgPage;
    await page.goto('/console/account');
    await page.getByRole('heading', { level: 1, name: fi.totp.title }).waitFor();
    await page.getByRole('button', { name: fi.totp.start }).click();
    const qr = page.getByRole('img', { name: fi.totp.qrAlt });
    await qr.waitFor();
    assert.ok(await qr.evaluate((img: any) => img.complete && img.naturalWidth > 0), 'the QR code is drawn');
    const secret = (await page.locator('code').first().textContent())!.trim();
    const totp = (offset = 0) => OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(secret), period: 30, digits: 6, algorithm: 'SHA1', timestamp: Date.now() + offset });
    await expectNoSeriousAxeViolations(page, 'totp setup');
    await shot(page, 'console-totp');
    await page.getByLabel(fi.totp.code, { exact: true }).fill(totp() === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: fi.totp.confirm }).click();
    await page.getByText(fi.totp.wrongCode).waitFor();
    await page.getByLabel(fi.totp.code, { exact: true }).fill(totp());
    await page.getByRole('button', { name: fi.totp.confirm }).click();
    await page.getByText(fi.totp.enabled).waitFor();

    await page.getByRole('button', { name: fi.app.logOut }).click();
    await page.getByRole('heading', { level: 1, name: fi.login.title }).waitFor();
    assert.equal((await pageFetch(page, 'GET', '/api/v1/console/session')).status, 401, 'logged out');
    await page.getByLabel(fi.login.email, { exact: true }).fill(ORG.email);
    await page.getByLabel(fi.login.password, { exact: true }).fill(ORG.password);
    await page.getByRole('button', { name: fi.login.submit, exact: true }).click();
    await page.getByText(fi.login.totpNeeded).waitFor();
    // The next period's code: the one used to confirm may not be used again.
    await page.getByLabel(fi.login.totp, { exact: true }).fill(totp(30_000));
    await page.getByRole('button', { name: fi.login.submit, exact: true }).click();
    await page.getByRole('button', { name: fi.app.logOut }).waitFor();
  });

  test('the language can be changed, and the page follows', async () => {
    const page = await open('fi-FI');
    await page.goto('/console/login');
    await page.getByRole('heading', { level: 1, name: fi.login.title }).waitFor();
    await page.getByRole('button', { name: `${fi.app.language}: Suomi (FI)` }).click();
    await page.getByRole('menuitem', { name: 'Svenska (SV)' }).click();
    await page.getByRole('heading', { level: 1, name: sv.login.title }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'sv');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: sv.login.title }).waitFor();
    await page.goto('/console/apply');
    await page.getByRole('heading', { level: 1, name: sv.apply.title }).waitFor();
    await expectNoSeriousAxeViolations(page, 'apply in Swedish');

    // An organisation that has applied already: the server's refusal is shown in the form.
    await page.getByLabel(sv.apply.organisationName, { exact: true }).fill('Otavan Opisto igen');
    await page.getByLabel(sv.apply.businessId, { exact: true }).fill(ORG.businessId);
    await page.getByLabel(sv.apply.contactName, { exact: true }).fill('Oskar');
    await page.getByLabel(sv.apply.contactEmail, { exact: true }).fill('oskar@otava.test');
    await page.getByLabel(sv.apply.password, { exact: true }).fill('oskar-password-1');
    await page.getByLabel(sv.apply.passwordRepeat, { exact: true }).fill('oskar-password-1');
    await page.getByRole('button', { name: sv.apply.submit }).click();
    await page.getByRole('alert').getByText(sv.apply.exists).waitFor();
  });
});
