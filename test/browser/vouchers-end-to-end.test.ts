import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createNetworkAdmin } from '../../src/staff/staff.ts';
import { ConsoleUser, addService, approvedMember } from '../../src/testing/console.ts';
import { freePort } from '../../src/testing/server-processes.ts';
import { orderReference } from '../../src/vouchers/orders/order-reference.ts';
import { readPaymentFile, schemaErrors } from '../../src/vouchers/settlement/payment-file-check.ts';
import { addBankAccount, addPlace } from '../../src/vouchers/testing.ts';
import citizenEn from '../../web/citizen/locales/en.ts';
import citizenFi from '../../web/citizen/locales/fi.ts';
import citizenSv from '../../web/citizen/locales/sv.ts';
import { en as consoleEn } from '../../web/console/locales/en.ts';
import { fi as consoleFi } from '../../web/console/locales/fi.ts';
import { sv as consoleSv } from '../../web/console/locales/sv.ts';
import { consoleLogin, expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';

/**
 * Issue #17's "done when", in Chromium, once in each of fi, sv and en, every step through the pages
 * people use: the payer's staff create a programme in the console and open it; the provider's staff
 * price their service in it; a person logs in to the citizen app, receives a voucher, books the
 * service at the provider (2 hours at 35 €, of which the payer pays 28 € an hour); the provider
 * accepts and records the delivery; the person confirms it; the payer's reviewer approves it, runs a
 * settlement and downloads the payment file, which is valid pain.001.001.09 and lists the provider's
 * account with the payer's 56 €. axe checks each page on the way.
 */

const ADMIN = { email: 'vouchers-e2e-admin@aurora.example', name: 'Ylläpitäjä', password: 'verkoston-salasana-1' };
const PAYER = { name: 'Etelä-Savon hyvinvointialue', email: 'admin@esavo-e2e.example', password: 'hyvin-pitka-salasana' };
const PROVIDER = { name: 'Hoivapalvelu Aurinko Oy', email: 'admin@aurinko-e2e.example', password: 'hyvin-pitka-salasana' };
const SERVICE = 'Kotihoidon tukipalvelu';
const PROVIDER_IBAN = 'FI5542345670000081';

const LANGUAGES = [
  { language: 'fi', locale: 'fi-FI', console: consoleFi, citizen: citizenFi, person: 'Aino Testinen', eid: /Testitunnistus/, share: 'Kotikunta', programme: 'Kotihoidon palveluseteli' },
  { language: 'sv', locale: 'sv-FI', console: consoleSv, citizen: citizenSv, person: 'Veeti Testinen', eid: /Testidentifiering/, share: 'Hemkommun', programme: 'Servicesedel för hemvård' },
  { language: 'en', locale: 'en-GB', console: consoleEn, citizen: citizenEn, person: 'Aino Testinen', eid: /Test identification/, share: 'Home municipality', programme: 'Home care voucher' },
] as const;

/** A day as the console's date fields take it: "5.12.2026". */
const typedDay = (at: Date) => {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at).split('-');
  return `${Number(d)}.${Number(m)}.${y}`;
};
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key]!);

describe("issue #17's done-when: a programme, a voucher, a booking, a delivery, a settlement and its payment file", { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  const previousUrl = process.env.AURORA_PUBLIC_URL;

  before(async () => {
    const port = await freePort();
    process.env.AURORA_PUBLIC_URL = `http://127.0.0.1:${port}`;
    network = await startNetwork({ port, demo: false, server: { testEid: true, eventDeliveryIntervalMs: 0, ledgerExpiryIntervalMs: 0, voucherJobsIntervalMs: 0 } });
    const db = network.database.db;
    await createNetworkAdmin(db, ADMIN, 'test');
    const admin = await new ConsoleUser(network.app).loginOk(ADMIN.email, ADMIN.password);
    const payer = await approvedMember(admin, PAYER);
    const provider = await approvedMember(admin, PROVIDER);
    const service = await addService(db, SERVICE, 1, { businessId: provider.businessId });
    await provider.user.json('POST', `/api/v1/console/members/${provider.memberId}/services`, { service_id: service.serviceId });
    await addPlace(db, service.serviceId);
    // The accounts the settlement pays from and to (each has its own form in the console, tried in their own tests).
    await addBankAccount(db, payer.memberId, { holder: PAYER.name, iban: 'FI2112345600000785', bic: 'NDEAFIHH' });
    await addBankAccount(db, provider.memberId, { holder: PROVIDER.name, iban: PROVIDER_IBAN, bic: 'OKOYFIHH' });
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
    if (previousUrl === undefined) delete process.env.AURORA_PUBLIC_URL;
    else process.env.AURORA_PUBLIC_URL = previousUrl;
  });

  for (const { language, locale, console: c, citizen: p, person, eid, share, programme } of LANGUAGES) {
    test(`${language}: from the payer's programme to the payment file, through the console and the citizen app`, async () => {
      const contexts: BrowserContext[] = [];
      const open = async () => {
        const context = await newContext(browser, network, { locale, timezoneId: 'Europe/Helsinki' });
        contexts.push(context);
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        return page;
      };
      let page: Page | undefined;
      try {
        // 1. The payer creates the programme and opens it.
        page = await open();
        const v = c.vouchers;
        const f = v.form;
        await consoleLogin(page, c, PAYER.email, PAYER.password);
        await page.getByRole('link', { name: c.nav.vouchers }).first().click();
        await page.getByRole('heading', { name: v.title, level: 1 }).waitFor();
        await page.getByRole('button', { name: v.new, exact: true }).click();
        await page.getByRole('heading', { name: v.newTitle, level: 2 }).waitFor();
        for (const [lang, name, description] of [
          ['fi', `${programme} (fi)`, 'Kotihoidon tukipalveluja hyväksytyiltä tuottajilta.'],
          ['sv', `${programme} (sv)`, 'Stödtjänster för hemvård av godkända producenter.'],
          ['en', `${programme} (en)`, 'Home care support from approved providers.'],
        ] as const) {
          await page.getByLabel(fill(f.name, { language: f.languages[lang] }), { exact: true }).fill(lang === language ? programme : name);
          await page.getByLabel(fill(f.description, { language: f.languages[lang] }), { exact: true }).fill(description);
        }
        await page.getByLabel(f.valuePerUnit, { exact: true }).fill('32');
        await page.getByLabel(f.unit, { exact: true }).selectOption('hour');
        await page.getByLabel(f.unitsPerVoucher, { exact: true }).fill('10');
        await page.getByText(f.coPayment.percentage, { exact: true }).click();
        await page.getByLabel(f.coPaymentPercent, { exact: true }).fill('20');
        await page.getByLabel(f.validFrom, { exact: true }).fill(typedDay(new Date()));
        await page.getByLabel(f.validUntil, { exact: true }).fill(typedDay(new Date(Date.now() + 365 * 86_400_000)));
        await page.getByLabel(f.budget, { exact: true }).fill('100 000');
        for (const code of ['491', '091']) {
          await page.getByLabel(f.municipality, { exact: true }).selectOption(code);
          await page.getByRole('button', { name: f.addMunicipality, exact: true }).click();
        }
        await page.getByLabel(f.providerSearch).fill('Aurinko');
        await page.getByLabel(f.providerSearch).press('Enter');
        await page.getByRole('button', { name: `${f.addProvider}: ${PROVIDER.name}` }).click();
        await page.getByLabel(f.serviceSearch).fill(SERVICE);
        await page.getByLabel(f.serviceSearch).press('Enter');
        await page.getByRole('button', { name: new RegExp(`^${escape(f.addService)}: ${SERVICE}`) }).click();
        await page.getByRole('list', { name: f.services }).getByText(SERVICE).waitFor();
        await page.getByRole('button', { name: f.save, exact: true }).click();
        await page.getByText(fill(v.saved, { name: programme })).waitFor();
        const card = page.getByTestId('voucher-programme').filter({ hasText: programme });
        await card.getByRole('button', { name: `${v.open}: ${programme}` }).click();
        await page.getByRole('dialog').getByRole('button', { name: v.open, exact: true }).click();
        await page.getByText(fill(v.opened, { name: programme })).waitFor();
        await card.getByText(v.state.open, { exact: true }).waitFor();
        await expectNoSeriousAxeViolations(page, `${language}: the payer's programme, open`);
        await screenshot(page, `vouchers-e2e-${language}-1-programme`);
        await page.context().close();

        // 2. The provider prices its service in the programme: 35 € an hour.
        page = await open();
        const o = c.voucherOrders;
        await consoleLogin(page, c, PROVIDER.email, PROVIDER.password);
        await page.getByRole('link', { name: c.nav.voucherOrders }).first().click();
        await page.getByRole('heading', { name: o.title, level: 1 }).waitFor();
        const price = page
          .locator('[aria-labelledby^="provided-"]')
          .filter({ has: page.getByRole('heading', { level: 3, name: programme, exact: true }) })
          .getByTestId('voucher-price');
        await price.getByLabel(fill(o.prices.price, { unit: f.units.hour })).fill('35');
        await price.getByRole('button', { name: o.prices.save }).click();
        await price.getByText(language === 'en' ? /payer €28(\.00)?, client €7(\.00)?/ : /28(,00)?\s€.*7(,00)?\s€/).waitFor();
        await page.context().close();

        // 3. The person receives a voucher and books two hours.
        page = await open();
        const w = p.vouchers;
        await page.goto('/');
        await page.getByRole('navigation').getByRole('link', { name: p.app.nav.vouchers }).click();
        await page.getByRole('button', { name: w.login }).click();
        const identify = async () => {
          await page!.getByRole('link', { name: eid }).click();
          await page!.getByLabel(person, { exact: true }).check();
          await page!.getByRole('button', { name: 'Log in' }).click();
        };
        await identify();
        await page.waitForURL(/\/vouchers/);
        const offered = page.getByTestId('voucher-programme').filter({ hasText: programme });
        await offered.getByRole('heading', { level: 3 }).waitFor();
        const receive = offered.getByRole('button', { name: w.receive });
        if (!(await receive.isVisible())) {
          await offered.getByRole('button', { name: w.share }).click();
          const again = page.getByRole('link', { name: eid });
          if (await again.isVisible().catch(() => false)) await identify();
          await page.getByLabel(new RegExp(`^${share}`)).check();
          await page.getByRole('button', { name: /Jatka|Fortsätt|Continue/ }).click();
          await page.waitForURL(/\/vouchers/);
        }
        await offered.getByRole('button', { name: w.receive }).click();
        const voucher = page.getByTestId('voucher').filter({ hasText: programme });
        await voucher.getByTestId('voucher-left').waitFor();
        await voucher.getByRole('button', { name: w.whereToUse }).click();
        await voucher.getByRole('radio').first().check();
        await voucher.getByLabel(fill(w.howMany, { unit: w.unitPlural.hour })).fill('2');
        assert.match((await voucher.getByTestId('booking-total').textContent()) ?? '', language === 'en' ? /€70/ : /70\s?€/);
        await expectNoSeriousAxeViolations(page, `${language}: booking with the voucher`);
        await screenshot(page, `vouchers-e2e-${language}-2-booking`);
        await voucher.getByRole('button', { name: w.book, exact: true }).click();
        await voucher.getByTestId('voucher-order').first().getByTestId('order-status').getByText(w.status.requested, { exact: true }).waitFor();
        const personPage = page;

        // 4. The provider accepts and records the delivery.
        const db = network.database.db;
        const placed = await db.selectFrom('voucher_orders').select('id').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
        const reference = orderReference(placed.id);
        const title = fill(o.orders.reference, { reference });
        page = await open();
        await consoleLogin(page, c, PROVIDER.email, PROVIDER.password);
        await page.getByRole('link', { name: c.nav.voucherOrders }).first().click();
        const order = page.getByTestId('voucher-order').filter({ hasText: title });
        await order.getByRole('button', { name: `${o.orders.moves.accept}: ${title}` }).click();
        await order.getByText(o.orders.status.accepted, { exact: true }).waitFor();
        await order.getByLabel(o.orders.deliveredUnits).fill('2');
        await order.getByRole('button', { name: `${o.orders.moves.deliver}: ${title}` }).click();
        await order.getByText(o.orders.status.delivered, { exact: true }).waitFor();
        await expectNoSeriousAxeViolations(page, `${language}: the provider recorded the delivery`);
        await screenshot(page, `vouchers-e2e-${language}-3-delivered`);
        await page.context().close();

        // 5. The person confirms the delivery.
        page = personPage;
        await page.reload();
        const delivered = page.getByTestId('voucher').filter({ hasText: programme }).getByTestId('voucher-order').first();
        await delivered.getByRole('button', { name: w.confirm }).click();
        await delivered.getByTestId('order-status').getByText(w.status.confirmed, { exact: true }).waitFor();
        await page.context().close();

        // 6. The payer reviews, approves, settles and downloads the payment file.
        page = await open();
        const s = c.settlement;
        await consoleLogin(page, c, PAYER.email, PAYER.password);
        await page.getByRole('link', { name: c.nav.voucherReview }).first().click();
        await page.getByRole('heading', { name: s.title, level: 1 }).waitFor();
        const row = page.getByRole('table', { name: s.reviewCaption }).getByRole('row').filter({ hasText: s.states.confirmed });
        await row.getByRole('button', { name: new RegExp(`^${escape(s.approve)}:`) }).click();
        await page.getByRole('table', { name: s.reviewCaption }).getByText(s.states.approved, { exact: true }).first().waitFor();
        await page.getByRole('button', { name: s.run, exact: true }).click();
        await page.getByRole('dialog').getByRole('button', { name: s.run, exact: true }).click();
        const settled = page.getByTestId('settlement').first();
        await settled.getByRole('cell', { name: PROVIDER.name, exact: true }).waitFor();
        await expectNoSeriousAxeViolations(page, `${language}: settled`);
        await screenshot(page, `vouchers-e2e-${language}-4-settled`);
        const number = (await db.selectFrom('voucher_settlements').select(({ fn }) => fn.max('number').as('n')).executeTakeFirstOrThrow()).n;
        const [download] = await Promise.all([page.waitForEvent('download'), settled.getByRole('button', { name: fill(s.downloadLabel, { number: String(number) }) }).click()]);
        const xml = readFileSync((await download.path())!, 'utf8');
        assert.deepEqual(await schemaErrors(xml), [], 'valid pain.001.001.09');
        const file = readPaymentFile(xml);
        assert.deepEqual(
          file.transactions.map((t) => [t.iban, t.amountCents]),
          [[PROVIDER_IBAN, 2 * 2800]],
          "the payment file lists the provider's account with the payer's share of the two hours",
        );
        assert.equal(file.controlSumCents, 5600);
        const orderRow = await db.selectFrom('voucher_orders').select(['status', 'settlement_id']).where('id', '=', placed.id).executeTakeFirstOrThrow();
        assert.equal(orderRow.status, 'settled');
        assert.ok(orderRow.settlement_id);
      } catch (error) {
        if (page && !page.isClosed()) await keepFailure(page, `vouchers-e2e-${language}`);
        throw error;
      } finally {
        for (const context of contexts) await context.close().catch(() => undefined);
      }
    });
  }
});
