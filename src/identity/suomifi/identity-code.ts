/**
 * The Finnish personal identity code (henkilötunnus): DDMMYY, a century sign, an individual number
 * NNN (002–899 for real people, 900–999 in test codes) and a check character over DDMMYYNNN mod 31.
 * The century signs are those of DVV since 2023: `+` the 1800s; `-`, Y, X, W, V, U the 1900s;
 * A, B, C, D, E, F the 2000s.
 */

const CHECK_CHARACTERS = '0123456789ABCDEFHJKLMNPRSTUVWXY';

const CENTURIES: Record<string, number> = {
  '+': 1800,
  '-': 1900,
  Y: 1900,
  X: 1900,
  W: 1900,
  V: 1900,
  U: 1900,
  A: 2000,
  B: 2000,
  C: 2000,
  D: 2000,
  E: 2000,
  F: 2000,
};

const SHAPE = /^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])$/;

/** The check character of DDMMYY and NNN. */
export function checkCharacter(dateDigits: string, individualNumber: string): string {
  return CHECK_CHARACTERS[Number(`${dateDigits}${individualNumber}`) % 31]!;
}

export interface ParsedIdentityCode {
  /** ISO date of birth, yyyy-mm-dd. */
  dateOfBirth: string;
  individualNumber: number;
}

/** The code's parts when it is a well-formed identity code with a real date and the right check character; null otherwise. */
export function parseIdentityCode(code: string): ParsedIdentityCode | null {
  const m = SHAPE.exec(code);
  if (!m) return null;
  const [, dd, mm, yy, sign, nnn, check] = m as unknown as [string, string, string, string, string, string, string];
  if (checkCharacter(`${dd}${mm}${yy}`, nnn) !== check) return null;
  const individualNumber = Number(nnn);
  if (individualNumber < 2) return null;
  const year = CENTURIES[sign]! + Number(yy);
  const month = Number(mm);
  const day = Number(dd);
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC treats years 0–99 as 1900–1999; ours are always 1800 or later, and a 31 February rolls over.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return { dateOfBirth: `${String(year).padStart(4, '0')}-${mm}-${dd}`, individualNumber };
}

export const isValidIdentityCode = (code: string) => parseIdentityCode(code) !== null;

/**
 * Something shaped like a Finnish personal identity code: DDMMYY, the century sign (+, -, A–F and
 * the 2023 additions U–Y), three digits and a check character. It must stand on its own (no letter
 * or digit either side), so that an id such as a UUID, whose hex can hold the same shape in its
 * middle, is never taken for one. The check character is not verified: a mistyped code still names
 * someone, and is refused or masked all the same.
 */
const SHAPE_IN_TEXT = String.raw`(?<![\p{L}\p{N}])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\p{L}\p{N}])`;

/** Whether a text holds an identity code anywhere. */
export function holdsIdentityCode(text: string): boolean {
  return new RegExp(SHAPE_IN_TEXT, 'iu').test(text);
}

/** Every identity code in a text replaced by `mask`. */
export function maskIdentityCodes(text: string, mask: string): string {
  return text.replace(new RegExp(SHAPE_IN_TEXT, 'giu'), mask);
}
