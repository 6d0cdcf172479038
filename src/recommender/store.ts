import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
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

export async function saveRecommendation(db: Db, r: NewRecommendation): Promise<StoredRecommendation> {
  const id = randomUUID();
  const kind = kindOf(r.meters !== undefined, r.hadText, r.lifeEvent !== undefined);
  const needs = needsOf(r.meters);
  const services = r.results.map((s) => ({ id: s.serviceId, score: s.score }));
  const row = await db
    .insertInto('recommendations')
    .values({
      id,
      client_id: r.clientId,
      source: r.source,
      kind,
      language: r.language,
      had_text: r.hadText,
      needs: JSON.stringify(needs),
      life_event: r.lifeEvent ?? null,
      filters: jsonbText(r.filters),
      result_limit: r.limit,
      services: JSON.stringify(services),
    })
    .returning(['number', 'created_at'])
    .executeTakeFirstOrThrow();
  return {
    id,
    number: Number(row.number),
    createdAt: row.created_at,
    clientId: r.clientId,
    source: r.source,
    kind,
    language: r.language,
    hadText: r.hadText,
    needs,
    lifeEvent: r.lifeEvent ?? null,
    filters: r.filters,
    limit: r.limit,
    services,
  };
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
