import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HttpProblem, TooManyRequests } from '../http/problem.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { ConsoleUser } from '../testing/console.ts';
import { countAttempts } from '../testing/attempts.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { loginKeys } from './login.ts';
import { findSession, startSession } from './sessions.ts';
import { createNetworkAdmin, loadStaff } from './staff.ts';
import { beginTotp, confirmTotp, turnOffTotp } from './totp-setup.ts';
import { totpCode } from './totp.ts';

/** A staff user's own one-time codes: set up, confirmed with a current code, needed at login, turned off; other sessions end. */

const problem = (status: number, kind?: string) => (error: unknown) => error instanceof HttpProblem && error.status === status && (kind === undefined || error.kind === kind);

for (const backend of testBackends()) {
  describe(`console TOTP (${backend})`, () => {
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

    test('beginTotp, confirmTotp, turnOffTotp: 409 in the wrong state; a wrong code is a 400 counted as a failed login, 429 past the limit', async () => {
      const db = t.database.db;
      const keyring = t.app.aurora.consent.keyring;
      const address = 'yksikko@aurora.example';
      await createNetworkAdmin(db, { email: address, name: 'Yksikkö', password }, 'test');
      const { id } = await db.selectFrom('staff_users').select('id').where('email', '=', address).executeTakeFirstOrThrow();
      const staff = async () => (await loadStaff(db, id))!;
      const ip = '10.3.0.1';
      const kept = await startSession(db, id, 'password');
      const other = await startSession(db, id, 'password');

      await assert.rejects(turnOffTotp(db, keyring, await staff(), { code: '000000', ip, sessionToken: kept.token }), problem(409, 'totp-disabled'));
      const { secret } = await beginTotp(db, keyring, await staff());
      const wrong = String((Number(totpCode(secret)) + 1) % 1_000_000).padStart(6, '0');
      await assert.rejects(confirmTotp(db, keyring, await staff(), { code: wrong, ip, sessionToken: kept.token }), (e) => problem(400, 'invalid-request')(e) && (e as HttpProblem).extensions.errors !== undefined);
      assert.equal(await countAttempts(db, loginKeys(address, ip).pair), 1);
      assert.equal(await countAttempts(db, loginKeys(address, ip).ip), 1);

      assert.deepEqual(await confirmTotp(db, keyring, await staff(), { code: totpCode(secret), ip, sessionToken: kept.token }), { totp_enabled: true });
      assert.equal(await countAttempts(db, loginKeys(address, ip).pair), 1, 'a right code is not counted (nor does it clear)');
      assert.equal(await findSession(db, kept.token), id);
      assert.equal(await findSession(db, other.token), null, 'the other session ended');
      await assert.rejects(beginTotp(db, keyring, await staff()), problem(409, 'totp-enabled'));
      await assert.rejects(confirmTotp(db, keyring, await staff(), { code: totpCode(secret), ip, sessionToken: kept.token }), problem(409, 'totp-enabled'));

      for (let i = 0; i < 4; i++) await assert.rejects(turnOffTotp(db, keyring, await staff(), { code: wrong, ip, sessionToken: kept.token }), problem(400));
      await assert.rejects(turnOffTotp(db, keyring, await staff(), { code: totpCode(secret, Date.now() + 30_000), ip, sessionToken: kept.token }), (e) => {
        assert.ok(e instanceof TooManyRequests);
        assert.match(e.message, /too many wrong codes/);
        return true;
      });
      assert.equal((await staff()).totpEnabled, true, 'a refused attempt changes nothing');
    });
  });
}
