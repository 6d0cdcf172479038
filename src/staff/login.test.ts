import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, test } from 'node:test';
import type { Db } from '../db/database.ts';
import { HttpProblem, TooManyRequests } from '../http/problem.ts';
import { buildServer } from '../http/server.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { ConsoleUser } from '../testing/console.ts';
import { countAttempts } from '../testing/attempts.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import { EMAIL_CEILING, login, loginKeys } from './login.ts';
import { findSession, SESSION_COOKIE } from './sessions.ts';
import { createNetworkAdmin } from './staff.ts';
import { beginTotpSetup, confirmTotpSetup, totpCode } from './totp.ts';

/** Password login: the session cookie, CSRF, logout, the failure limits (serial and parallel), audit rows, TOTP at login. */

const ADMIN = { email: 'verkosto@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';

const problem = (status: number, kind?: string) => (error: unknown) => error instanceof HttpProblem && error.status === status && (kind === undefined || error.kind === kind);

for (const backend of testBackends()) {
  describe(`console login (${backend})`, () => {
    let t: TestApp;
    let db: Db;
    const keyring = () => t.app.aurora.consent.keyring;
    const staffOf = (email: string) => db.selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirstOrThrow();

    before(async () => {
      t = await createTestApp(backend);
      db = t.database.db;
      await createNetworkAdmin(db, { email: ADMIN.email, name: 'Verkon ylläpitäjä', password: ADMIN.password }, 'test');
    });
    after(async () => t?.close());

    test('attack: the Secure flag follows AURORA_PUBLIC_URL, not the Host header or protocol of the request', async () => {
      const forged = await t.app.inject({ method: 'POST', url: '/api/v1/console/session', headers: { host: 'evil.example', 'x-aurora-csrf': '1' }, payload: ADMIN });
      assert.equal(forged.statusCode, 200);
      assert.ok(!forged.cookies.find((c) => c.name === SESSION_COOKIE)!.secure, 'the default public URL is http://localhost: a Host header changes nothing');
      const saved = process.env.AURORA_PUBLIC_URL;
      process.env.AURORA_PUBLIC_URL = 'https://aurora.example.fi';
      let app: Awaited<ReturnType<typeof buildServer>>;
      try {
        app = await buildServer({ database: t.database, purgeIntervalMs: 0 });
      } finally {
        if (saved === undefined) delete process.env.AURORA_PUBLIC_URL;
        else process.env.AURORA_PUBLIC_URL = saved;
      }
      try {
        for (const host of ['localhost', '127.0.0.1:8080', 'evil.example']) {
          const res = await app.inject({ method: 'POST', url: '/api/v1/console/session', headers: { host, 'x-aurora-csrf': '1' }, payload: ADMIN });
          assert.equal(res.cookies.find((c) => c.name === SESSION_COOKIE)!.secure, true, `Secure over plain http with Host ${host}`);
        }
      } finally {
        await app.close();
      }
    });

    test('login: cookie HttpOnly, SameSite=Strict, Secure off localhost; token hashed at rest; CSRF header; logout', async () => {
      const user = new ConsoleUser(t.app);
      const noCsrf = await user.call('POST', '/api/v1/console/session', ADMIN, { csrf: false });
      assertProblem(noCsrf, 403, 'csrf');
      const res = await user.login(ADMIN.email, ADMIN.password);
      assert.equal(res.statusCode, 200);
      const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)!;
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Strict');
      assert.equal(cookie.path, '/');
      assert.ok(!cookie.secure, 'not Secure on localhost');
      assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/);
      const sessions = await t.database.db.selectFrom('staff_sessions').select('token_hash').execute();
      assert.ok(sessions.length > 0 && sessions.every((s) => s.token_hash !== cookie.value));

      // A cookie-authenticated change without the header is refused.
      assertProblem(await user.call('POST', '/api/v1/console/totp/setup', undefined, { csrf: false }), 403, 'csrf');
      assert.equal((await user.call('GET', '/api/v1/console/session')).statusCode, 200);
      const out = await user.call('DELETE', '/api/v1/console/session');
      assert.equal(out.statusCode, 204);
      const stale = await user.call('GET', '/api/v1/console/session');
      assertProblem(stale, 401);
      assert.equal(stale.headers['www-authenticate'], undefined, 'no Basic dialog for the console');
      assertProblem(await new ConsoleUser(t.app).call('GET', '/api/v1/console/members'), 401);
      const forged = new ConsoleUser(t.app);
      forged.cookie = 'A'.repeat(43);
      assertProblem(await forged.call('GET', '/api/v1/console/session'), 401);
    });

    test('attack: failures from one address back off that address only; the right password still works from another', async () => {
      const email = 'lukittu@example.fi';
      await createNetworkAdmin(t.database.db, { email, name: 'L', password: PASSWORD }, 'test');
      const guesser = new ConsoleUser(t.app, '10.0.0.7');
      for (let i = 0; i < 5; i++) assertProblem(await guesser.login(email, `väärä-salasana-${i}`), 401);
      const limited = await guesser.login(email, PASSWORD);
      assertProblem(limited, 429, 'too-many-requests');
      const retry = Number(limited.headers['retry-after']);
      assert.ok(Number.isInteger(retry) && retry > 0 && retry <= 60, String(limited.headers['retry-after']));
      // The owner, elsewhere, is not locked out by the guesser.
      assert.equal((await new ConsoleUser(t.app, '10.0.0.8').login(email, PASSWORD)).statusCode, 200);
      // ...and the owner's success does not free the guesser.
      assertProblem(await guesser.login(email, PASSWORD), 429, 'too-many-requests');
      // An unknown address answers as a wrong password does.
      assertProblem(await new ConsoleUser(t.app, '10.0.0.9').login('ei-ole@example.fi', PASSWORD), 401, 'unauthorized');
    });

    test('login(): the backoff doubles after each further failure; past the e-mail ceiling it starts at the first failure, yet a fresh address gets in', async () => {
      const email = 'tuplaus@example.fi';
      await createNetworkAdmin(db, { email, name: 'Tuplaus', password: PASSWORD }, 'test');
      const ip = '10.5.0.1';
      const { pair } = loginKeys(email, ip);
      const age = (seconds: number) => sql`update consent_rate_events set at = at - make_interval(secs => ${seconds}) where bucket = ${pair}`.execute(db);
      for (let i = 0; i < 5; i++) await assert.rejects(login(db, keyring(), { email, password: `väärä-${i}-salasana`, ip }), problem(401));
      const waitOf = async () => {
        try {
          await login(db, keyring(), { email, password: 'väärä-salasana-x', ip });
        } catch (e) {
          if (e instanceof TooManyRequests) return e.retryAfterSeconds;
          return 0;
        }
        return -1;
      };
      assert.ok((await waitOf()) <= 60);
      await age(61);
      assert.equal(await waitOf(), 0, 'after the wait one more guess is let through (and fails)');
      const second = await waitOf();
      assert.ok(second > 60 && second <= 120, String(second));
      await age(121);
      assert.equal(await waitOf(), 0);
      const third = await waitOf();
      assert.ok(third > 120 && third <= 240, String(third));

      // Many addresses guessing one account: past the ceiling, one failure is enough to back off.
      const victim = 'katto@example.fi';
      await createNetworkAdmin(db, { email: victim, name: 'Katto', password: PASSWORD }, 'test');
      await db.insertInto('consent_rate_events').values(Array.from({ length: EMAIL_CEILING }, () => ({ bucket: loginKeys(victim, 'x').email }))).execute();
      await assert.rejects(login(db, keyring(), { email: victim, password: 'väärä-salasana-1', ip: '10.5.1.1' }), problem(401));
      await assert.rejects(login(db, keyring(), { email: victim, password: PASSWORD, ip: '10.5.1.1' }), (e) => e instanceof TooManyRequests);
      const fresh = await login(db, keyring(), { email: victim, password: PASSWORD, ip: '10.5.1.2' });
      assert.equal(fresh.staff.email, victim, 'the ceiling only slows: never a lock for everyone');
    });

    test('login(): a failure is audited and counted for the address and the IP; a success forgets the address\'s failures only', async () => {
      const email = 'laskettu@example.fi';
      await createNetworkAdmin(db, { email, name: 'Laskettu', password: PASSWORD }, 'test');
      const { id } = await staffOf(email);
      const ip = '10.1.0.1';
      await assert.rejects(login(db, keyring(), { email: ` ${email.toUpperCase()} `, password: 'väärä-salasana-1', ip }), problem(401, 'unauthorized'));
      const keys = loginKeys(email, ip);
      assert.equal(await countAttempts(db, keys.pair), 1, 'the address is normalised before it is counted');
      assert.equal(await countAttempts(db, keys.ip), 1);
      assert.equal(await countAttempts(db, keys.email), 1);
      const failed = await db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.login-failed').where('target', '=', id).executeTakeFirstOrThrow();
      assert.equal(failed.actor, `login:${email}`);
      assert.deepEqual(failed.details, { ip, reason: 'unauthorized' });

      const { staff, session } = await login(db, keyring(), { email, password: PASSWORD, ip });
      assert.equal(staff.id, id);
      assert.equal(await findSession(db, session.token), id);
      assert.ok(session.expiresAt.getTime() > Date.now());
      assert.equal(await countAttempts(db, keys.pair), 0);
      assert.equal(await countAttempts(db, keys.ip), 1, 'the IP keeps its failures');
      assert.equal(await countAttempts(db, keys.email), 1, 'the ceiling across addresses keeps them too');
      const ok = await db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.login').where('target', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(ok.details, { ip, method: 'password' });
    });

    test('login(): with TOTP on, a missing code is asked for and not counted; a wrong or spent one is', async () => {
      const email = 'kaksi@example.fi';
      await createNetworkAdmin(db, { email, name: 'Kaksi', password: PASSWORD }, 'test');
      const staff = await staffOf(email);
      const { secret } = await beginTotpSetup(db, keyring(), { id: staff.id, email });
      const now = Date.now();
      assert.ok(await confirmTotpSetup(db, keyring(), staff.id, totpCode(secret, now), now));
      const ip = '10.1.0.2';
      await assert.rejects(login(db, keyring(), { email, password: PASSWORD, ip }), problem(401, 'totp-required'));
      await assert.rejects(login(db, keyring(), { email, password: PASSWORD, totp: '   ', ip }), problem(401, 'totp-required'));
      assert.equal(await countAttempts(db, loginKeys(email, ip).pair), 0);
      assert.equal(await countAttempts(db, loginKeys(email, ip).ip), 0);
      await assert.rejects(login(db, keyring(), { email, password: PASSWORD, totp: totpCode(secret, now), ip }), (e) => problem(401, 'totp-required')(e) && /used already/.test((e as Error).message));
      assert.equal(await countAttempts(db, loginKeys(email, ip).pair), 1);
      const next = totpCode(secret, now + 30_000);
      const started = await login(db, keyring(), { email, password: PASSWORD, totp: `${next.slice(0, 3)} ${next.slice(3)}`, ip });
      assert.equal(started.staff.totpEnabled, true);
    });

    test('login(): the limit holds for parallel guesses from one address, and refuses with the wait', async () => {
      const email = 'rinnakkain@example.fi';
      await createNetworkAdmin(db, { email, name: 'Rinnakkain', password: PASSWORD }, 'test');
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => login(db, keyring(), { email, password: `väärä-salasana-${i}`, ip: '10.2.0.1' })));
      const reasons = results.map((r) => (r.status === 'rejected' ? (r.reason as HttpProblem).status : 200));
      assert.equal(reasons.filter((s) => s === 401).length, 5, reasons.join());
      assert.equal(reasons.filter((s) => s === 429).length, 3, reasons.join());
      await assert.rejects(login(db, keyring(), { email, password: PASSWORD, ip: '10.2.0.1' }), (e) => {
        assert.ok(e instanceof TooManyRequests);
        assert.ok(e.retryAfterSeconds > 0 && e.retryAfterSeconds <= 60);
        assert.match(e.message, /too many failed logins/);
        return true;
      });
    });
  });
}
