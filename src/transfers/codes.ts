import { createHash, createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import QRCode from 'qrcode';
import { setting, VARIABLES } from '../config.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem, TooManyRequests, badRequest, forbidden, notFound } from '../http/problem.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { lockBucket, recordAttempt, reserveAttempts, retryAfter, type Bucket } from '../rate-limits/attempts.ts';
import type { ClaimedRow, ConsentService, Deposit, DepositInput, Refusal } from './transfers.ts';


/**
 * Non-digital session transfer. For a channel a person reaches in person or by phone (a
 * ServiceLocation or Phone channel), a deposit may carry a short code — ten characters of
 * Crockford base32, 50 bits, shown as XXXX-XXXX-XX and as a QR code — that the desk worker's system
 * redeems with its client credential, once. Only a keyed hash of the code is kept: HMAC-SHA256 under a
 * key derived from the current payload key (named in `hash_key`), so a copy of the database without
 * the configured keys does not let anyone enumerate the 2^50 codes offline. Codes stored before
 * that (hash_key null) were unkeyed SHA-256; they are still matched until their consent expires.
 * Guessing is bounded: every redemption first reserves a failure slot of its client (10 in 10
 * minutes, in the database under a lock, so neither another process nor a parallel burst gets past
 * it), released only when the code was right; and a code tried by five clients other than its
 * recipient is locked.
 */

export const CODE_CHANNEL_TYPES: readonly string[] = ['ServiceLocation', 'Phone'];
export const CODE_LENGTH = 10;
export const DEFAULT_CODE_TTL_SECONDS = VARIABLES.AURORA_TRANSFER_CODE_TTL_SECONDS.default;
/** Failed code redemptions a client may make in CODE_FAILURE_WINDOW_SECONDS before it gets 429. */
export const CODE_FAILURE_LIMIT = 10;
export const CODE_FAILURE_WINDOW_SECONDS = 600;
/** Attempts by clients other than the recipient after which a code is locked. */
export const CODE_WRONG_CLIENT_LIMIT = 5;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const VALID = /^[0-9A-HJKMNP-TV-Z]{10}$/;

/** How long a code waits: AURORA_TRANSFER_CODE_TTL_SECONDS, or three days. */
export function codeTtlSeconds(): number {
  return setting('AURORA_TRANSFER_CODE_TTL_SECONDS');
}

/** A new code: 50 random bits as ten Crockford base32 characters, without dashes. */
export function generateCode(): string {
  const bytes = randomBytes(7); // 56 bits, of which 50 are used
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)];
  return out;
}

/** XXXX-XXXX-XX */
export const formatCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;

/** A code as typed by a person: any case, dashes and spaces, I and L read as 1, O as 0. Undefined when it cannot be a code. */
export function normaliseCode(input: string): string | undefined {
  const code = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  return VALID.test(code) ? code : undefined;
}

/** Codes stored before keyed hashing (hash_key null). */
const legacyHash = (code: string) => createHash('sha256').update(`aurora-transfer-code:${code}`, 'utf8').digest('base64url');

/** The code's hash under payload key `keyId` (HMAC-SHA256 with a key derived for codes alone). */
export const keyedCodeHash = (keyring: PayloadKeyring, keyId: string, code: string) =>
  createHmac('sha256', keyring.derive(keyId, 'transfer-code')).update(code, 'utf8').digest('base64url');

/** Every stored form this code may have: under each configured key, and the legacy unkeyed one. */
function candidateHashes(keyring: PayloadKeyring, code: string) {
  return [...keyring.ids.map((id) => ({ hash: keyedCodeHash(keyring, id, code), key: id as string | null })), { hash: legacyHash(code), key: null }];
}

/** SQL matching a transfer_codes row (alias k) to one of the candidates, hash and kind together. */
function matchesCode(keyring: PayloadKeyring, code: string) {
  const parts = candidateHashes(keyring, code).map((c) =>
    c.key === null ? sql`(k.code_hash = ${c.hash} and k.hash_key is null)` : sql`(k.code_hash = ${c.hash} and k.hash_key = ${c.key})`,
  );
  return sql`(${sql.join(parts, sql` or `)})`;
}

export interface CodeDeposit extends Partial<Pick<Deposit, 'token' | 'link'>>, Omit<Deposit, 'token' | 'link'> {
  code?: string;
  code_qr_svg?: string;
}

/** Writes a fresh code for the consent inside its deposit transaction; returns it (undashed). */
async function storeCode(tx: Db, keyring: PayloadKeyring, consentId: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const code = generateCode();
    const hash = keyedCodeHash(keyring, keyring.currentId, code);
    // Unique under the current key by the index; under older keys by the check.
    const inserted = await sql`
      insert into transfer_codes (consent_id, code_hash, hash_key)
      select ${consentId}, ${hash}, ${keyring.currentId}
       where not exists (select 1 from transfer_codes k where ${matchesCode(keyring, code)})
      on conflict (code_hash) do nothing`.execute(tx);
    if (Number(inserted.numAffectedRows ?? 0n) === 1) return code;
    if (attempt >= 4) throw new Error('could not draw a unique transfer code');
  }
}

/**
 * A deposit with a code (and, unless `link` is false, the usual token and link too). The target must
 * be a ServiceLocation or Phone channel. The consent waits the code's time to live; a link given with
 * the code works only for the transfer time to live (10 minutes by default), as a link alone would.
 */
export async function depositWithCode(db: Db, consent: ConsentService, input: DepositInput, options: { link: boolean }): Promise<CodeDeposit> {
  const channel = await db.selectFrom('service_channels').select(['id', 'type']).where('id', '=', input.targetChannelId).executeTakeFirst();
  if (!channel) throw notFound(`no channel ${input.targetChannelId}`);
  if (!CODE_CHANNEL_TYPES.includes(channel.type as string))
    throw badRequest(`a code is given only for ${CODE_CHANNEL_TYPES.join(' and ')} channels`, [{ field: 'code', message: `the target channel is of type ${channel.type}` }]);
  let code = '';
  const deposit = await consent.deposit({
    ...input,
    ttlSeconds: codeTtlSeconds(),
    tokenTtlSeconds: options.link ? consent.ttlSeconds : 0,
    within: async (tx, consentId) => {
      await input.within?.(tx, consentId);
      code = await storeCode(tx, consent.keyring, consentId);
    },
  });
  const shown = formatCode(code);
  const code_qr_svg = await QRCode.toString(shown, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const { token, link, link_expires_at, ...rest } = deposit;
  return { ...rest, ...(options.link ? { token, link, ...(link_expires_at ? { link_expires_at } : {}) } : {}), code: shown, code_qr_svg };
}

const failureBucket = (clientId: string): Bucket => ({ key: `code-failure:${clientId}`, limit: CODE_FAILURE_LIMIT, windowSeconds: CODE_FAILURE_WINDOW_SECONDS });

/** Refusals that count as a failed guess; a right code that is used, expired or locked does not. */
const GUESS_FAILURES = new Set(['code-unknown', 'code-wrong-client']);

/**
 * The attributes behind a code, once, with the same guarantee as token redemption: one conditional
 * UPDATE takes the payload; of concurrent redemptions exactly one gets a row back. The client's
 * failure bucket is locked for the whole redemption and a failed guess is recorded before the lock
 * is let go, so however many attempts a client sends at once, at most CODE_FAILURE_LIMIT of them
 * are tried in a window; the rest are 429.
 */
export async function redeemCode(db: Db, consent: ConsentService, input: string, clientId: string) {
  const bucket = failureBucket(clientId);
  const tooMany = (wait: number) => `too many failed code redemptions: try again in ${wait} s`;
  const code = normaliseCode(input);
  if (!code) {
    await reserveAttempts(db, [bucket], tooMany);
    throw badRequest('not a transfer code', [{ field: 'code', message: 'is ten characters of Crockford base32 (XXXX-XXXX-XX)' }]);
  }
  const match = matchesCode(consent.keyring, code);
  return consent.redeemOnce(
    clientId,
    { redeemed: 'code', gone: 'code-gone' },
    async (tx) =>
      (
        await sql<ClaimedRow>`
          update consents c
             set status = 'used', used_at = now(), payload = null, payload_key = null
            from (select c2.id, c2.payload, c2.payload_key
                    from consents c2 join transfer_codes k on k.consent_id = c2.id
                   where ${match} and k.locked_at is null
                     for update of c2) old
           where c.id = old.id and c.status = 'given' and c.expires_at > now() and c.recipient_client_id = ${clientId}
          returning c.id, old.payload, old.payload_key, c.subject, c.purpose, c.receipt`.execute(tx)
      ).rows[0],
    async (tx): Promise<Refusal> => {
      const record = (
        await sql<{ id: string; status: string; recipient_client_id: string | null; locked_at: Date | null }>`
          select c.id, c.status, c.recipient_client_id, k.locked_at
            from transfer_codes k join consents c on c.id = k.consent_id
           where ${match}`.execute(tx)
      ).rows[0];
      if (!record) return { consentId: null, reason: 'code-unknown', problem: notFound('no transfer for this code') };
      if (record.recipient_client_id !== clientId) {
        await sql`
          update transfer_codes
             set wrong_client_attempts = wrong_client_attempts + 1,
                 locked_at = case when wrong_client_attempts + 1 >= ${CODE_WRONG_CLIENT_LIMIT} then coalesce(locked_at, now()) else locked_at end
           where consent_id = ${record.id}`.execute(tx);
        return { consentId: record.id, reason: 'code-wrong-client', problem: forbidden('this client may not redeem this code') };
      }
      if (record.locked_at) return { consentId: record.id, reason: 'code-locked', problem: new HttpProblem(410, 'transfer-code-locked', 'Gone', 'the code was locked after repeated attempts by other clients') };
      const status = record.status === 'given' ? 'expired' : record.status;
      const detail = status === 'used' ? 'the code has been used' : status === 'withdrawn' ? 'the person withdrew the consent' : 'the code has expired';
      return { consentId: record.id, reason: `code-${status}`, problem: new HttpProblem(410, `transfer-${status}`, 'Gone', detail) };
    },
    {
      before: async (tx) => {
        await lockBucket(tx, bucket);
        const wait = await retryAfter(tx, bucket);
        if (wait > 0) throw new TooManyRequests(wait, tooMany(wait));
      },
      refused: async (tx, refusal) => {
        if (GUESS_FAILURES.has(refusal.reason)) await recordAttempt(tx, bucket);
      },
    },
  );
}
