import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { groupCommitPerDatabase } from '../db/group-commit.ts';
import type { ServiceFilters } from '../catalogue/query.ts';
import type { LifeEvent } from './life-events.ts';
import { METERS, needOf, type Meter, type MeterValues } from './meters.ts';
import type { RecommendedService } from './recommender.ts';

/**
 * The recommendations given, kept so that feedback, opened links and explanations can refer to
 * them. What the person asked is kept as a needs vector (meter → need, two decimals); free text is
 * never stored, only that there was some.
 */
export type RecommendationKind = 'meters' | 'text' | 'life_event' | 'mixed';
export type Needs = Partial<Record<Meter, number>>;

export interface StoredRecommendation {
  id: string;
  /** The AuroraAI API's integer id. */
  number: number;
  createdAt: Date;
  clientId: string | null;
  source: 'api' | 'auroraai';
  kind: RecommendationKind;
  language: string | null;
  hadText: boolean;
  needs: Needs;
  lifeEvent: LifeEvent | null;
  filters: ServiceFilters;
  limit: number;
  services: { id: string; score: number }[];
}

export interface NewRecommendation {
  clientId: string | null;
  source: 'api' | 'auroraai';
  meters?: MeterValues | undefined;
  hadText: boolean;
  lifeEvent?: LifeEvent | undefined;
  language: string | null;
  filters: ServiceFilters;
  limit: number;
  results: Pick<RecommendedService, 'serviceId' | 'score'>[];
}

/** The needs of meter answers (what the recommender weighs), rounded to two decimals; meters without need left out. */
export function needsOf(meters: MeterValues | undefined): Needs {
  const needs: Needs = {};
  for (const meter of METERS) {
    const value = meters?.[meter];
    if (value === undefined) continue;
    const need = Math.round(needOf(value) * 100) / 100;
    if (need > 0) needs[meter] = need;
  }
  return needs;
}

/**
 * Meter answers that give these needs: the inverse of `needOf`, rounded to whole answers (the
 * 3X10D scale), which two-decimal needs of whole answers give back exactly.
 */
export function metersOf(needs: Needs): MeterValues {
  const meters: MeterValues = {};
  for (const [meter, need] of Object.entries(needs) as [Meter, number][]) {
    if (!(need > 0)) continue;
    meters[meter] = Math.min(10, Math.max(0, Math.round(8 - 8 * Math.pow(Math.min(1, need), 1 / 1.3))));
  }
  return meters;
}

export function kindOf(hasMeters: boolean, hasText: boolean, hasLifeEvent: boolean): RecommendationKind {
  const parts = [hasMeters, hasText, hasLifeEvent].filter(Boolean).length;
  if (parts > 1) return 'mixed';
  if (hasText) return 'text';
  if (hasLifeEvent) return 'life_event';
  return 'meters';
}

/**
 * JSON that PostgreSQL's jsonb takes: it refuses U+0000 and lone UTF-16 surrogates (which JSON.stringify
 * writes as \ud800 escapes), both of which a request's filter codes may hold; they become U+FFFD,
 * which matches no code either.
 */
export function jsonbText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.replace(/[\u0000\p{Cs}]/gu, '\ufffd') : v));
}

/** A recommendation as its row is inserted: everything but the database's number and time. */
type PreparedRecommendation = Omit<StoredRecommendation, 'number' | 'createdAt'>;

/**
 * Keeps a recommendation; answers it with the id (made here) and the integer number and time the
 * database gave it. Concurrent calls are written together, one multi-row INSERT a batch (see
 * group-commit.ts), so that requests do not queue behind each other's writes on PGlite's one
 * connection; each call still answers only once its own row is committed.
 */
export function saveRecommendation(db: Db, r: NewRecommendation): Promise<StoredRecommendation> {
  return insertGrouped(db, {
    id: randomUUID(),
    clientId: r.clientId,
    source: r.source,
    kind: kindOf(r.meters !== undefined, r.hadText, r.lifeEvent !== undefined),
    language: r.language,
    hadText: r.hadText,
    needs: needsOf(r.meters),
    lifeEvent: r.lifeEvent ?? null,
    filters: r.filters,
    limit: r.limit,
    services: r.results.map((s) => ({ id: s.serviceId, score: s.score })),
  });
}

// Recommendations do not depend on each other: on PostgreSQL three batches may be on their way at
// once, so that a request's answer waits for its own commit, not for the one before it too (the
// server's thread was idle a sixth of the time at 100,000 services, its requests waiting on writes).
const insertGrouped = groupCommitPerDatabase(insertRecommendations, { concurrencyOnPostgres: 3 });

/** One statement, so all or none. The numbers are matched by id: RETURNING promises no order. */
async function insertRecommendations(db: Db, prepared: readonly PreparedRecommendation[]): Promise<StoredRecommendation[]> {
  const rows = await db
    .insertInto('recommendations')
    .values(
      prepared.map((p) => ({
        id: p.id,
        client_id: p.clientId,
        source: p.source,
        kind: p.kind,
        language: p.language,
        had_text: p.hadText,
        needs: JSON.stringify(p.needs),
        life_event: p.lifeEvent,
        filters: jsonbText(p.filters),
        result_limit: p.limit,
        services: JSON.stringify(p.services),
      })),
    )
    .returning(['id', 'number', 'created_at'])
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return prepared.map((p) => {
    const row = byId.get(p.id);
    if (!row) throw new Error(`recommendation ${p.id} was not returned by its INSERT`);
    return { ...p, number: Number(row.number), createdAt: row.created_at };
  });
}

const COLUMNS = [
  'id',
  'number',
  'created_at',
  'client_id',
  'source',
  'kind',
  'language',
  'had_text',
  'needs',
  'life_event',
  'filters',
  'result_limit',
  'services',
] as const;

type Row = { [K in (typeof COLUMNS)[number]]: unknown };

function fromRow(row: Row): StoredRecommendation {
  return {
    id: row.id as string,
    number: Number(row.number),
    createdAt: row.created_at as Date,
    clientId: row.client_id as string | null,
    source: row.source as StoredRecommendation['source'],
    kind: row.kind as RecommendationKind,
    language: row.language as string | null,
    hadText: row.had_text as boolean,
    needs: row.needs as Needs,
    lifeEvent: row.life_event as LifeEvent | null,
    filters: row.filters as ServiceFilters,
    limit: row.result_limit as number,
    services: row.services as StoredRecommendation['services'],
  };
}

export async function getRecommendation(db: Db, id: string): Promise<StoredRecommendation | undefined> {
  const row = await db.selectFrom('recommendations').select([...COLUMNS]).where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** By the AuroraAI API's integer id. */
export async function getRecommendationByNumber(db: Db, number: number): Promise<StoredRecommendation | undefined> {
  if (!Number.isSafeInteger(number) || number < 1) return undefined;
  const row = await db.selectFrom('recommendations').select([...COLUMNS]).where('number', '=', number).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/**
 * Deletes recommendations older than `before`, `batch` at a time, each batch in one transaction.
 * Their signals stay for learning, which reads a signal's own needs, never its recommendation: the
 * link is cut first, since the foreign key would otherwise delete them along. Answers how many went.
 */
export async function purgeOldRecommendations(db: Db, before: Date, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db.transaction().execute(async (tx) => {
      const ids = (await tx.selectFrom('recommendations').select('id').where('created_at', '<', before).limit(batch).forUpdate().execute()).map((r) => r.id);
      if (ids.length === 0) return 0;
      await tx.updateTable('recommendation_signals').set({ recommendation_id: null }).where('recommendation_id', 'in', ids).execute();
      await tx.deleteFrom('recommendations').where('id', 'in', ids).execute();
      return ids.length;
    });
    total += deleted;
    if (deleted < batch) return total;
  }
}
