import type { FastifyBaseLogger } from 'fastify';
import type { ChannelRecord } from '../catalogue/model.ts';
import { upsertChannels } from '../catalogue/store.ts';
import type { Db } from '../db/database.ts';
import { createClient } from '../clients/clients.ts';
import { checkLandingUrl, enableTransfer } from '../transfers/transfers.ts';

/**
 * A receiving service for the demo network, so that on a fresh `npm start` a person can take their
 * story along: the demo service "Nettilukio aikuisille" gets a demo e-service that receives links,
 * and its Otava service location receives codes, both redeemed by one demo API client. Its pages run
 * inside the server and redeem in-process as that client — the client's secret is never shown or
 * needed (see receive.ts and routes.ts). Set up once, on the start that loads the demo catalogue.
 */

import { DEMO_CLIENT_NAME } from './client-name.ts';

export { DEMO_CLIENT_NAME };
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
