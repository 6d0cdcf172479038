import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { RegisterFactRequestTable, RegisterFactStatus } from '../db/schema.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import type { FactValue } from './facts.ts';

/** What the register fact use cases share: the row, the sealing of a fact and the ends a request can reach. */
export type RequestRow = Selectable<RegisterFactRequestTable>;

/** The associated data binds a sealed fact to its request: a payload copied to another row does not open. */
export const factAad = (requestId: string) => `register-fact:${requestId}`;

export const sealFact = (keyring: PayloadKeyring, requestId: string, value: FactValue) => keyring.seal(JSON.stringify(value), factAad(requestId));
export const openFact = (keyring: PayloadKeyring, row: { id: string; payload: string | null; payload_key: string | null }): FactValue | null =>
  row.payload && row.payload_key ? (JSON.parse(keyring.open({ keyId: row.payload_key, data: row.payload }, factAad(row.id))) as FactValue) : null;

/** Still open: the person may answer (pending) or the service may collect (approved). */
export const OPEN: readonly RegisterFactStatus[] = ['pending', 'approved'];

/** A request's status as it stands: an open one past its time is expired, whether or not the purge has run. */
export const statusOf = (row: Pick<RequestRow, 'status' | 'expires_at'>, now = new Date()): RegisterFactStatus =>
  OPEN.includes(row.status) && row.expires_at <= now ? 'expired' : row.status;

export const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The request of the account, or undefined (another person's, an unknown id: the same answer). */
export async function requestOfAccount(db: Db, accountId: string, id: string, lock = false): Promise<RequestRow | undefined> {
  if (!UUID.test(id)) return undefined;
  let query = db.selectFrom('register_fact_requests').selectAll().where('id', '=', id).where('account_id', '=', accountId);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
