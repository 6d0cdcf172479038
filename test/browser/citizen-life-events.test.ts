import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import en from '../../web/citizen/locales/en.ts';
import fi from '../../web/citizen/locales/fi.ts';
import sv from '../../web/citizen/locales/sv.ts';
import { createEndpoint } from '../../src/events/endpoints/create-endpoint.ts';
import { deliverDue } from '../../src/events/delivery/deliver.ts';
import { recordLifeEvent } from '../../src/events/record-life-event.ts';
import { subscribe } from '../../src/events/endpoints/subscribe.ts';
import { pairwiseSubjects } from '../../src/events/subjects.ts';
import { registerOidcClient } from '../../src/identity/register-client.ts';
import { createNetworkAdmin } from '../../src/staff/staff.ts';
import { ConsoleUser, approvedMember } from '../../src/testing/console.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/testing/life-events.ts';
import { freePort } from '../../src/testing/server-processes.ts';
import { expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';

/**
 * A person's life events in the citizen app, in Chromium, in fi, sv and en: log in with the test
 * eID, no events yet; let a family service hear when a child is born (nothing ticked before); an
 * event recorded as a register connector would reaches the service's webhook (verified with
 * standardwebhooks) and shows in the app with the service told and services that fit; withdraw,
 * and the receipt says when. axe checks every state.
 */

const SERVICE = 'Kelan perhe-etuudet';
const LANGUAGES = [
  { texts: fi, locale: 'fi-FI', person: 'Aino Testinen', eid: /Testitunnistus/ },
  { texts: sv, locale: 'sv-FI', person: 'Veeti Testinen', eid: /Testidentifiering/ },
  { texts: en, locale: 'en-GB', person: 'Turva Kielto', eid: /Test identification/ },
] as const;
const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key]!);

describe('citizen app: life events and who may hear of them', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  let receiver: WebhookReceiver;
  const secrets: Record<string, string> = {};
  let clientId: string;
  const received = () => receiver.arrivals.filter((a) => a.path === '/hook');
  const previousUrl = process.env.AURORA_PUBLIC_URL;
  let sourceIds = 0;

  before(async () => {
    const port = await freePort();
    process.env.AURORA_PUBLIC_URL = `http://127.0.0.1:${port}`;
    // The delivery worker's timer is off: the test delivers when it chooses.
    network = await startNetwork({ port, server: { testEid: true, eventDeliveryIntervalMs: 0 } });
    browser = await openBrowser();
    receiver = await startWebhookReceiver(secrets);

    const { db } = network.database;
    const keyring = network.app.aurora.consent.keyring;
    await createNetworkAdmin(db, { email: 'life-events-admin@aurora.example', name: 'Ylläpitäjä', password: 'verkoston-salasana-1' }, 'test');
    const admin = await new ConsoleUser(network.app).loginOk('life-events-admin@aurora.example', 'verkoston-salasana-1');
    const member = await approvedMember(admin, { name: 'Kela', email: 'admin@kela-events.example', password: 'hyvin-pitka-salasana' });
    clientId = (await registerOidcClient(db, keyring, { name: SERVICE, redirectUris: ['https://perhe.kela.example/cb'], scopes: [], memberId: member.memberId })).client_id;
    const endpoint = await createEndpoint(db, keyring, member.memberId, { client_id: clientId, url: `${receiver.url}/hook` }, 'test');
    secrets['/hook'] = endpoint.secret;
    await subscribe(db, member.memberId, endpoint.id, 'child-born', null, 'test');
  });
  after(async () => {
    await browser?.close();
    await network?.close();
    await receiver?.close();
    if (previousUrl === undefined) delete process.env.AURORA_PUBLIC_URL;
    else process.env.AURORA_PUBLIC_URL = previousUrl;
  });

  const deliver = () =>
    deliverDue(network.database.db, {
      keyring: network.app.aurora.consent.keyring,
      issuer: network.app.aurora.identity.provider.issuer,
      subjectOf: pairwiseSubjects(network.app.aurora.identity.provider, network.app.aurora.consent.subjectKey),
      allowPrivate: true,
      now: () => new Date(Date.now() + 60_000),
    });
  /** The account of this tab's login, from the access token the app keeps for the tab. */
  const accountOf = async (page: Page) => {
    const kept = JSON.parse((await page.evaluate(() => sessionStorage.getItem('aurora.access'))) ?? 'null') as { token: string } | null;
    assert.ok(kept, 'the app keeps the access token for this tab');
    const found = await network.app.aurora.identity.provider.AccessToken.find(kept.token);
    return found!.accountId!;
  };

  for (const { texts: t, locale, person, eid } of LANGUAGES) {
    const language = locale.slice(0, 2);
    test(`${language}: no events, consent, an event told to the service, withdraw`, async () => {
      const context = await newContext(browser, network, { locale });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      try {
        await page.goto('/my');
        await page.getByRole('heading', { level: 2, name: t.account.title }).waitFor();
        assert.equal(await page.getByRole('heading', { name: t.events.title }).count(), 0, 'anonymous: no life events section');

        await page.getByRole('button', { name: t.account.login }).click();
        await page.getByRole('link', { name: eid }).click();
        await page.getByLabel(person, { exact: true }).check();
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.waitForURL(/\/my\?login=/);
        await page.getByRole('heading', { level: 2, name: t.events.title }).waitFor();
        await page.getByText(t.events.none, { exact: true }).waitFor();
        const tellText = fill(t.eventConsents.tell, { service: SERVICE, when: t.eventConsents.when['child-born'] });
        const tell = page.getByRole('checkbox', { name: tellText });
        await tell.waitFor();
        assert.equal(await tell.isChecked(), false, 'nothing ticked in advance');
        assert.equal(await page.getByRole('checkbox').count(), 1, 'only the type a service subscribes to is offered');
        await expectNoSeriousAxeViolations(page, `${language}: life events, none yet`);
        await screenshot(page, `life-events-${language}-1-none`);

        await tell.focus();
        await page.keyboard.press('Space');
        await page.getByText(fill(t.eventConsents.given, { service: SERVICE, when: t.eventConsents.when['child-born'] }), { exact: true }).waitFor();
        assert.equal(await tell.isChecked(), true);
        const receipts = page.getByTestId('event-consent-receipts');
        assert.match((await receipts.textContent()) ?? '', new RegExp(`${SERVICE}.*${t.eventConsents.inForce}`));
        await expectNoSeriousAxeViolations(page, `${language}: consent given`);
        await screenshot(page, `life-events-${language}-2-consent`);

        const accountId = await accountOf(page);
        const before = received().length;
        await network.database.db.transaction().execute((tx) => recordLifeEvent(tx, { accountId, type: 'child-born', occurredAt: new Date('2026-11-30T10:00:00Z'), source: 'browser-test', sourceId: `birth-${++sourceIds}` }));
        assert.equal(await deliver(), 1);
        assert.equal(received().length, before + 1, 'the service heard, with a verified signature');
        assert.equal(received().at(-1)!.type, 'fi.aurora.life-event.child-born');
        assert.ok(!received().at(-1)!.subject.includes(accountId), 'a pairwise subject, never the account');

        await page.getByRole('button', { name: t.events.refresh }).click();
        const event = page.locator('.life-event');
        await event.getByRole('heading', { level: 3, name: new RegExp(sv === t ? 'Ett barn föddes' : en === t ? 'A child was born' : 'Lapsi syntyi') }).waitFor();
        assert.match((await event.getByTestId('told').textContent()) ?? '', new RegExp(`^${fill(t.events.toldAt, { service: SERVICE, when: '' })}\\d`), 'the service told, and when');
        await event.getByRole('heading', { level: 4, name: t.events.fits }).waitFor();
        assert.ok((await event.getByRole('link').count()) > 0, 'services that fit a birth, from the recommender');
        await expectNoSeriousAxeViolations(page, `${language}: an event, the service told`);
        await screenshot(page, `life-events-${language}-3-event`);

        // With the mouse this time, on the label as a person does.
        await page.getByText(tellText, { exact: true }).click();
        await page.getByText(fill(t.eventConsents.withdrawn, { service: SERVICE, when: t.eventConsents.when['child-born'] }), { exact: true }).waitFor();
        assert.equal(await tell.isChecked(), false);
        const row = receipts.locator('tbody tr');
        assert.equal(await row.count(), 1);
        assert.doesNotMatch((await row.textContent()) ?? '', new RegExp(t.eventConsents.inForce), 'the receipt says when it was withdrawn');
        await expectNoSeriousAxeViolations(page, `${language}: consent withdrawn`);
        await screenshot(page, `life-events-${language}-4-withdrawn`);

        await network.database.db.transaction().execute((tx) => recordLifeEvent(tx, { accountId, type: 'child-born', occurredAt: new Date('2026-12-01T10:00:00Z'), source: 'browser-test', sourceId: `birth-${++sourceIds}` }));
        assert.equal(await deliver(), 0, 'withdrawn: the next event goes nowhere');
      } catch (error) {
        await keepFailure(page, `citizen-life-events-${language}`);
        throw error;
      } finally {
        await context.close();
      }
    });
  }
});
