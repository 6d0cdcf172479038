import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { ConsoleUser, nextBusinessId } from '../testing/console.ts';
import { testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';

/** The public application route's limit per IP: every application counts, accepted or not. */

for (const backend of testBackends()) {
  describe(`applications per address (${backend})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(backend);
    });
    after(async () => t?.close());

    test('20 an hour from one address, then 429 with Retry-After; another address may still apply', async () => {
      const application = (businessId: string, n: number) => ({
        organisation_name: `Hakemus ${n} Oy`,
        business_id: businessId,
        contact_name: 'Hakija',
        contact_email: `hakija${n}@example.fi`,
        admin_password: 'hyvin-pitka-salasana',
      });
      const flood = new ConsoleUser(t.app, '10.5.0.1');
      // A wrong check digit is refused before any password is hashed: cheap, and still counted.
      for (let i = 0; i < 20; i++) assertProblem(await flood.call('POST', '/api/v1/console/applications', application('1234567-0', i)), 400);
      const limited = await flood.call('POST', '/api/v1/console/applications', application(nextBusinessId(), 20));
      const body = assertProblem(limited, 429, 'too-many-requests');
      const retry = Number(limited.headers['retry-after']);
      assert.ok(Number.isInteger(retry) && retry > 0 && retry <= 3600, String(limited.headers['retry-after']));
      assert.match(body.detail ?? '', /too many applications from this address/);
      const other = await new ConsoleUser(t.app, '10.5.0.2').call('POST', '/api/v1/console/applications', application(nextBusinessId(), 21));
      assert.equal(other.statusCode, 201, other.body);
    });
  });
}
