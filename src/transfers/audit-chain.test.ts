import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { openDatabase, type Database } from '../db/database.ts';
import { createClient } from '../clients/clients.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import { addChannel } from '../testing/catalogue.ts';
import { createMigratedDataDir, testBackends } from '../testing/databases.ts';
import { appendConsentAudit, chainOf, verifyAuditChain } from './audit-chain.ts';
import { enableTransfer, purgeExpired } from './transfers.ts';

/**
 * The consent audit log: every consent event is a link of a hash chain, without attribute values;
 * a changed or removed row is found at its seq; concurrent appends never fork the chain; an event
 * and the consent change it records commit together or not at all.
 */

const ATTRS = { age: 34, municipality_code: '091', life_situation_meters: { housing: [2], finance: [3] } };
const json = (r: LightMyRequestResponse) => r.json() as Record<string, any>;

/** Changes the log as someone with the table owner's rights could: past the append-only trigger. */
async function tamper(db: Database['db'], statement: ReturnType<typeof sql>) {
  await sql`alter table consent_audit disable trigger consent_audit_append_only`.execute(db);
  try {
    await statement.execute(db);
  } finally {
    await sql`alter table consent_audit enable trigger consent_audit_append_only`.execute(db);
  }
}

/** Makes every new audit row of one event kind fail, as a full disk or a broken chain would. */
async function blockAudit(db: Database['db'], event: string) {
  await sql`alter table consent_audit add constraint test_block check (event <> ${sql.lit(event)}) not valid`.execute(db);
  return async () => {
    await sql`alter table consent_audit drop constraint test_block`.execute(db);
  };
}

/** Every chain's links are 1, 2, … with no gap and no place taken twice, up to its head. */
async function assertNoForks(db: Database['db']) {
  const rows = await db.selectFrom('consent_audit').select(['chain', 'link']).where('chain', '>', 0).orderBy('chain').orderBy('link').execute();
  const heads = await db.selectFrom('consent_audit_chains').select(['chain', 'link']).execute();
  for (const head of heads) {
    const links = rows.filter((r) => r.chain === head.chain).map((r) => Number(r.link));
    assert.deepEqual(links, Array.from({ length: Number(head.link) }, (_, i) => i + 1), `chain ${head.chain}: no gaps, no forks`);
  }
}

for (const backend of testBackends()) {
  describe(`consent audit log (${backend})`, () => {
    let t: TestApp;
    let app: FastifyInstance;
    let channel: string;
    let sender: string;
    let receiver: string;
    let other: string;
    let ids: { sender: string; receiver: string; other: string };

    before(async () => {
      t = await createTestApp(backend);
      app = t.app;
      channel = await addChannel(t.database.db);
      const s = await createClient(t.database.db, 'sender', ['transfer:send']);
      const r = await createClient(t.database.db, 'receiver', ['transfer:receive']);
      const o = await createClient(t.database.db, 'other receiver', ['transfer:receive']);
      sender = basicAuth(s.client_id, s.client_secret);
      receiver = basicAuth(r.client_id, r.client_secret);
      other = basicAuth(o.client_id, o.client_secret);
      const idOf = async (clientId: string) => (await t.database.db.selectFrom('api_clients').select('id').where('client_id', '=', clientId).executeTakeFirstOrThrow()).id;
      ids = { sender: await idOf(s.client_id), receiver: await idOf(r.client_id), other: await idOf(o.client_id) };
      await enableTransfer(t.database.db, { channelId: channel, url: 'https://vastaanotto.example/start', accepts: ['age', 'municipality_code', 'life_situation_meters'], clientId: r.client_id });
    });
    after(async () => t.close());

    const deposit = async () => {
      const r = await app.inject({ method: 'POST', url: '/api/v1/transfers', headers: { authorization: sender }, payload: { target_channel_id: channel, attributes: ATTRS, purpose: 'Jatkaa asumisneuvontaan' } });
      assert.equal(r.statusCode, 201, r.body);
      return json(r) as { consent_id: string; token: string; consent_key: string };
    };
    const redeem = (token: string, authorization = receiver) =>
      app.inject({ method: 'POST', url: '/api/v1/transfers/redeem', headers: { authorization }, payload: { token } });
    const events = async (consentId: string) =>
      (await t.database.db.selectFrom('consent_audit').select(['event', 'actor', 'reason']).where('consent_id', '=', consentId).orderBy('seq').execute()).map(
        (e) => `${e.event}:${e.actor === ids.sender ? 'sender' : e.actor === ids.receiver ? 'receiver' : e.actor === ids.other ? 'other' : e.actor}${e.reason ? `:${e.reason}` : ''}`,
      );

    test('records issue, redeem and every refusal, withdraw and purge, without values', async () => {
      const db = t.database.db;
      const a = await deposit();
      assert.equal((await redeem(a.token, other)).statusCode, 403);
      assert.equal((await redeem(a.token)).statusCode, 200);
      assert.equal((await redeem(a.token)).statusCode, 410);
      assert.deepEqual(await events(a.consent_id), ['issue:sender', 'refuse:other:wrong-client', 'redeem:receiver', 'refuse:receiver:used']);

      const unknownBefore = await db.selectFrom('consent_audit').select(sql<number>`count(*)::int`.as('n')).where('reason', '=', 'unknown').executeTakeFirstOrThrow();
      assert.equal((await redeem(randomBytes(32).toString('base64url'))).statusCode, 404);
      const unknown = await db.selectFrom('consent_audit').selectAll().where('reason', '=', 'unknown').orderBy('seq', 'desc').execute();
      assert.equal(unknown.length, unknownBefore.n + 1);
      assert.equal(unknown[0]!.consent_id, null);
      assert.equal(unknown[0]!.event, 'refuse');
      assert.equal(unknown[0]!.actor, ids.receiver);

      const w = await deposit();
      assert.equal((await app.inject({ method: 'POST', url: `/api/v1/consents/${w.consent_id}/withdraw?key=${w.consent_key}` })).statusCode, 200);
      assert.equal((await app.inject({ method: 'POST', url: `/api/v1/consents/${w.consent_id}/withdraw?key=${w.consent_key}` })).statusCode, 200);
      assert.equal((await redeem(w.token)).statusCode, 410);
      assert.deepEqual(await events(w.consent_id), ['issue:sender', 'withdraw:person', 'refuse:receiver:withdrawn'], 'withdrawing twice is one event');

      const e = await deposit();
      await sql`update consents set expires_at = now() - interval '1 second' where id = ${e.consent_id}`.execute(db);
      assert.equal((await redeem(e.token)).statusCode, 410);
      assert.ok((await purgeExpired(db)) >= 1);
      assert.deepEqual(await events(e.consent_id), ['issue:sender', 'refuse:receiver:expired', 'purge:system']);

      const all = await db.selectFrom('consent_audit').selectAll().execute();
      const text = JSON.stringify(all);
      for (const secret of ['"091"', '"age"', 'housing', 'finance', 'municipality', a.token, w.token, w.consent_key, 'Jatkaa']) assert.ok(!text.includes(secret), `the log holds no ${secret}`);
      const verified = await verifyAuditChain(db);
      assert.equal(verified.ok, true, JSON.stringify(verified));
      assert.equal(verified.count, all.length);
    });

    test('30 concurrent redemptions (and 30 concurrent refusals) leave one valid chain', async () => {
      const db = t.database.db;
      const deposits = await Promise.all(Array.from({ length: 30 }, () => deposit()));
      const answers = await Promise.all(deposits.flatMap((d) => [redeem(d.token), redeem(d.token)]));
      assert.equal(answers.filter((r) => r.statusCode === 200).length, 30);
      assert.equal(answers.filter((r) => r.statusCode === 410).length, 30);
      for (const d of deposits) assert.deepEqual((await events(d.consent_id)).sort(), ['issue:sender', 'redeem:receiver', 'refuse:receiver:used']);
      const verified = await verifyAuditChain(db);
      assert.equal(verified.ok, true, JSON.stringify(verified));
      await assertNoForks(db);
      for (const d of deposits) {
        const chains = await db.selectFrom('consent_audit').select('chain').distinct().where('consent_id', '=', d.consent_id).execute();
        assert.deepEqual(chains.map((c) => c.chain), [chainOf(d.consent_id)], "a consent's events are in its one chain");
      }
    });

    test('the log refuses UPDATE and DELETE', async () => {
      await assert.rejects(sql`update consent_audit set actor = 'x' where seq = 1`.execute(t.database.db), /append-only/);
      await assert.rejects(sql`delete from consent_audit where seq = 1`.execute(t.database.db), /append-only/);
    });

    test('a changed, forged, reordered or deleted row is found at its chain and link; so is a removed tail', async () => {
      const db = t.database.db;
      const before = await verifyAuditChain(db);
      assert.ok(before.ok && before.count >= 10, JSON.stringify(before));
      // The chain with the most rows, so that a row has rows after it.
      const busiest = await db.selectFrom('consent_audit').select(['chain', sql<number>`count(*)::int`.as('n')]).where('chain', '>', 0).groupBy('chain').orderBy('n', 'desc').executeTakeFirstOrThrow();
      const chain = Number(busiest.chain);
      assert.ok(busiest.n >= 3, `chain ${chain} has ${busiest.n} rows`);
      const at = (link: number) => db.selectFrom('consent_audit').selectAll().where('chain', '=', chain).where('link', '=', link).executeTakeFirstOrThrow();
      const second = await at(2);

      await tamper(db, sql`update consent_audit set reason = 'tampered' where seq = ${second.seq}`);
      const changed = await verifyAuditChain(db);
      assert.equal(changed.ok, false);
      assert.deepEqual([changed.first_bad_chain, changed.first_bad_link, changed.first_bad_seq], [chain, 2, Number(second.seq)]);
      assert.match(changed.reason!, /changed/);
      assert.equal(changed.broken!.length, 1, 'the other chains verify');
      await tamper(db, sql`update consent_audit set reason = ${second.reason} where seq = ${second.seq}`);
      assert.equal((await verifyAuditChain(db)).ok, true, 'changed back, the chains verify again');

      // Recomputing a changed row's own hash does not help: the next link no longer follows.
      const { auditHash } = await import('./audit-chain.ts');
      const forged = auditHash(second.prev_hash, { chain, link: 2, at: new Date(second.at).toISOString(), event: second.event, consent_id: second.consent_id, actor: 'system', reason: second.reason });
      await tamper(db, sql`update consent_audit set actor = 'system', hash = ${forged} where seq = ${second.seq}`);
      const refollowed = await verifyAuditChain(db);
      assert.deepEqual([refollowed.first_bad_chain, refollowed.first_bad_link], [chain, 3]);
      await tamper(db, sql`update consent_audit set actor = ${second.actor}, hash = ${second.hash} where seq = ${second.seq}`);

      // A row moved out of its place leaves a gap behind.
      const third = await at(3);
      await tamper(db, sql`update consent_audit set link = link + 1000 where seq = ${third.seq}`);
      const moved = await verifyAuditChain(db);
      assert.deepEqual([moved.first_bad_chain, moved.first_bad_link], [chain, 3]);
      assert.match(moved.reason!, /missing/);
      await tamper(db, sql`update consent_audit set link = 3 where seq = ${third.seq}`);

      // Two rows swapped: each stands where the other's predecessor should be.
      // (Through negative links: (chain, link) is unique at every row.)
      const swap = async () => {
        await tamper(db, sql`update consent_audit set link = -link where chain = ${chain} and link in (2, 3)`);
        await tamper(db, sql`update consent_audit set link = case link when -2 then 3 else 2 end where chain = ${chain} and link in (-2, -3)`);
      };
      await swap();
      const swapped = await verifyAuditChain(db);
      assert.deepEqual([swapped.first_bad_chain, swapped.first_bad_link], [chain, 2]);
      assert.match(swapped.reason!, /does not follow/);
      await swap();
      assert.equal((await verifyAuditChain(db)).ok, true);

      await tamper(db, sql`delete from consent_audit where seq = ${second.seq}`);
      const deleted = await verifyAuditChain(db);
      assert.deepEqual([deleted.ok, deleted.first_bad_chain, deleted.first_bad_link], [false, chain, 2]);
      assert.match(deleted.reason!, /missing/);

      // Only the last row of another chain removed: the chain itself is whole, its head is not.
      const other = await db.selectFrom('consent_audit_chains').select(['chain', 'link']).where('chain', '!=', chain).where('link', '>', 0).orderBy('chain').executeTakeFirstOrThrow();
      await tamper(db, sql`delete from consent_audit where chain = ${other.chain} and link = ${other.link}`);
      const truncated = await verifyAuditChain(db);
      const tail = truncated.broken!.find((b) => b.chain === Number(other.chain));
      assert.ok(tail, JSON.stringify(truncated));
      assert.equal(tail.link, Number(other.link));
      assert.match(tail.reason, /head is at link/);

      // A row put where no chain is walked is counted, not passed over.
      await tamper(db, sql`delete from consent_audit where chain = ${chain} and link >= 2`);
      await sql`update consent_audit_chains set link = 1, hash = ${(await at(1)).hash} where chain = ${chain}`.execute(db);
      // (The other chain may have held only the row removed: its head is then the empty one, link 0 and hash ''.)
      await sql`update consent_audit_chains set link = (select count(*) from consent_audit where chain = ${other.chain}), hash = coalesce((select hash from consent_audit where chain = ${other.chain} order by link desc limit 1), '') where chain = ${other.chain}`.execute(db);
      assert.equal((await verifyAuditChain(db)).ok, true, 'both chains cut back to whole, with heads to match');
      const stray = await at(1);
      await tamper(db, sql`insert into consent_audit (chain, link, at, event, consent_id, actor, reason, prev_hash, hash) values (99, 1, ${stray.at}, 'issue', null, 'system', null, '', 'x')`);
      const strayed = await verifyAuditChain(db);
      assert.equal(strayed.ok, false);
      assert.match(strayed.reason!, /1 row is in no chain/);
      assert.equal(strayed.first_bad_chain, 99);
    });
  });

  describe(`an audit event commits with its consent change (${backend})`, () => {
    let t: TestApp;
    let app: FastifyInstance;
    let db: Database['db'];
    let web: string;
    let desk: string;
    let sender: string;
    let receiver: string;

    before(async () => {
      t = await createTestApp(backend);
      app = t.app;
      db = t.database.db;
      web = await addChannel(db, { type: 'EChannel' });
      desk = await addChannel(db, { type: 'ServiceLocation' });
      const s = await createClient(db, 'sender', ['transfer:send']);
      const r = await createClient(db, 'receiver', ['transfer:receive']);
      sender = basicAuth(s.client_id, s.client_secret);
      receiver = basicAuth(r.client_id, r.client_secret);
      const accepts = ['age', 'municipality_code', 'life_situation_meters'];
      await enableTransfer(db, { channelId: web, url: 'https://verkko.example/in', accepts, clientId: r.client_id });
      await enableTransfer(db, { channelId: desk, url: 'https://tiski.example/in', accepts, clientId: r.client_id });
    });
    after(async () => t.close());

    const deposit = (extra: Record<string, unknown> = {}, target = web) =>
      app.inject({ method: 'POST', url: '/api/v1/transfers', headers: { authorization: sender }, payload: { target_channel_id: target, attributes: ATTRS, purpose: 'p', ...extra } });
    const redeem = (token: string) => app.inject({ method: 'POST', url: '/api/v1/transfers/redeem', headers: { authorization: receiver }, payload: { token } });
    const count = async (table: 'consents' | 'consent_audit') => (await db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;

    test('a failing audit write undoes the consent change: deposit (with its code), redeem, withdraw, purge', async () => {
      let unblock = await blockAudit(db, 'issue');
      const consentsBefore = await count('consents');
      assert.equal((await deposit()).statusCode, 500);
      assert.equal((await deposit({ code: true }, desk)).statusCode, 500);
      await unblock();
      assert.equal(await count('consents'), consentsBefore, 'no consent without its issue event');
      const codes = await sql<{ n: number }>`select count(*)::int as n from transfer_codes`.execute(db);
      assert.equal(codes.rows[0]!.n, 0, 'nor a code');

      const d = json(await deposit());
      unblock = await blockAudit(db, 'redeem');
      assert.equal((await redeem(d.token)).statusCode, 500);
      await unblock();
      let row = await db.selectFrom('consents').select(['status', 'payload']).where('id', '=', d.consent_id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'given');
      assert.ok(row.payload, 'the payload was not taken without its redeem event');
      assert.equal((await redeem(d.token)).statusCode, 200);

      const w = json(await deposit());
      unblock = await blockAudit(db, 'withdraw');
      assert.equal((await app.inject({ method: 'POST', url: `/api/v1/consents/${w.consent_id}/withdraw`, payload: { key: w.consent_key } })).statusCode, 500);
      await unblock();
      row = await db.selectFrom('consents').select(['status', 'payload']).where('id', '=', w.consent_id).executeTakeFirstOrThrow();
      assert.equal(row.status, 'given');
      assert.ok(row.payload);

      await sql`update consents set expires_at = now() - interval '1 second' where id = ${w.consent_id}`.execute(db);
      unblock = await blockAudit(db, 'purge');
      await assert.rejects(purgeExpired(db));
      await unblock();
      row = await db.selectFrom('consents').select(['status', 'payload']).where('id', '=', w.consent_id).executeTakeFirstOrThrow();
      assert.ok(row.payload, 'not purged without its purge event');
      assert.ok((await purgeExpired(db)) >= 1);
      const events = await db.selectFrom('consent_audit').select('event').where('consent_id', '=', w.consent_id).orderBy('seq').execute();
      assert.deepEqual(events.map((e) => e.event), ['issue', 'purge']);
    });
  });
}

describe('aurora audit verify', () => {
  const root = join(import.meta.dirname, '..', '..');
  const work = mkdtempSync(join(tmpdir(), 'aurora-audit-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(root, 'bin', 'aurora.js'), ...args], { cwd: root, env: { ...process.env, DATABASE_URL: '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  test('prints OK with the count, or the first bad seq and exits 1', async () => {
    // Migrated already: the command is what is tested, not a first start's migrating.
    const dataDir = join(work, 'data');
    await createMigratedDataDir(dataDir);
    const empty = await run(['--data-dir', dataDir, 'audit', 'verify']);
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /^OK\b.*\(0 events\)/);
    let database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await appendConsentAudit(database.db, [
        { event: 'issue', consentId: randomUUID(), actor: randomUUID() },
        { event: 'refuse', consentId: null, actor: randomUUID(), reason: 'unknown' },
        { event: 'purge', consentId: randomUUID(), actor: 'system' },
      ]);
    } finally {
      await database.close();
    }
    const ok = await run(['--data-dir', dataDir, 'audit', 'verify']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^OK\b.*\(3 events\)/);
    const asJson = await run(['--data-dir', dataDir, 'audit', 'verify', '--json']);
    const parsed = JSON.parse(asJson.stdout);
    assert.deepEqual([parsed.ok, parsed.count], [true, 3]);
    assert.match(parsed.heads_digest, /^[0-9a-f]{64}$/);
    database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await tamper(database.db, sql`update consent_audit set actor = 'person' where seq = 2`);
    } finally {
      await database.close();
    }
    const bad = await run(['--data-dir', dataDir, 'audit', 'verify']);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^BROKEN at chain ([1-9]|[1-5]\d|6[0-4]) link \d+ \(seq 2\): chain \d+ link \d+ \(seq 2\) has been changed\n/);
  });
});
