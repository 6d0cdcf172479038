/**
 * The Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit. The check digit is
 * 11 minus the weighted sum (weights 7 9 10 5 8 4 2) modulo 11, 0 when the remainder is 0; a
 * remainder of 1 is never issued. Checked in the browser as the applicant types, so a typo is
 * caught before the server refuses it.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2] as const;

export type BusinessIdProblem = 'empty' | 'format' | 'check_digit';

export function businessIdCheckDigit(sevenDigits: string): number | null {
  if (!/^[0-9]{7}$/.test(sevenDigits)) return null;
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(sevenDigits[i]) * WEIGHTS[i]!;
  const remainder = sum % 11;
  if (remainder === 1) return null;
  return remainder === 0 ? 0 : 11 - remainder;
}

/** Why a business ID is not valid, or null when it is. Surrounding spaces are ignored. */
export function businessIdProblem(value: string): BusinessIdProblem | null {
  const trimmed = value.trim();
  if (trimmed === '') return 'empty';
  const match = /^([0-9]{7})-([0-9])$/.exec(trimmed);
  if (!match) return 'format';
  return businessIdCheckDigit(match[1]!) === Number(match[2]) ? null : 'check_digit';
}
