import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { openDatabase } from '../db/database.ts';
import { importPtvFiles } from '../operations.ts';
import { serve, type RunningNetwork } from '../serve.ts';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { createSharedDatabase, testBackends } from '../testing/databases.ts';
import { countAttempts, fillAttempts } from '../testing/attempts.ts';
import { DEMO_DESK_FAILURES, DEMO_PAGES } from './limits.ts';
import { CONTENT_SECURITY_POLICY, escapeHtml } from './pages.ts';
import { DEMO_ACCEPTS, DEMO_CLIENT_NAME, DEMO_DESK_CHANNEL_ID, DEMO_SERVICE_ID, DEMO_WEB_CHANNEL_ID, demoBaseUrl, setUpDemoService } from './receiving-service.ts';

/**
 * The demo receiving service: set up once on the start that loads the demo catalogue, never
 * otherwise; a person's link and code redeemed by its pages, in-process as the demo client, with
 * the API's refusals and limits, shown as escaped, script-free HTML.
 */

const root = join(import.meta.dirname, '..', '..');
const SMALL_DEMO = ['service-etalukio.json', 'service-channel-otava.json'].map((f) => join(root, 'data', 'demo', f));
const MALICIOUS = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
const ATTRS = { age: 34, municipality_code: '091', life_situation_meters: { housing: [2], finance: [3] } };

const bearer = () => `Bearer ${randomBytes(32).toString('base64url')}`;

function assertPage(r: LightMyRequestResponse, status: number) {
  assert.equal(r.statusCode, status, r.body);
  assert.match(r.headers['content-type'] as string, /^text\/html; charset=utf-8/);
  assert.equal(r.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
  assert.equal(r.headers['cache-control'], 'no-store');
  assert.equal(r.headers['referrer-policy'], 'no-referrer');
  assert.doesNotMatch(r.body, /<script|\bat [\w.]+ \(|Error:/, 'no script and no stack trace');
}

/** What the demo set-up writes, to compare before and after another start. */
async function demoState(db: Db) {
  const clients = await db.selectFrom('api_clients').select(['client_id', 'name', 'scopes']).where('name', '=', DEMO_CLIENT_NAME).execute();
  const targets = await db.selectFrom('transfer_targets').select(['channel_id', 'url', 'accepts', 'updated_at']).orderBy('channel_id').execute();
  const channel = await db.selectFrom('service_channels').select(['id', 'name', 'content_hash']).where('id', '=', DEMO_WEB_CHANNEL_ID).executeTakeFirst();
  const audit = (await sql<{ n: string }>`select count(*) as n from audit_log`.execute(db)).rows[0]!.n;
  return { clients, targets, channel, audit: Number(audit) };
}

describe('demo receiving service: where it lands', () => {
  test('the landing base: AURORA_PUBLIC_URL (https, or http on localhost), else localhost and the port', () => {
    assert.equal(demoBaseUrl(undefined, 8080), 'http://localhost:8080');
    assert.equal(demoBaseUrl('', 3000), 'http://localhost:3000');
    assert.equal(demoBaseUrl('https://aurora.example.fi/', 8080), 'https://aurora.example.fi');
    assert.equal(demoBaseUrl('https://example.fi/aurora/?x=1#y', 8080), 'https://example.fi/aurora');
    assert.throws(() => demoBaseUrl('http://aurora.example.fi', 8080), RangeError);
    assert.throws(() => demoBaseUrl('not a url', 8080), RangeError);
  });
});

for (const backend of testBackends()) {
  describe(`demo receiving service (${backend})`, () => {
    let t: TestApp;
    let db: Db;
    const inject = (options: InjectOptions) => t.app.inject(options);
    const send = async (channel: string, extra: Record<string, unknown> = {}) => {
      const r = await inject({ method: 'POST', url: '/api/v1/my/transfers', headers: { authorization: bearer() }, payload: { channel_id: channel, attributes: ATTRS, ...extra } });
      assert.equal(r.statusCode, 201, r.body);
      return r.json() as { link?: string; code_display?: string; consent_id: string; consent_key: string; mode: string };
    };
    const desk = (code: string, lang = 'en', remoteAddress = '127.0.0.1') =>
      inject({ method: 'POST', url: '/demo/desk', remoteAddress, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ code, lang }).toString() });
    const failures = (address: string) => countAttempts(db, `${DEMO_DESK_FAILURES.name}:${address}`);
    const demoClientUuid = async () => (await db.selectFrom('api_clients').select('id').where('name', '=', DEMO_CLIENT_NAME).executeTakeFirstOrThrow()).id;

    before(async () => {
      t = await createTestApp(backend);
      db = t.database.db;
      await importPtvFiles(db, SMALL_DEMO, { actor: 'demo' });
      const service = await setUpDemoService(db, { publicUrl: undefined, port: 8080 });
      assert.deepEqual(service && { receiver: service.receiver_url, desk: service.desk_url }, { receiver: 'http://localhost:8080/demo/receiver', desk: 'http://localhost:8080/demo/desk' });
    });
    after(() => t.close());

    test('set up as a labelled demo: one client receiving only, both channels its targets; a second set-up changes nothing', async () => {
      const state = await demoState(db);
      assert.equal(state.clients.length, 1);
      assert.deepEqual(state.clients[0]!.scopes, ['transfer:receive']);
      assert.deepEqual(state.targets.map((r) => [r.channel_id, r.url, r.accepts]).sort(), [
        [DEMO_WEB_CHANNEL_ID, 'http://localhost:8080/demo/receiver', [...DEMO_ACCEPTS].sort()],
        [DEMO_DESK_CHANNEL_ID, 'http://localhost:8080/demo/desk', [...DEMO_ACCEPTS].sort()],
      ].sort());
      assert.match(JSON.stringify(state.channel!.name), /Demo: .*Aurora/);
      assert.equal(await setUpDemoService(db, { publicUrl: undefined, port: 9999 }), undefined);
      assert.deepEqual(await demoState(db), state);
      // What the citizen app asks before offering "go to this service".
      const targets = (await inject({ url: `/api/v1/services/${DEMO_SERVICE_ID}/transfer-targets` })).json() as { targets: { channel_id: string; mode: string }[] };
      assert.deepEqual(targets.targets.map((x) => [x.channel_id, x.mode]).sort(), [[DEMO_WEB_CHANNEL_ID, 'link'], [DEMO_DESK_CHANNEL_ID, 'code']].sort());
    });

    test('a link: the landing page shows what arrived, once; then 410', async () => {
      const sent = await send(DEMO_WEB_CHANNEL_ID);
      assert.equal(sent.mode, 'link');
      const link = new URL(sent.link!);
      assert.equal(link.origin + link.pathname, 'http://localhost:8080/demo/receiver');
      const first = await inject({ url: link.pathname + link.search, headers: { 'accept-language': 'en-GB,en;q=0.9' } });
      assertPage(first, 200);
      assert.match(first.body, /This is what the demo service received/);
      assert.match(first.body, /<dt>Age<\/dt><dd>34 years<\/dd>/);
      assert.match(first.body, /Helsinki \(091\)/);
      assert.match(first.body, /Finances: 3 \/ 10/);
      assert.match(first.body, /not a real service/);
      const again = await inject({ url: link.pathname + link.search + '&lang=fi' });
      assertPage(again, 410);
      assert.match(again.body, /on jo käytetty/);
      assert.doesNotMatch(again.body, /34 vuotta/);
      const record = await db.selectFrom('consents').select(['status', 'payload']).where('id', '=', sent.consent_id).executeTakeFirstOrThrow();
      assert.deepEqual(record, { status: 'used', payload: null });
    });

    test('refused links: withdrawn 410, unknown 404, malformed 404, none 400 — each a page, none a trace', async () => {
      const sent = await send(DEMO_WEB_CHANNEL_ID);
      const withdrawn = await inject({ method: 'POST', url: `/api/v1/consents/${sent.consent_id}/withdraw`, payload: { key: sent.consent_key } });
      assert.equal(withdrawn.statusCode, 200, withdrawn.body);
      const link = new URL(sent.link!);
      const gone = await inject({ url: link.pathname + link.search + '&lang=sv' });
      assertPage(gone, 410);
      assert.match(gone.body, /Samtycket har återkallats/);
      const unknown = await inject({ url: `/demo/receiver?aurora_token=${randomBytes(32).toString('base64url')}&lang=en` });
      assertPage(unknown, 404);
      assert.match(unknown.body, /This link is not known/);
      assertPage(await inject({ url: '/demo/receiver?aurora_token=%3Cscript%3E' }), 404);
      const none = await inject({ url: '/demo/receiver' });
      assertPage(none, 400);
      assert.match(none.body, /Aloita Aurora-sovelluksesta/);
    });

    test('the purpose a person typed is shown escaped, never run', async () => {
      const sent = await send(DEMO_WEB_CHANNEL_ID, { purpose: MALICIOUS });
      const link = new URL(sent.link!);
      const r = await inject({ url: link.pathname + link.search });
      assertPage(r, 200);
      assert.ok(r.body.includes(escapeHtml(MALICIOUS)));
      assert.ok(!r.body.includes('<img'));
    });

    test('a code at the desk: the form, then what arrived, once', async () => {
      const form = await inject({ url: '/demo/desk', headers: { 'accept-language': 'sv' } });
      assertPage(form, 200);
      assert.match(form.body, /<form method="post" action="\/demo\/desk">/);
      assert.match(form.body, /<label for="code">Överföringskod<\/label>/);
      const sent = await send(DEMO_DESK_CHANNEL_ID);
      assert.equal(sent.mode, 'code');
      const typed = sent.code_display!.toLowerCase().replaceAll('-', ' ');
      const r = await desk(typed);
      assertPage(r, 200);
      assert.match(r.body, /The customer passed on this information/);
      assert.match(r.body, /34 years/);
      assert.match(r.body, /Housing: 2 \/ 10/);
      const again = await desk(sent.code_display!, 'fi');
      assertPage(again, 410);
      assert.match(again.body, /koodi on jo käytetty/);
      const empty = await desk('  ');
      assertPage(empty, 400);
      assert.match(empty.body, /Type the customer/);
      const wrongShape = await inject({ method: 'POST', url: '/demo/desk', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `code=${'A'.repeat(65)}` });
      assert.equal(wrongShape.statusCode, 400);
    });

    test('wrong codes count toward the address\'s limit: after it, 429 with Retry-After even for a right code; another address is served', async () => {
      const address = '192.0.2.60';
      const before = await failures(address);
      const wrong = await desk('0000-0000-00', 'en', address);
      assertPage(wrong, 404);
      assert.match(wrong.body, /No transfer has this code/);
      assert.match(wrong.body, /value="0000-0000-00"/, 'what was typed is kept for correcting');
      assert.equal(await failures(address), before + 1);
      const malformed = await desk('hello', 'en', address);
      assertPage(malformed, 400);
      assert.match(malformed.body, /not a transfer code/);
      assert.equal(await failures(address), before + 2, 'a malformed code counts too');
      for (let i = before + 2; i < DEMO_DESK_FAILURES.limit; i++) assert.equal((await desk('0000-0000-00', 'en', address)).statusCode, 404);
      const sent = await send(DEMO_DESK_CHANNEL_ID);
      const limited = await desk(sent.code_display!, 'en', address);
      assertPage(limited, 429);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.match(limited.body, /Too many wrong codes/);
      const record = await db.selectFrom('consents').select('status').where('id', '=', sent.consent_id).executeTakeFirstOrThrow();
      assert.equal(record.status, 'given', 'nothing was handed out');
      // One visitor's wrong codes do not lock the desk for everyone (the demo client's own bucket is untouched).
      assertPage(await desk(sent.code_display!, 'en', '192.0.2.61'), 200);
      assert.equal(await countAttempts(db, `code-failure:${await demoClientUuid()}`), 0);
    });

    test('attack: random tokens and codes from anyone append nothing to the consent audit chain; real refusals still do', async () => {
      const chain = async () => Number((await sql<{ n: string }>`select count(*) as n from consent_audit`.execute(db)).rows[0]!.n);
      const before = await chain();
      for (let i = 0; i < 5; i++) {
        assertPage(await inject({ url: `/demo/receiver?aurora_token=${randomBytes(32).toString('base64url')}&lang=en`, remoteAddress: '192.0.2.70' }), 404);
        assertPage(await desk(`${randomBytes(5).toString('hex').slice(0, 10).toUpperCase().replace(/[ILOU]/g, '7')}`, 'en', '192.0.2.71'), 404);
      }
      assertPage(await inject({ url: '/demo/receiver?aurora_token=%3Cscript%3E', remoteAddress: '192.0.2.70' }), 404);
      assert.equal(await chain(), before, 'the chain did not grow');
      const sent = await send(DEMO_WEB_CHANNEL_ID);
      const link = new URL(sent.link!);
      assertPage(await inject({ url: link.pathname + link.search, remoteAddress: '192.0.2.72' }), 200);
      assertPage(await inject({ url: link.pathname + link.search, remoteAddress: '192.0.2.72' }), 410);
      const events = await db.selectFrom('consent_audit').select(['event', 'reason']).where('consent_id', '=', sent.consent_id).orderBy('seq').execute();
      assert.deepEqual(events.map((e) => `${e.event}:${e.reason}`), ['issue:null', 'redeem:null', 'refuse:used'], 'a real consent keeps its whole story');
    });

    test('attack: one address opening links and sending codes past the limit gets 429 pages with Retry-After; another address is served', async () => {
      const address = '192.0.2.80';
      await fillAttempts(db, `${DEMO_PAGES.name}:${address}`, DEMO_PAGES.limit - 1);
      const sent = await send(DEMO_WEB_CHANNEL_ID);
      const link = new URL(sent.link!);
      assertPage(await inject({ url: link.pathname + link.search, remoteAddress: address }), 200);
      const linkLimited = await inject({ url: `/demo/receiver?aurora_token=${randomBytes(32).toString('base64url')}&lang=en`, remoteAddress: address });
      assertPage(linkLimited, 429);
      assert.ok(Number(linkLimited.headers['retry-after']) > 0);
      assert.match(linkLimited.body, /Too many tries from this address/);
      const code = await send(DEMO_DESK_CHANNEL_ID);
      const deskLimited = await desk(code.code_display!, 'sv', address);
      assertPage(deskLimited, 429);
      assert.ok(Number(deskLimited.headers['retry-after']) > 0);
      assert.match(deskLimited.body, /För många försök från den här adressen/);
      assertPage(await desk(code.code_display!, 'en', '192.0.2.81'), 200);
    });

    test('a revoked demo client turns the pages off (404), and they never redeem as another client', async () => {
      await db.updateTable('api_clients').set({ revoked_at: new Date() }).where('name', '=', DEMO_CLIENT_NAME).execute();
      const off = await inject({ url: `/demo/receiver?aurora_token=${randomBytes(32).toString('base64url')}&lang=en` });
      assertPage(off, 404);
      assert.match(off.body, /not in use/);
      assertPage(await desk('0000-0000-00'), 404);
    });

    test('not set up on a network without the demo catalogue', async () => {
      const other = await createTestApp(backend);
      try {
        assert.equal(await setUpDemoService(other.database.db, { publicUrl: undefined, port: 8080 }), undefined);
        assert.equal((await demoState(other.database.db)).clients.length, 0);
        assertPage(await other.app.inject({ url: '/demo/desk' }), 200);
        assertPage(await other.app.inject({ method: 'POST', url: '/demo/desk', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'code=0000000000' }), 404);
      } finally {
        await other.close();
      }
    });
  });

  describe(`demo receiving service on start (${backend})`, () => {
    const drops: (() => Promise<void>)[] = [];
    /**
     * A fresh place for a network's data: a PGlite folder, or a new PostgreSQL database, migrated
     * already (what is tested is the demo, not a first migration, which made most of this file's time).
     */
    async function storage(): Promise<{ dataDir?: string; databaseUrl?: string }> {
      const { target, drop } = await createSharedDatabase(backend, 'aurora-demo-');
      drops.push(drop);
      return target.kind === 'postgres' ? { databaseUrl: target.url } : { dataDir: target.dataDir };
    }
    // An empty databaseUrl keeps a PGlite folder from being overridden by DATABASE_URL.
    const start = (where: { dataDir?: string; databaseUrl?: string }, demo: boolean) =>
      serve({ databaseUrl: '', ...where, port: 0, host: '127.0.0.1', demo, logLevel: 'silent' });
    after(async () => {
      for (const drop of drops) await drop();
    });

    test('the start that loads the demo sets it up, with the port served; the next start changes nothing', async () => {
      const where = await storage();
      let network: RunningNetwork = await start(where, true);
      let state: Awaited<ReturnType<typeof demoState>> | undefined;
      try {
        state = await demoState(network.database.db);
        const port = new URL(network.url).port;
        assert.equal(state.clients.length, 1);
        assert.deepEqual(state.targets.map((r) => r.url).sort(), [`http://localhost:${port}/demo/desk`, `http://localhost:${port}/demo/receiver`]);
        const desk = await fetch(`${network.url}/demo/desk`);
        assert.equal(desk.status, 200);
      } finally {
        await network.stop();
      }
      network = await start(where, true);
      try {
        assert.deepEqual(await demoState(network.database.db), state);
      } finally {
        await network.stop();
      }
    });

    test('attack: a production start (NODE_ENV=production) never sets it up nor serves its pages, even where an earlier start did', async () => {
      const where = await storage();
      const production = async () => {
        const was = process.env.NODE_ENV;
        process.env.NODE_ENV = 'production';
        try {
          return await start(where, true);
        } finally {
          if (was === undefined) delete process.env.NODE_ENV;
          else process.env.NODE_ENV = was;
        }
      };
      let network = await production();
      try {
        const state = await demoState(network.database.db);
        assert.deepEqual([state.clients.length, state.targets.length, state.channel], [0, 0, undefined], 'nothing of the receiving service');
        assert.ok((await network.database.db.selectFrom('services').select('id').where('id', '=', DEMO_SERVICE_ID).executeTakeFirst()) !== undefined, 'the demo catalogue is loaded as AURORA_DEMO says');
        assert.equal((await fetch(`${network.url}/demo/desk`)).status, 404);
      } finally {
        await network.stop();
      }
      // Set up by a newcomer's start, then started in production: the pages that redeem as the demo client are gone.
      const own = await openDatabase(where.databaseUrl ? { kind: 'postgres', url: where.databaseUrl } : { kind: 'pglite', dataDir: where.dataDir! });
      try {
        assert.ok(await setUpDemoService(own.db, { publicUrl: undefined, port: 8080 }));
      } finally {
        await own.close();
      }
      network = await production();
      try {
        assert.equal((await demoState(network.database.db)).clients.length, 1, 'set up before');
        assert.equal((await fetch(`${network.url}/demo/desk`)).status, 404);
        const desk = await fetch(`${network.url}/demo/desk`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'code=0000000000' });
        assert.equal(desk.status, 404);
        assert.equal((await fetch(`${network.url}/demo/receiver?aurora_token=${randomBytes(32).toString('base64url')}`)).status, 404);
      } finally {
        await network.stop();
      }
    });

    test('not with --no-demo, and not on a network that has its own catalogue', async () => {
      const bare = await start(await storage(), false);
      try {
        const state = await demoState(bare.database.db);
        assert.deepEqual([state.clients.length, state.targets.length, state.channel], [0, 0, undefined]);
        assert.equal((await fetch(`${bare.url}/demo/desk`)).status, 404, 'nor its pages');
      } finally {
        await bare.stop();
      }
      const where = await storage();
      const own = await openDatabase(where.databaseUrl ? { kind: 'postgres', url: where.databaseUrl } : { kind: 'pglite', dataDir: where.dataDir! });
      await importPtvFiles(own.db, SMALL_DEMO, { actor: 'operator' });
      await own.close();
      const network = await start(where, true);
      try {
        const state = await demoState(network.database.db);
        assert.deepEqual([state.clients.length, state.targets.length, state.channel], [0, 0, undefined]);
      } finally {
        await network.stop();
      }
    });
  });
}

