import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createNetworkAdmin } from '../../src/staff/staff.ts';
import { ConsoleUser, approvedMember } from '../../src/testing/console.ts';
import { fi } from '../../web/console/locales/fi.ts';
import { expectNoSeriousAxeViolations, newContext, openBrowser, skipBrowser, startNetwork, type Network, consoleLogin } from './harness.ts';

/**
 * A member's administrator registers a service at the network's OpenID Provider in the console (in
 * Finnish): redirect URI, an attribute, a profile endpoint; the secret is shown once; rotated, the
 * new one differs and the old one no longer authenticates. axe finds nothing serious on the view.
 */

const ADMIN = { email: 'oidc-browser-admin@aurora.example', name: 'Ylläpitäjä', password: 'verkoston-salasana-1' };
const MEMBER = { name: 'Selainkunta', email: 'admin@selainkunta.example', password: 'hyvin-pitka-salasana' };

describe('console: OIDC clients in the browser', { skip: skipBrowser }, () => {
  let network: Network;
  let browser: Browser;
  let page: Page;

  before(async () => {
    network = await startNetwork({ demo: false });
    await createNetworkAdmin(network.database.db, ADMIN, 'test');
    const admin = await new ConsoleUser(network.app).loginOk(ADMIN.email, ADMIN.password);
    await approvedMember(admin, MEMBER);
    browser = await openBrowser();
    const context = await newContext(browser, network, { locale: 'fi-FI' });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await network?.close();
  });

  const tokenStatus = (clientId: string, secret: string) =>
    network.app
      .inject({
        method: 'POST',
        url: '/oidc/token',
        headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=authorization_code&code=nothing&redirect_uri=${encodeURIComponent('https://kirjasto.selainkunta.example/cb')}&code_verifier=${'a'.repeat(43)}`,
      })
      .then((r) => r.json().error as string);

  test('register a service, see its secret once, rotate it', async () => {
    await consoleLogin(page, fi, MEMBER.email, MEMBER.password);
    await page.getByRole('link', { name: fi.nav.oidcClients }).first().click();
    await page.getByRole('heading', { name: fi.oidc.title, level: 1 }).waitFor();
    await page.getByText(fi.oidc.empty).waitFor();
    await expectNoSeriousAxeViolations(page, 'the OIDC clients view, empty');

    // Refused in words before anything is sent.
    await page.getByRole('button', { name: fi.oidc.createButton, exact: true }).click();
    await page.getByText(fi.oidc.nameMissing).waitFor();
    await page.getByLabel(fi.oidc.nameLabel).fill('Kirjasto');
    await page.getByLabel(fi.oidc.redirectLabel).fill('https://kirjasto.selainkunta.example/cb');
    await page.getByText(fi.oidc.age_band, { exact: true }).click();
    assert.ok(await page.getByRole('checkbox', { name: fi.oidc.age_band }).isChecked());
    await page.getByLabel(fi.oidc.profileLabel).fill('https://kirjasto.selainkunta.example/gdpr');
    await page.getByRole('button', { name: fi.oidc.createButton, exact: true }).click();
    const first = { id: await page.getByTestId('new-client-id').innerText(), secret: await page.getByTestId('new-client-secret').innerText() };
    assert.match(first.id, /^aoc_/);
    assert.equal(await tokenStatus(first.id, first.secret), 'invalid_grant', 'the shown secret authenticates');
    await expectNoSeriousAxeViolations(page, 'the OIDC clients view with a new secret');
    await page.getByRole('button', { name: fi.clients.savedIt }).click();
    await page.getByRole('table', { name: fi.oidc.caption }).getByText('kirjasto.selainkunta.example/gdpr').waitFor();

    await page.getByRole('button', { name: `${fi.oidc.rotate}: Kirjasto` }).click();
    await page.getByRole('dialog').getByRole('button', { name: fi.oidc.rotate, exact: true }).click();
    await page.getByTestId('new-client-secret').waitFor();
    const rotated = await page.getByTestId('new-client-secret').innerText();
    assert.notEqual(rotated, first.secret);
    assert.equal(await tokenStatus(first.id, first.secret), 'invalid_client', 'the old secret no longer works');
    assert.equal(await tokenStatus(first.id, rotated), 'invalid_grant');
    await expectNoSeriousAxeViolations(page, 'the OIDC clients view after rotation');
  });

  test('register a service with its own public keys (private_key_jwt): no secret, its key listed, nothing to rotate', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'lainaus-1' }] });
    await page.getByRole('button', { name: fi.clients.savedIt }).click();
    await page.getByLabel(fi.oidc.nameLabel).fill('Lainaus');
    await page.getByLabel(fi.oidc.redirectLabel).fill('https://lainaus.selainkunta.example/cb');
    await page.getByText(fi.oidc.authKeys, { exact: true }).click();
    // Neither the keys nor their address: refused in words before anything is sent.
    await page.getByRole('button', { name: fi.oidc.createButton, exact: true }).click();
    await page.getByText(fi.oidc.keysMissing).waitFor();
    await page.getByLabel(fi.oidc.jwksLabel).fill(jwks);
    await page.getByRole('button', { name: fi.oidc.createButton, exact: true }).click();
    const id = await page.getByTestId('new-key-client-id').innerText();
    assert.match(id, /^aoc_/);
    assert.equal((await network.app.aurora.identity.provider.Client.find(id))?.tokenEndpointAuthMethod, 'private_key_jwt');
    assert.equal(await page.getByTestId('new-client-secret').count(), 0, 'no secret is shown');
    const row = page.getByRole('table', { name: fi.oidc.caption }).getByRole('row').filter({ hasText: 'Lainaus' });
    await row.getByText('lainaus-1').waitFor();
    assert.equal(await row.getByRole('button', { name: `${fi.oidc.rotate}: Lainaus` }).count(), 0);
    await expectNoSeriousAxeViolations(page, 'the OIDC clients view with a service registered with keys');
  });
});
