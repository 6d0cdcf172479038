import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ConsentAuditEvent } from '../db/schema.ts';
import { canonicalJson } from '../lib/canonical-json.ts';

/**
 * The consent audit log: every consent event (issue, redeem, each refusal, withdraw, purge) as one
 * row of a hash chain. Each row keeps the previous row's hash and its own:
 *   hash = SHA-256(prev_hash || canonical JSON of { seq, at, event, consent_id, actor, reason })
 * so changing, removing or reordering a row breaks every link after it. Attribute values never
 * enter the log. Appends lock the one-row chain head (`select … for update`) inside their
 * transaction: concurrent appends queue and the chain never forks (PostgreSQL and PGlite alike).
 */

export type { ConsentAuditEvent };

export type RefusalReason = 'unknown' | 'wrong-client' | 'used' | 'expired' | 'withdrawn' | 'gone';

export interface ConsentAuditEntry {
  event: ConsentAuditEvent;
  consentId: string | null;
  /** An API client's id, or 'person' (the consent key holder) or 'system'. */
  actor: string;
  reason?: string | null | undefined;
}

export interface ConsentAuditRow {
  seq: number;
  at: string;
  event: ConsentAuditEvent;
  consent_id: string | null;
  actor: string;
  reason: string | null;
}

/** The hash of one row given its predecessor's (hex; the first row's predecessor is ''). */
export function auditHash(prevHash: string, row: ConsentAuditRow): string {
  return createHash('sha256').update(prevHash + canonicalJson(row), 'utf8').digest('hex');
}

/** Appends events to the chain, in order, in one transaction (or in the caller's). */
export async function appendConsentAudit(db: Db, entries: ConsentAuditEntry | readonly ConsentAuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? (entries as readonly ConsentAuditEntry[]) : [entries as ConsentAuditEntry];
  if (list.length === 0) return;
  const write = async (tx: Db) => {
    const head = await sql<{ seq: number | string; hash: string }>`select seq, hash from consent_audit_head where id = 1 for update`.execute(tx);
    const current = head.rows[0];
    if (!current) throw new Error('the consent audit chain has no head (migration 2026-11-27-02-consent-audit)');
    let seq = Number(current.seq);
    let prev = current.hash;
    // Milliseconds, as a JS Date keeps them, so the stored time gives back the hashed text.
    const at = new Date();
    const rows = list.map((e) => {
      seq += 1;
      const row: ConsentAuditRow = { seq, at: at.toISOString(), event: e.event, consent_id: e.consentId, actor: e.actor, reason: e.reason ?? null };
      const hash = auditHash(prev, row);
      const stored = { ...row, at, prev_hash: prev, hash };
      prev = hash;
      return stored;
    });
    await tx.insertInto('consent_audit').values(rows).execute();
    await tx.updateTable('consent_audit_head').set({ seq, hash: prev }).where('id', '=', 1).execute();
  };
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
}

export interface AuditVerification {
  ok: boolean;
  /** Rows checked (all of them when ok). */
  count: number;
  /** The first seq whose link is broken: changed, missing or out of place. */
  first_bad_seq?: number;
  reason?: string;
}

/** Walks the chain from seq 1 and reports the first broken link. */
export async function verifyAuditChain(db: Db, batch = 1000): Promise<AuditVerification> {
  let expectedSeq = 1;
  let prev = '';
  let count = 0;
  for (;;) {
    const rows = await db
      .selectFrom('consent_audit')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batch)
      .execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) return { ok: false, count, first_bad_seq: expectedSeq, reason: `seq ${expectedSeq} is missing (next is ${seq})` };
      if (r.prev_hash !== prev) return { ok: false, count, first_bad_seq: seq, reason: `seq ${seq} does not follow its predecessor` };
      const row: ConsentAuditRow = { seq, at: new Date(r.at).toISOString(), event: r.event, consent_id: r.consent_id, actor: r.actor, reason: r.reason };
      if (auditHash(prev, row) !== r.hash) return { ok: false, count, first_bad_seq: seq, reason: `seq ${seq} has been changed` };
      prev = r.hash;
      expectedSeq += 1;
      count += 1;
    }
    if (rows.length < batch) break;
  }
  const head = await db.selectFrom('consent_audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (!head) return { ok: false, count, first_bad_seq: expectedSeq, reason: 'the chain head is missing' };
  if (Number(head.seq) !== count || head.hash !== prev)
    return { ok: false, count, first_bad_seq: Math.min(expectedSeq, Number(head.seq)), reason: `the chain head is at seq ${Number(head.seq)} but the log ends at ${count}` };
  return { ok: true, count };
}
