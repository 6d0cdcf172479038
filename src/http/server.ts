import { hostname } from 'node:os';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { isProduction, loadConfig, parseSetting, type TrustProxy } from '../config.ts';
import type { Database } from '../db/database.ts';
import { migrationsApplied } from '../db/migrate.ts';
import { catalogueRoutes } from '../catalogue/routes.ts';
import { hsdsRoutes } from '../catalogue/hsds/routes.ts';
import { LIST_PARAMETERS } from '../catalogue/schemas.ts';
import './context.ts';
import { privateLogger } from './logging.ts';
import { registerMetrics } from './metrics.ts';
import { SHARED_SCHEMA_COMPILERS } from './schema-compilers.ts';
import { DOCS_CSP, registerSecurityHeaders, setSecurityHeaders } from './security-headers.ts';
import { HttpProblem, answerUnreadableRequest, errorHandler, notFound, sendProblem } from './problem.ts';
import { problems } from './schemas.ts';
import { registerWeb, type WebOptions } from './web.ts';
import { geoRoutes } from '../geo/routes.ts';
import { RecommenderService } from '../recommender/service.ts';
import { recommenderRoutes } from '../recommender/routes.ts';
import { Learning, type LearningOptions } from '../recommender/learning/learning.ts';
import { hearSignals } from '../recommender/learning/hear-signals.ts';
import { scheduleJob } from '../jobs/schedule.ts';
import { auroraaiRoutes } from './auroraai/recommender-routes.ts';
import { consentRoutes } from '../transfers/routes.ts';
import { auroraaiSessionRoutes } from './auroraai/session-attributes.ts';
import { auroraaiRedirectRoutes } from './auroraai/redirect-routes.ts';
import { personRoutes } from '../person/routes.ts';
import { demoServiceRoutes } from '../demo/routes.ts';
import { DEMO_WEBHOOK_SECRET_SEALED } from '../demo/login/demo-events.ts';
import { ConsentService, type ConsentOptions } from '../transfers/transfers.ts';
import { consoleRoutes } from './console-routes.ts';
import { bootstrapAdmin } from '../staff/staff.ts';
import { scheduleRetention } from '../retention/schedule.ts';
import { keepClientRows } from '../clients/client-cache.ts';
import { statisticsRecorded } from '../statistics/hooks.ts';
import type { CompleteEidLogin } from '../identity/eid.ts';
import { suomifiEid, suomifiRoutes, type SuomifiRouteOptions } from '../identity/suomifi/routes.ts';
import { suomifiSettingsFromEnv } from '../identity/suomifi/settings.ts';
import { createSuomifiLogin } from '../identity/suomifi/suomifi-login.ts';
import { IdentityService } from '../identity/identity-service.ts';
import { identityRoutes } from '../identity/routes.ts';
import { accountPersonRoutes } from '../identity/accounts/account-person-routes.ts';
import { profileRoutes } from '../profile/routes.ts';
import { accountRoutes } from '../identity/accounts/account-routes.ts';
import { serviceProfileRoutes } from '../service-profiles/routes.ts';
import { callServices } from '../service-profiles/call-services.ts';
import { resealAll } from '../keys/reseal.ts';
import { PROFILE_KEYS_SEALED } from '../profile/data-keys.ts';
import { ACCOUNT_PERSON_KEYS_SEALED } from '../identity/accounts/account-person.ts';
import { PERSON_CHECKS_SEALED } from '../person/checks.ts';
import { TOTP_SECRETS_SEALED } from '../staff/totp.ts';
import { callSigner } from '../service-profiles/signed-call.ts';
import { testEidRoutes } from '../identity/test-eid/test-eid.ts';
import { brokerEidFromConfig } from '../identity/oidc-eid.ts';
import { eventTypeRoutes, personEventRoutes } from '../events/routes.ts';
import { scheduleDeliveries } from '../events/delivery/schedule.ts';
import { openBus, type Bus } from '../bus/nats.ts';
import { voucherRoutes } from '../vouchers/routes.ts';
import { questionnaireRunRoutes } from '../questionnaires/routes.ts';
import { chatbotConversationRoutes } from '../chatbot/routes.ts';
import websocket from '@fastify/websocket';
import { registerCors } from './cors.ts';
import type { RegisterConnector } from '../registers/connector.ts';
import { scheduleConnectors } from '../registers/schedule.ts';
import { pairwiseSubjects } from '../events/subjects.ts';
import { ENDPOINT_SECRETS_SEALED } from '../events/endpoint-secrets.ts';
import { voucherPersonRoutes } from '../vouchers/wallet/person-routes.ts';
import { confirmDueDeliveries, endExpiredVouchers } from '../vouchers/wallet/end-vouchers.ts';
import { registerFactCatalogueRoutes, registerFactPersonRoutes, registerFactServiceRoutes } from '../register-facts/routes.ts';
import { pictureRoutes } from '../situational-picture/routes.ts';
import { schedulePictureReleases } from '../situational-picture/schedule.ts';
import { expireRequests } from '../register-facts/expire-requests.ts';
import { expirePending } from '../ledger/expire-pending.ts';
import { expireOrders } from '../vouchers/orders/expire-orders.ts';
import { purgeIdempotencyKeys } from './idempotency.ts';

/** Where people reach the network: AURORA_PUBLIC_URL's origin, else this machine's port. Never a request's Host header. */
function publicOrigin(config: { AURORA_PUBLIC_URL?: string | undefined; PORT: number }) {
  return new URL(config.AURORA_PUBLIC_URL ?? `http://localhost:${config.PORT}`).origin;
}

export interface ServerOptions {
  database: Database;
  logger?: FastifyServerOptions['logger'];
  /** Largest request body accepted, in bytes (routes that take imports allow more). */
  bodyLimit?: number;
  /** How feedback is weighed (half-life, caps); defaults in learning.ts. */
  learning?: Partial<LearningOptions>;
  /** Payload keys and transfer time to live (defaults from AURORA_PAYLOAD_KEYS, AURORA_TRANSFER_TTL_SECONDS). */
  consent?: Omit<ConsentOptions, 'log'>;
  /** How often expired transfer payloads and OpenID records are purged, in ms (default AURORA_PURGE_INTERVAL_SECONDS; 0 never). */
  purgeIntervalMs?: number;
  /** How often due calls to services' profile APIs are made, in ms (default 10 s; 0 never: tests call callServices). */
  profileCallIntervalMs?: number;
  /** How often due life event deliveries are polled for, in ms (default 5 s, besides NOTIFY waking it; 0 never: tests call deliverDue). */
  eventDeliveryIntervalMs?: number;
  /** Life events through NATS JetStream (default AURORA_NATS_URL and AURORA_NATS_STREAM; null: the database only). */
  nats?: { url: string; stream: string } | null;
  /** Register connectors polled for life events (default none; a demo start passes the synthetic test register's). */
  registers?: RegisterConnector<any>[];
  /** How often each register connector polls, in ms (default AURORA_REGISTER_POLL_INTERVAL_SECONDS; 0 never). */
  registerPollIntervalMs?: number;
  /** How often long-lived sealed values are moved to the current payload key, in ms (default an hour; 0 never). */
  resealIntervalMs?: number;
  /** How often pending ledger transfers past their timeout are voided, in ms (default 10 s; 0 never: tests call expirePending). */
  ledgerExpiryIntervalMs?: number;
  /** How often deliveries past their confirmation time are confirmed and vouchers past their validity ended, in ms (default a minute; 0 never: tests call the jobs). */
  voucherJobsIntervalMs?: number;
  /**
   * How often service events older than AURORA_EVENT_RETENTION_DAYS are deleted, in ms (default
   * AURORA_RETENTION_INTERVAL_SECONDS, 6 h; first a minute after start; 0 never).
   */
  eventRetentionIntervalMs?: number;
  /** The web apps' folder and map tiles (defaults: web/dist, AURORA_MAP_TILES). */
  web?: WebOptions;
  /**
   * Which proxies' X-Forwarded-For to believe (Fastify's trustProxy: true, a hop count, or
   * addresses/CIDRs); default from AURORA_TRUST_PROXY, else none. Behind a reverse proxy without it,
   * every person shares the proxy's address and the per-address limits become network-wide.
   */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** The bearer token /metrics asks for (default AURORA_METRICS_TOKEN); without one /metrics is 404. */
  metricsToken?: string;
  /**
   * Whether the demo receiving service's pages (/demo/…) are served; never in production
   * (NODE_ENV=production), whatever this says. Default: outside production.
   */
  demoPages?: boolean;
  /**
   * Where an upstream eID's verified identity goes. Default: the network's OpenID Provider's login
   * (app.aurora.identity.completeEidLogin). Suomi.fi's routes exist only when AURORA_SUOMIFI_… configure it.
   */
  completeEidLogin?: CompleteEidLogin;
  /** Suomi.fi's other hooks: a cancelled login, single logout (IdP-initiated: end the person's sessions; ours answered). */
  suomifiHooks?: Pick<SuomifiRouteOptions, 'cancelLogin' | 'endSessions' | 'completeLogout'>;
  /**
   * Whether the login of the network's OpenID Provider offers the TEST eID (fictional persons, at
   * /test-eid); never in production (NODE_ENV=production), whatever this says. Default: AURORA_DEMO.
   */
  testEid?: boolean;
  /** The OpenID Provider's FAPI 2.0 profile (PAR required, sender-constrained tokens). Default AURORA_OP_FAPI. */
  fapi?: boolean;
}

/** AURORA_TRUST_PROXY: "true", a hop count, or a comma-separated list of addresses/CIDRs. */
export function trustProxyFromEnv(value: string | undefined): FastifyServerOptions['trustProxy'] {
  return fastifyTrustProxy(parseSetting('AURORA_TRUST_PROXY', value));
}

function fastifyTrustProxy(trust: TrustProxy): FastifyServerOptions['trustProxy'] {
  if (typeof trust === 'number') return (_address: string, hop: number) => hop < trust;
  return trust;
}

const VERSION = '0.1.0';

/** The sealed values that live until a person or an administrator deletes them: the payload-reseal job moves them to the current key. */
export const LONG_LIVED_SEALED_COLUMNS = [PROFILE_KEYS_SEALED, ACCOUNT_PERSON_KEYS_SEALED, PERSON_CHECKS_SEALED, TOTP_SECRETS_SEALED, ENDPOINT_SECRETS_SEALED, DEMO_WEBHOOK_SECRET_SEALED] as const;

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  // A bad variable stops the start, before anything is opened, rather than failing quietly later
  // (an AURORA_EVENT_RETENTION_DAYS every 6 hours, an epsilon at the first query).
  const config = loadConfig();
  const retentionEvery = options.eventRetentionIntervalMs ?? config.AURORA_RETENTION_INTERVAL_SECONDS * 1000;
  const purgeEvery = options.purgeIntervalMs ?? config.AURORA_PURGE_INTERVAL_SECONDS * 1000;
  const headerOptions = { https: config.AURORA_PUBLIC_URL?.startsWith('https:') ?? false };
  const app = Fastify({
    logger: privateLogger(options.logger),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    // Lists in query strings may repeat a key; a lone value is coerced to a one-item list.
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
    schemaController: { compilersFactory: SHARED_SCHEMA_COMPILERS },
    return503OnClosing: true,
    trustProxy: options.trustProxy ?? fastifyTrustProxy(config.AURORA_TRUST_PROXY),
    // Errors raised before routing (a malformed percent-encoding in the URL, a path parameter over
    // maxParamLength) bypass the error handler unless handed to it here; they are problem JSON too.
    // Requests Node's HTTP parser cannot read (a raw non-ASCII byte in the address): problem JSON too.
    clientErrorHandler: answerUnreadableRequest,
    frameworkErrors: (error, request, reply) => {
      setSecurityHeaders(request, reply, headerOptions);
      return errorHandler(error, request, reply);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const recommender = new RecommenderService(options.database.db);
  // What feedback taught so far, read once; every new signal updates it as it is stored.
  const learning = new Learning(options.learning);
  await learning.load(options.database.db);
  recommender.recommender.learning = learning;
  const consent = await ConsentService.open(options.database.db, { ...options.consent, log: (level, message) => app.log[level](message) });
  const identity = await IdentityService.open(options.database.db, consent.keyring, consent.subjectKey, {
    issuer: publicOrigin(config),
    fapi: options.fapi ?? config.AURORA_OP_FAPI,
    onServerError: (error) => app.log.error({ err: error }, 'the OpenID Provider failed'),
    onWarning: (message) => app.log.warn(message),
  });
  app.decorate('aurora', { database: options.database, recommender, learning, consent, identity, stopping: false });
  const broker = brokerEidFromConfig(config, publicOrigin(config), () => identity);
  if (broker) identity.registerEid(broker);
  app.addHook('onClose', async () => recommender.stop());
  // Statistics are written after the answers they count: the database is closed only after them.
  app.addHook('onClose', statisticsRecorded);
  // Expired transfers lose their payload even when nobody asks for them again; once per network.
  scheduleJob(app, options.database.db, {
    name: 'expired-transfers',
    everyMs: purgeEvery,
    firstAfterMs: purgeEvery,
    run: () =>
      consent.purge().then(
        (n) => n > 0 && app.log.info({ purged: n }, 'deleted expired transfer payloads'),
        (error: unknown) => app.log.warn({ err: error }, 'purging expired transfer payloads failed'),
      ),
  });
  scheduleJob(app, options.database.db, {
    name: 'expired-register-facts',
    everyMs: purgeEvery,
    firstAfterMs: purgeEvery,
    run: () =>
      expireRequests(options.database.db, config.AURORA_CONSENT_PURPOSE_RETENTION_DAYS).then(
        (n) => n.expired + n.deleted > 0 && app.log.info(n, 'expired register fact requests'),
        (error: unknown) => app.log.warn({ err: error }, 'expiring register fact requests failed'),
      ),
  });
  // Bookings (pending ledger transfers) past their timeout release what they reserved; once per network.
  scheduleJob(app, options.database.db, {
    name: 'ledger-expiry',
    everyMs: options.ledgerExpiryIntervalMs ?? 10_000,
    run: () =>
      expirePending(options.database.db).then(
        (n) => n > 0 && app.log.info({ expired: n }, 'released pending ledger transfers past their timeout'),
        (error: unknown) => app.log.warn({ err: error }, 'expiring pending ledger transfers failed'),
      ),
  });
  // Orders whose booking the ledger expired are moved to 'expired'; once per network.
  scheduleJob(app, options.database.db, {
    name: 'voucher-order-expiry',
    everyMs: options.ledgerExpiryIntervalMs ?? 10_000,
    run: () =>
      expireOrders(options.database.db).then(
        (n) => n > 0 && app.log.info({ expired: n }, 'voucher orders whose booking expired'),
        (error: unknown) => app.log.warn({ err: error }, 'expiring voucher orders failed'),
      ),
  });
  // Deliveries nobody confirmed in time are confirmed; vouchers past their validity end and return their value; once per network.
  scheduleJob(app, options.database.db, {
    name: 'voucher-auto-confirm',
    everyMs: options.voucherJobsIntervalMs ?? 60_000,
    run: () =>
      confirmDueDeliveries(options.database.db).then(
        (n) => n > 0 && app.log.info({ confirmed: n }, 'confirmed voucher deliveries past their confirmation time'),
        (error: unknown) => app.log.warn({ err: error }, 'confirming voucher deliveries failed'),
      ),
  });
  scheduleJob(app, options.database.db, {
    name: 'voucher-end',
    everyMs: options.voucherJobsIntervalMs ?? 60_000,
    run: () =>
      endExpiredVouchers(options.database.db).then(
        (n) => n > 0 && app.log.info({ ended: n }, 'ended vouchers past their validity and returned their value to the budgets'),
        (error: unknown) => app.log.warn({ err: error }, 'ending vouchers past their validity failed'),
      ),
  });
  scheduleJob(app, options.database.db, {
    name: 'expired-idempotency-keys',
    everyMs: purgeEvery,
    firstAfterMs: purgeEvery,
    run: () => purgeIdempotencyKeys(options.database.db).catch((error: unknown) => app.log.warn({ err: error }, 'purging expired Idempotency-Keys failed')),
  });
  scheduleJob(app, options.database.db, {
    name: 'expired-openid-records',
    everyMs: purgeEvery,
    firstAfterMs: purgeEvery,
    run: () => identity.purge().catch((error: unknown) => app.log.warn({ err: error }, 'purging expired OpenID Provider records failed')),
  });
  scheduleRetention(app, options.database.db, { everyMs: retentionEvery, days: config });
  schedulePictureReleases(app, options.database.db, purgeEvery);
  app.setErrorHandler(errorHandler);
  // Before any plugin is registered, so that their routes (swagger-ui's, the static files) inherit it.
  registerSecurityHeaders(app, headerOptions);
  // Routes marked `config: { noStore: true }` are never cached, whatever their answer (errors too).
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.config?.noStore) reply.header('cache-control', 'no-store');
    return payload;
  });
  await app.register(cookie);
  // Only the chat widget's endpoints answer other origins (cors.ts); registered once, before the routes.
  await registerCors(app);
  // WebSocket upgrades for the routes that ask for them (the chatbot's conversations); frames of
  // 4 KB at most, where a chat message is 1,000 characters.
  await app.register(websocket, { options: { maxPayload: 4096 } });
  await bootstrapAdmin(options.database.db, process.env, (level, message) => app.log[level](message));
  const web = await registerWeb(app, options.web);
  app.setNotFoundHandler((request, reply) => {
    // A browser opening a path the web apps route themselves gets the app's page.
    if (web.fallback(request, reply)) return reply;
    return sendProblem(reply, notFound(`nothing at ${request.method} ${request.url.split('?')[0]}`).toProblem(request.url));
  });

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
      components: {
        securitySchemes: {
          basicAuth: { type: 'http', scheme: 'basic', description: 'client_id:client_secret of an API client' },
          personKey: { type: 'http', scheme: 'bearer', description: "A person's key: 32 random bytes, base64url, made and kept by the citizen app; the network keeps only an HMAC of it" },
          oidcAccessToken: { type: 'http', scheme: 'bearer', description: "An access token from the network's OpenID Provider (/oidc/token), bearer (not DPoP-bound)" },
          serviceToken: { type: 'http', scheme: 'bearer', description: "A member's service calling as itself: an access token of the client credentials grant at /oidc/token (the client authenticated with its secret or private_key_jwt; DPoP-bound ones with a proof)" },
          accountToken: { type: 'http', scheme: 'bearer', description: "An access token of the network's OpenID Provider: a service's, exchanged for the network's API (RFC 8693), or the network's own app's for the person who logged in (Bearer, or DPoP with a proof when DPoP-bound)" },
          consoleSession: { type: 'apiKey', in: 'cookie', name: 'aurora_console', description: 'A console session (POST /api/v1/console/session); changes also need the header x-aurora-csrf: 1' },
        },
      },
      tags: [
        { name: 'catalogue', description: 'Services, channels and code lists' },
        { name: 'hsds', description: 'The catalogue as Open Referral HSDS 3.0: its API (schema/openapi.json) under /hsds/v3, public like the catalogue API' },
        { name: 'recommender', description: 'Services for a life situation, with reasons; feedback that teaches it' },
        { name: 'auroraai', description: 'The AuroraAI core components service recommender API (recommend_service, text_search, recommendation_feedback), unchanged' },
        { name: 'consent', description: "Consent and session transfer: a person's attributes carried, with their consent, to the next service once; signed consent receipts" },
        { name: 'person', description: "The person's own API (Bearer person key): their transfers, consents, saved checks, profile, account link, export and erasure; the attribute texts and transfer targets for consent questions; a service keeping a profile attribute with a store: scope" },
        { name: 'identity', description: "Upstream eID: Suomi.fi e-Identification (SAML 2.0) metadata, login and single logout; a person's account called with the OpenID Provider's access tokens (a service's exchanged token, the network's own app's); download everything and erase me everywhere" },
        { name: 'register-facts', description: "Register data transfer: a service asks a person for one register fact (client credentials), the person approves or declines (account token), the service collects it once with a consent receipt" },
        { name: 'events', description: "Life events: the types; a person's events and their consents per type and service (account token); members' webhook endpoints, subscriptions and deliveries (console)" },
        { name: 'vouchers', description: "Service voucher programmes: what a payer member funds, for whom, at what value and co-payment (console); the open programmes and where their vouchers can be used (public)" },
        { name: 'chatbot', description: "Bots: a member's content packs, versions, transcript tests (console); conversations with a published bot (public)" },
        { name: 'questionnaires', description: "Questionnaires in the SurveyJS JSON format: a member's drafts, versions, runs and noised results (console); answering a run, the meters the answers give and the group's picture (public, by link or PIN)" },
        { name: 'situational-picture', description: "The situational picture (docs/situational-picture.md): answers people share for their area's statistics, the two-way mirror, and for members' staff the picture by area, age band and period with its privacy budget, CSV, followed figures and notices" },
        { name: 'console', description: 'Membership of the network and the provider console: applications, staff, services, transfers, API clients, teaching, statistics, audit' },
        { name: 'operations' },
      ],
    },
  });
  // validatorUrl null: the page would otherwise send the API document's URL to validator.swagger.io.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true, validatorUrl: null }, staticCSP: DOCS_CSP });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerMetrics(app, { token: options.metricsToken ?? config.AURORA_METRICS_TOKEN });
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
        summary: 'Readiness: the database answers, every migration is applied, and the server is not stopping',
        response: { 200: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } }, ...problems(503) },
      },
    },
    async () => {
      if (app.aurora.stopping) throw new HttpProblem(503, 'stopping', 'Stopping', 'this server is finishing what it has and takes nothing new: ask another');
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

  await app.register(catalogueRoutes);
  await app.register(hsdsRoutes);
  await app.register(geoRoutes);
  await app.register(recommenderRoutes);
  await app.register(auroraaiRoutes);
  await app.register(consentRoutes);
  await app.register(auroraaiSessionRoutes);
  await app.register(auroraaiRedirectRoutes);
  await app.register(personRoutes);
  await app.register(consoleRoutes);
  // Public pages that redeem as the demo client: a production start has none.
  const demoPages = (options.demoPages ?? true) && !isProduction(config);
  if (demoPages) await app.register(demoServiceRoutes);
  // Suomi.fi e-Identification, when configured; a half-done configuration is logged and stays off.
  const suomifi = await suomifiSettingsFromEnv();
  if (suomifi.problem) app.log.warn(suomifi.problem);
  const suomifiLogin = suomifi.settings ? createSuomifiLogin(suomifi.settings, options.database.db) : null;
  app.decorate('suomifi', suomifiLogin);
  if (suomifiLogin) {
    await app.register(suomifiRoutes, {
      login: suomifiLogin,
      completeLogin: options.completeEidLogin ?? identity.completeEidLogin,
      cancelLogin: (request, reply, state) => identity.cancelEidLogin(request, reply, state),
      ...options.suomifiHooks,
    });
    identity.registerEid(suomifiEid(identity));
  }
  await app.register(identityRoutes);
  await app.register(accountPersonRoutes);
  await app.register(profileRoutes);
  await app.register(accountRoutes);
  await app.register(serviceProfileRoutes);
  await app.register(eventTypeRoutes);
  await app.register(voucherRoutes);
  await app.register(questionnaireRunRoutes);
  await app.register(chatbotConversationRoutes);
  await app.register(voucherPersonRoutes);
  await app.register(personEventRoutes);
  await app.register(registerFactCatalogueRoutes);
  await app.register(registerFactServiceRoutes);
  await app.register(registerFactPersonRoutes);
  await app.register(pictureRoutes);
  // "Download everything" / "erase me everywhere": the calls to services' profile APIs, due ones claimed with SKIP LOCKED.
  const signCall = callSigner(identity.provider.issuer, identity.signingKeys);
  scheduleJob(app, options.database.db, {
    name: 'profile-calls',
    everyMs: options.profileCallIntervalMs ?? 10_000,
    run: () =>
      callServices(options.database.db, { keyring: consent.keyring, sign: signCall, allowPrivate: config.AURORA_PRIVATE_DESTINATIONS ?? !isProduction(config) }).catch((error: unknown) => app.log.warn({ err: error }, "calling services' profile APIs failed")),
  });
  // After a payload key rotation: long-lived sealed values move to the current key, so that the old one can be removed.
  scheduleJob(app, options.database.db, {
    name: 'payload-reseal',
    everyMs: options.resealIntervalMs ?? 3_600_000,
    firstAfterMs: 30_000,
    run: async () => {
      for (const outcome of await resealAll(options.database.db, consent.keyring, LONG_LIVED_SEALED_COLUMNS)) {
        if (outcome.resealed) app.log.info(outcome, 'sealed again under the current payload key');
        if (outcome.unreadable) app.log.warn(outcome, 'values are sealed under a payload key that is not configured: put it back in AURORA_PAYLOAD_KEYS to read them');
      }
    },
  });
  // Registers' changes become life events, each connector once per network.
  scheduleConnectors(app, options.database.db, options.registers ?? [], consent.subjectKey, options.registerPollIntervalMs ?? config.AURORA_REGISTER_POLL_INTERVAL_SECONDS * 1000);
  // The test eID logs anyone in as a fictional person: a production start never offers it.
  if ((options.testEid ?? config.AURORA_DEMO) && !isProduction(config)) await app.register(testEidRoutes(publicOrigin(config)));
  // A client's call then reads no row; every change to clients, from any process, drops what is kept.
  // Last (with the catalogue's below), so that nothing after them can fail and leave a listening connection open.
  const stopKeepingClients = await keepClientRows(options.database, (error) =>
    app.log.warn({ err: error }, 'listening for API client changes failed; clients are read on every call until it is back'),
  );
  app.addHook('onClose', stopKeepingClients);
  // Other servers' catalogue changes and feedback, heard at once.
  let stopHearingCatalogue: (() => Promise<void>) | undefined;
  let stopDeliveries: (() => Promise<void>) | undefined;
  let bus: Bus | undefined;
  try {
    stopHearingCatalogue = await recommender.listen(options.database, (error) =>
      app.log.warn({ err: error }, "listening for catalogue changes failed; other servers' changes are caught by the 30-second sync until it is back"),
    );
    const stopHearingSignals = await hearSignals(options.database, learning, (error) =>
      app.log.warn({ err: error }, "hearing other servers' feedback failed; it is read again when the listening connection is back"),
    );
    app.addHook('onClose', stopHearingSignals);
    // Life events to members' webhooks: polled once per network, and woken at once by a recorded
    // event's NOTIFY; with NATS, relayed through JetStream so that every server sends a share.
    const deliveryEvery = options.eventDeliveryIntervalMs ?? 5_000;
    const nats = options.nats === undefined ? (config.AURORA_NATS_URL ? { url: config.AURORA_NATS_URL, stream: config.AURORA_NATS_STREAM } : null) : options.nats;
    if (nats && deliveryEvery > 0) bus = openBus(nats.url, { name: `aurora ${hostname()} ${process.pid}`, log: app.log });
    stopDeliveries = await scheduleDeliveries(
      app,
      options.database,
      {
        keyring: consent.keyring,
        issuer: identity.provider.issuer,
        subjectOf: pairwiseSubjects(identity.provider, consent.subjectKey),
        allowPrivate: config.AURORA_PRIVATE_DESTINATIONS ?? !isProduction(config),
        // The demo service's webhook is this server (on localhost, say): its own origin only, and only where the demo's pages are served.
        ...(demoPages ? { allowOrigins: [new URL(identity.provider.issuer).origin] } : {}),
        timeoutMs: config.AURORA_EVENT_DELIVERY_TIMEOUT_SECONDS * 1000,
      },
      deliveryEvery,
      bus && nats ? { bus, stream: nats.stream } : undefined,
    );
    app.addHook('onClose', stopDeliveries);
    if (bus) app.addHook('onClose', bus.close);
  } catch (error) {
    await stopDeliveries?.();
    await bus?.close();
    await stopHearingCatalogue?.();
    await stopKeepingClients();
    throw error;
  }
  app.addHook('onClose', stopHearingCatalogue);
  return app;
}
