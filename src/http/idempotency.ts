import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyReply, FastifyRequest, onSendHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import { setting } from '../config.ts';
import type { Db } from '../db/database.ts';
import { canonicalJson } from '../lib/canonical-json.ts';
import { derivedId } from '../lib/derived-id.ts';
import { HttpProblem, badRequest, conflict } from './problem.ts';

/**
 * The Idempotency-Key header for calls that move money (draft-ietf-httpapi-idempotency-key-header):
 * a client sends a key of its choosing with a POST and sends the same key when it retries. Per
 * caller and key the network keeps a fingerprint of the request and, once answered, the answer:
 *
 * - the same key with the same request: the stored answer again (status, body, and
 *   `Idempotent-Replayed: true`), the handler not run again;
 * - the same key with another request (method, address or body): 422 problem JSON;
 * - the same key while its first request is still being answered: 409 problem JSON;
 * - no key, or a malformed one: 400.
 *
 * Answers below 500 are kept (a refusal is an answer too); a 5xx lets the key go, so a retry runs
 * again. A server that dies mid-request leaves the key in flight until `lockSeconds` pass; then a
 * retry with the same request takes it over and runs the handler again. So a money handler must
 * itself be idempotent: it derives its ledger transfer ids from the key (`keyedId`), so that the
 * run again finds the transfer the dead server wrote and answers it (the ledger's replay).
 *
 * Use on a route after authentication: `{ onRequest: requireClient(…), ...idempotent({ callerOf }) }`.
 */
export interface IdempotencyOptions {
  /** Whose key it is (keys are per caller): e.g. `client:<id>`. Called after onRequest authenticated the request. */
  callerOf(request: FastifyRequest): string;
  /** How long an answer is kept for retries; 24 hours by default. */
  keepSeconds?: number;
  /** How long a request may take before a retry may take its key over; AURORA_IDEMPOTENCY_LOCK_SECONDS (60 s) by default, read when the route is made. */
  lockSeconds?: number;
  /** The database, when not the server's own (tests' own small apps). */
  db?: (request: FastifyRequest) => Db;
}

interface Held {
  caller: string;
  key: string;
  /** This use of the key: its created_at in microseconds since 1970, the same text on every server. */
  since: string;
  db: Db;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by idempotent()'s preHandler when this request holds its Idempotency-Key. */
    idempotency?: Held;
  }
}

const HEADER = 'idempotency-key';
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The key as sent: an RFC 8941 string ("…") as the draft has it, or, as many clients send it, bare. */
export function idempotencyKeyOf(request: FastifyRequest): string {
  const raw = request.headers[HEADER];
  if (raw === undefined) throw badRequest('this call moves money: send an Idempotency-Key header, the same one when you retry');
  const value = Array.isArray(raw) ? undefined : raw.trim();
  const key = value && value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  if (!key || !KEY.test(key) || key.includes('"') || key.includes('\\')) throw badRequest('the Idempotency-Key is one string of 1 to 255 visible ASCII characters, without quotes or backslashes inside');
  return key;
}

/**
 * A UUID that follows from the caller, the key (this use of it: an expired key used again is a new
 * one) and a label: the ledger transfer id of what this request does, the same on every retry.
 */
export function keyedId(request: FastifyRequest, label: string): string {
  const held = request.idempotency;
  if (!held) throw new Error('keyedId is for routes that take an Idempotency-Key (idempotent())');
  return derivedId(held.caller, held.key, held.since, label);
}

const fingerprint = (request: FastifyRequest) => createHash('sha256').update(canonicalJson([request.method, request.url, request.body ?? null])).digest('base64url');

export function idempotent(options: IdempotencyOptions): { preHandler: preHandlerAsyncHookHandler; onSend: onSendHookHandler } {
  const keep = `${options.keepSeconds ?? 86_400} seconds`;
  const lock = `${options.lockSeconds ?? setting('AURORA_IDEMPOTENCY_LOCK_SECONDS')} seconds`;
  const dbOf = options.db ?? ((request: FastifyRequest) => request.server.aurora.database.db);

  const preHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = idempotencyKeyOf(request);
    const caller = options.callerOf(request);
    const hash = fingerprint(request);
    const db = dbOf(request);
    // Taken when new, when its answer has expired (a new use of the key: created_at anew), or when the
    // request holding it has not answered in time (its server died: the same use, created_at kept,
    // so that keyedId gives the ids the dead server used).
    const taken = await sql<{ since: string }>`
      insert into idempotency_keys as k (caller, key, request_hash, locked_until, expires_at)
      values (${caller}, ${key}, ${hash}, now() + ${lock}::interval, now() + ${keep}::interval)
      on conflict (caller, key) do update set request_hash = excluded.request_hash, status = null, content_type = null, body = null,
        created_at = case when k.expires_at <= now() then now() else k.created_at end,
        locked_until = excluded.locked_until, expires_at = case when k.expires_at <= now() then excluded.expires_at else k.expires_at end
      where k.expires_at <= now() or (k.status is null and k.locked_until <= now() and k.request_hash = excluded.request_hash)
      returning (extract(epoch from created_at) * 1000000)::bigint::text as since`.execute(db);
    if (taken.rows[0]) {
      request.idempotency = { caller, key, since: taken.rows[0].since, db };
      return;
    }
    const found = await sql<{ request_hash: string; status: number | null; content_type: string | null; body: string | null }>`
      select request_hash, status, content_type, body from idempotency_keys where caller = ${caller} and key = ${key}`.execute(db);
    const stored = found.rows[0];
    // Gone between the two statements (expired and purged): the client may simply retry.
    if (!stored) throw conflict('idempotency-key-in-use', 'The Idempotency-Key is in use', 'the key changed hands just now: retry');
    if (stored.request_hash !== hash)
      throw new HttpProblem(422, 'idempotency-key-reused', 'The Idempotency-Key was used for another request', 'this key came with another request (method, address or body): use a new key for a new request');
    if (stored.status === null) throw conflict('idempotency-key-in-flight', 'The request with this Idempotency-Key is still being answered', 'wait for the first request\'s answer, then retry with the same key');
    reply.header('idempotent-replayed', 'true');
    if (stored.content_type) reply.type(stored.content_type);
    return reply.code(stored.status).send(stored.body ?? undefined);
  };

  const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const held = request.idempotency;
    if (!held) return payload;
    request.idempotency = undefined;
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : payload == null ? '' : null;
    if (reply.statusCode >= 500 || body === null) {
      // Not an answer to keep (a failure, or a stream): the key goes, and a retry runs again.
      await sql`delete from idempotency_keys where caller = ${held.caller} and key = ${held.key} and (extract(epoch from created_at) * 1000000)::bigint = ${held.since}::bigint and status is null`.execute(held.db);
      return payload;
    }
    const type = reply.getHeader('content-type');
    await sql`
      update idempotency_keys set status = ${reply.statusCode}, content_type = ${typeof type === 'string' ? type : null}, body = ${body}, locked_until = null
      where caller = ${held.caller} and key = ${held.key} and (extract(epoch from created_at) * 1000000)::bigint = ${held.since}::bigint and status is null`.execute(held.db);
    return payload;
  };

  return { preHandler, onSend };
}

/** Keys whose answers are past keeping go (the retention of a retry's memory); answers how many. */
export async function purgeIdempotencyKeys(db: Db): Promise<number> {
  const result = await sql`delete from idempotency_keys where expires_at <= now()`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
