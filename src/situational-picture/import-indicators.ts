import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { codeLists } from '../catalogue/codelists.ts';
import { notifyIndicatorFollowers } from './notify-followers.ts';

/**
 * Imports context indicators from an open statistics CSV in the shape of Sotkanet's indicator data
 * (THL, CC BY 4.0): one value per indicator, area and year. Columns `indicator`, `area`, `year`,
 * `value` (named in the header row, in any order; `,` or `;` separated; a decimal comma is read);
 * an area is KU + a municipality code, HV + a wellbeing services county code, MK + a region code, or
 * SSS for the whole country. A row for an indicator, area and year already held replaces it. The
 * whole file is checked before anything is written: one bad row and nothing is imported. A missing
 * value (empty, or `-1` as Statistics Finland marks a suppressed cell) is skipped, not imported as a figure.
 */
export const MAX_INDICATOR_ROWS = 200_000;

export class IndicatorFileError extends Error {}

export interface IndicatorRow {
  indicator: string;
  area: string;
  year: number;
  value: number;
}

const INDICATOR = /^[0-9A-Za-z_.-]{1,40}$/;

function knownArea(area: string): boolean {
  const lists = codeLists();
  if (area === 'SSS') return true;
  const code = area.slice(2);
  if (area.startsWith('KU')) return /^[0-9]{3}$/.test(code) && lists.municipalityCodes.has(code);
  if (area.startsWith('HV')) return /^[0-9]{2}$/.test(code) && lists.wellbeingServiceCountyCodes.has(code);
  if (area.startsWith('MK')) return /^[0-9]{2}$/.test(code) && lists.regionCodes.has(code);
  return false;
}

/** The rows of an indicator CSV; throws IndicatorFileError naming the first bad line. */
export function parseIndicatorCsv(text: string): { rows: IndicatorRow[]; skipped: number } {
  const body = text.replace(/^\ufeff/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') ? ';' : ',';
  let records: Record<string, string>[];
  try {
    records = parse(body, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), delimiter, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (error) {
    throw new IndicatorFileError(`not a CSV file: ${(error as Error).message}`);
  }
  if (records.length > MAX_INDICATOR_ROWS) throw new IndicatorFileError(`at most ${MAX_INDICATOR_ROWS} rows`);
  const rows: IndicatorRow[] = [];
  let skipped = 0;
  records.forEach((r, i) => {
    const line = i + 2;
    for (const column of ['indicator', 'area', 'year', 'value']) if (!(column in r)) throw new IndicatorFileError(`the header has no column ${column}`);
    const indicator = r.indicator!;
    const area = r.area!.toUpperCase();
    if (!INDICATOR.test(indicator)) throw new IndicatorFileError(`line ${line}: "${indicator}" is not an indicator id (letters, digits, . _ -)`);
    if (!knownArea(area)) throw new IndicatorFileError(`line ${line}: "${r.area}" is not an area (KU + municipality, HV + wellbeing services county, MK + region, or SSS)`);
    const year = Number(r.year);
    if (!Number.isInteger(year) || year < 1900 || year > 2200) throw new IndicatorFileError(`line ${line}: "${r.year}" is not a year`);
    const raw = r.value!.replace(',', '.');
    if (raw === '' || raw === '-1' || raw === '..') {
      skipped++;
      return;
    }
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new IndicatorFileError(`line ${line}: "${r.value}" is not a number`);
    rows.push({ indicator, area, year, value });
  });
  return { rows, skipped };
}

/** Imports the rows in one transaction and tells the followers of indicators that moved. */
export async function importIndicators(db: Db, text: string, actor: string, now = new Date()): Promise<{ imported: number; skipped: number }> {
  const { rows, skipped } = parseIndicatorCsv(text);
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += 5000) {
      const batch = rows.slice(i, i + 5000);
      await sql`
        insert into picture_indicators (indicator, area, year, value, imported_at)
        select indicator, area, year, value, ${now} from unnest(${batch.map((r) => r.indicator)}::text[], ${batch.map((r) => r.area)}::text[], ${batch.map((r) => r.year)}::int[], ${batch.map((r) => r.value)}::float8[])
               as r(indicator, area, year, value)
        on conflict (indicator, area, year) do update set value = excluded.value, imported_at = excluded.imported_at`.execute(tx);
    }
    await notifyIndicatorFollowers(tx, now);
    await audit(tx, { actor, action: 'picture.indicators.import', details: { rows: rows.length, skipped } });
  });
  return { imported: rows.length, skipped };
}

export async function importIndicatorFile(db: Db, path: string, actor: string): Promise<{ imported: number; skipped: number }> {
  return importIndicators(db, readFileSync(path, 'utf8'), actor);
}
