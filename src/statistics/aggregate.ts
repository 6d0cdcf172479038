import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { METERS } from '../recommender/meters.ts';
import { KIND_CODES } from './events.ts';

/**
 * The exact figures behind a provider's statistics, per (ISO week, municipality) and per week over
 * all municipalities: distinct people, and how many of them had each kind of event; each meter's
 * distribution over the people who answered it. Never shown as such: provider-statistics.ts adds
 * noise and leaves out cells whose noisy people count is small.
 *
 * Each person is first reduced to one row (one week, one municipality, which kinds of event, one
 * meters vector) whatever events were recorded for them, so that one person is in at most one
 * municipality cell and one week row, and adds at most 1 to each figure there. The privacy
 * guarantee rests on that bound, so it is enforced here rather than trusted to the recording side.
 */
export const COUNTS = ['recommended', 'opened', 'transfers_received', 'feedback_useful', 'feedback_not_useful'] as const;
export type CountName = (typeof COUNTS)[number];

export const BINS = 11; // meter answers 0..10

export interface ExactCell {
  week: string;
  /** Null: the week over all municipalities (people whose municipality is unknown included). */
  municipality: string | null;
  people: number;
  counts: Record<CountName, number>;
  /** Per meter in METERS order, people per answer 0..10. */
  histograms: number[][];
}

const KIND_OF: Record<CountName, number> = {
  recommended: KIND_CODES.recommended,
  opened: KIND_CODES.opened,
  transfers_received: KIND_CODES.transfer_received,
  feedback_useful: KIND_CODES.feedback_useful,
  feedback_not_useful: KIND_CODES.feedback_not_useful,
};

// Fixed SQL built from constants: 110 counts in one pass over the people, one array per cell. Each
// meter is taken out of the array once per person (m1 … m10): subscripting the array in each of the
// 110 filters, for both grouping sets, was a fifth of the query's time.
const METER_COLUMNS_SQL = sql.raw(METERS.map((_, m) => `meters[${m + 1}] as m${m + 1}`).join(', '));
const HISTOGRAM_SQL = sql.raw(
  `array[${METERS.flatMap((_, m) => Array.from({ length: BINS }, (_, v) => `count(*) filter (where m${m + 1} = ${v})`)).join(', ')}]::int[]`,
);
const PERSON_KINDS_SQL = sql.raw(COUNTS.map((c) => `bool_or(kind = ${KIND_OF[c]}) as ${c}`).join(', '));
const COUNTS_SQL = sql.raw(COUNTS.map((c) => `(count(*) filter (where ${c}))::int as ${c}`).join(', '));

/**
 * Exact cells for these services over the weeks whose Mondays lie in [fromMonday, toMonday], by week,
 * the all-municipalities row first, then municipalities by code. Every cell has its histograms:
 * whether a cell is shown is decided on noise afterwards, so leaving out those of small cells
 * would make what is released depend on exact counts.
 */
export async function aggregateProviderEvents(
  db: Db,
  query: { serviceIds: readonly string[]; fromMonday: string; toMonday: string },
): Promise<ExactCell[]> {
  if (query.serviceIds.length === 0) return [];
  const ids = query.serviceIds.map((s) => s.toLowerCase());
  const result = await sql<{ week: string; municipality: string | null; all_municipalities: boolean; people: number; histograms: number[] } & Record<CountName, number>>`
    with persons as (
      select min(week) as week, min(municipality) as municipality, ${PERSON_KINDS_SQL}, max(meters) as meters
        from service_events
       where service_id = any(${ids}::uuid[]) and week >= ${query.fromMonday}::date and week <= ${query.toMonday}::date
       group by person
    ),
    people as (select week, municipality, ${sql.raw(COUNTS.join(', '))}, ${METER_COLUMNS_SQL} from persons)
    select week::text as week, municipality, grouping(municipality) = 1 as all_municipalities,
           count(*)::int as people, ${COUNTS_SQL},
           ${HISTOGRAM_SQL} as histograms
      from people
     group by grouping sets ((week, municipality), (week))`.execute(db);
  const cells: ExactCell[] = [];
  for (const row of result.rows) {
    // People of unknown municipality count in their week's row only: no row of their own.
    if (!row.all_municipalities && row.municipality === null) continue;
    const flat = row.histograms.map(Number);
    cells.push({
      week: row.week,
      municipality: row.all_municipalities ? null : row.municipality,
      people: Number(row.people),
      counts: Object.fromEntries(COUNTS.map((c) => [c, Number(row[c])])) as Record<CountName, number>,
      histograms: METERS.map((_, m) => flat.slice(m * BINS, (m + 1) * BINS)),
    });
  }
  // Sorted here rather than in SQL: sorting rows that carry 110-number arrays spilled to disk there.
  return cells.sort((a, b) =>
    a.week !== b.week ? (a.week < b.week ? -1 : 1) : a.municipality === b.municipality ? 0 : a.municipality === null ? -1 : b.municipality === null ? 1 : a.municipality < b.municipality ? -1 : 1,
  );
}
