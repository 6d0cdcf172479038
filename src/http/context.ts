import type { ConsentService } from '../transfers/transfers.ts';
import type { Database } from '../db/database.ts';
import type { Learning } from '../recommender/learning/learning.ts';
import type { RecommenderService } from '../recommender/service.ts';
import type { IdentityService } from '../identity/identity-service.ts';

/** What every route handler may reach: the database the server was started with, the recommender on it and what it learns from feedback. */
export interface AppContext {
  database: Database;
  recommender: RecommenderService;
  learning: Learning;
  consent: ConsentService;
  /** Set when the server is told to stop: /ready answers 503 from then on, so that load balancers send no more, while what is in flight finishes. */
  stopping: boolean;
  /** The network's OpenID Provider and the eIDs its login offers. */
  identity: IdentityService;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The answer must not be kept by any cache (it carries a secret, a person's data or a one-time value). */
    noStore?: boolean;
  }
  interface FastifyInstance {
    aurora: AppContext;
    /** Suomi.fi e-Identification (SP-initiated logout: `suomifi.logout(identity.logout, state)`); null when not configured. */
    suomifi: import('../identity/suomifi/suomifi-login.ts').SuomifiLogin | null;
  }
  interface FastifyRequest {
    client?: import('../clients/clients.ts').AuthenticatedClient;
    /** The console user of a cookie session (membership routes). */
    staff?: import('../staff/staff.ts').AuthenticatedStaff;
  }
}
