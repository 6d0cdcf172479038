import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consentPage, loginPage, pageLanguage } from './pages.ts';

test('the page language: ui_locales first, then Accept-Language, else Finnish', () => {
  assert.equal(pageLanguage('sv-FI en', 'fi'), 'sv');
  assert.equal(pageLanguage('de', 'en-GB,fi;q=0.5'), 'en');
  assert.equal(pageLanguage(undefined, undefined), 'fi');
});

test('the login page: a language, a heading, the eIDs as links; a notice when there are none', () => {
  const page = loginPage('en', 'Library <b>', [{ href: '/oidc/interaction/u/eid/x', label: 'Test eID' }]);
  assert.match(page, /<html lang="en">/);
  assert.match(page, /<h1>Log in<\/h1>/);
  assert.match(page, /Library &lt;b&gt;/);
  assert.match(page, /<a href="\/oidc\/interaction\/u\/eid\/x">Test eID<\/a>/);
  assert.match(loginPage('fi', 'X', []), /role="alert"/);
});

test('the consent page: a labelled checkbox per scope, none ticked, one unavailable disabled', () => {
  const page = consentPage('sv', 'Tjänst', ['age_band', 'municipality_code'], { age_band: '18-29' }, '/c', '/a');
  assert.match(page, /<html lang="sv">/);
  assert.match(page, /<label for="scope-0">Åldersgrupp: 18-29<\/label>/);
  assert.match(page, /id="scope-1" name="scope" value="municipality_code" disabled/);
  assert.doesNotMatch(page, /checked/);
  assert.match(page, /<legend>/);
});
