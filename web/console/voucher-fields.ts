/**
 * The voucher form's fields as a payer's staff type them: euros with a comma or a point ("32,50"),
 * dates as Finns write them ("1.1.2027") or ISO, whole numbers. Checked in the browser so that a
 * typo is named at its field before the server refuses the whole programme (the server checks again).
 */
export function parseEuros(text: string): number | undefined {
  const m = /^\s*(\d{1,10})(?:[.,](\d{1,2}))?\s*(?:€)?\s*$/.exec(text.replace(/\s(?=\d)/g, ''));
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

export function eurosText(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  return cents % 100 === 0 ? String(cents / 100) : `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
}

export function parseWhole(text: string, min: number, max: number): number | undefined {
  if (!/^\s*\d{1,9}\s*$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

/** An ISO date (yyyy-mm-dd) from "1.1.2027", "01.01.2027" or "2027-01-01"; undefined for one that is not a day. */
export function parseDate(text: string): string | undefined {
  const t = text.trim();
  const fi = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const [y, m, d] = fi ? [Number(fi[3]), Number(fi[2]), Number(fi[1])] : iso ? [Number(iso[1]), Number(iso[2]), Number(iso[3])] : [];
  if (y === undefined) return undefined;
  const date = new Date(Date.UTC(y, m! - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m! - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** An ISO date as the form shows it: "1.1.2027". */
export function dateText(iso: string | null | undefined): string {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? `${Number(m[3])}.${Number(m[2])}.${m[1]}` : '';
}

/** A sum in euros as people read it in their language: "35 €", "35,50 €", "€35.50". */
export function formatEuros(cents: number, language: 'fi' | 'sv' | 'en'): string {
  return new Intl.NumberFormat(language === 'en' ? 'en-IE' : `${language}-FI`, { style: 'currency', currency: 'EUR', minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(cents / 100);
}
