import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { PayloadKeyring } from '../keys/keys.ts';
import type { Db } from '../db/database.ts';
import type { SealedColumn } from '../keys/reseal.ts';

/**
 * Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s) for console staff. The secret is
 * sealed with the payload keyring (AES-256-GCM, the staff id as associated data), never logged,
 * and shown once at setup. A code is accepted one step either side of now, and never twice: the
 * step of the last code accepted is kept and only a later step passes.
 */
const PERIOD = 30;
const ISSUER = 'Aurora';

const aad = (staffId: string) => `totp:${staffId}`;

/** TOTP secrets' column, for resealing after a payload key rotation (keys/reseal.ts); a pending secret lives minutes and is not resealed. */
export const TOTP_SECRETS_SEALED: SealedColumn = { table: 'staff_users', id: 'id', keyId: 'totp_key_id', data: 'totp_secret', aad };

function totpFor(secret: OTPAuth.Secret, label: string) {
  return new OTPAuth.TOTP({ issuer: ISSUER, label, secret, algorithm: 'SHA1', digits: 6, period: PERIOD });
}

export async function beginTotpSetup(db: Db, keyring: PayloadKeyring, staff: { id: string; email: string }) {
  const secret = new OTPAuth.Secret({ size: 20 });
  const sealed = keyring.seal(secret.base32, aad(staff.id));
  await db.updateTable('staff_users').set({ totp_pending_secret: sealed.data, totp_pending_key_id: sealed.keyId }).where('id', '=', staff.id).execute();
  const url = totpFor(secret, staff.email).toString();
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret: secret.base32, otpauth_url: url, qr_svg: svg };
}

/** The time step a code belongs to (one either side of now), or null when it is not the code. */
function stepOf(secretBase32: string, code: string, now: number): number | null {
  if (!/^[0-9]{6}$/.test(code)) return null;
  const delta = OTPAuth.TOTP.validate({ token: code, secret: OTPAuth.Secret.fromBase32(secretBase32), period: PERIOD, digits: 6, algorithm: 'SHA1', timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

/** Turns TOTP on when the code matches the secret of the setup begun; false otherwise. */
export async function confirmTotpSetup(db: Db, keyring: PayloadKeyring, staffId: string, code: string, now = Date.now()): Promise<boolean> {
  const row = await db.selectFrom('staff_users').select(['totp_pending_secret', 'totp_pending_key_id']).where('id', '=', staffId).executeTakeFirst();
  if (!row?.totp_pending_secret || !row.totp_pending_key_id) return false;
  const secret = keyring.open({ keyId: row.totp_pending_key_id, data: row.totp_pending_secret }, aad(staffId));
  const step = stepOf(secret, code, now);
  if (step === null) return false;
  const updated = await db
    .updateTable('staff_users')
    .set({ totp_secret: row.totp_pending_secret, totp_key_id: row.totp_pending_key_id, totp_pending_secret: null, totp_pending_key_id: null, totp_last_step: step })
    .where('id', '=', staffId)
    .where('totp_pending_secret', '=', row.totp_pending_secret)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export type TotpCheck = 'ok' | 'wrong' | 'replayed' | 'not-enabled';

/** Checks a code of a staff user with TOTP on; a code (or an earlier one) already used is refused. */
export async function checkTotp(db: Db, keyring: PayloadKeyring, staffId: string, code: string, now = Date.now()): Promise<TotpCheck> {
  const row = await db.selectFrom('staff_users').select(['totp_secret', 'totp_key_id']).where('id', '=', staffId).executeTakeFirst();
  if (!row?.totp_secret || !row.totp_key_id) return 'not-enabled';
  const secret = keyring.open({ keyId: row.totp_key_id, data: row.totp_secret }, aad(staffId));
  const step = stepOf(secret, code, now);
  if (step === null) return 'wrong';
  // One statement: of two logins racing with the same code, only one moves the step.
  const updated = await db
    .updateTable('staff_users')
    .set({ totp_last_step: step })
    .where('id', '=', staffId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1 ? 'ok' : 'replayed';
}

export async function disableTotp(db: Db, staffId: string) {
  await db
    .updateTable('staff_users')
    .set({ totp_secret: null, totp_key_id: null, totp_pending_secret: null, totp_pending_key_id: null, totp_last_step: null })
    .where('id', '=', staffId)
    .execute();
}

/** The current code for a base32 secret (for tests and tools). */
export const totpCode = (secretBase32: string, now = Date.now()) =>
  OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(secretBase32), period: PERIOD, digits: 6, algorithm: 'SHA1', timestamp: now });
