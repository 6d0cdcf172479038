import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import type { Database } from '../db/database.ts';
import { appendConsentAudit, chainOf, verifyAuditChain, type ConsentAuditEntry } from './audit-chain.ts';

/**
 * Any sequence of appends across consents verifies, and any one change made past the append-only
 * trigger — a changed field, a removed row, two rows swapped, a chain's last row removed — is found
 * in the chain it was made in. Many appends at once, from separate connections, never fork a chain.
 */

/** Thrown to roll a run's transaction back, so that every run starts from the same empty log. */
class RollBack extends Error {}

type Tamper =
  | { kind: 'change'; pick: number; field: 'actor' | 'reason' | 'event' | 'consent_id' | 'at' }
  | { kind: 'delete'; pick: number }
  | { kind: 'swap'; pick: number }
  | { kind: 'cut-tail'; pick: number };

const tamperArb: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), pick: fc.nat(), field: fc.constantFrom('actor' as const, 'reason' as const, 'event' as const, 'consent_id' as const, 'at' as const) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('cut-tail' as const), pick: fc.nat() }),
);

/** Makes the change; returns the chain it was made in, or null when the log has no row it applies to. */
async function applyTamper(tx: Db, tamper: Tamper): Promise<number | null> {
  const rows = await tx.selectFrom('consent_audit').select(['seq', 'chain', 'link', 'event']).orderBy('seq').execute();
  if (rows.length === 0) return null;
  const row = rows[tamper.pick % rows.length]!;
  const chain = Number(row.chain);
  const where = sql`chain = ${chain} and link = ${row.link}`;
  switch (tamper.kind) {
    case 'change': {
      const set = {
        actor: sql`actor = actor || '~'`,
        reason: sql`reason = coalesce(reason, '') || '~'`,
        event: sql`event = ${row.event === 'issue' ? 'redeem' : 'issue'}`,
        consent_id: sql`consent_id = ${randomUUID()}`,
        at: sql`at = at + interval '1 millisecond'`,
      }[tamper.field];
      await sql`update consent_audit set ${set} where ${where}`.execute(tx);
      return chain;
    }
    case 'delete':
      await sql`delete from consent_audit where ${where}`.execute(tx);
      return chain;
    case 'swap': {
      const next = rows.find((r) => Number(r.chain) === chain && Number(r.link) === Number(row.link) + 1);
      if (!next) return null;
      await sql`update consent_audit set link = -link where chain = ${chain} and link in (${row.link}, ${next.link})`.execute(tx);
      await sql`update consent_audit set link = case link when ${-Number(row.link)} then ${Number(next.link)}::bigint else ${Number(row.link)}::bigint end where chain = ${chain} and link < 0`.execute(tx);
      return chain;
    }
    case 'cut-tail': {
      const last = Math.max(...rows.filter((r) => Number(r.chain) === chain).map((r) => Number(r.link)));
      await sql`delete from consent_audit where chain = ${chain} and link = ${last}`.execute(tx);
      return chain;
    }
  }
}

const consents = Array.from({ length: 12 }, () => randomUUID());
const entryArb: fc.Arbitrary<ConsentAuditEntry> = fc.record({
  event: fc.constantFrom('issue' as const, 'redeem' as const, 'refuse' as const, 'withdraw' as const, 'purge' as const),
  consentId: fc.option(fc.constantFrom(...consents), { nil: null, freq: 5 }),
  actor: fc.constantFrom('person', 'system', randomUUID()),
  reason: fc.option(fc.constantFrom('unknown', 'used', 'expired', 'erase'), { nil: null }),
});

for (const backend of testBackends()) {
  describe(`consent audit chains under random appends and a random change (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(async () => database.close());

    test('without a change every run verifies; with one, verify names the chain it was made in', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(entryArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }), fc.option(tamperArb, { nil: null, freq: 3 }), async (batches, tamper) => {
          await database.db
            .transaction()
            .execute(async (tx) => {
              for (const batch of batches) await appendConsentAudit(tx, batch);
              const clean = await verifyAuditChain(tx);
              assert.equal(clean.ok, true, JSON.stringify(clean));
              assert.equal(clean.count, batches.flat().length);
              if (tamper) {
                await sql`alter table consent_audit disable trigger consent_audit_append_only`.execute(tx);
                const chain = await applyTamper(tx, tamper);
                if (chain !== null) {
                  const found = await verifyAuditChain(tx);
                  assert.equal(found.ok, false, `${JSON.stringify(tamper)} went unseen`);
                  assert.deepEqual(found.broken!.map((b) => b.chain), [chain], JSON.stringify(found));
                }
              }
              throw new RollBack();
            })
            .catch((error: unknown) => {
              if (!(error instanceof RollBack)) throw error;
            });
        }),
        { numRuns: 40 },
      );
    });

    test("200 appends at once (separate connections on PostgreSQL) never fork a chain; a consent's events stay in its chain and order", async () => {
      const db = database.db;
      const few = Array.from({ length: 5 }, () => randomUUID());
      const appends = Array.from({ length: 200 }, (_, i) => {
        const consentId = i % 4 === 0 ? few[i % few.length]! : i % 4 === 1 ? null : randomUUID();
        return appendConsentAudit(db, i % 10 === 0 ? [{ event: 'purge', consentId, actor: 'system' }, { event: 'purge', consentId: randomUUID(), actor: 'system' }] : { event: 'issue', consentId, actor: 'x' });
      });
      await Promise.all(appends);
      const verified = await verifyAuditChain(db);
      assert.equal(verified.ok, true, JSON.stringify(verified));
      assert.equal(verified.count, 220);
      const rows = await db.selectFrom('consent_audit').select(['chain', 'link', 'consent_id']).where('chain', '>', 0).execute();
      const heads = await db.selectFrom('consent_audit_chains').select(['chain', 'link']).execute();
      for (const head of heads) {
        const links = rows.filter((r) => r.chain === head.chain).map((r) => Number(r.link)).sort((a, b) => a - b);
        assert.deepEqual(links, Array.from({ length: Number(head.link) }, (_, i) => i + 1), `chain ${head.chain}: no gaps, no forks`);
      }
      for (const id of few) assert.deepEqual([...new Set(rows.filter((r) => r.consent_id === id).map((r) => r.chain))], [chainOf(id)]);
      assert.ok(new Set(rows.map((r) => r.chain)).size > 30, 'the appends spread over the chains');
    });
  });
}
