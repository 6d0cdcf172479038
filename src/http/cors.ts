import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Cross-origin calls, for the chat widget on other sites' pages: the public conversation endpoints
 * of a bot and a person's own transfer and its withdrawal, from any origin and never with credentials (the person key
 * travels as a Bearer header the page holds, not as a cookie). Everything else stays same-origin:
 * the console's bot routes above all, whose session is a cookie.
 */
// A person withdraws, from the widget, a consent they gave there: on another site the key is that
// site's, so the network's own "my data" cannot list it.
const OPEN = [/^\/api\/v1\/bots\/[^/]+\/conversations(?:\/[^/]+\/(?:messages|transfer-offer|socket))?$/, /^\/api\/v1\/my\/transfers$/, /^\/api\/v1\/my\/consents\/[^/]+\/withdraw$/];

export const corsOpen = (path: string) => OPEN.some((pattern) => pattern.test(path));

const OPEN_OPTIONS: FastifyCorsOptions = {
  origin: '*',
  methods: ['GET', 'POST'],
  allowedHeaders: ['Authorization', 'Content-Type'],
  // A widget told 429 waits as long as the server asks.
  exposedHeaders: ['Retry-After'],
  credentials: false,
  maxAge: 600,
  // The plugin's strict check answers a bare OPTIONS with a text/plain 400, where every refusal here is problem JSON; a bare OPTIONS harms nothing.
  strictPreflight: false,
};
const CLOSED: FastifyCorsOptions = { origin: false };

export async function registerCors(app: FastifyInstance) {
  // The delegator's answer is the whole of a request's options (the plugin merges it with its defaults only).
  await app.register(cors, { delegator: (request: FastifyRequest, callback) => callback(null, corsOpen(request.url.split('?')[0]!) ? OPEN_OPTIONS : CLOSED) });
}
