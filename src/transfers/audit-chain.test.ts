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
import { testBackends } from '../testing/databases.ts';
import { appendConsentAudit, verifyAuditChain } from './audit-chain.ts';
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
      assert.deepEqual(await verifyAuditChain(db), { ok: true, count: all.length });
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
      const seqs = (await db.selectFrom('consent_audit').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), 'no gaps, no forks');
    });

    test('the log refuses UPDATE and DELETE', async () => {
      await assert.rejects(sql`update consent_audit set actor = 'x' where seq = 1`.execute(t.database.db), /append-only/);
      await assert.rejects(sql`delete from consent_audit where seq = 1`.execute(t.database.db), /append-only/);
    });

    test('a changed row is found at its seq; a deleted row too', async () => {
      const db = t.database.db;
      const before = await verifyAuditChain(db);
      assert.ok(before.ok && before.count >= 10);
      const third = await db.selectFrom('consent_audit').select('reason').where('seq', '=', 3).executeTakeFirstOrThrow();
      await tamper(db, sql`update consent_audit set reason = 'tampered' where seq = 3`);
      const changed = await verifyAuditChain(db);
      assert.equal(changed.ok, false);
      assert.equal(changed.first_bad_seq, 3);
      assert.equal(changed.count, 2);
      await tamper(db, sql`update consent_audit set reason = ${third.reason} where seq = 3`);
      assert.equal((await verifyAuditChain(db)).ok, true, 'changed back, the chain verifies again');

      // Recomputing a changed row's own hash does not help: the next link no longer follows.
      const row = await db.selectFrom('consent_audit').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
      const { auditHash } = await import('./audit-chain.ts');
      const forged = auditHash(row.prev_hash, { seq: 5, at: new Date(row.at).toISOString(), event: row.event, consent_id: row.consent_id, actor: 'system', reason: row.reason });
      await tamper(db, sql`update consent_audit set actor = 'system', hash = ${forged} where seq = 5`);
      assert.equal((await verifyAuditChain(db)).first_bad_seq, 6);
      await tamper(db, sql`update consent_audit set actor = ${row.actor}, hash = ${row.hash} where seq = 5`);

      await tamper(db, sql`delete from consent_audit where seq = 7`);
      const deleted = await verifyAuditChain(db);
      assert.equal(deleted.ok, false);
      assert.equal(deleted.first_bad_seq, 7);
      assert.match(deleted.reason!, /missing/);

      const last = before.count;
      await tamper(db, sql`delete from consent_audit where seq >= 7`);
      const truncated = await verifyAuditChain(db);
      assert.equal(truncated.ok, false, 'removing the tail is seen by the chain head');
      assert.equal(truncated.first_bad_seq, 7);
      assert.ok(last > 7);
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
    const dataDir = join(work, 'data');
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
    assert.deepEqual(JSON.parse(asJson.stdout), { ok: true, count: 3 });
    database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await tamper(database.db, sql`update consent_audit set actor = 'person' where seq = 2`);
    } finally {
      await database.close();
    }
    const bad = await run(['--data-dir', dataDir, 'audit', 'verify']);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^BROKEN at seq 2\b/);
  });
});
