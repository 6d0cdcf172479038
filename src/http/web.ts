import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import Type from 'typebox';
import { checkTileTemplate, OSM_ATTRIBUTION, OSM_TILES, setting } from '../config.ts';
import type { Db } from '../db/database.ts';
import { DEMO_BOT_ID } from '../demo/demo-bot.ts';
import { fromPackageRoot } from '../package-root.ts';

/**
 * The web apps built by Vite into web/dist (scripts/build-web.js): the citizen app at / and the
 * staff console at /console. Hashed assets are cached for good; pages, the service worker and the
 * manifest are revalidated so an update reaches people at once. Paths the apps route themselves
 * (/services/…, /console/members/…) get their page when a browser asks for HTML.
 */

export const DEFAULT_WEB_DIR = fromPackageRoot('web', 'dist');

export interface WebOptions {
  /** The built web apps (default web/dist). */
  distDir?: string;
  /**
   * The map tile URL template ({z}/{x}/{y}, optional {s}); null turns the map's tiles off (the
   * service locations are still listed). Default AURORA_MAP_TILES, else OpenStreetMap's tiles.
   */
  mapTiles?: string | null;
  /** Attribution shown on the map (default AURORA_MAP_ATTRIBUTION, else OpenStreetMap's). */
  mapAttribution?: string;
  /** The citizen app's bot: an id, 'demo' or null (default AURORA_CITIZEN_BOT). */
  citizenBot?: string | null;
}

/** Paths the server answers itself; never an app page, even for a browser. */
const SERVER_PATH = /^\/(api|docs|r|service-recommender|\.well-known)(\/|$)|^\/(openapi\.json|health|ready|metrics)$/;

export { checkTileTemplate } from '../config.ts';

function mapConfig(options: WebOptions, warn: (message: string) => void) {
  const configured = options.mapTiles !== undefined ? options.mapTiles : setting('AURORA_MAP_TILES');
  let tiles: string | null = null;
  if (configured && !['off', 'none', ''].includes(configured.trim().toLowerCase())) {
    tiles = checkTileTemplate(configured.trim());
    if (!tiles) warn(`AURORA_MAP_TILES is not a usable tile URL template (https, with {z}, {x} and {y}); the map shows no tiles: ${configured}`);
  }
  const attribution = options.mapAttribution ?? setting('AURORA_MAP_ATTRIBUTION') ?? (tiles === OSM_TILES ? OSM_ATTRIBUTION : '');
  return { tiles, attribution: attribution.slice(0, 300), max_zoom: 18 };
}

function contentSecurityPolicy(tiles: string | null) {
  let tileOrigin = '';
  if (tiles) {
    const url = new URL(tiles.replaceAll(/\{[a-z]+\}/g, 'x'));
    // {s} subdomains: allow the host's siblings
    tileOrigin = tiles.includes('{s}') ? ` ${url.protocol}//*.${url.hostname.split('.').slice(1).join('.')}` : ` ${url.origin}`;
  }
  return [
    "default-src 'self'",
    "script-src 'self'",
    // styled-components writes its rules into <style> elements at run time
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${tileOrigin}`,
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const NOT_BUILT = {
  fi: { title: 'Aurora-palveluverkosto', lead: 'Verkkosovellusta ei ole vielä koottu. Kokoa se komennolla', docs: 'Rajapinnan kuvaus' },
  sv: { title: 'Aurora-servicenätverket', lead: 'Webbappen är inte byggd ännu. Bygg den med kommandot', docs: 'Gränssnittets beskrivning' },
  en: { title: 'Aurora service network', lead: 'The web app has not been built yet. Build it with', docs: 'API documentation' },
};

/** What `/` says when web/dist is missing: how to build it, in fi, sv and en. */
export function notBuiltPage(acceptLanguage: string | undefined) {
  const lang = (['fi', 'sv', 'en'] as const).find((l) => acceptLanguage?.toLowerCase().startsWith(l)) ?? 'fi';
  const t = NOT_BUILT[lang];
  const others = (['fi', 'sv', 'en'] as const).filter((l) => l !== lang).map((l) => `<p lang="${l}">${NOT_BUILT[l].lead} <code>npm run build:web</code>.</p>`);
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}a{color:#00347a}</style></head>
<body><main><h1>${t.title}</h1><p>${t.lead} <code>npm run build:web</code>.</p>${others.join('')}
<p><a href="/docs">${t.docs}</a></p></main></body></html>`;
}

const WebConfig = Type.Object({
  map: Type.Object({
    tiles: Type.Union([Type.String(), Type.Null()], { description: 'Leaflet tile URL template; null: no tiles (locations are listed only)' }),
    attribution: Type.String(),
    max_zoom: Type.Integer(),
  }),
  chat: Type.Object({
    bot_id: Type.Union([Type.String(), Type.Null()], { description: "The published bot the citizen app's chat talks with (AURORA_CITIZEN_BOT); null: no chat in the app" }),
  }),
});

/** The citizen app's bot: AURORA_CITIZEN_BOT's, or the demo bot; only a published one (the app shows no chat otherwise). */
async function citizenBot(db: Db, configured: string | null): Promise<string | null> {
  if (configured === null) return null;
  const id = configured === 'demo' ? DEMO_BOT_ID : configured;
  const bot = await db.selectFrom('chatbot_bots').select('id').where('id', '=', id).where('published_version', 'is not', null).executeTakeFirst();
  return bot ? bot.id : null;
}

export interface Web {
  /** Answers a browser's GET for a path an app routes itself with that app's page; false when it is not one. */
  fallback(request: FastifyRequest, reply: FastifyReply): boolean;
}

export async function registerWeb(app: FastifyInstance, options: WebOptions = {}): Promise<Web> {
  const dist = options.distDir ?? DEFAULT_WEB_DIR;
  const config = mapConfig(options, (message) => app.log.warn(message));
  const csp = contentSecurityPolicy(config.tiles);

  app.get(
    '/api/v1/web/config',
    {
      schema: {
        tags: ['operations'],
        summary: "The web apps' settings: the map's tile source, the bot of the citizen app's chat",
        response: { 200: WebConfig },
      },
    },
    async (_request, reply) => {
      // Short: the demo bot is made just after a first start begins listening.
      reply.header('cache-control', 'public, max-age=60');
      const bot = await citizenBot(app.aurora.database.db, options.citizenBot !== undefined ? options.citizenBot : setting('AURORA_CITIZEN_BOT'));
      return { map: config, chat: { bot_id: bot } };
    },
  );

  const pages = { citizen: join(dist, 'index.html'), console: join(dist, 'console', 'index.html') };
  const built = existsSync(pages.citizen);
  // Read per request: a rebuild while the server runs takes effect without a restart.
  const page = (which: keyof typeof pages) => (existsSync(pages[which]) ? readFileSync(pages[which], 'utf8') : undefined);
  const sendPage = (request: FastifyRequest, reply: FastifyReply, which: keyof typeof pages) => {
    const html = page(which);
    reply
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('permissions-policy', 'geolocation=(self), camera=(), microphone=()')
      .type('text/html; charset=utf-8');
    if (html === undefined) return reply.status(which === 'citizen' ? 200 : 404).send(notBuiltPage(request.headers['accept-language']));
    return reply.header('content-security-policy', csp).send(html);
  };

  if (built) {
    await app.register(fastifyStatic, {
      root: dist,
      prefix: '/',
      wildcard: false,
      index: false,
      decorateReply: false,
      // The pages are served by the routes below, with their headers.
      globIgnore: ['**/index.html', '**/.built'],
      // scripts/build-web.js writes .br and .gz beside each text asset
      preCompressed: true,
      setHeaders: (reply, path) => {
        const hashed = path.startsWith(join(dist, 'assets'));
        reply.header('x-content-type-options', 'nosniff');
        if (path.startsWith(join(dist, 'widget'))) {
          // Other sites' pages load the chat widget as a module script, which is fetched with CORS.
          // Its address is fixed (pages link to it), so an hour's cache, and a day of the old copy
          // while a new one is fetched: an update reaches every page within the hour.
          reply.header('access-control-allow-origin', '*');
          reply.header('cross-origin-resource-policy', 'cross-origin');
          reply.header('cache-control', 'public, max-age=3600, stale-while-revalidate=86400');
          return;
        }
        reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  app.get('/', { schema: { hide: true } }, async (request, reply) => sendPage(request, reply, 'citizen'));
  app.get('/index.html', { schema: { hide: true } }, async (request, reply) => sendPage(request, reply, 'citizen'));
  app.get('/console', { schema: { hide: true } }, async (request, reply) => sendPage(request, reply, 'console'));
  app.get('/console/', { schema: { hide: true } }, async (request, reply) => sendPage(request, reply, 'console'));

  return {
    fallback(request, reply) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      const path = request.url.split('?')[0]!;
      if (SERVER_PATH.test(path)) return false;
      // A missing asset or file is a plain 404; only page navigations get the app.
      if (/\.[a-z0-9]+$/i.test(path) && !path.endsWith('.html')) return false;
      if (!(request.headers.accept ?? '').includes('text/html')) return false;
      void sendPage(request, reply, path === '/console' || path.startsWith('/console/') ? 'console' : 'citizen');
      return true;
    },
  };
}
