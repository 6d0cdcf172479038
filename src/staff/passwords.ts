import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

/**
 * Staff passwords (and questionnaire PINs, src/questionnaires/start-run.ts) are hashed with argon2id
 * at OWASP's recommended minimum (19 MiB, 2 passes, one lane): about 40 ms here, slow for a thief
 * with the table, tolerable per login.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1000;

export function checkPassword(password: string) {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new RangeError(`a password has at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new RangeError(`a password has at most ${MAX_PASSWORD_LENGTH} characters`);
}

export async function hashPassword(password: string): Promise<string> {
  checkPassword(password);
  return argon2.hash(password, ARGON2_OPTIONS);
}

// Verified against when the e-mail address is unknown, so that the answer takes as long either way.
let dummy: Promise<string> | undefined;

export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  if (!hash) {
    dummy ??= argon2.hash(randomBytes(16).toString('base64url'), ARGON2_OPTIONS);
    await argon2.verify(await dummy, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A password for the first administrator: 20 random characters of a 64-letter alphabet (120 bits). */
export const generatePassword = () => randomBytes(15).toString('base64url');
