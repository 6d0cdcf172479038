import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../config.ts';
import { IDP_ENTITY_ID, IDP_SLO_URL, IDP_SSO_URL, TEST_KEYS, idpMetadata, signedIdpMetadata } from '../../testing/fake-suomifi-idp.ts';
import { idpFromMetadata, signedMetadata, suomifiSettingsFromEnv } from './settings.ts';

/** Suomi.fi's settings: the IdP's metadata read, keys inline or in files, and what is refused. */

const FIXTURES = join(import.meta.dirname, '..', '..', 'testing', 'fixtures', 'suomifi');
const oneLine = (pem: string) => pem.trim().replaceAll('\n', '\\n');
const CONFIG_WITHOUT_ROTATION = {
  AURORA_SUOMIFI_SP_ENTITY_ID: 'https://aurora.example.fi/saml/sp',
  AURORA_SUOMIFI_IDP_ENTITY_ID: IDP_ENTITY_ID,
  AURORA_SUOMIFI_IDP_SSO_URL: IDP_SSO_URL,
  AURORA_SUOMIFI_IDP_SLO_URL: IDP_SLO_URL,
  AURORA_SUOMIFI_IDP_CERTIFICATES: join(FIXTURES, 'idp-1.crt'),
  AURORA_SUOMIFI_SP_SIGNING_KEY: join(FIXTURES, 'sp-signing.key'),
  AURORA_SUOMIFI_SP_SIGNING_CERT: join(FIXTURES, 'sp-signing.crt'),
  AURORA_SUOMIFI_SP_ENCRYPTION_KEY: join(FIXTURES, 'sp-encryption.key'),
  AURORA_SUOMIFI_SP_ENCRYPTION_CERT: join(FIXTURES, 'sp-encryption.crt'),
};

describe("Suomi.fi's settings", () => {
  test("the IdP's metadata gives its entity ID, redirect URLs and both signing certificates", async () => {
    const idp = await idpFromMetadata(idpMetadata());
    assert.equal(idp.entityId, IDP_ENTITY_ID);
    assert.equal(idp.ssoUrl, IDP_SSO_URL);
    assert.equal(idp.sloUrl, IDP_SLO_URL);
    assert.equal(idp.certificates.length, 2);
    const flat = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');
    assert.deepEqual(idp.certificates.map(flat), [flat(TEST_KEYS.idp1.cert), flat(TEST_KEYS.idp2.cert)]);
    await assert.rejects(idpFromMetadata(idpMetadata().replace(/<md:SingleLogoutService[^>]+>/, '')), /SingleLogoutService/);
    await assert.rejects(idpFromMetadata(idpMetadata([])), /certificate/);
  });

  test('signed metadata is read only as its signer signed it: another signer, a change, a wrapped copy, no signature or an expired one are refused', async () => {
    const signer = TEST_KEYS.idp2;
    const good = signedIdpMetadata(signer);
    const idp = await idpFromMetadata(signedMetadata(good, signer.cert));
    assert.equal(idp.ssoUrl, IDP_SSO_URL);
    assert.equal(idp.certificates.length, 2);
    assert.throws(() => signedMetadata(signedIdpMetadata(TEST_KEYS.forger), signer.cert), /does not verify/);
    assert.throws(() => signedMetadata(good.replace(IDP_SSO_URL, 'https://evil.example/sso'), signer.cert), /does not verify/);
    assert.throws(() => signedMetadata(idpMetadata(), signer.cert), /no signature/);
    // The signed descriptor wrapped inside another document whose own descriptor is the attacker's.
    const evil = idpMetadata([TEST_KEYS.forger.cert]).replace(IDP_SSO_URL, 'https://evil.example/sso').replace(/^<\?xml[^>]*>/, '');
    const wrapped = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${evil}${good.replace(/^<\?xml[^>]*>/, '')}</md:EntitiesDescriptor>`;
    assert.throws(() => signedMetadata(wrapped, signer.cert), /no signature/);
    assert.throws(() => signedMetadata(signedIdpMetadata(signer, { validUntil: new Date(Date.now() - 1000) }), signer.cert), /expired/);
  });

  test('with the metadata signing certificate set, an unsigned metadata file keeps Suomi.fi login off with the reason', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'aurora-metadata-'));
    try {
      const file = join(folder, 'idp.xml');
      const env = (xml: string) => {
        writeFileSync(file, xml);
        const { AURORA_SUOMIFI_IDP_ENTITY_ID: _e, AURORA_SUOMIFI_IDP_SSO_URL: _s, AURORA_SUOMIFI_IDP_SLO_URL: _l, AURORA_SUOMIFI_IDP_CERTIFICATES: _c, ...rest } = CONFIG_WITHOUT_ROTATION;
        return { ...rest, AURORA_SUOMIFI_IDP_METADATA_FILE: file, AURORA_SUOMIFI_IDP_METADATA_SIGNING_CERT: join(FIXTURES, 'idp-2.crt') };
      };
      const signed = await suomifiSettingsFromEnv(env(signedIdpMetadata(TEST_KEYS.idp2)));
      assert.equal(signed.problem, null);
      assert.equal(signed.settings?.idp.ssoUrl, IDP_SSO_URL);
      const unsigned = await suomifiSettingsFromEnv(env(idpMetadata()));
      assert.equal(unsigned.settings, null);
      assert.match(unsigned.problem ?? '', /AURORA_SUOMIFI_IDP_METADATA_FILE: the metadata carries no signature/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('keys and certificates inline (newlines as \\n) work as files do; ACS and SLO on the public URL', async () => {
    const settings = await suomifiSettingsFromEnv({
      AURORA_PUBLIC_URL: 'https://aurora.example.fi',
      AURORA_SUOMIFI_SP_ENTITY_ID: 'https://aurora.example.fi/saml/sp',
      AURORA_SUOMIFI_IDP_ENTITY_ID: IDP_ENTITY_ID,
      AURORA_SUOMIFI_IDP_SSO_URL: IDP_SSO_URL,
      AURORA_SUOMIFI_IDP_SLO_URL: IDP_SLO_URL,
      AURORA_SUOMIFI_IDP_CERTIFICATES: `${oneLine(TEST_KEYS.idp1.cert)}\\n${oneLine(TEST_KEYS.idp2.cert)}`,
      AURORA_SUOMIFI_SP_SIGNING_KEY: oneLine(TEST_KEYS.spSigning.key),
      AURORA_SUOMIFI_SP_SIGNING_CERT: join(FIXTURES, 'sp-signing.crt'),
      AURORA_SUOMIFI_SP_ENCRYPTION_KEY: join(FIXTURES, 'sp-encryption.key'),
      AURORA_SUOMIFI_SP_ENCRYPTION_CERT: oneLine(TEST_KEYS.spEncryption.cert),
      AURORA_SUOMIFI_SP_NEXT_SIGNING_CERT: join(FIXTURES, 'idp-2.crt'),
      AURORA_SUOMIFI_SP_PREVIOUS_ENCRYPTION_KEY: join(FIXTURES, 'idp-2.key'),
    });
    assert.equal(settings.problem, null);
    assert.equal(settings.settings?.idp.certificates.length, 2);
    assert.equal(settings.settings?.sp.acsUrl, 'https://aurora.example.fi/api/v1/identity/suomifi/acs');
    assert.equal(settings.settings?.sp.sloUrl, 'https://aurora.example.fi/api/v1/identity/suomifi/slo');
    assert.equal(settings.settings?.sp.signingKey.trim(), TEST_KEYS.spSigning.key.trim());
    assert.equal(settings.settings?.sp.encryptionKey, readFileSync(join(FIXTURES, 'sp-encryption.key'), 'utf8'));
    assert.equal(settings.settings?.levelOfAssurance, 'substantial');
    assert.equal(settings.settings?.sp.nextSigningCert?.trim(), TEST_KEYS.idp2.cert.trim());
    assert.equal(settings.settings?.sp.previousEncryptionKey, TEST_KEYS.idp2.key);
    // Without them, neither is there.
    const plain = await suomifiSettingsFromEnv({ ...CONFIG_WITHOUT_ROTATION });
    assert.equal('nextSigningCert' in (plain.settings?.sp ?? {}), false);
    assert.equal('previousEncryptionKey' in (plain.settings?.sp ?? {}), false);
  });

  test('off without an entity ID; half a configuration names what is missing', async () => {
    assert.deepEqual(await suomifiSettingsFromEnv({}), { settings: null, problem: null });
    const half = await suomifiSettingsFromEnv({ AURORA_SUOMIFI_SP_ENTITY_ID: 'https://aurora.example.fi/saml/sp', AURORA_SUOMIFI_IDP_SSO_URL: IDP_SSO_URL });
    assert.equal(half.settings, null);
    assert.match(half.problem ?? '', /AURORA_SUOMIFI_SP_SIGNING_KEY.*AURORA_SUOMIFI_IDP_ENTITY_ID, AURORA_SUOMIFI_IDP_SLO_URL, AURORA_SUOMIFI_IDP_CERTIFICATES/);
  });

  test('an unreadable key or certificate stops the start, and a key is never echoed', () => {
    const secret = '-----BEGIN PRIVATE KEY-----\\nbm90IGEga2V5\\n-----END PRIVATE KEY-----';
    assert.throws(
      () => loadConfig({ AURORA_SUOMIFI_SP_SIGNING_KEY: secret, AURORA_SUOMIFI_IDP_CERTIFICATES: '/nowhere/idp.crt', AURORA_SUOMIFI_IDP_SSO_URL: 'http://idp.example/sso' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems.map((p) => p.name).sort(), ['AURORA_SUOMIFI_IDP_CERTIFICATES', 'AURORA_SUOMIFI_IDP_SSO_URL', 'AURORA_SUOMIFI_SP_SIGNING_KEY']);
        assert.ok(!error.message.includes('bm90IGEga2V5'));
        return true;
      },
    );
  });
});
