import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from './keys.ts';

/**
 * Long-lived values sealed with the payload keyring (a person's profile data key, an account's
 * person key, saved checks, TOTP secrets) sealed again under the current payload key, so that an
 * old key can be removed after a rotation without losing them. Each domain states its column here
 * (the table, the row's id, the key id and data columns, and the associated data its seal binds the
 * value to); the job walks them in batches. A row is changed only if it is still under the key it
 * was read under, so servers running this at the same time, or a person changing the value
 * meanwhile, lose nothing. Values under a key that is no longer configured are counted, not touched.
 */
export interface SealedColumn {
  table: string;
  id: string;
  keyId: string;
  data: string;
  aad: (id: string) => string;
}

export interface ResealOutcome {
  table: string;
  resealed: number;
  /** Rows under a payload key that is not configured: they cannot be read until it is put back. */
  unreadable: number;
}

const BATCH = 200;

export async function resealColumn(db: Db, keyring: PayloadKeyring, column: SealedColumn): Promise<ResealOutcome> {
  const table = sql.table(column.table);
  const [id, keyId, data] = [sql.ref(column.id), sql.ref(column.keyId), sql.ref(column.data)];
  const older = keyring.ids.filter((k) => k !== keyring.currentId);
  let resealed = 0;
  if (older.length) {
    for (;;) {
      const { rows } = await sql<{ id: string; key_id: string; data: string }>`
        select ${id}::text as id, ${keyId} as key_id, ${data} as data from ${table}
        where ${keyId} in (${sql.join(older)}) and ${data} is not null
        order by ${id} limit ${BATCH}`.execute(db);
      for (const row of rows) {
        const again = keyring.seal(keyring.open({ keyId: row.key_id, data: row.data }, column.aad(row.id)), column.aad(row.id));
        const { numAffectedRows } = (
          await sql`update ${table} set ${keyId} = ${again.keyId}, ${data} = ${again.data} where ${id}::text = ${row.id} and ${keyId} = ${row.key_id} and ${data} = ${row.data}`.execute(db)
        ) as { numAffectedRows?: bigint };
        if ((numAffectedRows ?? 0n) > 0n) resealed++;
      }
      if (rows.length < BATCH) break;
    }
  }
  const { rows: lost } = await sql<{ n: number }>`
    select count(*)::int as n from ${table} where ${keyId} is not null and ${data} is not null and not (${keyId} in (${sql.join(keyring.ids)}))`.execute(db);
  return { table: column.table, resealed, unreadable: lost[0]?.n ?? 0 };
}

/** Every column, one after another; what each came to. */
export async function resealAll(db: Db, keyring: PayloadKeyring, columns: readonly SealedColumn[]): Promise<ResealOutcome[]> {
  const outcomes: ResealOutcome[] = [];
  for (const column of columns) outcomes.push(await resealColumn(db, keyring, column));
  return outcomes;
}
