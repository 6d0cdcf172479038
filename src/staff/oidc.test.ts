import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OidcConfigurationError, oidcSettingsFromEnv } from './oidc.ts';

/** OpenID Connect configuration: refused when half done or insecure. */

describe('OpenID Connect settings', () => {
  test('none, both, half, insecure', () => {
    assert.equal(oidcSettingsFromEnv({}), null);
    const ok = oidcSettingsFromEnv({ AURORA_OIDC_ISSUER: 'https://login.example.fi/realms/aurora', AURORA_OIDC_CLIENT_ID: 'c', AURORA_OIDC_CLIENT_SECRET: 's' });
    assert.equal(ok?.issuer.href, 'https://login.example.fi/realms/aurora');
    assert.throws(() => oidcSettingsFromEnv({ AURORA_OIDC_ISSUER: 'https://login.example.fi' }), OidcConfigurationError);
    assert.throws(() => oidcSettingsFromEnv({ AURORA_OIDC_CLIENT_ID: 'c' }), OidcConfigurationError);
    assert.throws(() => oidcSettingsFromEnv({ AURORA_OIDC_ISSUER: 'http://login.example.fi', AURORA_OIDC_CLIENT_ID: 'c' }), /https/);
    assert.throws(() => oidcSettingsFromEnv({ AURORA_OIDC_ISSUER: 'not a url', AURORA_OIDC_CLIENT_ID: 'c' }), /not a URL/);
    assert.ok(oidcSettingsFromEnv({ AURORA_OIDC_ISSUER: 'http://127.0.0.1:9999', AURORA_OIDC_CLIENT_ID: 'c' }), 'http for a provider on this machine');
  });
});
