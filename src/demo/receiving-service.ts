import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import Type from 'typebox';
import type { ChannelRecord } from '../catalogue/model.ts';
import { upsertChannels } from '../catalogue/store.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem, TooManyRequests } from '../http/problem.ts';
import { createClient } from '../clients/clients.ts';
import { redeemCode } from '../transfers/codes.ts';
import { CONTENT_SECURITY_POLICY, deskPage, pickLanguage, receiverPage, receiverRefusedPage, type Refusal } from './pages.ts';
import { checkLandingUrl, enableTransfer } from '../transfers/transfers.ts';

/**
 * A receiving service for the demo network, so that on a fresh `npm start` a person can take their
 * story along: the demo service "Nettilukio aikuisille" gets a demo e-service that receives links,
 * and its Otava service location receives codes, both redeemed by one demo API client. Its pages run
 * inside the server and redeem in-process as that client — the client's secret is never shown or
 * needed. Set up once, on the start that loads the demo catalogue.
 */

export const DEMO_CLIENT_NAME = 'Aurora demo service';
export const DEMO_SERVICE_ID = '3668d250-cd80-45c4-abcc-9b2d3a2b3e42';
export const DEMO_WEB_CHANNEL_ID = '28a647cb-1420-4c23-966c-fe8b1ca89c9b';
export const DEMO_DESK_CHANNEL_ID = '961f1a02-0eb7-4b5d-9721-6b9f2d14ec6f';
export const DEMO_ACCEPTS = ['age', 'municipality_code', 'life_situation_meters'];

const text = (fi: string, sv: string, en: string) => ({ fi, sv, en });

const DEMO_WEB_CHANNEL: ChannelRecord = {
  id: DEMO_WEB_CHANNEL_ID,
  source: 'demo',
  sourceId: null,
  type: 'EChannel',
  organizationId: null,
  name: text(
    'Demo: Nettilukion hakulomake (Aurora-esittely)',
    'Demo: Ansökan till nätgymnasiet (Aurora-demo)',
    'Demo: Online upper secondary school application (Aurora demo)',
  ),
  summary: text(
    'Aurora-verkon esittelypalvelu, ei oikea hakulomake: se näyttää, mitä palvelu saa, kun siirrät tietosi sille.',
    'En demotjänst i Aurora-nätverket, inte en riktig ansökan: den visar vad tjänsten får när du för över dina uppgifter.',
    'A demo service of the Aurora network, not a real application: it shows what the service gets when you take your information along.',
  ),
  description: {},
  languages: ['fi', 'sv', 'en'],
  areaType: 'Nationwide',
  areas: [],
  // No web page: "open the service" links (GET /r/…) keep going to the real service's pages.
  webPages: [],
  phones: [],
  emails: [],
  addresses: [],
  serviceHours: [],
  services: [{ serviceId: DEMO_SERVICE_ID, description: {} }],
  publishingStatus: 'Published',
  modified: null,
};

/** Where the demo pages are reached from outside: AURORA_PUBLIC_URL, else this machine's port. */
export function demoBaseUrl(publicUrl: string | undefined, port: number): string {
  const url = checkLandingUrl(publicUrl?.trim() || `http://localhost:${port}`);
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

export interface DemoService {
  client_id: string;
  receiver_url: string;
  desk_url: string;
}

/**
 * Sets up the demo receiving service: once (nothing when its channel exists already) and only on
 * the demo catalogue (nothing when the demo service or its Otava location is missing). A landing
 * URL that is not https (or http on localhost) is a warning, not a failed start.
 */
export async function setUpDemoService(db: Db, where: { publicUrl: string | undefined; port: number }, log?: FastifyBaseLogger): Promise<DemoService | undefined> {
  let base: string;
  try {
    base = demoBaseUrl(where.publicUrl, where.port);
  } catch (error) {
    log?.warn(`the demo receiving service is not set up: AURORA_PUBLIC_URL ${(error as Error).message}`);
    return undefined;
  }
  const present = async (table: 'services' | 'service_channels', id: string) => Boolean(await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst());
  if (await present('service_channels', DEMO_WEB_CHANNEL_ID)) return undefined;
  if (!(await present('services', DEMO_SERVICE_ID)) || !(await present('service_channels', DEMO_DESK_CHANNEL_ID))) return undefined;
  const client = await createClient(db, DEMO_CLIENT_NAME, ['transfer:receive'], 'demo');
  await upsertChannels(db, [DEMO_WEB_CHANNEL]);
  const receiver = `${base}/demo/receiver`;
  const desk = `${base}/demo/desk`;
  await enableTransfer(db, { channelId: DEMO_WEB_CHANNEL_ID, url: receiver, accepts: DEMO_ACCEPTS, clientId: client.client_id }, 'demo');
  await enableTransfer(db, { channelId: DEMO_DESK_CHANNEL_ID, url: desk, accepts: DEMO_ACCEPTS, clientId: client.client_id }, 'demo');
  const service = { client_id: client.client_id, receiver_url: receiver, desk_url: desk };
  log?.info(service, 'set up the demo receiving service');
  return service;
}

/**
 * The demo client's internal id: the client its demo channel names, while that client is still the
 * demo's own and active. Revoking or suspending it turns the demo pages off; a channel pointed at
 * another client never lets these public pages redeem as that client.
 */
async function demoClientId(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom('transfer_targets as t')
    .innerJoin('api_clients as c', 'c.id', 't.client_id')
    .select(['c.id', 'c.name', 'c.scopes', 'c.member_id', 'c.revoked_at', 'c.suspended_at'])
    .where('t.channel_id', '=', DEMO_WEB_CHANNEL_ID)
    .executeTakeFirst();
  if (!row || row.name !== DEMO_CLIENT_NAME || row.member_id !== null || row.revoked_at || row.suspended_at || !row.scopes.includes('transfer:receive')) return undefined;
  return row.id;
}

/** The person-facing reason behind a redemption's problem; anything else is not ours to explain. */
function refusalOf(error: unknown): Refusal | undefined {
  if (error instanceof TooManyRequests) return 'rate-limited';
  if (!(error instanceof HttpProblem)) return undefined;
  const byKind: Record<string, Refusal> = {
    'not-found': 'unknown',
    forbidden: 'wrong-client',
    'invalid-request': 'not-a-code',
    'transfer-used': 'used',
    'transfer-expired': 'expired',
    'transfer-withdrawn': 'withdrawn',
    'transfer-gone': 'gone',
    'transfer-code-locked': 'locked',
    'payload-key-missing': 'unavailable',
    'payload-unreadable': 'unavailable',
  };
  return byKind[error.kind];
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function html(reply: FastifyReply, status: number, body: string) {
  return reply
    .status(status)
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    // The landing URL carries the token: it must not leave in a Referer.
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .type('text/html; charset=utf-8')
    .send(body);
}

const Lang = Type.Optional(Type.String({ maxLength: 35 }));

export const demoServiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  // Encapsulated in this plugin: the desk's form is the only form-encoded body the network reads.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get(
    '/demo/receiver',
    { schema: { hide: true, querystring: Type.Object({ aurora_token: Type.Optional(Type.String({ maxLength: 200 })), lang: Lang }) } },
    async (request, reply) => {
      const lang = pickLanguage(request.query.lang, request.headers['accept-language']);
      const token = request.query.aurora_token;
      if (!token) return html(reply, 400, receiverRefusedPage(lang, 'no-token'));
      const clientId = await demoClientId(db());
      if (!clientId) return html(reply, 404, receiverRefusedPage(lang, 'not-set-up'));
      if (!TOKEN.test(token)) return html(reply, 404, receiverRefusedPage(lang, 'unknown'));
      try {
        const redeemed = await app.aurora.consent.redeem(token, clientId);
        return html(reply, 200, receiverPage(lang, redeemed));
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) throw error;
        return html(reply, (error as HttpProblem).status, receiverRefusedPage(lang, refusal));
      }
    },
  );

  app.get('/demo/desk', { schema: { hide: true, querystring: Type.Object({ lang: Lang }) } }, async (request, reply) =>
    html(reply, 200, deskPage(pickLanguage(request.query.lang, request.headers['accept-language']))),
  );

  app.post(
    '/demo/desk',
    { schema: { hide: true, body: Type.Object({ code: Type.String({ maxLength: 64 }), lang: Lang }, { additionalProperties: false }) } },
    async (request, reply) => {
      const lang = pickLanguage(request.body.lang, request.headers['accept-language']);
      const typed = request.body.code;
      if (!typed.trim()) return html(reply, 400, deskPage(lang, { refusal: 'empty' }));
      const clientId = await demoClientId(db());
      if (!clientId) return html(reply, 404, deskPage(lang, { refusal: 'not-set-up' }));
      try {
        // The API's own redemption: the same failure limit and lockout for the demo client.
        const redeemed = await redeemCode(db(), app.aurora.consent, typed, clientId);
        return html(reply, 200, deskPage(lang, { received: redeemed }));
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) throw error;
        let retryAfterSeconds = 0;
        if (error instanceof TooManyRequests) {
          retryAfterSeconds = error.retryAfterSeconds;
          reply.header('retry-after', String(retryAfterSeconds));
        }
        return html(reply, (error as HttpProblem).status, deskPage(lang, { refusal, typed, retryAfterSeconds }));
      }
    },
  );
};
