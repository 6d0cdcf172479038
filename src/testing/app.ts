import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createClient } from '../clients/clients.ts';
import { createTestDatabase, type Backend } from './databases.ts';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  /** An API client with every scope, and its Authorization header. */
  client: { client_id: string; client_secret: string; authorization: string };
  close(): Promise<void>;
}

export const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** A server on a fresh test database (not listening: use app.inject, or app.listen for real HTTP). */
export async function createTestApp(backend: Backend): Promise<TestApp> {
  const database = await createTestDatabase(backend);
  const app = await buildServer({ database });
  const created = await createClient(database.db, 'test client');
  return {
    app,
    database,
    client: { ...created, authorization: basicAuth(created.client_id, created.client_secret) },
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
