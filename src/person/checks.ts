import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { HttpProblem, badRequest, notFound } from '../http/problem.ts';
import type { Meter } from '../recommender/meters.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { audit } from '../audit/audit.ts';
import { spendAddressAttempt } from '../rate-limits/per-address.ts';
import { CHECK_SAVES } from './limits.ts';
import { lockPerson } from './person-key.ts';
import type { SealedColumn } from '../keys/reseal.ts';

/**
 * Life-situation checks a person chose to save on the network (the citizen app keeps them in the
 * browser unless the person asks). The meters and the time of the check are sealed under the
 * current payload key with the check's id as associated data; only the owner's subject, the id and
 * when it was saved are in clear. At most CHECK_LIMIT per person.
 */

export const CHECK_LIMIT = 100;
/** A check may be dated at most this far ahead of the server's clock (clocks differ). */
const FUTURE_SLACK_MS = 24 * 3600 * 1000;
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');

export interface Check {
  id: string;
  taken_at: string;
  meters: Partial<Record<Meter, number>>;
}

const aad = (id: string) => `person-check:${id}`;

/** Saved checks' column, for resealing after a payload key rotation (keys/reseal.ts). */
export const PERSON_CHECKS_SEALED: SealedColumn = { table: 'person_checks', id: 'id', keyId: 'payload_key', data: 'payload', aad };

type CheckInput = { taken_at?: string | undefined; meters: Partial<Record<Meter, number>> };

export async function saveCheck(db: Db, keyring: PayloadKeyring, person: string, input: CheckInput): Promise<Check> {
  const takenAt = input.taken_at === undefined ? new Date() : new Date(input.taken_at);
  if (Number.isNaN(takenAt.getTime()) || takenAt.getTime() < EARLIEST || takenAt.getTime() > Date.now() + FUTURE_SLACK_MS)
    throw badRequest('the time of the check is not plausible', [{ field: 'taken_at', message: 'is a time between 2000 and now' }]);
  const check: Check = { id: randomUUID(), taken_at: takenAt.toISOString(), meters: input.meters };
  const sealed = keyring.seal(JSON.stringify({ taken_at: check.taken_at, meters: check.meters }), aad(check.id));
  await db.transaction().execute(async (tx) => {
    // Counted under the person's lock, so parallel saves cannot pass the limit.
    await lockPerson(tx, person);
    const count = await tx.selectFrom('person_checks').select(sql<number>`count(*)::int`.as('n')).where('person', '=', person).executeTakeFirstOrThrow();
    if (count.n >= CHECK_LIMIT)
      throw new HttpProblem(409, 'check-limit', 'Conflict', `at most ${CHECK_LIMIT} checks are kept for you: delete some first`);
    await tx.insertInto('person_checks').values({ id: check.id, person, payload: sealed.data, payload_key: sealed.keyId }).execute();
    await audit(tx, { actor: 'person', action: 'person.check.save', target: check.id });
  });
  return check;
}

/** A save from the person API, where the address limit keeps one machine from filling the database. */
export async function saveCheckFrom(db: Db, keyring: PayloadKeyring, person: string, address: string, input: CheckInput): Promise<Check> {
  await spendAddressAttempt(db, CHECK_SAVES, address);
  return saveCheck(db, keyring, person, input);
}

/** The person's checks, newest first; those whose key is no longer configured are counted apart. */
export async function listChecks(db: Db, keyring: PayloadKeyring, person: string): Promise<{ checks: Check[]; unreadable: number }> {
  const rows = await db.selectFrom('person_checks').select(['id', 'payload', 'payload_key']).where('person', '=', person).execute();
  const checks: Check[] = [];
  let unreadable = 0;
  for (const row of rows) {
    try {
      const opened = JSON.parse(keyring.open({ keyId: row.payload_key, data: row.payload }, aad(row.id))) as Omit<Check, 'id'>;
      checks.push({ id: row.id, taken_at: opened.taken_at, meters: opened.meters });
    } catch {
      unreadable += 1;
    }
  }
  checks.sort((a, b) => (a.taken_at < b.taken_at ? 1 : a.taken_at > b.taken_at ? -1 : a.id < b.id ? -1 : 1));
  return { checks, unreadable };
}

/** Deletes one of the person's checks (404 when they have none with this id). */
export async function deleteCheck(db: Db, person: string, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const deleted = await tx.deleteFrom('person_checks').where('id', '=', id).where('person', '=', person).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw notFound('you have no check with this id');
    await audit(tx, { actor: 'person', action: 'person.check.delete', target: id });
  });
}

export async function deleteAllChecks(tx: Db, person: string): Promise<number> {
  const deleted = await tx.deleteFrom('person_checks').where('person', '=', person).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
