import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { keyedCodeHash } from '../transfers/codes.ts';

/**
 * Whether a token or a code names any transfer at all, read without writing. The demo pages ask
 * first, because a redemption refused as unknown appends to the consent audit chain, which is kept
 * for good: an anonymous caller posting random tokens would grow it without end. Only transfers that
 * exist go on to the redemption, whose refusals (used, expired, another service's) stay audited.
 */

/** Tokens are kept as their SHA-256 (src/transfers/transfers.ts). */
export async function tokenKnown(db: Db, token: string): Promise<boolean> {
  const hash = createHash('sha256').update(token, 'utf8').digest('base64url');
  return Boolean(await db.selectFrom('consents').select('id').where('token_hash', '=', hash).executeTakeFirst());
}

/**
 * Codes are kept as keyed HMACs under one of the configured payload keys (src/transfers/codes.ts).
 * Codes from before keyed hashing are not looked for: they expired within the code's time to live.
 */
export async function codeKnown(db: Db, keyring: PayloadKeyring, code: string): Promise<boolean> {
  const candidates = keyring.ids.map((id) => sql`(code_hash = ${keyedCodeHash(keyring, id, code)} and hash_key = ${id})`);
  if (candidates.length === 0) return false;
  const found = await sql`select 1 from transfer_codes where ${sql.join(candidates, sql` or `)} limit 1`.execute(db);
  return found.rows.length > 0;
}
