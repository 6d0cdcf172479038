import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { migrationsApplied } from '../db/migrate.ts';
import { catalogueRoutes } from '../catalogue/routes.ts';
import { LIST_PARAMETERS } from '../catalogue/schemas.ts';
import './context.ts';
import { registerMetrics } from './metrics.ts';
import { HttpProblem, errorHandler, sendProblem } from './problem.ts';
import { problems } from './schemas.ts';
import { landingPage } from './landing.ts';
import { RecommenderService } from '../recommender/service.ts';
import { recommenderRoutes } from '../recommender/routes.ts';
import { feedbackRoutes } from '../recommender/feedback.ts';
import { Learning, type LearningOptions } from '../recommender/learning.ts';
import { auroraaiRoutes } from '../recommender/auroraai/routes.ts';
import { consentRoutes } from '../consent/routes.ts';
import { transferCodeRoutes } from '../consent/code-routes.ts';
import { auroraaiSessionRoutes } from '../consent/auroraai-session.ts';
import { ConsentService, type ConsentOptions } from '../consent/transfers.ts';

export interface ServerOptions {
  database: Database;
  logger?: FastifyServerOptions['logger'];
  /** Largest request body accepted, in bytes (routes that take imports allow more). */
  bodyLimit?: number;
  /** How feedback is weighed (half-life, caps); defaults in learning.ts. */
  learning?: Partial<LearningOptions>;
  /** Payload keys and transfer time to live (defaults from AURORA_PAYLOAD_KEYS, AURORA_TRANSFER_TTL_SECONDS). */
  consent?: Omit<ConsentOptions, 'log'>;
  /** How often expired transfer payloads are purged, in ms (default 60 s; 0 never). */
  purgeIntervalMs?: number;
}

const VERSION = '0.1.0';

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    // Lists in query strings may repeat a key; a lone value is coerced to a one-item list.
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
    return503OnClosing: true,
    // Errors raised before routing (a malformed percent-encoding in the URL, a path parameter over
    // maxParamLength) bypass the error handler unless handed to it here; they are problem JSON too.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>();
  const recommender = new RecommenderService(options.database.db);
  // What feedback taught so far, read once; every new signal updates it as it is stored.
  const learning = new Learning(options.learning);
  await learning.load(options.database.db);
  recommender.recommender.learning = learning;
  const consent = await ConsentService.open(options.database.db, { ...options.consent, log: (level, message) => app.log[level](message) });
  app.decorate('aurora', { database: options.database, recommender, learning, consent });
  app.addHook('onClose', async () => recommender.stop());
  // Expired transfers lose their payload even when nobody asks for them again.
  const purgeEvery = options.purgeIntervalMs ?? 60_000;
  if (purgeEvery > 0) {
    const timer = setInterval(() => {
      consent.purge().then(
        (n) => n > 0 && app.log.info({ purged: n }, 'deleted expired transfer payloads'),
        (error: unknown) => app.log.warn({ err: error }, 'purging expired transfer payloads failed'),
      );
    }, purgeEvery);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new HttpProblem(404, 'not-found', 'Not found', `nothing at ${request.method} ${request.url.split('?')[0]}`).toProblem(request.url)),
  );

  // `a=1,2` and `a=1&a=2` mean the same for list parameters.
  app.addHook('preValidation', async (request) => {
    const query = request.query as Record<string, unknown> | undefined;
    if (!query || typeof query !== 'object') return;
    for (const key of LIST_PARAMETERS) {
      const value = query[key];
      if (value === undefined) continue;
      const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
      query[key] = parts;
    }
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Aurora network API',
        version: VERSION,
        description: 'Service catalogue of the Aurora life-event service network. Errors are RFC 9457 problem JSON.',
        license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
      },
      components: { securitySchemes: { basicAuth: { type: 'http', scheme: 'basic', description: 'client_id:client_secret of an API client' } } },
      tags: [
        { name: 'catalogue', description: 'Services, channels and code lists' },
        { name: 'recommender', description: 'Services for a life situation, with reasons; feedback that teaches it' },
        { name: 'auroraai', description: 'The AuroraAI core components service recommender API (recommend_service, text_search, recommendation_feedback), unchanged' },
        { name: 'consent', description: "Consent and session transfer: a person's attributes carried, with their consent, to the next service once; signed consent receipts" },
        { name: 'operations' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerMetrics(app);
  app.get(
    '/health',
    { schema: { tags: ['operations'], summary: 'Liveness: the process answers', response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers and every migration is applied',
        response: { 200: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } }, ...problems(503) },
      },
    },
    async () => {
      const { db, kind } = options.database;
      let ready = false;
      try {
        await sql`select 1`.execute(db);
        ready = await migrationsApplied(db);
      } catch {
        ready = false;
      }
      if (!ready) throw new HttpProblem(503, 'not-ready', 'Not ready', 'the database is unreachable or migrations are pending');
      return { status: 'ready', database: kind };
    },
  );
  app.get('/', { schema: { hide: true } }, async (request, reply) => reply.type('text/html; charset=utf-8').send(landingPage(request.headers['accept-language'])));

  await app.register(catalogueRoutes);
  await app.register(recommenderRoutes);
  await app.register(feedbackRoutes);
  await app.register(auroraaiRoutes);
  await app.register(consentRoutes);
  await app.register(transferCodeRoutes);
  await app.register(auroraaiSessionRoutes);
  return app;
}
