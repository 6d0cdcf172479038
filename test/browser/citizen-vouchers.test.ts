import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import en from '../../web/citizen/locales/en.ts';
import fi from '../../web/citizen/locales/fi.ts';
import sv from '../../web/citizen/locales/sv.ts';
import { freePort } from '../../src/testing/server-processes.ts';
import { moveOrder } from '../../src/vouchers/orders/move-order.ts';
import { addPlace, voucherWorld, type VoucherWorld } from '../../src/vouchers/testing.ts';
import { VIEWPORTS, expectNoSeriousAxeViolations, keepFailure, newContext, openBrowser, screenshot, skipBrowser, startNetwork, type Network } from './harness.ts';

/**
 * Service vouchers in the citizen app, in Chromium, in fi, sv and en: a person logs in with the test
 * eID from the Vouchers page; the home care programme tells them to share their home municipality
 * to be checked; they share it on the consent page and can then receive a voucher; the wallet shows
 * its value and units; where to use it lists the provider with its price and the person's share, and
 * the total before booking; they book; the provider accepts and delivers; the person confirms; a
 * code with a QR code is shown for a desk. axe checks every state.
 */
const LANGUAGES = [
  { texts: fi, locale: 'fi-FI', person: 'Aino Testinen', eid: /Testitunnistus/, share: 'Kotikunta', mine: /14\s?€/, total: /70\s?€/ },
  { texts: sv, locale: 'sv-FI', person: 'Veeti Testinen', eid: /Testidentifiering/, share: 'Hemkommun', mine: /14\s?€/, total: /70\s?€/ },
  { texts: en, locale: 'en-GB', person: 'Aino Testinen', eid: /Test identification/, share: 'Home municipality', mine: /€14/, total: /€70/ },
] as const;
const fill = (text: string, values: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key]!);

describe('citizen app: service vouchers', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  let world: VoucherWorld;
  const previousUrl = process.env.AURORA_PUBLIC_URL;

  before(async () => {
    const port = await freePort();
    process.env.AURORA_PUBLIC_URL = `http://127.0.0.1:${port}`;
    network = await startNetwork({ port, demo: false, server: { testEid: true, eventDeliveryIntervalMs: 0, ledgerExpiryIntervalMs: 0, voucherJobsIntervalMs: 0 } });
    browser = await openBrowser();
    // Mikkeli's and Helsinki's residents (Aino lives in Mikkeli, Veeti in Helsinki).
    world = await voucherWorld(network.app, network.database.db, { programme: { eligibility: { all_of: [{ type: 'municipality', in: ['491', '091'] }] } } });
    await addPlace(network.database.db, world.serviceId);
  });
  after(async () => {
    await browser?.close();
    await network?.close();
    if (previousUrl === undefined) delete process.env.AURORA_PUBLIC_URL;
    else process.env.AURORA_PUBLIC_URL = previousUrl;
  });

  const identify = async (page: Page, eid: RegExp, person: string) => {
    await page.getByRole('link', { name: eid }).click();
    await page.getByLabel(person, { exact: true }).check();
    await page.getByRole('button', { name: 'Log in' }).click();
  };

  for (const { texts: t, locale, person, eid, share, mine, total } of LANGUAGES) {
    const language = locale.slice(0, 2);
    test(`${language}: told what to share, shares it, receives, books with the price and share visible, confirms, shows a code`, async () => {
      const context = await newContext(browser, network, { locale });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const v = t.vouchers;
      try {
        await page.goto('/');
        await page.getByRole('navigation').getByRole('link', { name: t.app.nav.vouchers }).click();
        await page.getByRole('heading', { level: 1, name: v.title }).waitFor();
        await expectNoSeriousAxeViolations(page, `${language}: before logging in`);
        await screenshot(page, `vouchers-${language}-0-login`);
        await page.getByRole('button', { name: v.login }).click();
        await identify(page, eid, person);
        await page.waitForURL(/\/vouchers/);
        const programme = page.getByTestId('voucher-programme');
        await programme.getByRole('heading', { level: 3 }).waitFor();

        const reason = (await programme.getByTestId('receivable').textContent()) ?? '';
        if (reason.includes(language === 'en' ? 'You can receive' : language === 'fi' ? 'Voit saada' : 'Du kan få')) {
          // Aino shared her municipality in the Finnish test already.
        } else {
          await expectNoSeriousAxeViolations(page, `${language}: told what to share`);
          await screenshot(page, `vouchers-${language}-1-share`);
          await programme.getByRole('button', { name: v.share }).click();
          // The consent page: where this login has no municipality, the person identifies again first.
          const again = page.getByRole('link', { name: eid });
          if (await again.isVisible().catch(() => false)) await identify(page, eid, person);
          await page.getByLabel(new RegExp(`^${share}`)).check();
          await page.getByRole('button', { name: /Jatka|Fortsätt|Continue/ }).click();
          await page.waitForURL(/\/vouchers/);
        }
        const voucher = page.getByTestId('voucher');
        // The person may hold a voucher from an earlier language's test: wait for the new one to be
        // listed (first, the newest), not for any card, or the old card is the one booked from.
        const held = await voucher.count();
        await programme.getByRole('button', { name: v.receive }).click();
        await page.waitForFunction(
          (n) => {
            const cards = document.querySelectorAll('[data-testid="voucher"]');
            return cards.length > n && /^\D*10\D/.test(cards[0]?.querySelector('[data-testid="voucher-left"]')?.textContent ?? '');
          },
          held,
        );
        await voucher.getByRole('heading', { level: 3 }).first().waitFor();
        assert.match((await voucher.first().getByTestId('voucher-left').textContent()) ?? '', /^\D*10\D/, 'the new voucher, whole (10 of 10), is listed first');
        await expectNoSeriousAxeViolations(page, `${language}: a voucher in the wallet`);
        await screenshot(page, `vouchers-${language}-2-wallet`);

        const mineCard = voucher.first();
        await mineCard.getByRole('button', { name: v.whereToUse }).click();
        const provider = mineCard.getByRole('radio');
        await provider.first().check();
        await mineCard.getByLabel(fill(v.howMany, { unit: v.unitPlural.hour })).fill('2');
        const shown = (await mineCard.getByTestId('booking-total').textContent()) ?? '';
        assert.match(shown, total, 'the total before booking (2 × 35 € = 70 €, of which the person pays 2 × 7 €)');
        assert.match(shown, mine);
        await expectNoSeriousAxeViolations(page, `${language}: booking with the price and my share`);
        await screenshot(page, `vouchers-${language}-3-booking`);
        await mineCard.getByRole('button', { name: v.book, exact: true }).click();
        const order = mineCard.getByTestId('voucher-order').first();
        await order.getByTestId('order-status').getByText(v.status.requested, { exact: true }).waitFor();

        // The provider accepts and delivers (its console is another page's).
        const { db } = network.database;
        const placed = await db.selectFrom('voucher_orders').select('id').orderBy('created_at', 'desc').limit(1).executeTakeFirstOrThrow();
        const scope = { kind: 'provider' as const, memberId: world.provider.memberId };
        await moveOrder(db, { orderId: placed.id, move: 'accept', scope, actor: 'staff' });
        await moveOrder(db, { orderId: placed.id, move: 'deliver', scope, actor: 'staff' });
        await page.reload();
        const delivered = page.getByTestId('voucher').first().getByTestId('voucher-order').first();
        await delivered.getByRole('button', { name: v.confirm }).click();
        await page.getByText(v.moved.confirm, { exact: true }).waitFor();
        await page.getByTestId('voucher').first().getByTestId('voucher-order').first().getByTestId('order-status').getByText(v.status.confirmed, { exact: true }).waitFor();
        await page.getByTestId('voucher').first().getByText(v.history).click();
        await expectNoSeriousAxeViolations(page, `${language}: confirmed, with its history`);
        await screenshot(page, `vouchers-${language}-4-confirmed`, { fullPage: true });

        await page.getByTestId('voucher').first().getByRole('button', { name: v.showCode }).click();
        const code = page.getByTestId('redemption-code');
        await code.waitFor();
        assert.match((await code.textContent()) ?? '', /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
        await page.getByRole('img', { name: new RegExp(fill(v.qrAlt, { code: '' }).trim()) }).waitFor();
        await expectNoSeriousAxeViolations(page, `${language}: a code for a desk`);
        await screenshot(page, `vouchers-${language}-5-code`);

        // On a phone the same page reflows: details stack, nothing is cut off.
        await page.setViewportSize(VIEWPORTS.phone);
        await expectNoSeriousAxeViolations(page, `${language}: on a phone`);
        await screenshot(page, `vouchers-${language}-6-phone`, { fullPage: true });
      } catch (error) {
        await keepFailure(page, `vouchers-${language}`);
        throw error;
      } finally {
        await context.close();
      }
    });
  }
});
