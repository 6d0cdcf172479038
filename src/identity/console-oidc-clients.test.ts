import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createNetworkAdmin } from '../staff/staff.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { ConsoleUser, approvedMember } from '../testing/console.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';

/** A member's staff register a service as an OIDC client in the console; others cannot, and bad input is a problem. */

const ADMIN = { email: 'oidc-admin@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';

for (const backend of testBackends()) {
  describe(`console: OIDC clients (${backend})`, () => {
    let t: TestApp;
    let admin: ConsoleUser;
    before(async () => {
      t = await createTestApp(backend);
      await createNetworkAdmin(t.database.db, { email: ADMIN.email, name: 'Ylläpitäjä', password: ADMIN.password }, 'test');
      admin = await new ConsoleUser(t.app).loginOk(ADMIN.email, ADMIN.password);
    });
    after(async () => t?.close());

    test("a member's administrator registers a client; its secret is shown once and the provider knows it", async () => {
      const { memberId, user } = await approvedMember(admin, { name: 'Kaupunki', email: 'admin@kaupunki.example', password: PASSWORD });
      const created = await user.json('POST', `/api/v1/console/members/${memberId}/oidc-clients`, { name: 'Nuorisopalvelut', redirect_uris: ['https://nuoret.kaupunki.example/cb'], scopes: ['age_band'] });
      assert.equal(created.sector_identifier, 'nuoret.kaupunki.example');
      assert.ok(created.client_secret.length >= 40);
      const client = await t.app.aurora.identity.provider.Client.find(created.client_id);
      assert.equal(client?.clientName, 'Nuorisopalvelut');
      assert.equal(client?.aurora_member_id, memberId);
      const listed = await user.json('GET', `/api/v1/console/members/${memberId}/oidc-clients`);
      assert.deepEqual(listed.clients, [
        {
          client_id: created.client_id,
          name: 'Nuorisopalvelut',
          redirect_uris: ['https://nuoret.kaupunki.example/cb'],
          scopes: ['openid', 'age_band'],
          sector_identifier: 'nuoret.kaupunki.example',
          profile_endpoint: null,
        },
      ]);
      assert.ok(!JSON.stringify(listed).includes(created.client_secret));
    });

    test('a revoked client is gone from the provider with its tokens; another member cannot revoke it', async () => {
      const { memberId, user } = await approvedMember(admin, { name: 'Kylä', email: 'admin@kyla.example', password: PASSWORD });
      const other = await approvedMember(admin, { name: 'Naapuri', email: 'admin@naapuri.example', password: PASSWORD });
      const created = await user.json('POST', `/api/v1/console/members/${memberId}/oidc-clients`, { name: 'Palvelu', redirect_uris: ['https://kyla.example/cb'], scopes: [] });
      await t.database.db
        .insertInto('identity_oidc_models')
        .values({ kind: 'AccessToken', id: 'at-1', payload: JSON.stringify({ clientId: created.client_id, grantId: 'g' }), grant_id: 'g', user_code: null, uid: null, expires_at: new Date(Date.now() + 60_000), consumed_at: null })
        .execute();
      assertProblem(await other.user.call('POST', `/api/v1/console/members/${memberId}/oidc-clients/${created.client_id}/revoke`), 403);
      assertProblem(await other.user.call('POST', `/api/v1/console/members/${other.memberId}/oidc-clients/${created.client_id}/revoke`), 404);
      const revoked = await user.call('POST', `/api/v1/console/members/${memberId}/oidc-clients/${created.client_id}/revoke`);
      assert.equal(revoked.statusCode, 204, revoked.body);
      assert.equal(await t.app.aurora.identity.provider.Client.find(created.client_id), undefined);
      assert.equal((await t.database.db.selectFrom('identity_oidc_models').select('id').where('id', '=', 'at-1').execute()).length, 0);
      assert.deepEqual((await user.json('GET', `/api/v1/console/members/${memberId}/oidc-clients`)).clients, []);
    });

    test('a new secret replaces the old one at once; the profile endpoint is set and removed; others cannot', async () => {
      const { memberId, user } = await approvedMember(admin, { name: 'Seutu', email: 'admin@seutu.example', password: PASSWORD });
      const other = await approvedMember(admin, { name: 'Vieras', email: 'admin@vieras.example', password: PASSWORD });
      const created = await user.json('POST', `/api/v1/console/members/${memberId}/oidc-clients`, {
        name: 'Kirjasto',
        redirect_uris: ['https://kirjasto.seutu.example/cb'],
        scopes: ['adult'],
        profile_endpoint: 'https://kirjasto.seutu.example/gdpr/',
      });
      const base = `/api/v1/console/members/${memberId}/oidc-clients/${created.client_id}`;
      const tokenWith = (secret: string) =>
        t.app.inject({
          method: 'POST',
          url: '/oidc/token',
          headers: { authorization: `Basic ${Buffer.from(`${created.client_id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'grant_type=authorization_code&code=nothing&redirect_uri=https%3A%2F%2Fkirjasto.seutu.example%2Fcb&code_verifier=' + 'a'.repeat(43),
        });
      // invalid_grant: the client authenticated; invalid_client: it did not.
      assert.equal((await tokenWith(created.client_secret)).json().error, 'invalid_grant');
      assertProblem(await other.user.call('POST', `${base}/rotate-secret`), 403);
      assertProblem(await new ConsoleUser(t.app).call('POST', `${base}/rotate-secret`), 401);
      const rotated = await user.call('POST', `${base}/rotate-secret`);
      assert.equal(rotated.statusCode, 200, rotated.body);
      assert.equal(rotated.headers['cache-control'], 'no-store');
      const secret = rotated.json().client_secret as string;
      assert.notEqual(secret, created.client_secret);
      assert.equal((await tokenWith(created.client_secret)).json().error, 'invalid_client');
      assert.equal((await tokenWith(secret)).json().error, 'invalid_grant');

      assert.equal((await user.json('GET', `/api/v1/console/members/${memberId}/oidc-clients`)).clients[0].profile_endpoint, 'https://kirjasto.seutu.example/gdpr');
      assertProblem(await other.user.call('PUT', `${base}/profile-endpoint`, { profile_endpoint: 'https://evil.example/gdpr' }), 403);
      assertProblem(await user.call('PUT', `${base}/profile-endpoint`, { profile_endpoint: 'http://kirjasto.seutu.example/gdpr' }), 400);
      const changed = await user.call('PUT', `${base}/profile-endpoint`, { profile_endpoint: 'https://kirjasto.seutu.example/v2/gdpr' });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal(changed.json().profile_endpoint, 'https://kirjasto.seutu.example/v2/gdpr');
      assert.equal((await t.app.aurora.identity.provider.Client.find(created.client_id))?.aurora_profile_endpoint, 'https://kirjasto.seutu.example/v2/gdpr');
      assert.equal((await user.call('PUT', `${base}/profile-endpoint`, { profile_endpoint: null })).json().profile_endpoint, null);
      // The secret survived the metadata change.
      assert.equal((await tokenWith(secret)).json().error, 'invalid_grant');
      const actions = await t.database.db.selectFrom('audit_log').select('action').where('target', '=', created.client_id).execute();
      assert.ok(actions.some((a) => a.action === 'oidc-client.rotate-secret') && actions.some((a) => a.action === 'oidc-client.profile-endpoint'));
    });

    test('refused: no session, another member, mixed hosts, an unknown scope', async () => {
      const { memberId, user } = await approvedMember(admin, { name: 'Kunta', email: 'admin@kunta.example', password: PASSWORD });
      const other = await approvedMember(admin, { name: 'Toinen', email: 'admin@toinen.example', password: PASSWORD });
      const body = { name: 'Palvelu', redirect_uris: ['https://palvelu.kunta.example/cb'], scopes: [] };
      assertProblem(await new ConsoleUser(t.app).call('POST', `/api/v1/console/members/${memberId}/oidc-clients`, body), 401);
      assertProblem(await other.user.call('POST', `/api/v1/console/members/${memberId}/oidc-clients`, body), 403);
      const mixed = assertProblem(await user.call('POST', `/api/v1/console/members/${memberId}/oidc-clients`, { ...body, redirect_uris: ['https://a.example/cb', 'https://b.example/cb'] }), 400);
      assert.match(String(mixed.detail), /one host/);
      assertProblem(await user.call('POST', `/api/v1/console/members/${memberId}/oidc-clients`, { ...body, scopes: ['hetu'] }), 400);
    });
  });
}
