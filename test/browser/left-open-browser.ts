// Run by harness.test.ts under `node --test`: a file whose test leaves its browser open. The
// harness must still end what is left of Chromium when the tests are over, so that this process ends.
import { test } from 'node:test';
import { openBrowser } from './harness.ts';

test('opens a browser and leaves it open', async () => {
  const browser = await openBrowser();
  const page = await browser.newPage();
  await page.setContent('<p>left open</p>');
});
