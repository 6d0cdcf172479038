import { badRequest } from '../http/problem.ts';
import type { ConsentService, ConsentView } from './transfers.ts';

/**
 * The person withdraws a consent with its key. The key belongs in the body (query strings end up in
 * access logs); older clients still send `?key=`, so either is taken, but not two different ones.
 */
export async function withdrawByKey(consent: ConsentService, id: string, given: { body?: string | undefined; query?: string | undefined }): Promise<ConsentView> {
  const key = given.body ?? given.query;
  if (!key) throw badRequest('the consent key is missing', [{ field: 'key', message: 'is required, in the body (preferred) or the query string' }]);
  if (given.body && given.query && given.body !== given.query) throw badRequest('two different consent keys', [{ field: 'key', message: 'give the key once, in the body' }]);
  return consent.withdraw(id, key);
}
