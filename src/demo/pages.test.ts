import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deskPage, escapeHtml, pickLanguage, receiverPage } from './pages.ts';

/** The demo receiving service's pages: the person's language, escaped values, values in plain words. */

const ATTRS = { age: 34, municipality_code: '091', life_situation_meters: { housing: [2], finance: [3] } };
const MALICIOUS = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';

describe('demo pages (rendering)', () => {
  test('language: ?lang= first, then Accept-Language by q-value, else Finnish', () => {
    assert.equal(pickLanguage('sv', 'en'), 'sv');
    assert.equal(pickLanguage('de', 'en-GB,fi;q=0.5'), 'en');
    assert.equal(pickLanguage(undefined, 'de,fi;q=0.4,sv-FI;q=0.8'), 'sv');
    assert.equal(pickLanguage(undefined, 'sv;q=0,en;q=0.1'), 'en');
    assert.equal(pickLanguage(undefined, 'de, ja'), 'fi');
    assert.equal(pickLanguage(undefined, undefined), 'fi');
  });

  test('every value, name and purpose is escaped, whatever its shape', () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    for (const lang of ['fi', 'sv', 'en'] as const) {
      const page = receiverPage(lang, {
        attributes: { municipality_code: MALICIOUS, [MALICIOUS]: MALICIOUS, life_situation_meters: { [MALICIOUS]: [MALICIOUS], housing: MALICIOUS }, age: MALICIOUS },
        purpose: MALICIOUS,
      });
      assert.ok(!page.includes('<script') && !page.includes('<img'), 'no markup from the values');
      assert.ok(page.includes(escapeHtml(MALICIOUS)));
      const desk = deskPage(lang, { refusal: 'unknown', typed: `"><script>alert(3)</script>` });
      assert.ok(!desk.includes('<script'), 'the typed code is escaped in the attribute');
      assert.match(desk, /value="&quot;&gt;&lt;script&gt;/);
    }
  });

  test('values in plain language: years, the municipality by name, the meters by name', () => {
    const en = receiverPage('en', { attributes: ATTRS, purpose: 'p' });
    assert.match(en, /<dt>Age<\/dt><dd>34 years<\/dd>/);
    assert.match(en, /<dt>Home municipality<\/dt><dd>Helsinki \(091\)<\/dd>/);
    assert.match(en, /<li>Housing: 2 \/ 10<\/li>/);
    const sv = receiverPage('sv', { attributes: ATTRS, purpose: 'p' });
    assert.match(sv, /<dd>Helsingfors \(091\)<\/dd>/);
    assert.match(sv, /<html lang="sv">/);
  });
});
