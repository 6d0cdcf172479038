import { X509Certificate, createPrivateKey } from 'node:crypto';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import Type, { type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { DatabaseTarget } from './db/database.ts';
import { parsePayloadKeys } from './keys/keys.ts';
import { readEidKey } from './identity/eid-client-keys.ts';
import { parseSubjectKey } from './person/person-key.ts';

/**
 * Every environment variable the network reads, declared once: its meaning, what a usable value
 * looks like, its default and whether it is secret. `loadConfig` checks them all at start, so a
 * typo stops the start with one list of what to fix instead of surfacing hours later in a purge or
 * a query; `setting` reads one when it is needed, because tests (and the budget's settings) change
 * the environment of a running process. The README's table is printed from here
 * (scripts/config-doc.ts) and src/config.test.ts keeps the two the same.
 */

/** A value that cannot be used; `reason` says why when "expected …" alone would not. */
class Unusable extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? 'unusable');
  }
}

interface Declaration<T> {
  /** What it does, for the README. */
  description: string;
  /** What a usable value looks like: the README's and the error's wording. */
  expected: string;
  /** The value when the variable is unset or blank. */
  default?: T;
  /** The default as the README shows it, where the value alone would not say it. */
  shownDefault?: string;
  example?: string;
  /** Never shown in an error: a password, a key, a URL that may carry a password. */
  secret?: boolean;
  /** A blank value means something ('' turns the map's tiles off) rather than "unset". */
  blankIsValue?: boolean;
  /** The text to the value; throws Unusable. */
  parse(text: string): T;
}

function declare<T>(declaration: Declaration<T> & { default: T }): Declaration<T> & { default: T };
function declare<T>(declaration: Declaration<T>): Declaration<T>;
function declare<T>(declaration: Declaration<T>) {
  return declaration;
}

/** Numbers as Number() reads them, within the limits typebox checks; `digits` refuses 1e3, 0x10, 7.5. */
function numberIn(schema: TSchema, digits = false) {
  return (text: string): number => {
    const trimmed = text.trim();
    const n = Number(trimmed);
    if ((digits && !/^\d+$/.test(trimmed)) || !Number.isFinite(n) || !Value.Check(schema, n)) throw new Unusable();
    return n;
  };
}

function oneOf<const V extends string>(...values: V[]) {
  const schema = Type.Union(values.map((v) => Type.Literal(v)));
  return (text: string): V => {
    const value = text.trim().toLowerCase();
    if (!Value.Check(schema, value)) throw new Unusable();
    return value as V;
  };
}

const trimmed = (text: string) => text.trim();
const asIs = (text: string) => text;

const isLocalHost = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

function url(text: string): URL {
  try {
    return new URL(text.trim());
  } catch {
    throw new Unusable('not a URL');
  }
}

function readablePath(text: string): string {
  const path = resolve(text.trim());
  try {
    accessSync(path, constants.R_OK);
    if (!statSync(path).isFile()) throw new Unusable('not a file');
  } catch (error) {
    throw error instanceof Unusable ? error : new Unusable('no readable file there');
  }
  return path;
}

/** A PEM value given inline (newlines may be written \\n) or as the path of a file holding it. */
function pemOrFile(text: string): string {
  const value = text.trim();
  if (value.startsWith('-----BEGIN')) return value.replaceAll('\\n', '\n');
  const path = readablePath(value);
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new Unusable('no readable file there');
  }
}

/** One or more PEM certificates (inline, or files separated by commas), each one readable as X.509. */
function certificates(text: string): string[] {
  const value = text.trim();
  const pems = value.startsWith('-----BEGIN') ? [pemOrFile(value)] : value.split(',').map((part) => pemOrFile(part));
  const found = pems.flatMap((pem) => pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []);
  if (found.length === 0) throw new Unusable('no PEM certificate found');
  for (const pem of found) {
    try {
      new X509Certificate(pem);
    } catch {
      throw new Unusable('a certificate that cannot be read');
    }
  }
  return found;
}

function privateKey(text: string): string {
  const pem = pemOrFile(text);
  try {
    createPrivateKey(pem);
  } catch {
    throw new Unusable('not a readable PEM private key');
  }
  return pem;
}

/** Parses with a domain's own parser, keeping its reason (the key id that is short, say). */
function via<T>(parse: (text: string) => T) {
  return (text: string): T => {
    try {
      return parse(text);
    } catch (error) {
      throw new Unusable((error as Error).message);
    }
  };
}

export const OSM_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors';

/** A usable tile template, or null: https (http only for localhost) with {z}, {x} and {y}. */
export function checkTileTemplate(template: string): string | null {
  if (!template.includes('{z}') || !template.includes('{x}') || !template.includes('{y}')) return null;
  try {
    const url = new URL(template.replaceAll(/\{[a-z]+\}/g, '0'));
    if (url.protocol === 'https:') return template;
    if (url.protocol === 'http:' && isLocalHost(url.hostname)) return template;
  } catch {
    // not a URL
  }
  return null;
}

export function portFrom(value: string | undefined, fallback = 8080): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`not a port number: ${value}`);
  return port;
}

/** What proxy-addr (Fastify's trustProxy) takes in a list: addresses, CIDRs, address/mask, or its names. */
function trustedProxy(entry: string) {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address = '', range, ...rest] = entry.split('/');
  if (rest.length > 0 || !isIP(address)) return false;
  if (range === undefined) return true;
  return /^\d{1,3}$/.test(range) ? Number(range) <= (isIP(address) === 4 ? 32 : 128) : isIP(range) === isIP(address);
}

/** AURORA_TRUST_PROXY's value: trust nobody (false), everyone (true), so many hops, or these addresses. */
export type TrustProxy = boolean | number | string;

/**
 * How long service_events are kept. They are per-person rows (a person proxy, a municipality, the
 * meters), needed only until their week has been released for every question a member may ask:
 * a query reaches back at most MAX_WEEKS (106) weeks, 742 days, so the default adds a little over a
 * week to that. Kept weekly releases (statistics_week_releases) hold no per-person rows and stay.
 * A week purged before anyone asked for it is released empty if it is asked for later.
 */
export const DEFAULT_EVENT_RETENTION_DAYS = 750;
/** Two weeks: the last completed week can still be released. */
export const MIN_EVENT_RETENTION_DAYS = 14;
export const MAX_EVENT_RETENTION_DAYS = 36_500;

export const VARIABLES = {
  PORT: declare({
    description: 'The HTTP port `aurora serve` listens on (`--port`).',
    expected: 'a port number from 0 to 65535',
    default: 8080,
    example: '8080',
    parse: (text) => {
      try {
        return portFrom(text.trim());
      } catch {
        throw new Unusable();
      }
    },
  }),
  HOST: declare({
    description: 'The address `aurora serve` listens on (`--host`).',
    expected: 'an address or host name',
    default: '0.0.0.0',
    example: '127.0.0.1',
    parse: trimmed,
  }),
  LOG_LEVEL: declare({
    description: "The server log's level.",
    expected: 'one of fatal, error, warn, info, debug, trace, silent',
    default: 'info',
    example: 'debug',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  }),
  NODE_ENV: declare({
    description:
      '`production` never sets up the demo receiving service nor serves its pages (`/demo/…`), whatever `AURORA_DEMO` says: they redeem transfers for anyone who opens them. Any other value (or none) changes nothing.',
    expected: 'production, or anything else',
    shownDefault: 'none',
    example: 'production',
    parse: trimmed,
  }),
  AURORA_METRICS_TOKEN: declare({
    description: 'The bearer token Prometheus sends for `/metrics` (`Authorization: Bearer …`); without it `/metrics` answers 404.',
    expected: 'at least 32 characters (openssl rand -base64 32)',
    shownDefault: 'none: no metrics',
    example: '<base64 of 32 bytes>',
    secret: true,
    parse: (text) => {
      const token = text.trim();
      if (token.length < 32 || /\s/.test(token)) throw new Unusable();
      return token;
    },
  }),
  DATABASE_URL: declare({
    description: 'A PostgreSQL server to use instead of the PGlite data folder (`--database-url`).',
    expected: 'a postgres:// or postgresql:// URL',
    shownDefault: 'none (PGlite in `AURORA_DATA_DIR`)',
    example: 'postgres://aurora:secret@db.example.fi:5432/aurora',
    secret: true,
    parse: (text) => {
      if (!['postgres:', 'postgresql:'].includes(url(text).protocol)) throw new Unusable();
      return text.trim();
    },
  }),
  AURORA_DATA_DIR: declare({
    description: "PGlite's data folder (`--data-dir`), when `DATABASE_URL` is not set.",
    expected: 'a folder',
    default: '.aurora',
    example: '/var/lib/aurora',
    parse: trimmed,
  }),
  AURORA_DEMO: declare({
    description: 'Whether a first start loads the demo catalogue and sets up the demo receiving service, and whether its pages are served (`--no-demo` for one start; never the receiving service with `NODE_ENV=production`).',
    expected: 'on or off',
    default: true,
    shownDefault: '`on`',
    example: 'off',
    parse: (text) => oneOf('on', 'off')(text) === 'on',
  }),
  AURORA_CITIZEN_BOT: declare<string | null>({
    description: "The bot the citizen app's chat (`/chat`) talks with: a published bot's id; unset, the demo bot \"Aurora\" when a demo start has made it; `off` (or blank) for no chat in the app.",
    expected: 'a bot id (UUID), or off',
    default: 'demo',
    shownDefault: 'the demo bot, when there is one',
    example: 'off',
    blankIsValue: true,
    parse: (text) => {
      const value = text.trim().toLowerCase();
      if (['off', 'none', ''].includes(value)) return null;
      if (value === 'demo' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) return value;
      throw new Unusable();
    },
  }),
  AURORA_PRIVATE_DESTINATIONS: declare({
    description:
      "Whether the network may call addresses of its own machine or a private network when a member configured them (a service's profile endpoint, a life events webhook): a member could otherwise make the network call what only it can reach. `off` refuses them (the call is reported as failed, a webhook delivery's try fails with the reason); `on` allows them (a development machine). Where the demo's pages are served (never in production), the demo service's own webhook at the network's address is called either way.",
    expected: 'on or off',
    shownDefault: '`off` with `NODE_ENV=production`, else `on`',
    example: 'off',
    parse: (text) => oneOf('on', 'off')(text) === 'on',
  }),
  AURORA_PUBLIC_URL: declare({
    description: "Where people reach the network; the demo receiving service's links are made for it (https, or http on localhost: otherwise the demo service is not set up, with a warning). The console's cookies are Secure unless it is http on localhost, and the OpenID Connect redirect URI is made on it (unless `AURORA_OIDC_REDIRECT_URI`), never from a request's Host header.",
    expected: 'an http(s) URL without credentials',
    shownDefault: '`http://localhost:PORT`',
    example: 'https://aurora.example.fi',
    parse: (text) => {
      const u = url(text);
      if (!['https:', 'http:'].includes(u.protocol) || u.username || u.password) throw new Unusable();
      return text.trim();
    },
  }),
  AURORA_OPERATOR_NAME: declare({
    description: "The network operator's registered name: the consent question and receipt name it as the receiver where the operator's own clients receive transfers (members are named by their registered names).",
    expected: 'a name, at most 200 characters',
    shownDefault: 'none: "the network operator", translated',
    example: 'Mikkelin kaupunki',
    parse: (text) => {
      const name = text.trim();
      if (name.length === 0 || name.length > 200) throw new Unusable();
      return name;
    },
  }),
  AURORA_SITUATIONS_FILE: declare({
    description: "An operator's extension of the situation model (data/situations/README.md): new life-situation concepts and local phrasings, vocabulary and codes for the shipped ones. Checked at start; a file that does not pass stops the start with every problem named.",
    expected: 'the path of a readable JSON file',
    shownDefault: 'none: the shipped model alone',
    example: '/etc/aurora/situations-mikkeli.json',
    parse: (text) => readablePath(text),
  }),
  AURORA_HELP_LINES_FILE: declare({
    description: "Replaces the shipped phone lines (data/help-lines.json: 112, crisis and advice lines) that answers show in a crisis or when no service fits, and the citizen app offers when a service has no channel: add local lines, such as a social emergency service or a municipality's advice line (a line with `municipalities` is offered only to the people of those municipalities, before the national lines of its kind).",
    expected: 'the path of a readable JSON file in the shape of data/help-lines.json',
    shownDefault: 'none: the shipped lines',
    example: '/etc/aurora/help-lines.json',
    parse: (text) => readablePath(text),
  }),
  AURORA_TRUST_PROXY: declare<TrustProxy>({
    description: "Which reverse proxies' `X-Forwarded-For` to believe. Behind a proxy without it, every person shares the proxy's address, and so its per-address limits.",
    expected: 'true, false, a hop count, or a comma-separated list of addresses and CIDRs',
    default: false,
    shownDefault: '`false` (nobody)',
    example: '10.0.0.0/8,127.0.0.1',
    parse: (text) => {
      const value = text.trim();
      if (value === 'false') return false;
      if (value === 'true') return true;
      if (/^\d+$/.test(value)) return Number(value);
      if (!value.split(',').every((entry) => trustedProxy(entry.trim()))) throw new Unusable();
      return value;
    },
  }),
  AURORA_MAP_TILES: declare<string | null>({
    description: "The citizen app's map tiles; `off` for none (the service locations are still listed).",
    expected: 'an https URL template with {z}, {x} and {y} (http only for localhost), or off',
    default: OSM_TILES,
    shownDefault: "OpenStreetMap's",
    example: 'https://tiles.example.fi/{z}/{x}/{y}.png',
    blankIsValue: true,
    parse: (text) => {
      const value = text.trim();
      if (['off', 'none', ''].includes(value.toLowerCase())) return null;
      const template = checkTileTemplate(value);
      if (!template) throw new Unusable();
      return template;
    },
  }),
  AURORA_MAP_ATTRIBUTION: declare({
    description: "The map's attribution (the first 300 characters are shown).",
    expected: 'text',
    shownDefault: "OpenStreetMap's with its tiles, else none",
    example: '© Maanmittauslaitos',
    blankIsValue: true,
    parse: asIs,
  }),
  AURORA_VOIKKO: declare({
    description: "Whether Finnish words outside the shipped lexicon are analysed by libvoikko where it is installed (`off` skips loading it).",
    expected: 'on or off',
    default: true,
    shownDefault: 'on',
    example: 'off',
    parse: (text) => oneOf('on', 'off')(text) === 'on',
  }),
  AURORA_EVENT_RETENTION_DAYS: declare({
    description: 'How long the per-person events behind the statistics are kept; the released weeks stay.',
    expected: `a whole number of days from ${MIN_EVENT_RETENTION_DAYS} to ${MAX_EVENT_RETENTION_DAYS}`,
    default: DEFAULT_EVENT_RETENTION_DAYS,
    example: '800',
    parse: numberIn(Type.Integer({ minimum: MIN_EVENT_RETENTION_DAYS, maximum: MAX_EVENT_RETENTION_DAYS }), true),
  }),
  AURORA_RECOMMENDATION_RETENTION_DAYS: declare({
    description:
      'How long kept recommendations (needs, filters, results) are kept for explanations, ratings and opened links; their learning signals stay, without the link. A signal 400 days old weighs 5 % in learning.',
    expected: 'a whole number of days from 1 to 36500',
    default: 400,
    example: '180',
    parse: numberIn(Type.Integer({ minimum: 1, maximum: 36_500 }), true),
  }),
  AURORA_COMMENT_RETENTION_DAYS: declare({
    description: "How long people's free-text feedback comments are kept; the ratings they came with stay.",
    expected: 'a whole number of days from 1 to 36500',
    default: 400,
    example: '90',
    parse: numberIn(Type.Integer({ minimum: 1, maximum: 36_500 }), true),
  }),
  AURORA_CONSENT_PURPOSE_RETENTION_DAYS: declare({
    description:
      "How long after a consent was used, withdrawn or expired its free-text purpose (and the signed receipt that repeats it) is kept; the record, its attributes' names and the audit chain stay. A register fact request (with its purpose and receipt) is deleted this long after its time ended; the audit chain stays.",
    expected: 'a whole number of days from 1 to 36500',
    default: 90,
    example: '30',
    parse: numberIn(Type.Integer({ minimum: 1, maximum: 36_500 }), true),
  }),
  AURORA_PROFILE_REQUEST_RETENTION_DAYS: declare({
    description:
      "How long a person's finished \"download everything\" and \"erase me everywhere\" requests are kept after the last service answered: who answered what, and the data the services exported (sealed). Requests still being answered stay.",
    expected: 'a whole number of days from 1 to 36500',
    default: 30,
    example: '7',
    parse: numberIn(Type.Integer({ minimum: 1, maximum: 36_500 }), true),
  }),
  AURORA_SESSION_RETENTION_DAYS: declare({
    description: "How long console sessions are kept after they ended (for looking into an incident); expired OpenID Connect login states go at once.",
    expected: 'a whole number of days from 1 to 36500',
    default: 30,
    example: '7',
    parse: numberIn(Type.Integer({ minimum: 1, maximum: 36_500 }), true),
  }),
  AURORA_RETENTION_INTERVAL_SECONDS: declare({
    description:
      'How often the network deletes per-person data past its retention (the retention job); however many servers run, one of them runs it each time. 0 turns it off on this server.',
    expected: 'a whole number of seconds from 0 to 604800',
    default: 21_600,
    example: '3600',
    parse: numberIn(Type.Integer({ minimum: 0, maximum: 604_800 }), true),
  }),
  AURORA_IDEMPOTENCY_LOCK_SECONDS: declare({
    description:
      "How long a call that moves money (sent with an Idempotency-Key) holds its key while it is answered: a retry with the same key meanwhile is 409, and once this has passed without an answer (its server died) the retry takes the key over and runs again. Longer than any such call takes; a shorter lock lets retries recover sooner from a dead server.",
    expected: 'a whole number of seconds from 1 to 3600',
    default: 60,
    example: '30',
    parse: numberIn(Type.Integer({ minimum: 1, maximum: 3600 }), true),
  }),
  AURORA_REGISTER_POLL_INTERVAL_SECONDS: declare({
    description:
      "How often each register connector asks its register for the changes after its cursor (life events); however many servers run, one of them polls each connector each time. The demo start's synthetic test register releases one month of changes per poll. 0 turns polling off on this server.",
    expected: 'a whole number of seconds from 0 to 86400',
    default: 60,
    example: '300',
    parse: numberIn(Type.Integer({ minimum: 0, maximum: 86_400 }), true),
  }),
  AURORA_REGISTER_FACT_TTL_DAYS: declare({
    description:
      "How long a service's request for a register fact waits for the person's answer, and then, once approved, how long the fact waits (sealed) for the service to collect it; after that it expires and the fact is erased.",
    expected: 'a whole number of days from 1 to 90',
    default: 7,
    example: '3',
    parse: numberIn(Type.Integer({ minimum: 1, maximum: 90 }), true),
  }),
  AURORA_REGISTER_FACT_OPEN_PER_CLIENT: declare({
    description:
      "The most register fact requests one service may have open (waiting for the person, or approved and not yet collected); beyond it a new request is 429 until some are answered, collected or expired.",
    expected: 'a whole number from 1 to 1000000',
    default: 1000,
    example: '200',
    parse: numberIn(Type.Integer({ minimum: 1, maximum: 1_000_000 }), true),
  }),
  AURORA_NATS_URL: declare({
    description:
      "A NATS server with JetStream (`nats://host:4222`, `tls://…`; several comma-separated for a cluster) through which the servers of the network share the sending of life events (docs/events.md): due deliveries are published to a stream and each is sent by one server. The database stays the record of every delivery, so nothing is lost while NATS is down: the servers send from the database meanwhile. Unset: life events go through the database only.",
    expected: 'nats:// or tls:// URLs, comma-separated',
    shownDefault: 'none (the database only)',
    example: 'nats://nats.internal:4222',
    secret: true,
    parse: (text) => {
      const urls = text.split(',').map((u) => u.trim()).filter(Boolean);
      if (urls.length === 0 || !urls.every((u) => ['nats:', 'tls:'].includes(url(u).protocol))) throw new Unusable();
      return urls.join(',');
    },
  }),
  AURORA_NATS_STREAM: declare({
    description:
      "The JetStream stream life events go through with `AURORA_NATS_URL` (created at start when missing; subjects `<stream>.<network>.<event type>`, where the network's name is kept in its database, so that several networks or test runs share a NATS server without taking each other's deliveries). Every server of a network names the same one.",
    expected: 'letters, digits, - and _ (at most 32)',
    default: 'aurora-life-events',
    example: 'aurora-life-events',
    parse: (text) => {
      const name = text.trim();
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(name)) throw new Unusable();
      return name;
    },
  }),
  AURORA_VOUCHER_CONFIRM_DAYS: declare({
    description:
      "How long a person has to confirm a service a provider recorded as delivered with their voucher, or to report a problem with it; after that the delivery counts as confirmed and goes to the payer's review (as Kela's and counties' practice bills only after delivery).",
    expected: 'a whole number of days from 1 to 60',
    default: 7,
    example: '14',
    parse: numberIn(Type.Integer({ minimum: 1, maximum: 60 }), true),
  }),
  AURORA_EVENT_DELIVERY_TIMEOUT_SECONDS: declare({
    description:
      "How long a life event webhook's endpoint has to answer before the try counts as failed. A server that dies while sending leaves its deliveries to the others after three times this.",
    expected: 'a whole number of seconds from 1 to 60',
    default: 10,
    example: '10',
    parse: numberIn(Type.Integer({ minimum: 1, maximum: 60 }), true),
  }),
  AURORA_PURGE_INTERVAL_SECONDS: declare({
    description:
      "How often the network deletes expired transfer payloads, expired register fact requests (with an approved fact not collected) and expired OpenID Provider records, and releases the situational picture of a quarter or year just ended; however many servers run, one of them runs each job each time. 0 turns them off on this server.",
    expected: 'a whole number of seconds from 0 to 86400',
    default: 60,
    example: '30',
    parse: numberIn(Type.Integer({ minimum: 0, maximum: 86_400 }), true),
  }),
  AURORA_DP_EPSILON_PER_RELEASE: declare({
    description: 'The privacy budget (epsilon) one release of a week of statistics spends.',
    expected: 'a positive number',
    default: 1.0,
    shownDefault: '`1.0`',
    example: '0.5',
    parse: numberIn(Type.Number({ exclusiveMinimum: 0 })),
  }),
  AURORA_DP_EPSILON_CAP_PER_WEEK: declare({
    description: "The most a member's releases may spend on one week's people, unless the member has a cap of its own.",
    expected: 'a positive number',
    default: 3.0,
    shownDefault: '`3.0`',
    example: '2',
    parse: numberIn(Type.Number({ exclusiveMinimum: 0 })),
  }),
  AURORA_PICTURE_EPSILON_PER_RELEASE: declare({
    description: "The privacy budget (epsilon) one release of the situational picture (a quarter's or a year's figures for every municipality) spends on its answers' people.",
    expected: 'a positive number',
    default: 1.0,
    shownDefault: '`1.0`',
    example: '0.5',
    parse: numberIn(Type.Number({ exclusiveMinimum: 0 })),
  }),
  AURORA_PICTURE_EPSILON_CAP: declare({
    description: "The most the situational picture's releases may spend on one quarter's answers in all (its quarter's release and its year's); a release past it is not made.",
    expected: 'a positive number',
    default: 2.0,
    shownDefault: '`2.0`',
    example: '3',
    parse: numberIn(Type.Number({ exclusiveMinimum: 0 })),
  }),
  AURORA_WORKERS: declare({
    description:
      "How many server processes `aurora serve` runs on its port (node:cluster), each with its own recommender index (about 1.3 GB resident at 100,000 services, and up to about 2 GB as its heap grows between full collections, AURORA_HEAP_GROWTH_PERCENT) and sharing everything else through the database; more than 1 needs PostgreSQL (DATABASE_URL), since a PGlite data folder admits one process. Set it to the cores the server may use: one process's JavaScript runs on one core.",
    expected: 'a whole number from 1 to 64',
    default: 1,
    example: '4',
    parse: numberIn(Type.Integer({ minimum: 1, maximum: 64 }), true),
  }),
  AURORA_HEAP_GROWTH_PERCENT: declare({
    description:
      "How far `aurora serve`'s JavaScript heap may grow, in percent of what its last full garbage collection kept, before the next (V8's --heap-growing-percent). A full collection marks the whole recommender index, and while it runs requests wait: at 100,000 services up to a second, every 10-20 s under load with V8's own choice, which keeps the heap about 10 % above what it holds. 100 makes them several times rarer for up to twice the heap's memory; 0 leaves it to V8.",
    expected: 'a whole number from 0 to 400',
    default: 100,
    example: '50',
    parse: numberIn(Type.Integer({ minimum: 0, maximum: 400 }), true),
  }),
  AURORA_SHUTDOWN_DRAIN_SECONDS: declare({
    description:
      'On SIGTERM or SIGINT, how long the server keeps serving with /ready answering 503 before it stops taking connections (give the load balancer time to notice); then it finishes the requests in flight and stops.',
    expected: 'a number of seconds from 0 to 600',
    default: 0,
    example: '10',
    parse: numberIn(Type.Number({ minimum: 0, maximum: 600 })),
  }),
  AURORA_CLIENTS_PER_MEMBER: declare({
    description: "The most API clients a member may hold that are not revoked (the console's 409 beyond): each is a rate limit of its own, so the cap bounds what one member can call.",
    expected: 'a whole number from 1 to 10000',
    default: 20,
    example: '50',
    parse: numberIn(Type.Integer({ minimum: 1, maximum: 10_000 }), true),
  }),
  AURORA_TRANSFER_TTL_SECONDS: declare({
    description: 'How long a deposited session transfer waits for its service.',
    expected: 'a positive number of seconds',
    default: 600,
    example: '300',
    parse: numberIn(Type.Number({ exclusiveMinimum: 0 })),
  }),
  AURORA_TRANSFER_CODE_TTL_SECONDS: declare({
    description: 'How long a transfer code (handed over at a service location or by phone) waits.',
    expected: 'a positive number of seconds',
    default: 3 * 24 * 3600,
    shownDefault: '`259200` (three days)',
    example: '86400',
    parse: numberIn(Type.Number({ exclusiveMinimum: 0 })),
  }),
  AURORA_PAYLOAD_KEYS: declare({
    description: 'The keys that encrypt transfer payloads and saved checks, the first current; without them a key is generated and kept in the database.',
    expected: 'id:base64key,… with 32-byte keys',
    shownDefault: 'none (one generated into the database)',
    example: 'k2:<base64 of 32 bytes>,k1:<…>',
    secret: true,
    parse: (text) => {
      via(parsePayloadKeys)(text);
      return text;
    },
  }),
  AURORA_SUBJECT_KEY: declare({
    description: "The key under which persons are known (HMAC of their person key); it must never change.",
    expected: 'the base64 of 32 random bytes (openssl rand -base64 32)',
    shownDefault: 'none: one generated into the database',
    example: '<base64 of 32 bytes>',
    secret: true,
    parse: (text) => {
      via(parseSubjectKey)(text);
      return text;
    },
  }),
  AURORA_OP_FAPI: declare({
    description: "The network's OpenID Provider (`/oidc`, see docs/identity.md) follows the FAPI 2.0 security profile: pushed authorization requests required, sender-constrained tokens. Off: code flow with PKCE, PAR and DPoP available to every client.",
    expected: 'on or off',
    default: false,
    shownDefault: '`off`',
    example: 'on',
    parse: (text) => oneOf('on', 'off')(text) === 'on',
  }),
  AURORA_EID_OIDC_ISSUER: declare({
    description: "An OpenID Connect eID broker that people log in with at the network's OpenID Provider (docs/identity.md), with `AURORA_EID_OIDC_CLIENT_ID` and `AURORA_EID_OIDC_CLIENT_SECRET` (or, the FTN broker profile, `AURORA_EID_OIDC_SIGNING_KEY`). Its ID token must state the personal identity code (`personal_identity_code`, `hetu` or `urn:oid:1.2.246.21`); the redirect URI to register there is `<AURORA_PUBLIC_URL>/oidc/eid/oidc-broker/callback`.",
    expected: 'an https URL (http only for a broker on this machine)',
    shownDefault: 'none: the login offers no OpenID Connect eID',
    example: 'https://eid-broker.example.fi',
    parse: (text) => {
      const u = url(text);
      if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLocalHost(u.hostname))) throw new Unusable();
      return u;
    },
  }),
  AURORA_EID_OIDC_CLIENT_ID: declare({
    description: "The network's client id at that eID broker.",
    expected: 'text',
    example: 'aurora-network',
    parse: trimmed,
  }),
  AURORA_EID_OIDC_CLIENT_SECRET: declare({
    description: "The network's client secret at that eID broker (`client_secret_basic`); instead of `AURORA_EID_OIDC_SIGNING_KEY`, never with it.",
    expected: 'text',
    secret: true,
    parse: asIs,
  }),
  AURORA_EID_OIDC_SIGNING_KEY: declare({
    description:
      "The FTN broker profile: the network's private key at that eID broker. With it the network authenticates with `private_key_jwt` instead of a secret and sends its authorization requests as request objects signed with it (RFC 9101). Its public key (RS256 or ES256, the kid its RFC 7638 thumbprint) is at `<AURORA_PUBLIC_URL>/oidc/eid/oidc-broker/jwks` for the broker.",
    expected: 'a PEM private key (RSA of 2048 bits or more, or EC P-256), or the path of a file holding one',
    shownDefault: 'none: the client secret',
    example: '/etc/aurora/eid-broker-signing.key',
    secret: true,
    parse: (text) => {
      const pem = privateKey(text);
      via((value: string) => readEidKey(value, 'signing'))(pem);
      return pem;
    },
  }),
  AURORA_EID_OIDC_DECRYPTION_KEY: declare({
    description:
      "The private key the eID broker encrypts ID tokens to (RSA: `RSA-OAEP-256` or `RSA-OAEP`; EC P-256: `ECDH-ES`, with A128GCM, A256GCM or the CBC-HS content encryptions). Its public key is in the same JWKS with `use` `enc`. With it an ID token that is not encrypted is refused.",
    expected: 'a PEM private key (RSA of 2048 bits or more, or EC P-256), or the path of a file holding one',
    shownDefault: 'none: signed ID tokens',
    example: '/etc/aurora/eid-broker-encryption.key',
    secret: true,
    parse: (text) => {
      const pem = privateKey(text);
      via((value: string) => readEidKey(value, 'decryption'))(pem);
      return pem;
    },
  }),
  AURORA_EID_OIDC_PREVIOUS_DECRYPTION_KEY: declare({
    description:
      'Rotating the decryption key: the key being replaced. It still decrypts ID tokens the broker encrypts from its cached copy of the JWKS, but is no longer published; remove it once the broker has fetched the new key.',
    expected: 'a PEM private key (RSA of 2048 bits or more, or EC P-256), or the path of a file holding one',
    shownDefault: 'none',
    example: '/etc/aurora/eid-broker-encryption-2025.key',
    secret: true,
    parse: (text) => {
      const pem = privateKey(text);
      via((value: string) => readEidKey(value, 'decryption'))(pem);
      return pem;
    },
  }),
  AURORA_EID_OIDC_SIGNED_REQUESTS: declare({
    description: 'Whether authorization requests to the eID broker go as signed request objects (the `request` parameter).',
    expected: 'on or off',
    shownDefault: 'on with `AURORA_EID_OIDC_SIGNING_KEY`, else off',
    example: 'off',
    parse: (text) => oneOf('on', 'off')(text) === 'on',
  }),
  AURORA_EID_OIDC_PAR: declare({
    description: 'Whether authorization requests are first pushed to the eID broker (PAR, RFC 9126; signed too when requests are signed), the browser carrying only the `request_uri`.',
    expected: 'on or off',
    shownDefault: '`off`',
    example: 'on',
    parse: (text) => oneOf('on', 'off')(text) === 'on',
  }),
  AURORA_EID_OIDC_ASSERTION_AUDIENCE: declare({
    description: "The `aud` of the network's `private_key_jwt` assertions: the broker's issuer, or its token endpoint URL where the broker asks for that (OpenID Connect Core's wording).",
    expected: 'issuer or token-endpoint',
    shownDefault: '`issuer`',
    example: 'token-endpoint',
    parse: oneOf('issuer', 'token-endpoint'),
  }),
  AURORA_ADMIN_EMAIL: declare({
    description: 'With `AURORA_ADMIN_PASSWORD`, a network administrator made at start when no staff user has this address.',
    expected: 'an e-mail address',
    example: 'admin@example.fi',
    parse: (text) => {
      if (!/^[^\s@]+@[^\s@]+$/.test(text.trim())) throw new Unusable();
      return text.trim();
    },
  }),
  AURORA_ADMIN_NAME: declare({
    description: "That administrator's name.",
    expected: 'text',
    shownDefault: 'the e-mail address',
    example: 'Aino Ylläpitäjä',
    parse: trimmed,
  }),
  AURORA_ADMIN_PASSWORD: declare({
    description: "That administrator's password.",
    expected: 'a password',
    secret: true,
    parse: asIs,
  }),
  AURORA_OIDC_ISSUER: declare({
    description: 'An OpenID Connect provider for console logins, with `AURORA_OIDC_CLIENT_ID`.',
    expected: 'an https URL (http only for a provider on this machine)',
    example: 'https://login.example.fi/realms/aurora',
    parse: (text) => {
      const u = url(text);
      if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLocalHost(u.hostname))) throw new Unusable();
      return u;
    },
  }),
  AURORA_OIDC_CLIENT_ID: declare({
    description: "The console's client id at that provider.",
    expected: 'text',
    example: 'aurora-console',
    parse: trimmed,
  }),
  AURORA_OIDC_CLIENT_SECRET: declare({
    description: "The console's client secret at that provider.",
    expected: 'text',
    secret: true,
    parse: asIs,
  }),
  AURORA_OIDC_REDIRECT_URI: declare({
    description: "Where the provider sends the browser back, when the network is reached through a proxy.",
    expected: 'a URL',
    shownDefault: "the request's own callback URL",
    example: 'https://aurora.example.fi/api/v1/console/oidc/callback',
    parse: (text) => {
      url(text);
      return text.trim();
    },
  }),
  AURORA_SUOMIFI_SP_ENTITY_ID: declare({
    description:
      "Turns on login with Suomi.fi e-Identification (SAML 2.0): the network's entity ID as registered with Suomi.fi. Needs the IdP (`AURORA_SUOMIFI_IDP_METADATA_FILE`, or its entity ID, URLs and certificates) and the signing and encryption keys and certificates below; the ACS and SLO URLs are made on `AURORA_PUBLIC_URL` (`/api/v1/identity/suomifi/acs`, `/slo`). Without it (or with any of them missing, which is logged) Suomi.fi login is off.",
    expected: 'a URI',
    shownDefault: 'none: Suomi.fi login off',
    example: 'https://aurora.example.fi/saml/sp',
    parse: (text) => {
      url(text);
      return text.trim();
    },
  }),
  AURORA_SUOMIFI_IDP_METADATA_FILE: declare({
    description: "Suomi.fi's IdP metadata (entity ID, the HTTP-Redirect SingleSignOnService and SingleLogoutService, every signing certificate: both while they rotate); replace the file when Suomi.fi publishes new metadata. Instead of the four `AURORA_SUOMIFI_IDP_…` variables below.",
    expected: 'the path of a readable XML file',
    example: '/etc/aurora/suomifi-idp-metadata.xml',
    parse: (text) => readablePath(text),
  }),
  AURORA_SUOMIFI_IDP_METADATA_SIGNING_CERT: declare({
    description:
      "The certificate Suomi.fi signs its metadata with: when set, the metadata file must carry a valid enveloped signature by it over the whole document (and not be past its validUntil), and only what that signature covers is read; otherwise Suomi.fi login stays off with the reason in the log. Unset, the file is trusted as it is (keep it where only the operator can write).",
    expected: 'a PEM certificate, or the path of a file holding one',
    example: '/etc/aurora/suomifi-metadata-signing.crt',
    parse: (text) => certificates(text)[0]!,
  }),
  AURORA_SUOMIFI_IDP_ENTITY_ID: declare({
    description: "Suomi.fi's IdP entity ID, without a metadata file.",
    expected: 'a URI',
    example: 'https://tunnistautuminen.suomi.fi/idp1',
    parse: (text) => {
      url(text);
      return text.trim();
    },
  }),
  AURORA_SUOMIFI_IDP_SSO_URL: declare({
    description: "Suomi.fi's SingleSignOnService (HTTP-Redirect), without a metadata file.",
    expected: 'an https URL',
    example: 'https://tunnistautuminen.suomi.fi/idp/profile/SAML2/Redirect/SSO',
    parse: (text) => {
      if (url(text).protocol !== 'https:') throw new Unusable();
      return text.trim();
    },
  }),
  AURORA_SUOMIFI_IDP_SLO_URL: declare({
    description: "Suomi.fi's SingleLogoutService (HTTP-Redirect), without a metadata file.",
    expected: 'an https URL',
    example: 'https://tunnistautuminen.suomi.fi/idp/profile/SAML2/Redirect/SLO',
    parse: (text) => {
      if (url(text).protocol !== 'https:') throw new Unusable();
      return text.trim();
    },
  }),
  AURORA_SUOMIFI_IDP_CERTIFICATES: declare({
    description: "The certificates whose keys may sign Suomi.fi's assertions, without a metadata file: both of them while Suomi.fi rotates its key.",
    expected: 'PEM certificates, or paths of PEM files separated by commas',
    example: '/etc/aurora/suomifi-2025.crt,/etc/aurora/suomifi-2027.crt',
    parse: certificates,
  }),
  AURORA_SUOMIFI_SP_SIGNING_KEY: declare({
    description: "The private key that signs the network's SAML requests to Suomi.fi.",
    expected: 'a PEM private key, or the path of a file holding one',
    example: '/etc/aurora/suomifi-signing.key',
    secret: true,
    parse: privateKey,
  }),
  AURORA_SUOMIFI_SP_SIGNING_CERT: declare({
    description: 'Its certificate, published in the metadata at `/api/v1/identity/suomifi/metadata`.',
    expected: 'a PEM certificate, or the path of a file holding one',
    example: '/etc/aurora/suomifi-signing.crt',
    parse: (text) => certificates(text)[0]!,
  }),
  AURORA_SUOMIFI_SP_ENCRYPTION_KEY: declare({
    description: 'The private key Suomi.fi encrypts assertions to.',
    expected: 'a PEM private key, or the path of a file holding one',
    example: '/etc/aurora/suomifi-encryption.key',
    secret: true,
    parse: privateKey,
  }),
  AURORA_SUOMIFI_SP_ENCRYPTION_CERT: declare({
    description: 'Its certificate, published in the metadata.',
    expected: 'a PEM certificate, or the path of a file holding one',
    example: '/etc/aurora/suomifi-encryption.crt',
    parse: (text) => certificates(text)[0]!,
  }),
  AURORA_SUOMIFI_SP_NEXT_SIGNING_CERT: declare({
    description: 'Rotating the signing key: the next key\'s certificate, published in the metadata beside the current one; once Suomi.fi has the metadata, make its key `AURORA_SUOMIFI_SP_SIGNING_KEY` (and the certificate `…_SIGNING_CERT`).',
    expected: 'a PEM certificate, or the path of a file holding one',
    shownDefault: 'none',
    example: '/etc/aurora/suomifi-signing-2027.crt',
    parse: (text) => certificates(text)[0]!,
  }),
  AURORA_SUOMIFI_SP_PREVIOUS_ENCRYPTION_KEY: declare({
    description: 'Rotating the encryption key: the key being replaced, which still decrypts answers Suomi.fi encrypted to its certificate until Suomi.fi uses the new metadata.',
    expected: 'a PEM private key, or the path of a file holding one',
    shownDefault: 'none',
    example: '/etc/aurora/suomifi-encryption-2025.key',
    secret: true,
    parse: privateKey,
  }),
  AURORA_SUOMIFI_EIDAS: declare({
    description:
      "Whether people identified with another EU country's eID through Suomi.fi (eIDAS) may log in: the request also lists eIDAS's levels of assurance (at least the one above), and a person without a Finnish identity code is known by a keyed hash of their eIDAS PersonIdentifier, their age by their DateOfBirth. Suomi.fi must have eIDAS turned on for the service too.",
    expected: 'on or off',
    default: false,
    shownDefault: '`off`',
    example: 'on',
    parse: (text) => oneOf('on', 'off')(text) === 'on',
  }),
  AURORA_SUOMIFI_LEVEL_OF_ASSURANCE: declare({
    description: 'The least level of assurance asked of Suomi.fi and accepted: `substantial` (loa2 or loa3) or `high` (loa3).',
    expected: 'substantial or high',
    default: 'substantial' as 'substantial' | 'high',
    example: 'high',
    parse: oneOf('substantial', 'high'),
  }),
};

export type VariableName = keyof typeof VARIABLES;

type ValueOf<D> = D extends { default: infer T } ? T : D extends Declaration<infer T> ? T | undefined : never;

/** The configuration: each variable's value, its default where it has one. */
export type Config = { readonly [K in VariableName]: ValueOf<(typeof VARIABLES)[K]> };

export interface ConfigProblem {
  name: VariableName;
  /** The value as set; absent for a secret. */
  value?: string;
  expected: string;
  reason?: string;
}

/** One or more unusable variables. A RangeError, as the checks it gathers threw before. */
export class ConfigError extends RangeError {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      problems.length === 1
        ? describe(problems[0]!)
        : `${problems.length} environment variables are not usable:\n${problems.map((p) => `  ${describe(p)}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

function describe(p: ConfigProblem) {
  const value = p.value === undefined ? ' (its value is secret and not shown)' : `, not ${JSON.stringify(p.value)}`;
  return `${p.name} is ${p.expected}${value}${p.reason ? `: ${p.reason}` : ''}`;
}

function parseOne<K extends VariableName>(name: K, text: string | undefined): { value: Config[K] } | { problem: ConfigProblem } {
  const declaration: Declaration<unknown> = VARIABLES[name];
  if (text === undefined || (!declaration.blankIsValue && text.trim() === '')) return { value: declaration.default as Config[K] };
  try {
    return { value: declaration.parse(text) as Config[K] };
  } catch (error) {
    if (!(error instanceof Unusable)) throw error;
    return { problem: { name, ...(declaration.secret ? {} : { value: text }), expected: declaration.expected, ...(error.reason ? { reason: error.reason } : {}) } };
  }
}

/** One variable read from this text (its default when undefined or blank); a ConfigError when unusable. */
export function parseSetting<K extends VariableName>(name: K, text: string | undefined): Config[K] {
  const result = parseOne(name, text);
  if ('problem' in result) throw new ConfigError([result.problem]);
  return result.value;
}

/** One variable, read now. */
export function setting<K extends VariableName>(name: K, env: NodeJS.ProcessEnv = process.env): Config[K] {
  return parseSetting(name, env[name]);
}

/** Whether this is a production start (`NODE_ENV=production`): no demo receiving service, no demo pages. */
export const isProduction = (config: Pick<Config, 'NODE_ENV'> = { NODE_ENV: setting('NODE_ENV') }) => config.NODE_ENV === 'production';

/** Every variable, checked together: a ConfigError lists each unusable one. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const name of Object.keys(VARIABLES) as VariableName[]) {
    const result = parseOne(name, env[name]);
    if ('problem' in result) problems.push(result.problem);
    else config[name] = result.value;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Config;
}

/** The README's table of the variables (scripts/config-doc.ts prints it). */
export function configTable(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const rows = Object.entries(VARIABLES).map(([name, v]: [string, Declaration<unknown>]) => {
    const shown = v.shownDefault ?? (v.default === undefined ? 'none' : `\`${String(v.default)}\``);
    const example = v.example ? `, e.g. \`${v.example}\`` : '';
    return `| \`${name}\`${v.secret ? ' (secret)' : ''} | ${cell(shown)} | ${cell(v.description)} | ${cell(v.expected + example)} |`;
  });
  return ['| Variable | Default | Meaning | Value |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** Where the data lives: a PostgreSQL server when DATABASE_URL is set, else PGlite in a data folder. */
export interface StorageOptions {
  dataDir?: string;
  databaseUrl?: string;
}

export function defaultDataDir() {
  return resolve(setting('AURORA_DATA_DIR'));
}

export function databaseTarget(options: StorageOptions): Exclude<DatabaseTarget, { kind: 'pglite-memory' }> {
  const url = options.databaseUrl ?? setting('DATABASE_URL');
  if (url) return { kind: 'postgres', url };
  return { kind: 'pglite', dataDir: resolve(options.dataDir ?? defaultDataDir()) };
}

const START = '<!-- config:start -->';
const END = '<!-- config:end -->';

/** The README with the table between its markers replaced by the current one. */
export function readmeWithConfigTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${configTable()}\n${readme.slice(end)}`;
}
