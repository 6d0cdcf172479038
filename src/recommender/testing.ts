import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createClient } from '../clients/clients.ts';
import { basicAuth, createTestApp, type TestApp } from '../testing/app.ts';
import type { Backend } from '../testing/databases.ts';
import { importDemo } from '../testing/fixtures.ts';

/**
 * What the recommender's HTTP tests share: a server on the demo catalogue with three API clients
 * (Palveluohjaus A, Palveluohjaus B, Tulva) and one without the recommender's scopes (readOnly).
 */
export const ETALUKIO = '3668d250-cd80-45c4-abcc-9b2d3a2b3e42'; // linked to the Otava channel, whose first web page is below
export const OTAVA_WEB = 'http://www.otavanopisto.fi/';
export const UNKNOWN = '00000000-0000-4000-8000-00000000dead';

export interface Item {
  service_id: string;
  score: number;
  explanation: string;
  reasons: { kind: string; text: string; direction?: string }[];
  open_url: string;
}
export interface Recommendation {
  recommendation_id: string;
  items: Item[];
}

export const rankOf = (r: Recommendation, id: string) => r.items.findIndex((i) => i.service_id === id) + 1 || Infinity;

export interface RecommenderTestApp extends TestApp {
  clients: { id: string; authorization: string }[];
  /** A client with catalogue:write only. */
  readonly readOnly: string;
  recommend(payload: object, authorization?: string): Promise<Recommendation>;
  post(url: string, payload: unknown, authorization?: string): Promise<LightMyRequestResponse>;
}

/** Registers the suite's before and after hooks; the app is there once `before` has run. */
export function useRecommenderApp(backend: Backend): RecommenderTestApp {
  let t: TestApp;
  let readOnly = '';
  const clients: { id: string; authorization: string }[] = [];
  const post = (url: string, payload: unknown, authorization?: string) =>
    t.app.inject({ method: 'POST', url, payload: payload as object, headers: authorization ? { authorization } : {} });
  before(async () => {
    t = await createTestApp(backend);
    const summary = await importDemo(t.database.db);
    assert.equal(summary.skipped, 0);
    for (const name of ['Palveluohjaus A', 'Palveluohjaus B', 'Tulva']) {
      const created = await createClient(t.database.db, name);
      const row = await t.database.db.selectFrom('api_clients').select('id').where('client_id', '=', created.client_id).executeTakeFirstOrThrow();
      clients.push({ id: row.id, authorization: basicAuth(created.client_id, created.client_secret) });
    }
    const reader = await createClient(t.database.db, 'Vain luettelo', ['catalogue:write']);
    readOnly = basicAuth(reader.client_id, reader.client_secret);
  });
  after(async () => {
    await t?.close();
  });
  return {
    get app() {
      return t.app;
    },
    get database() {
      return t.database;
    },
    get client() {
      return t.client;
    },
    close: () => t.close(),
    clients,
    get readOnly() {
      return readOnly;
    },
    post,
    recommend: async (payload, authorization) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/recommendations', payload, headers: authorization ? { authorization } : {} });
      assert.equal(res.statusCode, 200, res.body.slice(0, 400));
      return res.json() as Recommendation;
    },
  };
}
