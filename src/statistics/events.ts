import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { METERS, type Meter } from '../recommender/meters.ts';
import { weekOf } from './time.ts';

/**
 * Events on services, recorded for their providers' statistics. `recommendation_id` is the person
 * proxy: every event of one recommendation is one person's (for a transfer, the consent's id is
 * passed there). An event without it is a person of its own.
 */
export const EVENT_KINDS = ['recommended', 'opened', 'transfer_received', 'feedback_useful', 'feedback_not_useful'] as const;
export type ServiceEventKind = (typeof EVENT_KINDS)[number];

export interface ServiceEvent {
  kind: ServiceEventKind;
  service_id: string;
  /** The person proxy: the recommendation's id (a transfer's consent id for transfer_received). */
  recommendation_id?: string | undefined;
  /** The person's municipality code (three digits), when known. */
  municipality?: string | undefined;
  /** The person's life-situation meters, 0..10, when they gave them. */
  meters?: Partial<Record<Meter, number>> | undefined;
  /**
   * When it happened; now when not given. Hooks give the recommendation's time, so that all of one
   * person's events fall in one week (which bounds what one person can change in a release).
   */
  at?: Date | undefined;
}

/** The smallint each kind is stored as. */
export const KIND_CODES: Record<ServiceEventKind, number> = { recommended: 1, opened: 2, transfer_received: 3, feedback_useful: 4, feedback_not_useful: 5 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MUNICIPALITY = /^[0-9]{3}$/;
/** Rows per INSERT, so that one statement stays a moderate size. */
export const EVENTS_PER_INSERT = 2000;

/** Meters in METERS order as a PostgreSQL array literal ('{3,NULL,…}'); null when none was given. */
export function metersLiteral(meters: Partial<Record<Meter, number>> | undefined): string | null {
  if (!meters) return null;
  let any = false;
  const values = METERS.map((m) => {
    const v = meters[m];
    if (v === undefined || v === null) return 'NULL';
    if (!Number.isInteger(v) || v < 0 || v > 10) throw new RangeError(`meter ${m} is an integer 0..10, not ${v}`);
    any = true;
    return String(v);
  });
  return any ? `{${values.join(',')}}` : null;
}

/** Records events in batches; throws RangeError on an invalid event before writing anything. */
export async function recordServiceEvents(db: Db, events: readonly ServiceEvent[]): Promise<number> {
  const rows = events.map((e) => {
    const kind = KIND_CODES[e.kind];
    if (kind === undefined) throw new RangeError(`unknown event kind ${String(e.kind)}`);
    if (!UUID.test(e.service_id)) throw new RangeError(`not a service id: ${e.service_id}`);
    if (e.recommendation_id !== undefined && !UUID.test(e.recommendation_id)) throw new RangeError(`not a recommendation id: ${e.recommendation_id}`);
    const at = e.at ?? new Date();
    if (Number.isNaN(at.getTime())) throw new RangeError('not a time');
    return {
      week: weekOf(at),
      kind,
      service_id: e.service_id.toLowerCase(),
      person: (e.recommendation_id ?? randomUUID()).toLowerCase(),
      // A code in any other form is not a municipality: it is left out rather than refused.
      municipality: e.municipality !== undefined && MUNICIPALITY.test(e.municipality) ? e.municipality : null,
      meters: metersLiteral(e.meters),
    };
  });
  for (let i = 0; i < rows.length; i += EVENTS_PER_INSERT) {
    const batch = rows.slice(i, i + EVENTS_PER_INSERT);
    // One array parameter a column, not six parameters a row: PostgreSQL (and PGlite, in this
    // process) parse and bind six values instead of thousands, and the query is not built row by row.
    await sql`
      insert into service_events (week, kind, service_id, person, municipality, meters)
      select week, kind, service_id, person, municipality, meters::smallint[]
        from unnest(${batch.map((r) => r.week)}::date[], ${batch.map((r) => r.kind)}::smallint[], ${batch.map((r) => r.service_id)}::uuid[],
                    ${batch.map((r) => r.person)}::uuid[], ${batch.map((r) => r.municipality)}::text[], ${batch.map((r) => r.meters)}::text[])
             as e(week, kind, service_id, person, municipality, meters)`.execute(db);
  }
  return rows.length;
}
