/**
 * The Finnish business ID (Y-tunnus, FO-nummer): seven digits, a hyphen and a check digit. The
 * check digit is computed from the seven digits with the weights 7, 9, 10, 5, 8, 4, 2: the sum
 * modulo 11 is 0 → 0, 1 → no valid ID has it, otherwise 11 − remainder.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2] as const;

/** The check digit for seven digits, or null when no check digit makes them a valid ID (remainder 1). */
export function businessIdCheckDigit(digits: string): number | null {
  if (!/^[0-9]{7}$/.test(digits)) throw new RangeError('a business ID has seven digits before its check digit');
  const sum = WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(digits[i]), 0);
  const remainder = sum % 11;
  if (remainder === 0) return 0;
  if (remainder === 1) return null;
  return 11 - remainder;
}

/** Whether a text is a valid business ID in its canonical form `1234567-8`. */
export function isValidBusinessId(value: string): boolean {
  const m = /^([0-9]{7})-([0-9])$/.exec(value);
  if (!m) return false;
  const check = businessIdCheckDigit(m[1]!);
  return check !== null && check === Number(m[2]);
}
