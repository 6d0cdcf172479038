import { createHash, randomInt } from 'node:crypto';

/**
 * The short code a person shows at a provider's desk (as a benefit wallet's receipt valid for
 * minutes at the till): eight characters of Crockford's base32 (no I, L, O or U, so nothing is
 * misread aloud or on a screen), shown as XXXX-XXXX and in a QR code. Only its hash is kept
 * (voucher_redemption_codes.code_hash). 32^8 codes, valid for minutes, with redemption attempts
 * rate-limited per provider, leave guessing one hopeless.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REDEMPTION_CODE_MINUTES = 10;

export function newRedemptionCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The code as typed at a desk: case, spaces and dashes ignored, and the letters people confuse read as the digits they look like (Crockford's rule). */
export function normaliseRedemptionCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{8}$/.test(code) ? code : undefined;
}

/** What is kept of a code: the SHA-256 of its normal form, in hex. */
export function redemptionCodeHash(code: string): string {
  const normal = normaliseRedemptionCode(code);
  if (!normal) throw new RangeError('not a redemption code');
  return createHash('sha256').update(normal).digest('hex');
}
