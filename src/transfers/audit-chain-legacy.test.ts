import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Migrator, sql, type Kysely } from 'kysely';
import { openDatabase, type Database, type Db } from '../db/database.ts';
import { allMigrations } from '../db/migrate.ts';
import { canonicalJson } from '../lib/canonical-json.ts';
import { createPostgresDatabase, testBackends, type Backend } from '../testing/databases.ts';
import { appendConsentAudit, verifyAuditChain } from './audit-chain.ts';

/**
 * The move from one chain to many: rows written before it stay verifiable as the legacy chain, and
 * a server of the previous release that still appends through the old head during a rolling deploy
 * neither clashes with the new rows nor breaks verification; a change to a legacy row is found.
 */

const CHAINS_MIGRATION = '2026-12-05-20-consent-audit-chains';

/** The previous release's append, as it was: lock the one head, seq = head + 1, hash over seq. */
async function previousReleaseAppend(db: Db, entries: { event: 'issue' | 'redeem' | 'refuse'; consentId: string | null; actor: string; reason?: string }[]) {
  await db.transaction().execute(async (tx) => {
    const head = await sql<{ seq: string | number; hash: string }>`select seq, hash from consent_audit_head where id = 1 for update`.execute(tx);
    let seq = Number(head.rows[0]!.seq);
    let prev = head.rows[0]!.hash;
    const at = new Date();
    for (const e of entries) {
      seq += 1;
      const row = { seq, at: at.toISOString(), event: e.event, consent_id: e.consentId, actor: e.actor, reason: e.reason ?? null };
      const hash = createHash('sha256').update(prev + canonicalJson(row), 'utf8').digest('hex');
      await sql`insert into consent_audit (seq, at, event, consent_id, actor, reason, prev_hash, hash) values (${seq}, ${at}, ${e.event}, ${e.consentId}, ${e.actor}, ${row.reason}, ${prev}, ${hash})`.execute(tx);
      prev = hash;
    }
    await sql`update consent_audit_head set seq = ${seq}, hash = ${prev} where id = 1`.execute(tx);
  });
}

async function openUnmigrated(backend: Backend): Promise<Database> {
  if (backend === 'pglite') return openDatabase({ kind: 'pglite-memory' }, { migrate: false });
  const { url, drop } = await createPostgresDatabase();
  const database = await openDatabase({ kind: 'postgres', url }, { migrate: false });
  return { ...database, close: async () => (await database.close(), await drop()) };
}

async function migrate(db: Kysely<any>, upTo?: string) {
  const all = await allMigrations();
  const chosen = upTo ? Object.fromEntries(Object.entries(all).filter(([name]) => name < upTo)) : all;
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => chosen } }).migrateToLatest();
  if (error) throw error;
}

for (const backend of testBackends()) {
  describe(`the legacy chain across the move to many chains (${backend})`, () => {
    let database: Database;
    let db: Db;
    const consent = randomUUID();
    before(async () => {
      database = await openUnmigrated(backend);
      db = database.db;
      await migrate(db, CHAINS_MIGRATION);
    });
    after(async () => database.close());

    test('rows from before, rows an older server appends during the deploy and new rows all verify; each kind of change is found', async () => {
      await previousReleaseAppend(db, [
        { event: 'issue', consentId: consent, actor: 'sender' },
        { event: 'refuse', consentId: null, actor: 'receiver', reason: 'unknown' },
        { event: 'redeem', consentId: consent, actor: 'receiver' },
      ]);
      await migrate(db);
      assert.deepEqual(await verifyAuditChain(db).then((v) => [v.ok, v.count]), [true, 3], 'the rows from before verify as they are');

      // Old and new servers append side by side, as during a rolling deploy.
      await Promise.all([
        previousReleaseAppend(db, [{ event: 'refuse', consentId: consent, actor: 'receiver', reason: 'used' }]),
        appendConsentAudit(db, { event: 'issue', consentId: randomUUID(), actor: 'sender' }),
        previousReleaseAppend(db, [{ event: 'issue', consentId: randomUUID(), actor: 'sender' }]),
        appendConsentAudit(db, [{ event: 'refuse', consentId: null, actor: 'receiver', reason: 'unknown' }]),
      ]);
      const verified = await verifyAuditChain(db);
      assert.equal(verified.ok, true, JSON.stringify(verified));
      assert.equal(verified.count, 7);

      const legacy = await db.selectFrom('consent_audit').select(['seq', 'chain', 'link']).where((eb) => eb.or([eb('chain', 'is', null), eb('chain', '=', 0)])).orderBy('seq').execute();
      assert.deepEqual(
        legacy.map((r) => [r.chain, r.link === null ? null : Number(r.link)]),
        [[null, null], [null, null], [null, null], [0, 4], [0, 5]],
        "the older server's rows are filed in the legacy chain at the place they hashed",
      );
      const seqs = (await db.selectFrom('consent_audit').select('seq').execute()).map((r) => Number(r.seq));
      assert.equal(new Set(seqs).size, 7, 'row ids never clash');

      const tamper = async (statement: ReturnType<typeof sql>) => {
        await sql`alter table consent_audit disable trigger consent_audit_append_only`.execute(db);
        try {
          await statement.execute(db);
        } finally {
          await sql`alter table consent_audit enable trigger consent_audit_append_only`.execute(db);
        }
      };
      await tamper(sql`update consent_audit set actor = 'someone' where seq = 2 and chain is null`);
      const changed = await verifyAuditChain(db);
      assert.deepEqual([changed.ok, changed.first_bad_chain, changed.first_bad_link, changed.first_bad_seq], [false, 0, 2, 2]);
      await tamper(sql`update consent_audit set actor = 'receiver' where seq = 2 and chain is null`);

      const appendedByOld = legacy[4]!;
      await tamper(sql`update consent_audit set reason = 'x' where seq = ${appendedByOld.seq}`);
      const changedLater = await verifyAuditChain(db);
      assert.deepEqual([changedLater.first_bad_chain, changedLater.first_bad_link, changedLater.first_bad_seq], [0, 5, Number(appendedByOld.seq)]);
      assert.match(changedLater.reason!, /changed/);
      await tamper(sql`delete from consent_audit where seq = ${appendedByOld.seq}`);
      const cut = await verifyAuditChain(db);
      assert.deepEqual([cut.first_bad_chain, cut.first_bad_link], [0, 5]);
      assert.match(cut.reason!, /head is at link 5 but the chain ends at 4/);

      await tamper(sql`delete from consent_audit where seq = 3 and chain is null`);
      const gap = await verifyAuditChain(db);
      assert.deepEqual([gap.first_bad_chain, gap.first_bad_link], [0, 3]);
      assert.match(gap.reason!, /missing/);
    });
  });
}
