import type { Db } from '../db/database.ts';
import { badRequest } from '../http/problem.ts';
import type { Language } from './model.ts';
import { summaryOf } from './present.ts';
import { checkFilters, decodeCursor, listServices, type ServiceFilters } from './query.ts';

export interface FindServicesInput {
  q?: string | undefined;
  lang?: Language | undefined;
  limit: number;
  cursor?: string | undefined;
  filters: ServiceFilters;
}

/** A page of services matching the filters (and the search words), as summaries. */
export async function findServices(db: Db, { q, lang, limit, cursor: cursorText, filters }: FindServicesInput) {
  // Ajv's type coercion turns "1e309" or "Infinity" into Infinity and lets it past minimum and maximum.
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 100)
    throw badRequest('the querystring is not valid', [{ field: 'limit', message: 'must be an integer from 1 to 100' }]);
  const problemsFound = checkFilters(filters as ServiceFilters);
  if (problemsFound.length) throw badRequest('some filter values are not valid', problemsFound);
  const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText);
  if (cursorText !== undefined && !cursor) throw badRequest('the cursor is not one this API gave', [{ field: 'cursor', message: 'unknown cursor' }]);
  const page = await listServices(db, { filters, ...(q ? { q } : {}), limit, ...(cursor ? { cursor } : {}) });
  return { items: page.rows.map((r) => summaryOf(r, lang)), next_cursor: page.next };
}
