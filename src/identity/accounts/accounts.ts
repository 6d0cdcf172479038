import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { DerivedClaims } from './derived-claims.ts';

/**
 * A person's account at the network's OpenID Provider: a random id, the keyed hash of their identity
 * code (identity-keys.ts) and the derived claims they agreed to share. Nothing else: no name, no
 * identity code, no date of birth.
 */

/** The account of an identity key, made at the first login; the login time is kept. */
export async function findOrCreateAccount(db: Db, identityKey: string): Promise<string> {
  const row = await db
    .insertInto('identity_accounts')
    .values({ id: randomBytes(16).toString('base64url'), identity_key: identityKey })
    .onConflict((oc) => oc.column('identity_key').doUpdateSet({ last_login_at: sql`now()` }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Keeps the claims the person just agreed to share (a new value replaces the old one); the others are left as they were. */
export async function keepSharedClaims(db: Db, accountId: string, claims: DerivedClaims): Promise<void> {
  if (Object.keys(claims).length === 0) return;
  await db
    .updateTable('identity_accounts')
    .set({ shared_claims: sql`shared_claims || ${JSON.stringify(claims)}::jsonb` })
    .where('id', '=', accountId)
    .execute();
}

export async function sharedClaims(db: Db, accountId: string): Promise<DerivedClaims | undefined> {
  const row = await db.selectFrom('identity_accounts').select('shared_claims').where('id', '=', accountId).executeTakeFirst();
  return row ? (row.shared_claims as DerivedClaims) : undefined;
}
