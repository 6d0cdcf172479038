import { api, type ApiOptions } from '../shared/api.ts';
import type { Language } from '../shared/i18n.ts';
import type { Recommendation } from './types.ts';

/**
 * The person's life events through the network's API as an account: the access token of this
 * tab's login (accessToken() in account.ts), never the person key, since events belong to the
 * verified identity. Failures are ApiErrors, so the Problem component words them.
 */
export function asAccount<T>(token: string, path: string, options: ApiOptions = {}): Promise<T> {
  return api<T>(`/api/v1/accounts/me${path}`, { ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } });
}

export type Text = Record<Language, string>;
export type EventTypeName = 'moved' | 'child-born' | 'income-changed' | 'started-studies' | 'unemployed' | 'death-of-close-relative';

export interface MyEvent {
  id: string;
  type: EventTypeName;
  name: Text | null;
  occurred_at: string;
  municipality: string | null;
  told: { client_id: string; service: string; delivered_at: string }[];
}
export interface EventServices {
  type: EventTypeName;
  name: Text;
  description: Text;
  services: { client_id: string; name: string; consent_id: string | null; given_at: string | null }[];
}
export interface EventConsentReceipt {
  id: string;
  event_type: EventTypeName;
  client_id: string;
  service: string;
  given_at: string;
  withdrawn_at: string | null;
}

/**
 * The recommender's life event (src/recommender/life-events.ts) each registered event means, the one
 * the Find view's "life event" choice asks with; an income change has none of its own.
 */
export const RECOMMENDER_EVENT: Partial<Record<EventTypeName, string>> = {
  moved: 'moving',
  'child-born': 'child_birth',
  'started-studies': 'starting_studies',
  unemployed: 'losing_job',
  'death-of-close-relative': 'death_of_close_one',
};

const FITS_SHOWN = 3;

/**
 * The services that fit a life event, as the Find view asks for them: where the event names a
 * municipality (the new home, after a move), that municipality's services and nationwide ones.
 */
export async function servicesThatFit(type: EventTypeName, language: Language, municipality?: string | null): Promise<Recommendation['items']> {
  const lifeEvent = RECOMMENDER_EVENT[type];
  if (!lifeEvent) return [];
  const recommendation = await api<Recommendation>('/api/v1/recommendations', {
    body: { language, limit: FITS_SHOWN, life_event: lifeEvent, ...(municipality ? { municipality_code: municipality } : {}) },
  });
  return recommendation.items.slice(0, FITS_SHOWN);
}
