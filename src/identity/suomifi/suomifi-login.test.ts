import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { HttpProblem } from '../../http/problem.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { FakeSuomifiIdp, SP_ENTITY_ID, TEST_KEYS, TEST_PEOPLE, testSuomifiSettings, type AnswerOptions, type TestPerson } from '../../testing/fake-suomifi-idp.ts';
import { createSuomifiLogin, EIDAS_LOA, EidNotCompleted, LOA, type SuomifiLogin } from './suomifi-login.ts';

/**
 * The Suomi.fi adapter against the in-process fake IdP, through its function API: a good login,
 * the security-denial person, and every answer it must refuse (forged and wrapped signatures,
 * replays, expired, unsolicited, another audience, unencrypted, another recipient, a lower level of
 * assurance, an invalid identity code), certificate rotation, and single logout both ways.
 */

const refusal = (pattern?: RegExp) => (error: unknown) => {
  assert.ok(error instanceof HttpProblem, String(error));
  assert.equal(error.status, 400);
  if (pattern) assert.match(error.detail ?? '', pattern);
  assert.doesNotMatch(JSON.stringify(error.toProblem()), /010280|260991|Nordea|Demo/);
  return true;
};

for (const backend of testBackends()) {
  describe(`Suomi.fi login, function API (${backend})`, () => {
    let database: Database;
    let login: SuomifiLogin;
    const idp = new FakeSuomifiIdp();

    before(async () => {
      database = await createTestDatabase(backend);
      login = createSuomifiLogin(testSuomifiSettings(), database.db);
    });
    after(() => database.close());

    /** Start a login with this state and let the IdP answer it. */
    async function answered(person: TestPerson = TEST_PEOPLE.ordinary, options: AnswerOptions = {}, state = 'interaction-1') {
      const url = await login.start(state);
      const request = idp.receive(url);
      return { request, body: await idp.answer(request, person, options) };
    }

    test('the AuthnRequest is signed, names our ACS and asks for the level of assurance', async () => {
      const request = idp.receive(await login.start('s-1'));
      assert.equal(request.signatureValid, true);
      assert.equal(request.issuer, SP_ENTITY_ID);
      assert.equal(request.acsUrl, 'http://localhost/api/v1/identity/suomifi/acs');
      assert.equal(request.relayState, 's-1');
      assert.deepEqual(request.authnContexts, [LOA.substantial, LOA.high]);
    });

    test('the metadata has both certificates, the ACS, the SLO and the requested attributes', () => {
      const metadata = login.metadata();
      const flat = metadata.replace(/\s/g, '');
      const body = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');
      assert.ok(flat.includes(body(TEST_KEYS.spSigning.cert)));
      assert.ok(flat.includes(body(TEST_KEYS.spEncryption.cert)));
      assert.match(metadata, /use="signing"/);
      assert.match(metadata, /use="encryption"/);
      assert.match(metadata, /AssertionConsumerService[^>]+Location="http:\/\/localhost\/api\/v1\/identity\/suomifi\/acs"/);
      assert.match(metadata, /SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"[^>]+Location="http:\/\/localhost\/api\/v1\/identity\/suomifi\/slo"/);
      assert.match(metadata, /RequestedAttribute Name="urn:oid:1.2.246.21"/);
      assert.doesNotMatch(metadata, /PRIVATE KEY/);
    });

    test('a good login for 010280-952L gives its EidIdentity and the state, and no name', async () => {
      const { body } = await answered(TEST_PEOPLE.ordinary, {}, 'interaction-good');
      const { identity, state } = await login.finish(body);
      assert.equal(state, 'interaction-good');
      const { logout, ...rest } = identity;
      assert.deepEqual(rest, {
        identityCode: '010280-952L',
        source: 'suomifi',
        dateOfBirth: '1980-02-01',
        homeMunicipalityCode: '091',
        securityDenial: false,
        levelOfAssurance: LOA.high,
      });
      assert.ok(logout?.nameId && logout.sessionIndex);
      assert.doesNotMatch(JSON.stringify(identity), /Nordea|Demo/);
    });

    test('the security-denial person 260991-999R gives no municipality', async () => {
      const { body } = await answered(TEST_PEOPLE.protected);
      const { identity } = await login.finish(body);
      assert.equal(identity.identityCode, '260991-999R');
      assert.equal(identity.securityDenial, true);
      assert.equal(identity.homeMunicipalityCode, undefined);
      // The logout handle is random hex, which may hold '837' by chance: only what the person is said to be is searched.
      const { logout: _handle, ...said } = identity;
      assert.doesNotMatch(JSON.stringify(said), /837|Turva|Kielto/);
    });

    test("eIDAS: with it on, another EU country's eID is asked for and its person known by the PersonIdentifier; with it off, refused", async () => {
      const withEidas = createSuomifiLogin({ ...testSuomifiSettings(), eidas: true }, database.db);
      const request = idp.receive(await withEidas.start('s-eidas'));
      assert.deepEqual(request.authnContexts, [LOA.substantial, LOA.high, EIDAS_LOA.substantial, EIDAS_LOA.high]);
      const { identity } = await withEidas.finish(await idp.answer(request, TEST_PEOPLE.eidas, { levelOfAssurance: EIDAS_LOA.substantial }));
      const { logout: _logout, ...rest } = identity;
      assert.deepEqual(rest, { eidasIdentifier: 'DE/FI/9f3c6a1e4b7d2a8c', source: 'suomifi', dateOfBirth: '1979-05-17', securityDenial: false, levelOfAssurance: EIDAS_LOA.substantial });
      assert.doesNotMatch(JSON.stringify(identity), /Erika|Mustermann/);
      const { body } = await answered(TEST_PEOPLE.eidas, { levelOfAssurance: EIDAS_LOA.substantial }, 's-no-eidas');
      await assert.rejects(login.finish(body), /level of assurance/);
    });

    test('IdP certificate rotation: an assertion signed by either configured certificate is accepted', async () => {
      for (const signer of ['idp1', 'idp2'] as const) {
        const { body } = await answered(TEST_PEOPLE.ordinary, { signer });
        assert.equal((await login.finish(body)).identity.identityCode, '010280-952L', signer);
      }
      // With only the new certificate configured, the old key's signature is refused.
      const rotated = createSuomifiLogin(testSuomifiSettings('http://localhost', [TEST_KEYS.idp2.cert]), database.db);
      const request = idp.receive(await rotated.start('r'));
      await assert.rejects(rotated.finish(await idp.answer(request, TEST_PEOPLE.ordinary, { signer: 'idp1' })), refusal(/signature/));
      assert.equal((await rotated.finish(await idp.answer(request, TEST_PEOPLE.ordinary, { signer: 'idp2' }))).identity.identityCode, '010280-952L');
    });

    test("rotating our keys: the next signing certificate is published; the previous encryption key still decrypts", async () => {
      const settings = testSuomifiSettings();
      // The new encryption key is idp-2's test key (any other key would do); answers still encrypted
      // to the old certificate decrypt with the previous key, and only while it is configured.
      const rotating = createSuomifiLogin(
        { ...settings, sp: { ...settings.sp, encryptionKey: TEST_KEYS.idp2.key, encryptionCert: TEST_KEYS.idp2.cert, previousEncryptionKey: TEST_KEYS.spEncryption.key, nextSigningCert: TEST_KEYS.forger.cert } },
        database.db,
      );
      const flat = rotating.metadata().replace(/\s/g, '');
      const body = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');
      assert.ok(flat.includes(body(TEST_KEYS.spSigning.cert)) && flat.includes(body(TEST_KEYS.forger.cert)), 'both signing certificates');
      assert.ok(flat.includes(body(TEST_KEYS.idp2.cert)) && !flat.includes(body(TEST_KEYS.spEncryption.cert)), 'only the new encryption certificate');
      const request = idp.receive(await rotating.start('rotating'));
      assert.equal((await rotating.finish(await idp.answer(request, TEST_PEOPLE.ordinary))).identity.identityCode, '010280-952L');
      // A forged answer is still refused for its signature, not for the decryption it passed.
      const forged = idp.receive(await rotating.start('rotating-forged'));
      await assert.rejects(rotating.finish(await idp.answer(forged, TEST_PEOPLE.ordinary, { signer: 'forger' })), refusal(/signature/));
      const done = createSuomifiLogin({ ...settings, sp: { ...settings.sp, encryptionKey: TEST_KEYS.idp2.key, encryptionCert: TEST_KEYS.idp2.cert } }, database.db);
      const late = idp.receive(await done.start('late'));
      await assert.rejects(done.finish(await idp.answer(late, TEST_PEOPLE.ordinary)), refusal(/decrypted/));
    });

    test('a forged signature (another key, whatever certificate it shows) is refused', async () => {
      const { body } = await answered(TEST_PEOPLE.ordinary, { signer: 'forger' });
      await assert.rejects(login.finish(body), refusal(/signature/));
      const unsigned = await answered(TEST_PEOPLE.ordinary, { signer: 'none' });
      await assert.rejects(login.finish(unsigned.body), refusal(/signature/));
    });

    test('a changed signed assertion (another identity code after signing) is refused', async () => {
      const { body } = await answered(TEST_PEOPLE.ordinary, { afterSigning: (xml) => xml.replace('010280-952L', '260991-999R') });
      await assert.rejects(login.finish(body), refusal(/signature/));
    });

    test('signature wrapping: a second, unsigned assertion with another identity code is refused', async () => {
      // Inside the encrypted part: the attacker's assertion around the signed one.
      const first = await answered(TEST_PEOPLE.ordinary, {
        afterSigning: (signed) => {
          const request = { id: '', acsUrl: 'http://localhost/api/v1/identity/suomifi/acs', relayState: '', issuer: '', authnContexts: [], signatureValid: true };
          const evil = idp.assertion({ person: { ...TEST_PEOPLE.protected, identityCode: '020365-999P' }, irt: '', request });
          return evil.replace('</saml2:Issuer>', `</saml2:Issuer>${signed.replace(/^<saml2:Assertion /, '<saml2:Assertion ')}`);
        },
      });
      await assert.rejects(login.finish(first.body), refusal(/signature/));
      // Beside the encrypted one: a readable assertion in the Response.
      const second = await answered(TEST_PEOPLE.ordinary, {
        aroundResponse: (response) => {
          const evil = idp.assertion({ person: { ...TEST_PEOPLE.protected, identityCode: '020365-999P' }, irt: '', request: { id: '', acsUrl: '', relayState: '', issuer: '', authnContexts: [], signatureValid: true } });
          return response.replace('<saml2:EncryptedAssertion>', `${evil}<saml2:EncryptedAssertion>`);
        },
      });
      await assert.rejects(login.finish(second.body), refusal(/not encrypted/));
    });

    test("an attacker's own signed assertion, put in an answer to someone else's request, is refused and spends nothing", async () => {
      const victim = idp.receive(await login.start('victim-interaction'));
      const attacker = idp.receive(await login.start('attacker-interaction'));
      const moved = await idp.answer(attacker, TEST_PEOPLE.ordinary, {
        aroundResponse: (response) => response.replace(`InResponseTo="${attacker.id}"`, `InResponseTo="${victim.id}"`),
      });
      await assert.rejects(login.finish(moved), refusal(/request/));
      // The victim's own answer still goes through, with the victim's state.
      const own = await login.finish(await idp.answer(victim, TEST_PEOPLE.protected));
      assert.equal(own.state, 'victim-interaction');
    });

    test('a replayed answer (the same InResponseTo twice) is refused', async () => {
      const { body } = await answered();
      await login.finish(body);
      await assert.rejects(login.finish(body), refusal(/open request|already used/));
    });

    test('the replay is refused by a second server on the same database, and only one of two concurrent tries wins', async () => {
      const other = createSuomifiLogin(testSuomifiSettings(), database.db);
      const { body } = await answered();
      await login.finish(body);
      await assert.rejects(other.finish(body), refusal());
      const race = await answered();
      const results = await Promise.allSettled([login.finish(race.body), other.finish(race.body), login.finish(race.body)]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    });

    test('an expired assertion (NotOnOrAfter past, beyond the clock skew) is refused', async () => {
      const { body } = await answered(TEST_PEOPLE.ordinary, { issuedAtMs: -10 * 60_000, validForMs: 5 * 60_000 });
      await assert.rejects(login.finish(body), refusal(/expired/));
      // Expired 20 s ago: within the 60 s the IdP's clock may be off, so still accepted.
      const skewed = await answered(TEST_PEOPLE.ordinary, { issuedAtMs: -5 * 60_000 - 20_000, validForMs: 5 * 60_000 });
      assert.equal((await login.finish(skewed.body)).identity.identityCode, '010280-952L');
      // An assertion issued long ago but still "valid" by its own NotOnOrAfter: too old.
      const old = await answered(TEST_PEOPLE.ordinary, { issuedAtMs: -60 * 60_000, validForMs: 2 * 3600_000 });
      await assert.rejects(login.finish(old.body), refusal(/expired/));
    });

    test('an unsolicited answer (no InResponseTo, or one never issued) is refused', async () => {
      const none = await answered(TEST_PEOPLE.ordinary, { inResponseTo: null });
      await assert.rejects(login.finish(none.body), refusal(/request/));
      const never = await answered(TEST_PEOPLE.ordinary, { inResponseTo: '_neverissued0123456789' });
      await assert.rejects(login.finish(never.body), refusal(/request/));
    });

    test('an answer for another audience, another recipient, another issuer or a lower level is refused', async () => {
      await assert.rejects(login.finish((await answered(TEST_PEOPLE.ordinary, { audience: 'https://other.example/sp' })).body), refusal(/another service/));
      await assert.rejects(login.finish((await answered(TEST_PEOPLE.ordinary, { recipient: 'https://other.example/acs' })).body), refusal(/recipient/));
      await assert.rejects(login.finish((await answered(TEST_PEOPLE.ordinary, { issuer: 'https://evil.example/idp' })).body), refusal());
      await assert.rejects(login.finish((await answered(TEST_PEOPLE.ordinary, { levelOfAssurance: 'http://ftn.ficora.fi/2017/loa1' })).body), refusal(/level of assurance/));
    });

    test('an unencrypted (but properly signed) assertion is refused', async () => {
      const { body } = await answered(TEST_PEOPLE.ordinary, { encrypt: false });
      await assert.rejects(login.finish(body), refusal(/not encrypted/));
    });

    test('an invalid identity code in a properly signed answer is refused', async () => {
      const { body } = await answered({ ...TEST_PEOPLE.ordinary, identityCode: '010280-952K' });
      await assert.rejects(login.finish(body), refusal(/identity code/));
    });

    test('a cancelled identification, garbage and a changed RelayState are refused', async () => {
      const { body } = await answered(TEST_PEOPLE.ordinary, { status: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed' }, 'cancelled-interaction');
      // The login it answered is ended once, with its state; told again, it answers no open request.
      await assert.rejects(login.finish(body), (e: unknown) => e instanceof EidNotCompleted && e.status === 400 && e.kind === 'eid-not-completed' && e.state === 'cancelled-interaction');
      await assert.rejects(login.finish(body), refusal(/open request/));
      await assert.rejects(login.finish({ SAMLResponse: 'bm90IHhtbA==' }), refusal());
      await assert.rejects(login.finish({}), refusal());
      const swapped = await answered();
      await assert.rejects(login.finish({ ...swapped.body, RelayState: 'someone-else' }), refusal(/RelayState/));
    });

    test('single logout started here: a signed LogoutRequest, its answer accepted once with the state', async () => {
      const { body } = await answered();
      const { identity } = await login.finish(body);
      const url = await login.logout(identity.logout!, 'logout-state');
      const { request, responseUrl } = idp.logoutAnswer(url);
      assert.equal(request.signatureValid, true);
      assert.equal(request.nameId, identity.logout!.nameId);
      assert.equal(request.sessionIndex, identity.logout!.sessionIndex);
      const query = new URL(responseUrl).search.slice(1);
      assert.deepEqual(await login.sloRedirect(query), { kind: 'logout-response', state: 'logout-state' });
      await assert.rejects(login.sloRedirect(query), refusal());
    });

    test("the IdP's LogoutRequest: signed by the IdP accepted, forged or unsigned refused", async () => {
      const url = idp.logoutRequest('AAdzZWNyZXQxname', '_session1', { relayState: 'r1' });
      const message = await login.sloRedirect(new URL(url).search.slice(1));
      assert.equal(message.kind, 'logout-request');
      if (message.kind !== 'logout-request') return;
      assert.equal(message.nameId, 'AAdzZWNyZXQxname');
      assert.equal(message.sessionIndex, '_session1');
      const back = new URL(await message.respond(true));
      assert.equal(back.origin + back.pathname, 'https://testi.apro.tunnistus.fi/idp/profile/SAML2/Redirect/SLO');
      assert.ok(back.searchParams.get('Signature'));
      assert.equal(back.searchParams.get('RelayState'), 'r1');
      const forged = idp.logoutRequest('AAdzZWNyZXQxname', '_session1', { signer: 'forger' });
      await assert.rejects(login.sloRedirect(new URL(forged).search.slice(1)), refusal(/signature/));
      const unsigned = new URL(url).search.slice(1).replace(/&Signature=[^&]*/, '');
      await assert.rejects(login.sloRedirect(unsigned), refusal(/not signed/));
    });
  });
}
