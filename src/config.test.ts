import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { ConfigError, loadConfig, parseSetting, readmeWithConfigTable, VARIABLES, type VariableName } from './config.ts';

/** The declared variables: defaults, what each refuses, one error for all of them, and the README's table. */

const NAMES = Object.keys(VARIABLES) as VariableName[];
const SECRETS = NAMES.filter((name) => (VARIABLES[name] as { secret?: boolean }).secret);
const KEY = Buffer.alloc(32, 7).toString('base64');

test("README's Configuration table is the one src/config.ts prints (node --import tsx scripts/config-doc.ts --write)", () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  assert.equal(readme, readmeWithConfigTable(readme));
});

test('an empty environment is the defaults', () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 8080);
  assert.equal(config.AURORA_EVENT_RETENTION_DAYS, 750);
  assert.equal(config.AURORA_DP_EPSILON_PER_RELEASE, 1);
  assert.equal(config.AURORA_DP_EPSILON_CAP_PER_WEEK, 3);
  assert.equal(config.AURORA_TRANSFER_TTL_SECONDS, 600);
  assert.equal(config.AURORA_TRANSFER_CODE_TTL_SECONDS, 259_200);
  assert.equal(config.AURORA_TRUST_PROXY, false);
  assert.equal(config.AURORA_DEMO, true);
  assert.equal(config.AURORA_VOIKKO, true);
  assert.equal(config.AURORA_MAP_TILES, 'https://tile.openstreetmap.org/{z}/{x}/{y}.png');
  assert.equal(config.AURORA_MAP_ATTRIBUTION, undefined);
  assert.equal(config.DATABASE_URL, undefined);
  assert.equal(config.AURORA_OIDC_ISSUER, undefined);
  assert.deepEqual(loadConfig(Object.fromEntries(NAMES.filter((n) => !VARIABLES[n].blankIsValue).map((n) => [n, '  ']))), loadConfig({}), 'blank is unset');
});

test('values as they were read before: numbers, lists, on/off, a blank map', () => {
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
    AURORA_EVENT_RETENTION_DAYS: ' 800 ',
    AURORA_DP_EPSILON_PER_RELEASE: '0.25',
    AURORA_TRUST_PROXY: '2',
    AURORA_DEMO: 'off',
    AURORA_VOIKKO: 'OFF',
    AURORA_MAP_TILES: '',
    AURORA_MAP_ATTRIBUTION: '',
    AURORA_PAYLOAD_KEYS: `k2:${KEY}, k1:${KEY}`,
    AURORA_OIDC_ISSUER: 'http://127.0.0.1:9999',
  });
  assert.equal(config.PORT, 0);
  assert.equal(config.AURORA_EVENT_RETENTION_DAYS, 800);
  assert.equal(config.AURORA_DP_EPSILON_PER_RELEASE, 0.25);
  assert.equal(config.AURORA_TRUST_PROXY, 2);
  assert.equal(config.AURORA_DEMO, false);
  assert.equal(config.AURORA_VOIKKO, false);
  assert.equal(config.AURORA_MAP_TILES, null, 'blank turns the tiles off');
  assert.equal(config.AURORA_MAP_ATTRIBUTION, '');
  assert.equal(config.AURORA_OIDC_ISSUER?.href, 'http://127.0.0.1:9999/');
  assert.equal(parseSetting('AURORA_TRUST_PROXY', '10.0.0.0/8, 127.0.0.1,loopback,::1/128,10.0.0.0/255.0.0.0'), '10.0.0.0/8, 127.0.0.1,loopback,::1/128,10.0.0.0/255.0.0.0');
  assert.equal(parseSetting('AURORA_MAP_TILES', 'none'), null);
});

test('one error names every unusable variable, what it takes, and the value unless it is secret', () => {
  const error = (() => {
    try {
      loadConfig({
        AURORA_EVENT_RETENTION_DAYS: '3',
        AURORA_DP_EPSILON_PER_RELEASE: 'lots',
        AURORA_PAYLOAD_KEYS: 'k1:c2hvcnQ=',
        AURORA_MAP_TILES: 'http://tiles.example/{z}/{x}/{y}.png',
        AURORA_OIDC_ISSUER: 'not a url',
      });
    } catch (e) {
      return e;
    }
    assert.fail('loadConfig accepted unusable variables');
  })();
  assert.ok(error instanceof ConfigError && error instanceof RangeError);
  assert.deepEqual(
    error.problems.map((p) => p.name),
    ['AURORA_MAP_TILES', 'AURORA_EVENT_RETENTION_DAYS', 'AURORA_DP_EPSILON_PER_RELEASE', 'AURORA_PAYLOAD_KEYS', 'AURORA_OIDC_ISSUER'],
  );
  assert.match(error.message, /^5 environment variables are not usable:/);
  assert.match(error.message, /AURORA_EVENT_RETENTION_DAYS is a whole number of days from 14 to 36500, not "3"/);
  assert.match(error.message, /AURORA_DP_EPSILON_PER_RELEASE is a positive number, not "lots"/);
  assert.match(error.message, /AURORA_PAYLOAD_KEYS is .* \(its value is secret and not shown\): AURORA_PAYLOAD_KEYS: the key k1 is not 32 bytes/);
  assert.match(error.message, /AURORA_OIDC_ISSUER is an https URL .*, not "not a url": not a URL/);
  assert.ok(!error.message.includes('c2hvcnQ='), 'a secret is never shown');
});

test('numbers out of their range, or not numbers, are refused', () => {
  const cases: [VariableName, fc.Arbitrary<number>][] = [
    ['PORT', fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 65_536 }), fc.double({ noInteger: true }))],
    ['AURORA_EVENT_RETENTION_DAYS', fc.oneof(fc.integer({ max: 13 }), fc.integer({ min: 36_501 }), fc.double({ min: 14, max: 36_500, noInteger: true }))],
    ['AURORA_DP_EPSILON_PER_RELEASE', fc.oneof(fc.double({ max: 0 }), fc.constant(Number.POSITIVE_INFINITY))],
    ['AURORA_DP_EPSILON_CAP_PER_WEEK', fc.double({ max: 0 })],
    ['AURORA_TRANSFER_TTL_SECONDS', fc.double({ max: 0 })],
    ['AURORA_TRANSFER_CODE_TTL_SECONDS', fc.double({ max: 0 })],
  ];
  for (const [name, numbers] of cases)
    fc.assert(
      fc.property(numbers, (n) => {
        assert.throws(() => parseSetting(name, String(n)), (e: unknown) => e instanceof ConfigError && e.problems[0]!.name === name, `${name}=${n}`);
      }),
    );
  for (const [name, low, high] of [['PORT', 0, 65_535], ['AURORA_EVENT_RETENTION_DAYS', 14, 36_500]] as const)
    fc.assert(fc.property(fc.integer({ min: low, max: high }), (n) => parseSetting(name, ` ${n} `) === n));
});

test('any text in any variable gives its value or the clear error, never another failure', () => {
  fc.assert(
    fc.property(fc.constantFrom(...NAMES), fc.string({ unit: 'binary', maxLength: 80 }), (name, text) => {
      try {
        parseSetting(name, text);
      } catch (error) {
        assert.ok(error instanceof ConfigError, `${name}=${JSON.stringify(text)}: ${String(error)}`);
        assert.equal(error.problems.length, 1);
        assert.ok(error.message.startsWith(`${name} is `));
        if (SECRETS.includes(name) && text.trim().length > 3) assert.ok(!error.message.includes(JSON.stringify(text)), 'a secret is never shown');
      }
    }),
    { numRuns: 2000 },
  );
});

test('NATS for life events: nats:// or tls:// URLs (a cluster comma-separated), a stream name that NATS accepts', () => {
  assert.equal(loadConfig({}).AURORA_NATS_URL, undefined, 'off unless set');
  assert.equal(loadConfig({}).AURORA_NATS_STREAM, 'aurora-life-events');
  assert.equal(parseSetting('AURORA_NATS_URL', ' nats://a:4222, tls://b:4222 '), 'nats://a:4222,tls://b:4222');
  for (const bad of ['http://nats:4222', 'ws://nats:8080', 'nats', ',']) assert.throws(() => parseSetting('AURORA_NATS_URL', bad), /AURORA_NATS_URL/, bad);
  for (const bad of ['a.b', 'a b', 'a>', 'x'.repeat(33)]) assert.throws(() => parseSetting('AURORA_NATS_STREAM', bad), /AURORA_NATS_STREAM/, bad);
  assert.throws(() => parseSetting('AURORA_EVENT_DELIVERY_TIMEOUT_SECONDS', '0'), /AURORA_EVENT_DELIVERY_TIMEOUT_SECONDS/);
});
