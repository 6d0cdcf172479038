import type { Database } from '../db/database.ts';
import type { RecommenderService } from '../recommender/service.ts';

/** What every route handler may reach: the database the server was started with, and the recommender on it. */
export interface AppContext {
  database: Database;
  recommender: RecommenderService;
}

declare module 'fastify' {
  interface FastifyInstance {
    aurora: AppContext;
  }
  interface FastifyRequest {
    client?: import('../network/clients.ts').AuthenticatedClient;
  }
}
