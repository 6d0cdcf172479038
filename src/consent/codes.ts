import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import QRCode from 'qrcode';
import type { Db } from '../db/database.ts';
import { HttpProblem, badRequest, forbidden, notFound } from '../http/problem.ts';
import { appendConsentAudit } from './audit.ts';
import type { ConsentService, Deposit, DepositInput } from './transfers.ts';

/**
 * Non-digital session transfer. For a channel a person reaches in person or by phone (a
 * ServiceLocation or Phone channel), a deposit may carry a short code — ten characters of
 * Crockford base32, 50 bits, shown as XXXX-XXXX-XX and as a QR code — that the desk worker's system
 * redeems with its client credential, once. Only a hash of the code is kept. Guessing is bounded:
 * failed redemptions are rate-limited per client (in the database, so across processes), and a code
 * tried by five clients other than its recipient is locked.
 */

export const CODE_CHANNEL_TYPES: readonly string[] = ['ServiceLocation', 'Phone'];
export const CODE_LENGTH = 10;
export const DEFAULT_CODE_TTL_SECONDS = 3 * 24 * 3600;
/** Failed code redemptions a client may make in CODE_FAILURE_WINDOW_SECONDS before it gets 429. */
export const CODE_FAILURE_LIMIT = 10;
export const CODE_FAILURE_WINDOW_SECONDS = 600;
/** Attempts by clients other than the recipient after which a code is locked. */
export const CODE_WRONG_CLIENT_LIMIT = 5;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const VALID = /^[0-9A-HJKMNP-TV-Z]{10}$/;

/** How long a code waits: AURORA_TRANSFER_CODE_TTL_SECONDS, or three days. */
export function codeTtlSeconds(): number {
  const value = process.env.AURORA_TRANSFER_CODE_TTL_SECONDS ? Number(process.env.AURORA_TRANSFER_CODE_TTL_SECONDS) : DEFAULT_CODE_TTL_SECONDS;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError('AURORA_TRANSFER_CODE_TTL_SECONDS is a positive number of seconds');
  return value;
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

const hashCode = (code: string) => createHash('sha256').update(`aurora-transfer-code:${code}`, 'utf8').digest('base64url');

export interface CodeDeposit extends Partial<Pick<Deposit, 'token' | 'link'>>, Omit<Deposit, 'token' | 'link'> {
  code?: string;
  code_qr_svg?: string;
}

/**
 * A deposit with a code (and, unless `link` is false, the usual token and link too). The target must
 * be a ServiceLocation or Phone channel; the transfer waits the code's time to live.
 */
export async function depositWithCode(db: Db, consent: ConsentService, input: DepositInput, options: { link: boolean }): Promise<CodeDeposit> {
  const channel = await db.selectFrom('service_channels').select(['id', 'type']).where('id', '=', input.targetChannelId).executeTakeFirst();
  if (!channel) throw notFound(`no channel ${input.targetChannelId}`);
  if (!CODE_CHANNEL_TYPES.includes(channel.type as string))
    throw badRequest(`a code is given only for ${CODE_CHANNEL_TYPES.join(' and ')} channels`, [{ field: 'code', message: `the target channel is of type ${channel.type}` }]);
  const deposit = await consent.deposit({ ...input, ttlSeconds: codeTtlSeconds() });
  let code = '';
  for (let attempt = 0; ; attempt++) {
    code = generateCode();
    const inserted = await sql`insert into transfer_codes (consent_id, code_hash) values (${deposit.consent_id}, ${hashCode(code)}) on conflict (code_hash) do nothing`.execute(db);
    if (Number(inserted.numAffectedRows ?? 0n) === 1) break;
    if (attempt >= 4) throw new Error('could not draw a unique transfer code');
  }
  const shown = formatCode(code);
  const code_qr_svg = await QRCode.toString(shown, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const { token, link, ...rest } = deposit;
  return { ...rest, ...(options.link ? { token, link } : {}), code: shown, code_qr_svg };
}

export class RateLimited extends HttpProblem {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'too-many-requests', 'Too many requests', `too many failed code redemptions: try again in ${retryAfterSeconds} s`);
  }
}

/** Seconds until the client may try codes again; 0 when it may now. */
export async function codeRetryAfter(db: Db, clientId: string): Promise<number> {
  const result = await sql<{ wait: number | string }>`
    select extract(epoch from (at + make_interval(secs => ${CODE_FAILURE_WINDOW_SECONDS}) - now())) as wait
      from transfer_code_failures
     where client_id = ${clientId} and at > now() - make_interval(secs => ${CODE_FAILURE_WINDOW_SECONDS})
     order by at desc offset ${CODE_FAILURE_LIMIT - 1} limit 1`.execute(db);
  const row = result.rows[0];
  return row ? Math.max(1, Math.ceil(Number(row.wait))) : 0;
}

async function recordFailure(db: Db, clientId: string) {
  await sql`delete from transfer_code_failures where client_id = ${clientId} and at <= now() - make_interval(secs => ${CODE_FAILURE_WINDOW_SECONDS})`.execute(db);
  await sql`insert into transfer_code_failures (client_id) values (${clientId})`.execute(db);
}

/**
 * The attributes behind a code, once, with the same guarantee as token redemption: one conditional
 * UPDATE takes the payload; of concurrent redemptions exactly one gets a row back.
 */
export async function redeemCode(db: Db, consent: ConsentService, input: string, clientId: string) {
  const wait = await codeRetryAfter(db, clientId);
  if (wait > 0) throw new RateLimited(wait);
  const code = normaliseCode(input);
  if (!code) {
    await recordFailure(db, clientId);
    throw badRequest('not a transfer code', [{ field: 'code', message: 'is ten characters of Crockford base32 (XXXX-XXXX-XX)' }]);
  }
  const codeHash = hashCode(code);
  const result = await sql<{ id: string; payload: string | null; payload_key: string | null; subject: string | null; purpose: string; receipt: string }>`
    update consents c
       set status = 'used', used_at = now(), payload = null, payload_key = null
      from (select c2.id, c2.payload, c2.payload_key
              from consents c2 join transfer_codes k on k.consent_id = c2.id
             where k.code_hash = ${codeHash} and k.locked_at is null
               for update of c2) old
     where c.id = old.id and c.status = 'given' and c.expires_at > now() and c.recipient_client_id = ${clientId}
    returning c.id, old.payload, old.payload_key, c.subject, c.purpose, c.receipt`.execute(db);
  const row = result.rows[0];
  if (row) {
    await appendConsentAudit(db, { event: row.payload ? 'redeem' : 'refuse', consentId: row.id, actor: clientId, reason: row.payload ? 'code' : 'code-gone' });
    if (!row.payload || !row.payload_key) throw new HttpProblem(410, 'transfer-gone', 'Gone', 'the transfer holds no data any more');
    const attributes = JSON.parse(consent.keyring.open({ keyId: row.payload_key, data: row.payload }, row.id)) as Record<string, unknown>;
    return { consent_id: row.id, attributes, purpose: row.purpose, subject: row.subject, receipt: row.receipt };
  }
  const record = (
    await sql<{ id: string; status: string; recipient_client_id: string | null; locked_at: Date | null }>`
      select c.id, c.status, c.recipient_client_id, k.locked_at
        from transfer_codes k join consents c on c.id = k.consent_id
       where k.code_hash = ${codeHash}`.execute(db)
  ).rows[0];
  const why = !record ? 'code-unknown' : record.recipient_client_id !== clientId ? 'code-wrong-client' : record.locked_at ? 'code-locked' : record.status === 'given' ? 'code-expired' : `code-${record.status}`;
  await appendConsentAudit(db, { event: 'refuse', consentId: record?.id ?? null, actor: clientId, reason: why });
  if (!record) {
    await recordFailure(db, clientId);
    throw notFound('no transfer for this code');
  }
  if (record.recipient_client_id !== clientId) {
    await sql`
      update transfer_codes
         set wrong_client_attempts = wrong_client_attempts + 1,
             locked_at = case when wrong_client_attempts + 1 >= ${CODE_WRONG_CLIENT_LIMIT} then coalesce(locked_at, now()) else locked_at end
       where code_hash = ${codeHash}`.execute(db);
    await recordFailure(db, clientId);
    throw forbidden('this client may not redeem this code');
  }
  if (record.locked_at) throw new HttpProblem(410, 'transfer-code-locked', 'Gone', 'the code was locked after repeated attempts by other clients');
  const reason = record.status === 'used' ? 'the code has been used' : record.status === 'withdrawn' ? 'the person withdrew the consent' : 'the code has expired';
  throw new HttpProblem(410, `transfer-${record.status === 'given' ? 'expired' : record.status}`, 'Gone', reason);
}
