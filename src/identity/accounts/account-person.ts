import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { conflict } from '../../http/problem.ts';
import type { PayloadKeyring } from '../../keys/keys.ts';
import { mergePerson, type Merged } from '../../person/merge.ts';
import { subjectOf } from '../../person/person-key.ts';
import type { SealedColumn } from '../../keys/reseal.ts';

/**
 * An account's person: the person key the person attached from the citizen app, kept sealed with
 * the payload keyring so that a login on another device gives it back (and with it their
 * consents, saved checks, transfers and profile), and its subject, by which the network finds the
 * profile of an account whose service holds a token. A person is attached to at most one account,
 * an account has at most one person; the first key attached stays (the app of every later device
 * takes it over). When a service keeps something for an account that has none yet, the network
 * makes one (`create`), which the app then receives at the person's next login.
 */

const aad = (accountId: string) => `account-person:${accountId}`;

/** The sealed person keys' column, for resealing after a payload key rotation (keys/reseal.ts). */
export const ACCOUNT_PERSON_KEYS_SEALED: SealedColumn = { table: 'identity_account_persons', id: 'account_id', keyId: 'key_id', data: 'sealed_key', aad };

async function lockAccount(tx: Db, accountId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`aurora-account:${accountId}`}, 0))`.execute(tx);
}

async function keyOf(tx: Db, keyring: PayloadKeyring, accountId: string): Promise<{ personKey: string; person: string } | undefined> {
  const row = await tx.selectFrom('identity_account_persons').select(['person', 'sealed_key', 'key_id']).where('account_id', '=', accountId).executeTakeFirst();
  return row ? { person: row.person, personKey: keyring.open({ keyId: row.key_id, data: row.sealed_key }, aad(accountId)) } : undefined;
}

async function insert(tx: Db, keyring: PayloadKeyring, accountId: string, personKey: string, person: string) {
  const sealed = keyring.seal(personKey, aad(accountId));
  await tx.insertInto('identity_account_persons').values({ account_id: accountId, person, sealed_key: sealed.data, key_id: sealed.keyId }).execute();
}

export interface Attached {
  /** The account's person key: the one sent when it was attached now, else the one attached before. */
  personKey: string;
  /** True when the key sent was attached now. */
  attached: boolean;
  /** When the account had a key already and the key sent kept something on the server: what moved to the account's person. */
  merged?: Merged;
}

/**
 * Attaches a person key to the account, unless the account has one already: then that one is the
 * answer, the app takes it over, and what the key sent kept on the server moves to the account's
 * person (person/merge.ts) so that nothing the person did anonymously in this browser is lost.
 * 409 when the account has no key and the key sent belongs to another account.
 */
export async function attachPersonKey(db: Db, keyring: PayloadKeyring, subjectKey: Buffer, accountId: string, personKey: string): Promise<Attached> {
  return db.transaction().execute(async (tx) => {
    await lockAccount(tx, accountId);
    const existing = await keyOf(tx, keyring, accountId);
    const person = subjectOf(subjectKey, personKey);
    const taken = await tx.selectFrom('identity_account_persons').select('account_id').where('person', '=', person).executeTakeFirst();
    if (existing) {
      // The browser's own data joins the account's, unless its key is another account's (then it stays that account's).
      if (existing.person === person || taken) return { personKey: existing.personKey, attached: false };
      const merged = await mergePerson(tx, keyring, person, existing.person);
      const moved = merged.consents + merged.checks + merged.profile_attributes > 0;
      return { personKey: existing.personKey, attached: false, ...(moved ? { merged } : {}) };
    }
    if (taken) throw conflict('person-key-attached-elsewhere', 'Attached to another account', 'this browser’s data is attached to another account: log in with that one, or forget this device to start afresh');
    await insert(tx, keyring, accountId, personKey, person);
    return { personKey, attached: true };
  });
}

/** The subject of the account's person; with `create`, a new person is made for an account that has none. */
export async function personOfAccount(db: Db, keyring: PayloadKeyring, subjectKey: Buffer, accountId: string, create: boolean): Promise<string | undefined> {
  const row = await db.selectFrom('identity_account_persons').select('person').where('account_id', '=', accountId).executeTakeFirst();
  if (row || !create) return row?.person;
  return db.transaction().execute(async (tx) => {
    await lockAccount(tx, accountId);
    const again = await tx.selectFrom('identity_account_persons').select('person').where('account_id', '=', accountId).executeTakeFirst();
    if (again) return again.person;
    const personKey = randomBytes(32).toString('base64url');
    const person = subjectOf(subjectKey, personKey);
    await insert(tx, keyring, accountId, personKey, person);
    return person;
  });
}

/** Forgets the person's account link (their erasure): the account stays, without a person. */
export async function detachPerson(tx: Db, person: string): Promise<boolean> {
  const deleted = await tx.deleteFrom('identity_account_persons').where('person', '=', person).executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}
