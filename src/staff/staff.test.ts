import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { createApiClient } from '../operations.ts';
import { OPERATIONS } from '../admin-socket/protocol.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { verifyPassword } from './passwords.ts';
import { ClientRateLimiter } from '../rate-limits/client-limiter.ts';
import { bootstrapAdmin, createNetworkAdmin } from './staff.ts';
import { checkTotp, totpCode } from './totp.ts';
import { ConsoleUser } from '../testing/console.ts';
import { assertProblem } from '../testing/problems.ts';

/** Staff accounts: TOTP (with replay refused), the first administrator (CLI and environment), the client rate limiter. */

describe('client rate limiter', () => {
  test('a minute\'s allowance at once, then refills at the limit\'s rate; Retry-After says when', () => {
    let now = 0;
    const limiter = new ClientRateLimiter(() => now);
    for (let i = 0; i < 60; i++) assert.ok(limiter.take('a', 60).allowed);
    const refused = limiter.take('a', 60);
    assert.equal(refused.allowed, false);
    assert.equal(refused.retryAfterSeconds, 1);
    assert.ok(limiter.take('b', 60).allowed, 'another client has its own bucket');
    now += 1000;
    assert.ok(limiter.take('a', 60).allowed);
    assert.equal(limiter.take('a', 60).allowed, false);
    // A slow limit: one call in 30 s.
    for (let i = 0; i < 2; i++) assert.ok(limiter.take('c', 2).allowed);
    assert.equal(limiter.take('c', 2).retryAfterSeconds, 30);
  });
});

for (const backend of testBackends()) {
  describe(`console staff (${backend})`, () => {
    let t: TestApp;
    const email = 'totp@aurora.example';
    const password = 'kaksivaiheinen-salasana';

    before(async () => {
      t = await createTestApp(backend);
      await createNetworkAdmin(t.database.db, { email, name: 'TOTP', password }, 'test');
    });
    after(async () => t?.close());

    test('TOTP: set up, confirmed with a current code, then needed at login; a code is never accepted twice', async () => {
      const user = await new ConsoleUser(t.app).loginOk(email, password);
      const setup = await user.json('POST', '/api/v1/console/totp/setup', undefined, 200);
      assert.match(setup.secret, /^[A-Z2-7]{32}$/);
      assert.ok(setup.otpauth_url.startsWith('otpauth://totp/Aurora:'));
      assert.ok(setup.qr_svg.startsWith('<svg'));
      const row = await t.database.db.selectFrom('staff_users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
      assert.ok(row.totp_pending_secret && !row.totp_pending_secret.includes(setup.secret), 'the secret is sealed at rest');
      assert.equal(row.totp_secret, null, 'not on before confirmation');
      // Still off: a login needs no code.
      assert.equal((await new ConsoleUser(t.app).login(email, password)).statusCode, 200);

      assertProblem(await user.call('POST', '/api/v1/console/totp/confirm', { code: '12345' }), 400);
      const wrong = String((Number(totpCode(setup.secret)) + 1) % 1_000_000).padStart(6, '0');
      assertProblem(await user.call('POST', '/api/v1/console/totp/confirm', { code: wrong }), 400);
      const confirmCode = totpCode(setup.secret);
      assert.deepEqual(await user.json('POST', '/api/v1/console/totp/confirm', { code: confirmCode }, 200), { totp_enabled: true });
      assert.equal((await user.json('GET', '/api/v1/console/session')).staff.totp_enabled, true, 'the confirming session goes on');
      assertProblem(await user.call('POST', '/api/v1/console/totp/setup'), 409);

      const missing = await new ConsoleUser(t.app).login(email, password);
      assertProblem(missing, 401, 'totp-required');
      assertProblem(await new ConsoleUser(t.app).login(email, password, wrong), 401, 'totp-required');
      // The code that confirmed is spent; the next step's code (accepted one step early) logs in once.
      assertProblem(await new ConsoleUser(t.app).login(email, password, confirmCode), 401, 'totp-required');
      const next = totpCode(setup.secret, Date.now() + 30_000);
      assert.equal((await new ConsoleUser(t.app).login(email, password, next)).statusCode, 200);
      const replay = await new ConsoleUser(t.app).login(email, password, next);
      assert.match(assertProblem(replay, 401, 'totp-required').detail ?? '', /used already/);
      // A wrong password with a right code is still a wrong password.
      assertProblem(await new ConsoleUser(t.app).login(email, 'väärä-salasana-123', totpCode(setup.secret, Date.now() + 30_000)), 401, 'unauthorized');

      // Turning it off needs a fresh code too.
      assertProblem(await user.call('DELETE', '/api/v1/console/totp', { code: next }), 400);
      const staffId = row.id;
      await t.database.db.updateTable('staff_users').set({ totp_last_step: 0 }).where('id', '=', staffId).execute(); // as if time had passed
      assert.deepEqual(await user.json('DELETE', '/api/v1/console/totp', { code: totpCode(setup.secret) }, 200), { totp_enabled: false });
      assert.equal((await new ConsoleUser(t.app).login(email, password)).statusCode, 200);
      const actions = (await t.database.db.selectFrom('audit_log').select('action').where('target', '=', staffId).execute()).map((r) => r.action);
      assert.ok(actions.includes('staff.totp.enable') && actions.includes('staff.totp.disable') && actions.includes('staff.login-failed'));
    });

    test('checkTotp: one step either side of now, not two; replays and earlier steps refused', async () => {
      const user = await new ConsoleUser(t.app).loginOk(email, password);
      const setup = await user.json('POST', '/api/v1/console/totp/setup', undefined, 200);
      const now = Date.now();
      await user.json('POST', '/api/v1/console/totp/confirm', { code: totpCode(setup.secret, now) }, 200);
      const staff = await t.database.db.selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
      const keyring = t.app.aurora.consent.keyring;
      const at = (ms: number) => checkTotp(t.database.db, keyring, staff.id, totpCode(setup.secret, now + ms), now);
      assert.equal(await at(-30_000), 'replayed', 'a step before the last accepted');
      assert.equal(await at(60_000), 'wrong', 'two steps ahead');
      assert.equal(await at(30_000), 'ok');
      assert.equal(await at(30_000), 'replayed');
      assert.equal(await checkTotp(t.database.db, keyring, staff.id, 'abcdef', now), 'wrong');
    });

    test('sessions of someone who turns TOTP on elsewhere end', async () => {
      const other = 'toinen@aurora.example';
      await createNetworkAdmin(t.database.db, { email: other, name: 'Toinen', password }, 'test');
      const laptop = await new ConsoleUser(t.app).loginOk(other, password);
      const phone = await new ConsoleUser(t.app).loginOk(other, password);
      const setup = await laptop.json('POST', '/api/v1/console/totp/setup', undefined, 200);
      await laptop.json('POST', '/api/v1/console/totp/confirm', { code: totpCode(setup.secret) }, 200);
      assert.equal((await laptop.call('GET', '/api/v1/console/session')).statusCode, 200);
      assertProblem(await phone.call('GET', '/api/v1/console/session'), 401);
    });
  });

  describe(`the first network administrator (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database.close());

    test('aurora staff create-admin: a generated password printed once, hashed with argon2id; the address only once', async () => {
      const created = (await OPERATIONS['create-admin']!(database.db, { email: 'Admin@Verkko.example', name: 'Ylläpitäjä' }, { actor: 'cli:test' })) as { email: string; password: string; role: string };
      assert.equal(created.email, 'admin@verkko.example');
      assert.equal(created.role, 'network_admin');
      assert.ok(created.password.length >= 20);
      const row = await database.db.selectFrom('staff_users').selectAll().where('email', '=', 'admin@verkko.example').executeTakeFirstOrThrow();
      assert.match(row.password_hash!, /^\$argon2id\$/);
      assert.ok(await verifyPassword(row.password_hash, created.password));
      await assert.rejects(OPERATIONS['create-admin']!(database.db, { email: 'admin@verkko.example', name: 'Taas' }, { actor: 'cli:test' }), /exists already/);
      await assert.rejects(OPERATIONS['create-admin']!(database.db, { email: 'ei osoite', name: 'X' }, { actor: 'cli:test' }), /e-mail/);
      await assert.rejects(OPERATIONS['create-admin']!(database.db, { email: 'x@y.example' }, { actor: 'cli:test' }), /name/);
      const audit = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.create').executeTakeFirstOrThrow();
      assert.equal(audit.actor, 'cli:test');
      assert.ok(!JSON.stringify(audit.details).includes(created.password));
      // The CLI's plain client creation still makes an operator client.
      const client = await createApiClient(database.db, 'operaattori', { actor: 'cli:test' });
      const clientRow = await database.db.selectFrom('api_clients').selectAll().where('client_id', '=', client.client_id).executeTakeFirstOrThrow();
      assert.equal(clientRow.member_id, null);
    });

    test('AURORA_ADMIN_EMAIL and AURORA_ADMIN_PASSWORD create an administrator at start, once; without them the log says how', async () => {
      const logs: string[] = [];
      const log = (_level: string, message: string) => void logs.push(message);
      await bootstrapAdmin(database.db, { AURORA_ADMIN_EMAIL: 'env@verkko.example', AURORA_ADMIN_PASSWORD: 'ympäristön-salasana' }, log);
      const row = await database.db.selectFrom('staff_users').selectAll().where('email', '=', 'env@verkko.example').executeTakeFirstOrThrow();
      assert.equal(row.role, 'network_admin');
      assert.ok(await verifyPassword(row.password_hash, 'ympäristön-salasana'));
      // Started again with another password: the account is left as it is.
      await bootstrapAdmin(database.db, { AURORA_ADMIN_EMAIL: 'env@verkko.example', AURORA_ADMIN_PASSWORD: 'toinen-salasana-123' }, log);
      const again = await database.db.selectFrom('staff_users').select('password_hash').where('email', '=', 'env@verkko.example').executeTakeFirstOrThrow();
      assert.equal(again.password_hash, row.password_hash);
      assert.ok(logs.some((l) => l.includes('created the network administrator')));
      assert.ok(!logs.some((l) => l.includes('ympäristön-salasana')), 'the password is never logged');

      const empty = await createTestDatabase(backend);
      try {
        const messages: string[] = [];
        await bootstrapAdmin(empty.db, {}, (_l, m) => void messages.push(m));
        assert.equal((await empty.db.selectFrom('staff_users').select('id').execute()).length, 0, 'no administrator is made silently');
        assert.ok(messages.some((m) => m.includes('aurora staff create-admin')));
      } finally {
        await empty.close();
      }
    });
  });
}
