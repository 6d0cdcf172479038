import { api, type ApiOptions } from '../shared/api.ts';
import { ensurePersonKey, personKey } from './storage.ts';

/** The person's own endpoints (/api/v1/my/…), authorised by the person key kept in this browser. */
export function my<T = unknown>(path: string, options: ApiOptions = {}, { create = false } = {}): Promise<T> {
  const key = create ? ensurePersonKey() : personKey();
  if (!key) return Promise.reject(new Error('no person key'));
  return api<T>(`/api/v1/my${path}`, { ...options, headers: { ...options.headers, authorization: `Bearer ${key}` } });
}
