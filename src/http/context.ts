import type { Database } from '../db/database.ts';

/** What every route handler may reach: the one database the server was started with. */
export interface AppContext {
  database: Database;
}

declare module 'fastify' {
  interface FastifyInstance {
    aurora: AppContext;
  }
  interface FastifyRequest {
    client?: import('../network/clients.ts').AuthenticatedClient;
  }
}
