import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createClient } from '../../src/clients/clients.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { importPtvFiles } from '../../src/operations.ts';
import { SESSION_COOKIE } from '../../src/staff/sessions.ts';
import { addService, nextBusinessId } from '../../src/testing/console.ts';
import { createPostgresDatabase } from '../../src/testing/databases.ts';
import { startServers, stopServers, writeSmallCatalogue, type ServerProcess } from '../../src/testing/server-processes.ts';
import { verifyAuditChain } from '../../src/transfers/audit-chain.ts';
import { enableTransfer } from '../../src/transfers/transfers.ts';

/**
 * One network on three nodes (issue #20): three real `aurora serve` processes on one fresh
 * PostgreSQL database, started together as a deploy starts them, reached only through HTTP, as a
 * load balancer would spread callers over them. State that matters must live in the database:
 * what one node is told, the others act on at once. PGlite is one process, so this needs
 * DATABASE_URL.
 */
const skip = !process.env.DATABASE_URL && 'DATABASE_URL is not set: the multi-node suite runs several servers on one PostgreSQL (PGlite admits one process)';

const root = join(import.meta.dirname, '..', '..');
const ADMIN = { email: 'verkko@multinode.example', password: 'kolme-solmua-yksi-verkko' };
/** The retention job's interval here: short, so that the suite sees it run many times. */
const RETENTION_EVERY_S = 2;
const SITUATION = { meters: { housing: 2, finance: 3, working_studying: 2 }, language: 'en', limit: 10 };

const basic = (client: { client_id: string; client_secret: string }) => `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;

async function call(url: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any, headers: res.headers };
}

/** A console user's browser: the session cookie it got from whichever node, and the CSRF header. */
class Console {
  cookie = '';
  async login(url: string, email: string, password: string) {
    const res = await fetch(`${url}/api/v1/console/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-aurora-csrf': '1' },
      body: JSON.stringify({ email, password }),
    });
    assert.equal(res.status, 200, await res.text());
    const set = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    assert.ok(set, 'a session cookie');
    this.cookie = set.split(';')[0]!;
    return this;
  }
  call(url: string, method: string, path: string, body?: unknown) {
    return call(url, method, path, { body, headers: { cookie: this.cookie, 'x-aurora-csrf': '1' } });
  }
  async ok(url: string, method: string, path: string, body?: unknown, status = method === 'POST' ? 201 : 200) {
    const res = await this.call(url, method, path, body);
    assert.equal(res.status, status, `${method} ${path} on ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}

describe('one network on three nodes (PostgreSQL)', { skip }, () => {
  let drop: () => Promise<void>;
  let database: Database;
  let nodes: ServerProcess[] = [];
  let A: string, B: string, C: string;
  let work: string;
  let admin: Console;
  let memberId: string;
  let channelId: string;
  let receiver: { client_id: string; client_secret: string };
  /** The retention job's count and the database's clock when the nodes were up. */
  let jobsAtStart: { runs: number; at: Date };

  const deposit = (url: string, sender: { client_id: string; client_secret: string }, age = 40) =>
    call(url, 'POST', '/api/v1/transfers', {
      body: { target_channel_id: channelId, attributes: { age, municipality_code: '091' }, purpose: 'multi-node test' },
      headers: { authorization: basic(sender) },
    });

  /** A member's API client, made through the console on `url` by the network administrator. */
  const memberClient = async (url: string, name: string, scopes: string[], rateLimit?: number) =>
    (await admin.ok(url, 'POST', `/api/v1/console/members/${memberId}/clients`, { name, scopes, ...(rateLimit ? { rate_limit_per_minute: rateLimit } : {}) })) as {
      client_id: string;
      client_secret: string;
    };

  before(async () => {
    const created = await createPostgresDatabase({ migrated: true });
    const url = created.url;
    drop = created.drop;
    work = mkdtempSync(join(tmpdir(), 'aurora-multinode-'));
    // Migrated here, then a small catalogue (200 demo services: the suite is about the nodes, not
    // the catalogue's size) and a channel that receives transfers, redeemed by an operator client.
    const began = Date.now();
    database = await openDatabase({ kind: 'postgres', url });
    await importPtvFiles(database.db, [writeSmallCatalogue(work)], { actor: 'test' });
    channelId = (await addService(database.db, 'Vastaanottava palvelu')).channelIds[0]!;
    receiver = await createClient(database.db, 'receiver', ['transfer:receive']);
    await enableTransfer(database.db, { channelId, url: 'https://vastaanotto.example/start', accepts: ['age', 'municipality_code'], clientId: receiver.client_id }, 'test');
    // A per-person record past its retention, for the retention job to find.
    await sql`
      insert into service_events (week, kind, service_id, person)
      values (date_trunc('week', now() - interval '800 days')::date, 1, gen_random_uuid(), gen_random_uuid())`.execute(database.db);

    const startedNodes = Date.now();
    nodes = await startServers(3, {
      databaseUrl: url,
      env: {
        AURORA_ADMIN_EMAIL: ADMIN.email,
        AURORA_ADMIN_PASSWORD: ADMIN.password,
        AURORA_RETENTION_INTERVAL_SECONDS: String(RETENTION_EVERY_S),
      },
      // About 5 s of CPU each; a 2-core machine running other tests beside them needs far longer.
      timeoutMs: 300_000,
    });
    [A, B, C] = nodes.map((n) => n.url) as [string, string, string];
    process.stderr.write(`multinode: database ready in ${startedNodes - began} ms, three nodes serving ${Date.now() - startedNodes} ms later\n`);
    const [row] = (await sql<{ runs: string | null; at: Date }>`select (select runs from job_leases where name = 'retention') as runs, now() as at`.execute(database.db)).rows;
    jobsAtStart = { runs: Number(row!.runs ?? 0), at: row!.at };

    // An organisation applies on B; the administrator, logged in on A, approves it on C.
    admin = await new Console().login(A, ADMIN.email, ADMIN.password);
    const applied = await call(B, 'POST', '/api/v1/console/applications', {
      body: { organisation_name: 'Monisolmu Oy', business_id: nextBusinessId(), contact_name: 'Maija Monisolmu', contact_email: 'maija@monisolmu.example', admin_password: 'monisolmu-salasana-1' },
    });
    assert.equal(applied.status, 201, JSON.stringify(applied.body));
    memberId = applied.body.member_id;
    await admin.ok(C, 'POST', `/api/v1/console/members/${memberId}/approve`, {}, 200);
  });

  after(async () => {
    await stopServers(nodes);
    await database?.close();
    await drop?.();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('a console session made on one node is good on the others, and a logout on one ends it on all', async () => {
    const user = await new Console().login(B, 'maija@monisolmu.example', 'monisolmu-salasana-1');
    for (const url of [A, B, C]) assert.equal((await user.call(url, 'GET', '/api/v1/console/session')).status, 200, url);
    assert.equal((await user.call(C, 'DELETE', '/api/v1/console/session')).status, 204);
    for (const url of [A, B, C]) assert.equal((await user.call(url, 'GET', '/api/v1/console/session')).status, 401, `${url} after the logout on C`);
  });

  test('"not useful" told to node A changes the ranking node B returns, within seconds', async (t) => {
    const recommend = async (url: string) => {
      const res = await call(url, 'POST', '/api/v1/recommendations', { body: SITUATION });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as { recommendation_id: string; items: { service_id: string; score: number }[] };
    };
    const onA = await recommend(A);
    assert.ok(onA.items.length >= 2, 'the situation finds services');
    const rated = onA.items[0]!.service_id;
    const scoreOn = (answer: Awaited<ReturnType<typeof recommend>>) => answer.items.find((i) => i.service_id === rated)?.score ?? -Infinity;
    const before = { B: scoreOn(await recommend(B)), C: scoreOn(await recommend(C)) };
    assert.ok(Number.isFinite(before.B) && Number.isFinite(before.C), 'B and C rank the service too');

    const told = Date.now();
    const feedback = await call(A, 'POST', `/api/v1/recommendations/${onA.recommendation_id}/feedback`, { body: { service_id: rated, rating: -1 } });
    assert.equal(feedback.status, 201, JSON.stringify(feedback.body));
    // Polled with a deadline: the other nodes hear of the signal from the database (LISTEN/NOTIFY).
    for (const [name, url] of [['B', B], ['C', C]] as const) {
      for (;;) {
        const now = scoreOn(await recommend(url));
        if (now < before[name]) break;
        assert.ok(Date.now() - told < 3_000, `node ${name} still ranks the service at ${now} (was ${before[name]}) ${Date.now() - told} ms after the rating`);
        await new Promise((r) => setTimeout(r, 50));
      }
      t.diagnostic(`node ${name} ranked it lower ${Date.now() - told} ms after the rating was sent to A`);
    }
  });

  test('an API client revoked or suspended through node A is refused on B and C at the very next call', async () => {
    const revoked = await memberClient(A, 'to be revoked', ['transfer:send']);
    const suspended = await memberClient(A, 'to be suspended', ['transfer:send']);
    // Each node has used (and so keeps) both clients' rows before they change.
    for (const url of [A, B, C]) for (const client of [revoked, suspended]) assert.equal((await deposit(url, client)).status, 201, url);

    await admin.ok(A, 'POST', `/api/v1/console/members/${memberId}/clients/${revoked.client_id}/revoke`, {}, 200);
    for (const url of [B, C, A]) {
      const res = await deposit(url, revoked);
      assert.equal(res.status, 401, `${url} after the revocation: ${res.status}`);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    }
    await admin.ok(A, 'POST', `/api/v1/console/clients/${suspended.client_id}/suspend`, {}, 200);
    for (const url of [B, C, A]) {
      const res = await deposit(url, suspended);
      assert.equal(res.status, 403, `${url} after the suspension: ${res.status}`);
      assert.match(res.body.type, /client-suspended/);
    }
    // Lifted on C: at once good again on A and B.
    await admin.ok(C, 'POST', `/api/v1/console/clients/${suspended.client_id}/reinstate`, {}, 200);
    for (const url of [A, B]) assert.equal((await deposit(url, suspended)).status, 201, `${url} after reinstating on C`);
  });

  test('a client limited to N calls a minute makes exactly N, its calls spread over the three nodes', async () => {
    const N = 12;
    const extra = 6;
    const limited = await memberClient(A, 'limited', ['transfer:send'], N);
    // The limit is per clock minute: too near the minute's end, the calls would straddle two.
    const second = new Date().getUTCSeconds();
    if (second > 50) await new Promise((r) => setTimeout(r, (60 - second) * 1000 + 300));
    const minute = Math.floor(Date.now() / 60_000);
    const statuses: number[] = [];
    // Three at a time, one to each node.
    for (let i = 0; i < N + extra; i += 3) statuses.push(...(await Promise.all(nodes.map((node) => deposit(node.url, limited)))).map((r) => r.status));
    assert.equal(Math.floor(Date.now() / 60_000), minute, 'the calls took more than 10 s: they straddled a minute, so the count says nothing');
    assert.equal(statuses.filter((s) => s === 201).length, N, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 429).length, extra, JSON.stringify(statuses));
    const refused = await deposit(A, limited);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1, 'says when to try again');
  });

  test('the retention job runs once per network, not once per node', async (t) => {
    // Long enough since the start to tell one runner from three: the tests before may have been quick.
    const since = () => Date.now() - jobsAtStart.at.getTime();
    while (since() < (3 * RETENTION_EVERY_S + 1) * 1000) await new Promise((r) => setTimeout(r, 250));
    const [row] = (await sql<{ runs: string; at: Date }>`select runs, now() as at from job_leases where name = 'retention'`.execute(database.db)).rows;
    const runs = Number(row!.runs) - jobsAtStart.runs;
    const seconds = (row!.at.getTime() - jobsAtStart.at.getTime()) / 1000;
    t.diagnostic(`the retention job ran ${runs} times in ${seconds} s on three nodes, every ${RETENTION_EVERY_S} s`);
    // Each run begins at least the interval after the one before ended, whichever node takes it;
    // three nodes each running it on its own would make about three times as many.
    assert.ok(seconds >= 3 * RETENTION_EVERY_S, `the suite ran long enough to tell (${seconds} s)`);
    assert.ok(runs >= 1, `it ran (${runs} times in ${seconds} s)`);
    assert.ok(runs <= Math.floor(seconds / RETENTION_EVERY_S) + 1, `${runs} runs in ${seconds} s, every ${RETENTION_EVERY_S} s: more than one node ran it per turn`);
    // Its effect: the old event is gone, and one node (whichever took it) reported deleting it.
    const left = await sql<{ n: string }>`select count(*) as n from service_events where week < now() - interval '750 days'`.execute(database.db);
    assert.equal(Number(left.rows[0]!.n), 0);
    const reports = nodes.map((n) => n.output().match(/deleted per-person data past its retention/g)?.length ?? 0);
    assert.equal(reports.reduce((a, b) => a + b, 0), 1, `reports per node: ${reports}`);
  });

  test('a node killed (SIGKILL) in the middle of a stream of writes loses none it accepted, and leaves none half-written', async () => {
    const sender = await memberClient(A, 'stream', ['transfer:send']);
    const accepted: { consent_id: string; token: string; age: number }[] = [];
    let refusedOrLost = 0;
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const age = 18 + (next++ % 80);
        try {
          const res = await deposit(A, sender, age);
          if (res.status === 201) accepted.push({ consent_id: res.body.consent_id, token: res.body.token, age });
          else refusedOrLost++;
        } catch {
          // The connection died with the node: whether that deposit was stored is unknown to the caller.
          refusedOrLost++;
          return;
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    // Killed once it has answered some, while others are in flight.
    while (accepted.length < 15) await new Promise((r) => setTimeout(r, 20));
    nodes[0]!.child.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    assert.equal(await nodes[0]!.exited, 'SIGKILL');
    assert.ok(accepted.length >= 15);

    // Through node B: every deposit A accepted is there, whole: it redeems to what was sent.
    for (const deposit of accepted) {
      const res = await call(B, 'POST', '/api/v1/transfers/redeem', { body: { token: deposit.token }, headers: { authorization: basic(receiver) } });
      assert.equal(res.status, 200, `${deposit.consent_id}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.deepEqual([res.body.consent_id, res.body.attributes], [deposit.consent_id, { age: deposit.age, municipality_code: '091' }]);
    }
    // Nothing half-written: every consent of the stream, answered or not, has its payload (or was
    // redeemed just now) and its one issue event; the audit chain is intact.
    const rows = await sql<{ id: string; status: string; payload: string | null; issued: string }>`
      select c.id, c.status, c.payload, (select count(*) from consent_audit a where a.consent_id = c.id and a.event = 'issue') as issued
        from consents c join api_clients k on k.id = c.sender_client_id
       where k.client_id = ${sender.client_id}`.execute(database.db);
    assert.ok(rows.rows.length >= accepted.length);
    for (const row of rows.rows) {
      assert.equal(Number(row.issued), 1, `consent ${row.id} has one issue event`);
      assert.ok(row.status === 'used' || (row.status === 'given' && row.payload !== null), `consent ${row.id}: ${row.status}, payload ${row.payload ? 'kept' : 'missing'}`);
    }
    const chain = await verifyAuditChain(database.db);
    assert.ok(chain.ok, JSON.stringify(chain));
    // The survivors go on serving.
    for (const url of [B, C]) assert.equal((await call(url, 'GET', '/ready')).status, 200);
  });
});
