import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { Db } from '../db/database.ts';
import { PayloadKeyring, newPayloadKeyEntry, parsePayloadKeys } from '../keys/keys.ts';
import { newSigningSecret, sealSecret } from '../events/endpoint-secrets.ts';

/**
 * Life events without the console and the citizen app, for tests and benchmarks about delivery
 * (NATS, several servers, a killed one): endpoints, subscriptions and consents written straight to
 * the database, a receiver that verifies every request as a member's would and counts what arrived
 * by webhook-id, and a NATS server for the test if one answers.
 */

/** A payload keyring given to server processes as AURORA_PAYLOAD_KEYS, and the same keyring here. */
export function sharedPayloadKeys(): { env: string; keyring: PayloadKeyring } {
  const env = newPayloadKeyEntry('test-events');
  return { env, keyring: new PayloadKeyring('test-events', new Map(parsePayloadKeys(env))) };
}

/** A webhook endpoint of `clientId` at `url`, subscribed to `eventType` everywhere; its signing secret. */
export async function seedEndpoint(db: Db, keyring: PayloadKeyring, input: { clientId: string; url: string; eventType: string; memberId?: string }): Promise<{ id: string; secret: string }> {
  const id = randomUUID();
  const secret = newSigningSecret();
  const sealed = sealSecret(keyring, id, secret);
  await db.insertInto('event_endpoints').values({ id, member_id: input.memberId ?? randomUUID(), client_id: input.clientId, url: input.url, secret_key_id: sealed.keyId, secret_sealed: sealed.data }).execute();
  await db.insertInto('event_subscriptions').values({ endpoint_id: id, event_type: input.eventType, municipalities: null }).execute();
  return { id, secret };
}

/** The person consents to `clientId` hearing of `eventType`. */
export async function seedConsent(db: Db, accountId: string, eventType: string, clientId: string): Promise<void> {
  await db.insertInto('life_event_consents').values({ id: randomUUID(), account_id: accountId, event_type: eventType, client_id: clientId }).execute();
}

export interface Arrival {
  path: string;
  id: string;
  source: string;
  /** The CloudEvent's type and subject (the person's pairwise subject for the service). */
  type: string;
  subject: string;
  data: unknown;
  /** What the receiver answered. */
  status: number;
  /** When it arrived (performance.timeOrigin + now, ms). */
  at: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every verified request, in order of arrival. */
  arrivals: Arrival[];
  /** How many verified requests each webhook-id had, at a path. */
  countsAt(path: string): Map<string, number>;
  /** Requests whose signature did not verify (never expected). */
  refused: number;
  /** Resolves once `done()` holds (checked at each arrival), or rejects after `timeoutMs`. */
  until(done: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A member's receiver on this machine: each path verifies with its secret (Standard Webhooks; read at
 * each request, so a secret learnt later may be put in `secrets` then) and answers `status(path)`
 * (204 unless told; a failure with `failureText`), after `delayMs`.
 */
export async function startWebhookReceiver(
  secrets: Record<string, string>,
  options: { status?: (path: string) => number; delayMs?: number; failureText?: string } = {},
): Promise<WebhookReceiver> {
  const arrivals: Arrival[] = [];
  const waiters = new Set<() => void>();
  let refused = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url!, 'http://x').pathname;
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const secret = secrets[path];
      let event: { id: string; source: string; type: string; subject: string; data?: unknown };
      try {
        if (!secret) throw new Error('no such endpoint');
        event = new Webhook(secret).verify(body, headers) as typeof event;
      } catch {
        refused++;
        res.writeHead(401).end('signature');
        return;
      }
      const answer = () => {
        const status = options.status?.(path) ?? 204;
        const at = status < 300 ? performance.timeOrigin + performance.now() : Number.NaN;
        arrivals.push({ path, id: String(headers['webhook-id']), source: event.source, type: event.type, subject: event.subject, data: event.data, status, at });
        res.writeHead(status).end(status < 300 ? '' : (options.failureText ?? 'down for maintenance'));
        for (const wake of waiters) wake();
      };
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    countsAt(path) {
      const counts = new Map<string, number>();
      for (const a of arrivals) if (a.path === path) counts.set(a.id, (counts.get(a.id) ?? 0) + 1);
      return counts;
    },
    get refused() {
      return refused;
    },
    async until(done, timeoutMs, what) {
      if (await done()) return;
      await new Promise<void>((resolve, reject) => {
        let checking = false;
        const check = async () => {
          if (checking) return;
          checking = true;
          try {
            if (await done()) finish();
          } finally {
            checking = false;
          }
        };
        // Also on a timer: what is awaited may be the database's state, not an arrival.
        const poll = setInterval(() => void check(), 100);
        const timer = setTimeout(() => {
          waiters.delete(wake);
          clearInterval(poll);
          reject(new Error(`gave up waiting after ${timeoutMs} ms: ${what}`));
        }, timeoutMs);
        const finish = () => {
          waiters.delete(wake);
          clearInterval(poll);
          clearTimeout(timer);
          resolve();
        };
        const wake = () => void check();
        waiters.add(wake);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The NATS server tests use (AURORA_NATS_URL, else this machine's) if it answers with JetStream; else why the tests are skipped. */
export async function natsForTests(): Promise<{ url: string } | { skip: string }> {
  const url = process.env.AURORA_NATS_URL ?? 'nats://127.0.0.1:4222';
  try {
    const nc = await connect({ servers: url, timeout: 1_000, reconnect: false });
    try {
      await (await jetstreamManager(nc)).getAccountInfo();
    } finally {
      await nc.close();
    }
    return { url };
  } catch {
    return { skip: `NATS tests skipped: no NATS server with JetStream answers at ${url} (run nats-server -js, as CI machines do, or set AURORA_NATS_URL)` };
  }
}

/** A stream name of a test's own, so that parallel test files and runs never share one. */
export const testStreamName = () => `aurora-test-${randomBytes(6).toString('hex')}`;

/** Removes a test's stream (with its consumers) from the NATS server. */
export async function dropStream(url: string, stream: string): Promise<void> {
  const nc = await connect({ servers: url, timeout: 2_000, reconnect: false });
  try {
    await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false);
  } finally {
    await nc.close();
  }
}
