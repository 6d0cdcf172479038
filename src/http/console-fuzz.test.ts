import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { SESSION_COOKIE } from '../staff/sessions.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { ConsoleUser, addService, nextBusinessId } from '../testing/console.ts';

/**
 * The console routes under random input from a logged-in user (the general fuzz test reaches them
 * only without a session): random path parameters (real ids among them), query strings and bodies,
 * plausible and hostile, as a network administrator and as an organisation administrator. Never a
 * 5xx; every error is problem JSON.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** Percent-encodes; a lone surrogate goes as the bytes a broken client would send. */
const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};
const PASSWORD = 'satunnainen-salasana';

function assertSane(res: LightMyRequestResponse, method: string, where: string) {
  const what = `${method} ${where} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  assert.ok(res.statusCode < 500, `server error: ${what}`);
  if (res.statusCode < 400 || method === 'HEAD') return;
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/, what);
  assert.equal((res.json() as { status: number }).status, res.statusCode, what);
}

describe('console routes under random input, logged in (pglite)', () => {
  let t: TestApp;
  let routes: { method: string; path: string }[] = [];
  const ids: Record<string, string[]> = {};
  const users: ConsoleUser[] = [];

  before(async () => {
    t = await createTestApp('pglite');
    await createNetworkAdmin(t.database.db, { email: 'fuzz@aurora.example', name: 'F', password: PASSWORD }, 'test');
    const admin = await new ConsoleUser(t.app).loginOk('fuzz@aurora.example', PASSWORD);
    const applied = await new ConsoleUser(t.app).json('POST', '/api/v1/console/applications', {
      organisation_name: 'Fuzz Oy', business_id: nextBusinessId(), contact_name: 'F', contact_email: 'org@fuzz.example', admin_password: PASSWORD,
    });
    await admin.json('POST', `/api/v1/console/members/${applied.member_id}/approve`, {}, 200);
    const org = await new ConsoleUser(t.app).loginOk('org@fuzz.example', PASSWORD);
    const service = await addService(t.database.db, 'Fuzz-palvelu', 2);
    await org.json('POST', `/api/v1/console/members/${applied.member_id}/services`, { service_id: service.serviceId });
    const client = await org.json('POST', `/api/v1/console/members/${applied.member_id}/clients`, { name: 'fuzz', scopes: ['transfer:receive', 'stats:read'] });
    ids.id = [applied.member_id, randomUUID()];
    ids.service_id = [service.serviceId, randomUUID()];
    ids.channel_id = [...service.channelIds, randomUUID()];
    ids.client_id = [client.client_id, 'aur_nobody'];
    users.push(admin, org);
    const spec = (await t.app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/api/v1/console') || path === '/api/v1/statistics')
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })))
      // Logging out or turning codes off would end the fuzzing user's session, not test anything more.
      .filter((r) => !(r.method === 'DELETE' && (r.path === '/api/v1/console/session' || r.path === '/api/v1/console/totp')));
    assert.ok(routes.length >= 25, `the console routes are documented (${routes.length})`);
  });
  after(async () => t?.close());

  /** Built once the ids exist. */
  function arbitraries() {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('', '\u0000', 'a\u0000b', '\ud800', '%', '..', 'null', '-1', '1e309', 'x'.repeat(3000)),
    );
    const value = fc.oneof(hostile, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
    /** Bodies with the console's own field names, good values and bad. */
    const plausibleBody = fc.dictionary(
      fc.constantFrom('reason', 'email', 'name', 'role', 'password', 'service_id', 'landing_url', 'accepts', 'client_id', 'scopes', 'rate_limit_per_minute', 'meters', 'fits', 'comment', 'municipality', 'code', 'organisation_name', 'business_id', 'contact_name', 'contact_email', 'admin_password', 'services', 'totp'),
      fc.oneof(
        value,
        fc.constantFrom('https://palvelu.example/in', 'http://localhost/x', 'developer', 'org_admin', 'network_admin', 'uusi@fuzz.example', 'hyvin-pitkä-salasana', '0112038-9', '123456'),
        fc.constantFrom(['age'], ['recommend'], ['stats:read', 'transfer:receive'], { housing: 2 }, { housing: 11 }, 5, 600),
        fc.constantFrom(...Object.values(ids).flat()),
      ),
      { maxKeys: 6 },
    );
    const body = fc.oneof({ weight: 3, arbitrary: plausibleBody }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 3, arbitrary: fc.constant(undefined) });
    const query = fc.oneof({ weight: 1, arbitrary: fc.constant([] as [string, string][]) }, { weight: 1, arbitrary: fc.array(
      fc.tuple(fc.constantFrom('status', 'before', 'limit', 'from', 'to', 'format', 'language', 'epsilon', 'code', 'state', 'x'), fc.oneof(hostile, fc.constantFrom('pending', 'approved', '1', '500', '2026-01-05', 'csv', 'json', 'sv', '0.5'))),
      { maxLength: 3 },
    ) });
    return { hostile, query, body };
  }

  test('never a 5xx, errors as problem JSON', async (ctx) => {
    const { hostile, query, body } = arbitraries();
    let ok = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom(0, 1),
        fc.dictionary(fc.constantFrom('id', 'service_id', 'channel_id', 'client_id'), fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...Object.values(ids).flat()) }, { weight: 1, arbitrary: hostile.map(encode) })),
        query,
        body,
        fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
        async (route, who, params, pairs, payload, sameMethod) => {
          const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => params[name] ?? ids[name]?.[0] ?? 'x');
          const qs = pairs.map(([k, v]) => `${k}=${encode(v)}`).join('&');
          const url = qs ? `${path}?${qs}` : path;
          const method = sameMethod ? route.method : (['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const)[url.length % 5]!;
          const user = users[who]!;
          const res = await t.app.inject({
            method: method as 'GET',
            url,
            headers: { cookie: `${SESSION_COOKIE}=${user.cookie}`, 'x-aurora-csrf': '1', ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
            ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
          });
          assertSane(res, method, `${url.slice(0, 200)} ${JSON.stringify(payload)?.slice(0, 200)}`);
          if (res.statusCode < 300) ok++;
        },
      ),
      { numRuns: RUNS },
    );
    ctx.diagnostic(`${ok} of ${RUNS} random requests were accepted`);
    assert.ok(ok >= Math.ceil(RUNS / 100), `some random requests got through to the handlers (${ok})`);
    // The server still answers, and logs people in.
    assert.equal((await t.app.inject('/ready')).statusCode, 200);
    assert.equal((await new ConsoleUser(t.app).login('fuzz@aurora.example', PASSWORD)).statusCode, 200);
  });
});
