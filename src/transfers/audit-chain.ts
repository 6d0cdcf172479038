import { createHash, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ConsentAuditEvent } from '../db/schema.ts';
import { canonicalJson } from '../lib/canonical-json.ts';

/**
 * The consent audit log: every consent event (issue, redeem, each refusal, withdraw, purge) as one
 * row of a hash chain, without attribute values. There are CHAINS chains, each with its own head
 * row (consent_audit_chains), so appends for different consents do not queue on one lock. A
 * consent's events always go to the chain its id names (chainOf), so its issue → redeem → withdraw
 * order is one chain's order; an event without a consent (an unknown token) goes to any chain.
 * Each row keeps its predecessor's hash and its own:
 *   hash = SHA-256(prev_hash || canonical JSON of { chain, link, at, event, consent_id, actor, reason })
 * so changing, removing or reordering a row breaks every link after it in its chain, and moving a
 * row to another chain changes it. Removing a chain's last rows is seen against its head.
 *
 * Appends lock the heads of the chains they write (in chain order, so that a purge writing many
 * never deadlocks with another) inside the transaction of the change they record: a chain never
 * forks, and (chain, link) is unique besides. seq is only a row id, taken from a sequence.
 *
 * The rows written before chains are the legacy chain: their place is their seq, hashed as
 * { seq, at, event, consent_id, actor, reason }, with consent_audit_head as its head. A server of
 * the previous release may still append to it during a rolling deploy; the migration's trigger
 * files such a row as chain 0 with link = its legacy seq (2026-12-05-20-consent-audit-chains.ts).
 *
 * The heads live beside the rows, so someone who can rewrite the table can also rewrite a head,
 * as with the single chain before: the chains show changes made past the append-only trigger
 * without the heads, and `aurora audit verify` prints the heads' digest for keeping elsewhere.
 */

export type { ConsentAuditEvent };

export type RefusalReason = 'unknown' | 'wrong-client' | 'used' | 'expired' | 'withdrawn' | 'gone';

/** How many chains there are: the migration made this many heads, and chainOf spreads consents over them. */
export const CHAINS = 64;
/** The chain of rows from before chains (and of rows an older server still appends). */
export const LEGACY_CHAIN = 0;

/** Rows per INSERT, well under PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 1000;

export interface ConsentAuditEntry {
  event: ConsentAuditEvent;
  consentId: string | null;
  /** An API client's id, or 'person' (the consent key holder) or 'system'. */
  actor: string;
  reason?: string | null | undefined;
}

/** What a row's hash covers. */
export interface ConsentAuditRow {
  chain: number;
  link: number;
  at: string;
  event: ConsentAuditEvent;
  consent_id: string | null;
  actor: string;
  reason: string | null;
}

/** The chain a consent's events go to: from the id's first 32 bits (random in a v4 UUID); any chain without a consent. */
export function chainOf(consentId: string | null): number {
  if (!consentId) return 1 + randomInt(CHAINS);
  const bits = Number.parseInt(consentId.slice(0, 8), 16);
  return 1 + ((Number.isNaN(bits) ? 0 : bits) % CHAINS);
}

/** The hash of one row given its predecessor's (hex; a chain's first row's predecessor is ''). */
export function auditHash(prevHash: string, row: ConsentAuditRow): string {
  const covered =
    row.chain === LEGACY_CHAIN
      ? { seq: row.link, at: row.at, event: row.event, consent_id: row.consent_id, actor: row.actor, reason: row.reason }
      : row;
  return createHash('sha256').update(prevHash + canonicalJson(covered), 'utf8').digest('hex');
}

interface StoredRow {
  at: Date;
  event: ConsentAuditEvent;
  consent_id: string | null;
  actor: string;
  reason: string | null;
  prev_hash: string;
  hash: string;
  chain: number;
  link: number;
}

/** Appends events, each to its consent's chain and in order within it, in one transaction (or in the caller's). */
export async function appendConsentAudit(db: Db, entries: ConsentAuditEntry | readonly ConsentAuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? (entries as readonly ConsentAuditEntry[]) : [entries as ConsentAuditEntry];
  if (list.length === 0) return;
  const placed = list.map((entry) => ({ entry, chain: chainOf(entry.consentId) }));
  const chains = [...new Set(placed.map((p) => p.chain))].sort((a, b) => a - b);
  const write = async (tx: Db) => {
    const locked = await sql<{ chain: number; link: number | string; hash: string }>`
      select chain, link, hash from consent_audit_chains where chain in (${sql.join(chains)}) order by chain for update`.execute(tx);
    const heads = new Map(locked.rows.map((h) => [Number(h.chain), { link: Number(h.link), hash: h.hash }]));
    for (const chain of chains) if (!heads.has(chain)) throw new Error(`the consent audit chain ${chain} has no head (migration 2026-12-05-20-consent-audit-chains)`);
    // Milliseconds, as a JS Date keeps them, so the stored time gives back the hashed text.
    const at = new Date();
    const rows: StoredRow[] = placed.map(({ entry, chain }) => {
      const head = heads.get(chain)!;
      const row: ConsentAuditRow = { chain, link: head.link + 1, at: at.toISOString(), event: entry.event, consent_id: entry.consentId, actor: entry.actor, reason: entry.reason ?? null };
      const hash = auditHash(head.hash, row);
      const stored = { ...row, at, prev_hash: head.hash, hash };
      heads.set(chain, { link: row.link, hash });
      return stored;
    });
    for (let i = 0; i + ROWS_PER_INSERT < rows.length; i += ROWS_PER_INSERT) await tx.insertInto('consent_audit').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
    const last = rows.slice(Math.floor((rows.length - 1) / ROWS_PER_INSERT) * ROWS_PER_INSERT);
    const moved = chains.map((chain) => sql`(${chain}::smallint, ${heads.get(chain)!.link}::bigint, ${heads.get(chain)!.hash}::text)`);
    // The last rows and the heads they move in one statement: one round trip fewer while the heads are locked.
    await sql`
      with appended as (
        insert into consent_audit (chain, link, at, event, consent_id, actor, reason, prev_hash, hash)
        values ${sql.join(last.map((r) => sql`(${r.chain}, ${r.link}, ${r.at}, ${r.event}, ${r.consent_id}, ${r.actor}, ${r.reason}, ${r.prev_hash}, ${r.hash})`))}
      )
      update consent_audit_chains h set link = v.link, hash = v.hash
        from (values ${sql.join(moved)}) as v(chain, link, hash)
       where h.chain = v.chain`.execute(tx);
  };
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
}

/** Where a chain first breaks. */
export interface ChainBreak {
  chain: number;
  /** The place in the chain that is changed, missing or out of order. */
  link: number;
  /** The row id there, when there is a row. */
  seq?: number;
  reason: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Rows that verified (all of them when ok). */
  count: number;
  /** The first break's row id, or its place when the row is missing (as before chains). */
  first_bad_seq?: number;
  /** The first break's chain and place. */
  first_bad_chain?: number;
  first_bad_link?: number;
  reason?: string;
  /** The first break of each broken chain. */
  broken?: ChainBreak[];
  /** SHA-256 of every head (chain, link, hash), to keep elsewhere and compare: a rewritten head changes it. */
  heads_digest?: string;
}

interface ReadRow {
  seq: number | string;
  at: Date | string;
  event: ConsentAuditEvent;
  consent_id: string | null;
  actor: string;
  reason: string | null;
  prev_hash: string;
  hash: string;
  chain: number | null;
  link: number | string | null;
}

/** Walks one chain from its first link; its rows come in place order from `next(after, limit)`. */
async function walkChain(
  chain: number,
  next: (after: number, limit: number) => Promise<{ rows: ReadRow[]; after: number }>,
  head: { link: number; hash: string } | undefined,
  batch: number,
): Promise<{ count: number; broken?: ChainBreak }> {
  let expected = 1;
  let prev = '';
  let count = 0;
  let after = 0;
  for (;;) {
    const page = await next(after, batch);
    for (const r of page.rows) {
      const link = chain === LEGACY_CHAIN && r.chain === null ? Number(r.seq) : Number(r.link);
      const seq = Number(r.seq);
      if (link !== expected) return { count, broken: { chain, link: expected, reason: `chain ${chain} link ${expected} is missing (next is ${link})` } };
      if (r.prev_hash !== prev) return { count, broken: { chain, link, seq, reason: `chain ${chain} link ${link} (seq ${seq}) does not follow its predecessor` } };
      const row: ConsentAuditRow = { chain, link, at: new Date(r.at).toISOString(), event: r.event, consent_id: r.consent_id, actor: r.actor, reason: r.reason };
      if (auditHash(prev, row) !== r.hash) return { count, broken: { chain, link, seq, reason: `chain ${chain} link ${link} (seq ${seq}) has been changed` } };
      prev = r.hash;
      expected += 1;
      count += 1;
    }
    after = page.after;
    if (page.rows.length < batch) break;
  }
  if (!head) return { count, broken: { chain, link: expected, reason: `chain ${chain} has no head` } };
  if (head.link !== count || head.hash !== prev)
    return { count, broken: { chain, link: Math.min(expected, head.link), reason: `chain ${chain}'s head is at link ${head.link} but the chain ends at ${count}` } };
  return { count };
}

/** Walks every chain from its first link and reports the first broken link of each. */
export async function verifyAuditChain(db: Db, batch = 1000): Promise<AuditVerification> {
  const pick = ['seq', 'at', 'event', 'consent_id', 'actor', 'reason', 'prev_hash', 'hash', 'chain', 'link'] as const;
  const heads = (await db.selectFrom('consent_audit_chains').select(['chain', 'link', 'hash']).orderBy('chain').execute()).map((h) => ({ chain: Number(h.chain), link: Number(h.link), hash: h.hash }));
  const legacyHead = await db.selectFrom('consent_audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  let count = 0;
  const broken: ChainBreak[] = [];

  // The legacy chain: the rows from before chains by seq, then those an older server appended since (chain 0) by link.
  let inLegacyTail = false;
  const legacy = await walkChain(
    LEGACY_CHAIN,
    async (after, limit) => {
      let rows: ReadRow[] = [];
      if (!inLegacyTail) {
        rows = await db.selectFrom('consent_audit').select(pick).where('chain', 'is', null).where('seq', '>', after).orderBy('seq').limit(limit).execute();
        if (rows.length < limit) inLegacyTail = true;
      }
      if (inLegacyTail && rows.length < limit) {
        const lastPre = rows.length ? Number(rows[rows.length - 1]!.seq) : after;
        const tail = await db.selectFrom('consent_audit').select(pick).where('chain', '=', LEGACY_CHAIN).where('link', '>', lastPre).orderBy('link').limit(limit - rows.length).execute();
        rows = [...rows, ...tail];
      }
      const last = rows[rows.length - 1];
      return { rows, after: last ? (last.chain === null ? Number(last.seq) : Number(last.link)) : after };
    },
    legacyHead ? { link: Number(legacyHead.seq), hash: legacyHead.hash } : undefined,
    batch,
  );
  count += legacy.count;
  if (legacy.broken) broken.push(legacy.broken);

  const byChain = new Map(heads.map((h) => [h.chain, h]));
  for (let chain = 1; chain <= CHAINS; chain++) {
    const result = await walkChain(
      chain,
      async (after, limit) => {
        const rows = await db.selectFrom('consent_audit').select(pick).where('chain', '=', chain).where('link', '>', after).orderBy('link').limit(limit).execute();
        const last = rows[rows.length - 1];
        return { rows, after: last ? Number(last.link) : after };
      },
      byChain.get(chain),
      batch,
    );
    count += result.count;
    if (result.broken) broken.push(result.broken);
  }

  // A row in no chain that is walked (a chain number out of range, a chain without a place) is seen by the count.
  const total = await db.selectFrom('consent_audit').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const stray = Number(total.n) - count;
  if (broken.length === 0 && stray > 0) {
    const row = await db
      .selectFrom('consent_audit')
      .select(['seq', 'chain', 'link'])
      .where((eb) => eb.or([eb('chain', 'is not', null).and('link', 'is', null), eb('chain', '<', LEGACY_CHAIN), eb('chain', '>', CHAINS)]))
      .orderBy('seq')
      .executeTakeFirst();
    broken.push({ chain: row?.chain ?? -1, link: Number(row?.link ?? 0), ...(row ? { seq: Number(row.seq) } : {}), reason: `${stray} row${stray === 1 ? ' is' : 's are'} in no chain` });
  }

  const heads_digest = createHash('sha256')
    .update(canonicalJson([{ chain: LEGACY_CHAIN, link: Number(legacyHead?.seq ?? 0), hash: legacyHead?.hash ?? '' }, ...heads]))
    .digest('hex');
  const first = broken[0];
  if (!first) return { ok: true, count, heads_digest };
  return { ok: false, count, first_bad_seq: first.seq ?? first.link, first_bad_chain: first.chain, first_bad_link: first.link, reason: first.reason, broken, heads_digest };
}
