import type { Db } from '../db/database.ts';
import type { Language } from '../catalogue/model.ts';
import { checkFilters, type ServiceFilters } from '../catalogue/query.ts';
import { badRequest } from '../http/problem.ts';
import { recordRecommendedInBackground, type HookLog } from '../statistics/hooks.ts';
import type { LifeEvent } from './life-events.ts';
import { needOf, type Meter, type MeterValues } from './meters.ts';
import type { Answer, RecommendedService, Recommender } from './recommender.ts';
import { saveRecommendation, type StoredRecommendation } from './store.ts';
import type { TextLanguage } from './text/analyzer.ts';

/**
 * Recommending, for our own API and AuroraAI's alike: the filters checked, the services ranked, the
 * recommendation kept (needs, filters and results, never the text) and counted in the statistics
 * (in the background: the answer does not wait for them).
 */
export interface RecommendInput {
  meters?: MeterValues | undefined;
  text?: string | undefined;
  /** The language of `text`; detected when absent. */
  textLanguage?: TextLanguage | undefined;
  lifeEvent?: LifeEvent | undefined;
  age?: number | undefined;
  /** Where the person lives: narrows `filters` to it and to nationwide services. */
  municipalityCode?: string | undefined;
  filters?: ServiceFilters | undefined;
  /** Where the request put its filters, for the problem's field names; unset, the fields are the filters' own. */
  filtersField?: string | undefined;
  limit: number;
  /** false: by similarity alone, what was learnt from feedback left out. Default true. */
  rerank?: boolean | undefined;
  /** The language of the answer, kept with the recommendation for its explanations. */
  language: Language | null;
  clientId: string | null;
  source: StoredRecommendation['source'];
}

export interface RankedResult extends RecommendedService {
  /** The factor feedback multiplied the score by (1 when not reranked). */
  feedbackFactor: number;
}

export async function recommend(
  db: Db,
  recommender: { ready(): Promise<Recommender> },
  input: RecommendInput,
  log?: HookLog,
): Promise<{ recommendation: StoredRecommendation; results: RankedResult[]; answer: Omit<Answer, 'items'> }> {
  if (input.meters === undefined && input.text === undefined && input.lifeEvent === undefined)
    throw badRequest('give meters, text or life_event', [{ field: 'body', message: 'nothing to recommend from' }]);
  const filters = checkedFilters(input);
  const ready = await recommender.ready();
  const { results, answer } = rank(ready, { ...input, filters });
  const recommendation = await saveRecommendation(db, {
    clientId: input.clientId,
    source: input.source,
    meters: input.meters,
    hadText: Boolean(input.text?.trim()),
    lifeEvent: input.lifeEvent,
    language: input.language,
    filters,
    limit: input.limit,
    results,
  });
  recordRecommendedInBackground(db, recommendation, input.meters, log);
  return { recommendation, results, answer };
}

function checkedFilters(input: RecommendInput): ServiceFilters {
  const filters: ServiceFilters = { ...input.filters };
  if (input.municipalityCode) {
    if (filters.only_national_services)
      throw badRequest('municipality_code cannot be combined with only_national_services', [{ field: 'municipality_code', message: 'conflicts with only_national_services' }]);
    filters.municipality_codes = [...new Set([...(filters.municipality_codes ?? []), input.municipalityCode])];
  }
  const found = checkFilters(filters);
  if (found.length) {
    const at = input.filtersField;
    throw badRequest(`some ${at ?? 'filter'} values are not valid`, at ? found.map((f) => ({ ...f, field: `${at}.${f.field}` })) : found);
  }
  return filters;
}

function rank(recommender: Recommender, input: RecommendInput & { filters: ServiceFilters }): { results: RankedResult[]; answer: Omit<Answer, 'items'> } {
  const rerank = input.rerank ?? true;
  const request = {
    ...(input.meters ? { meters: input.meters } : {}),
    ...(input.text !== undefined ? { text: input.text } : {}),
    ...(input.textLanguage ? { textLanguage: input.textLanguage } : {}),
    ...(input.lifeEvent ? { lifeEvent: input.lifeEvent } : {}),
    ...(input.age !== undefined ? { age: input.age } : {}),
    filters: input.filters,
    limit: input.limit,
    ...(input.language ? { language: input.language } : {}),
  };
  // recommend() is synchronous: nothing else runs while the learning is off, nor between the ranking and the factors below.
  const learning = recommender.learning;
  if (!rerank) recommender.learning = undefined;
  let answer: Answer;
  try {
    answer = recommender.answer(request);
  } finally {
    recommender.learning = learning;
  }
  // The needs as the recommender weighs them (not rounded like the stored ones).
  const needs: Partial<Record<Meter, number>> = {};
  for (const [m, v] of Object.entries(input.meters ?? {}) as [Meter, number][]) if (needOf(v) > 0) needs[m] = needOf(v);
  const adjust = rerank ? learning?.adjuster(needs) : undefined;
  const { items, ...rest } = answer;
  return { results: items.map((r) => ({ ...r, feedbackFactor: adjust?.(r.serviceId).factor ?? 1 })), answer: rest };
}
