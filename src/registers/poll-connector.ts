import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { identityKeyOf } from '../identity/accounts/identity-keys.ts';
import { recordLifeEvent } from '../events/record-life-event.ts';
import type { KnownPerson, RegisterConnector } from './connector.ts';

export interface PollDeps {
  /** The network's subject key: identity codes become identity keys under it, as at login. */
  subjectKey: Buffer;
  /** Where a skipped record's reason goes: the connector, the cursor its batch was read after, its place in the batch and why; never the record. */
  warn?: (details: { connector: string; after: string | null; index: number; reason: string }) => void;
}

export interface BatchOutcome {
  /** Records in the batch (0: the connector is up to date). */
  read: number;
  events: number;
  /** Records about people without an account: nobody could have consented, nothing is recorded. */
  unknown: number;
  malformed: number;
  /** False when another run moved the cursor while this batch was read: nothing was recorded, the other run's stands. */
  committed: boolean;
}

async function findPerson(tx: Db, identityKey: string): Promise<KnownPerson | undefined> {
  const row = await tx.selectFrom('identity_accounts').select(['id', 'shared_claims']).where('identity_key', '=', identityKey).executeTakeFirst();
  if (!row) return undefined;
  const code = (row.shared_claims as { municipality_code?: unknown }).municipality_code;
  return { accountId: row.id, municipality: typeof code === 'string' && /^\d{3}$/.test(code) ? code : null };
}

/**
 * Reads one batch from the connector's source after its persisted cursor and records the events it
 * means, advancing the cursor in the same transaction: a crash before the commit leaves the cursor
 * where it was, so the batch is read again (its events are recorded once: recordLifeEvent is
 * idempotent on the source id), and nothing after a commit is read twice.
 */
export async function pollConnector(db: Db, connector: RegisterConnector<any>, deps: PollDeps): Promise<BatchOutcome> {
  await db.insertInto('register_cursors').values({ connector: connector.name, cursor: null }).onConflict((oc) => oc.column('connector').doNothing()).execute();
  const { cursor } = await db.selectFrom('register_cursors').select('cursor').where('connector', '=', connector.name).executeTakeFirstOrThrow();
  const batch = await connector.source.poll(cursor);
  const outcome: BatchOutcome = { read: batch.changes.length, events: 0, unknown: 0, malformed: 0, committed: false };
  if (batch.changes.length === 0 && batch.nextCursor === cursor) return { ...outcome, committed: true };
  await db.transaction().execute(async (tx) => {
    const locked = await tx.selectFrom('register_cursors').select('cursor').where('connector', '=', connector.name).forUpdate().executeTakeFirstOrThrow();
    if (locked.cursor !== cursor) return;
    for (const [index, record] of batch.changes.entries()) {
      const read = connector.read(record);
      if ('malformed' in read) {
        outcome.malformed++;
        deps.warn?.({ connector: connector.name, after: cursor, index, reason: read.malformed });
        continue;
      }
      const person = await findPerson(tx, identityKeyOf(deps.subjectKey, read.identityCode));
      if (!person) {
        outcome.unknown++;
        continue;
      }
      for (const event of await connector.events(tx, read.change, person)) {
        let recorded;
        try {
          recorded = await recordLifeEvent(tx, { ...event, accountId: person.accountId, source: connector.name });
        } catch (error) {
          // recordLifeEvent refuses an event it cannot record (RangeError) before writing anything, so the
          // transaction goes on: one such record must not stop the connector for ever.
          if (!(error instanceof RangeError)) throw error;
          outcome.malformed++;
          deps.warn?.({ connector: connector.name, after: cursor, index, reason: `its event cannot be recorded: ${error.message}` });
          continue;
        }
        if (recorded.created) outcome.events++;
      }
    }
    await tx
      .updateTable('register_cursors')
      .set({
        cursor: batch.nextCursor,
        changes_read: sql`changes_read + ${outcome.read}`,
        events_recorded: sql`events_recorded + ${outcome.events}`,
        unknown_people: sql`unknown_people + ${outcome.unknown}`,
        malformed: sql`malformed + ${outcome.malformed}`,
        updated_at: new Date(),
      })
      .where('connector', '=', connector.name)
      .execute();
    outcome.committed = true;
  });
  return outcome;
}

/** Polls batch after batch until the source has nothing new (or `maxBatches`, so one run cannot hold the job for ever). */
export async function pollUntilCurrent(db: Db, connector: RegisterConnector<any>, deps: PollDeps, maxBatches = 100): Promise<BatchOutcome> {
  const total: BatchOutcome = { read: 0, events: 0, unknown: 0, malformed: 0, committed: true };
  for (let i = 0; i < maxBatches; i++) {
    const batch = await pollConnector(db, connector, deps);
    total.read += batch.read;
    total.events += batch.events;
    total.unknown += batch.unknown;
    total.malformed += batch.malformed;
    if (!batch.committed || batch.read === 0) break;
  }
  return total;
}
