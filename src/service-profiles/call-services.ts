import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ProfileCallStatus } from '../db/schema.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { outboundFetch, refusedDestination, type AddressLookup, type OutboundResponse } from '../http/outbound-address.ts';
import type { CallSigner } from './signed-call.ts';

/**
 * The job behind "download everything" and "erase me everywhere": calls each service's profile API
 * as the Helsinki profile's GDPR API is called, signed (signed-call.ts):
 *
 * - export: `GET {endpoint}/{sub}`; 200 with JSON is the data (kept sealed for the person), 204 or
 *   404 means it holds nothing;
 * - erase: `DELETE {endpoint}/{sub}?dry_run=true` first, then, only if that passed, the real DELETE;
 *   204/200 erased, 404 nothing there;
 * - an endpoint whose host is this machine or a private network is not called unless the operator
 *   allows it (http/outbound-address.ts): `failed`, with the reason;
 * - 403 is a refusal, its reason kept from the body (`{"errors":[{"code","message":{fi,sv,en}}]}`
 *   as the Helsinki profile has it, or `reason`/`detail`);
 * - no answer, a timeout, 5xx or 429: tried again with exponential backoff, until `maxAttempts`,
 *   then `unreachable`; any other answer is `failed` with its status.
 *
 * Due rows are claimed in one statement (FOR UPDATE SKIP LOCKED, the claim pushes their next try
 * past the call's time), so every server may run the job and each call is made by one of them.
 */
export interface CallOptions {
  maxAttempts?: number;
  /** The first retry's wait; each further one doubles it. */
  backoffMs?: number;
  timeoutMs?: number;
  batch?: number;
}

export interface CallDeps {
  keyring: PayloadKeyring;
  sign: CallSigner;
  /** Whether endpoints on this machine or a private network may be called (AURORA_PRIVATE_DESTINATIONS). */
  allowPrivate: boolean;
  /** How host names are resolved for that check (tests); the system's resolver by default. */
  lookup?: AddressLookup;
}

const DEFAULTS = { maxAttempts: 6, backoffMs: 30_000, timeoutMs: 10_000, batch: 20 } satisfies Required<CallOptions>;
const MAX_EXPORT_BYTES = 1024 * 1024;
const MAX_REASON = 1000;

export const exportAad = (requestId: string, clientId: string) => `profile-export:${requestId}:${clientId}`;

interface Outcome {
  status: ProfileCallStatus | 'retry';
  httpStatus?: number | null;
  reason?: unknown;
  data?: unknown;
}

const clip = (value: unknown) => (typeof value === 'string' ? value.slice(0, MAX_REASON) : undefined);
const clipText = (value: unknown) => {
  if (typeof value === 'string') return clip(value);
  if (value && typeof value === 'object') {
    const out = Object.fromEntries(['fi', 'sv', 'en'].flatMap((l) => (typeof (value as Record<string, unknown>)[l] === 'string' ? [[l, clip((value as Record<string, unknown>)[l])]] : [])));
    return Object.keys(out).length ? out : undefined;
  }
  return undefined;
};

/** The service's reason for a refusal, in the shapes services use; only strings, clipped. */
function reasonOf(text: string): unknown {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (Array.isArray(body.errors))
      return { errors: body.errors.slice(0, 5).map((e: Record<string, unknown>) => ({ code: clip(e?.code), message: clipText(e?.message) })) };
    const message = clipText(body.reason) ?? clipText(body.detail) ?? clipText(body.message);
    if (message) return { errors: [{ message }] };
  } catch {
    // not JSON: its text is the reason
  }
  return text.trim() ? { errors: [{ message: clip(text.trim()) }] } : null;
}

async function readLimited(response: OutboundResponse, limit: number): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function call(deps: CallDeps, timeoutMs: number, row: { client_id: string; subject: string; endpoint: string }, kind: 'export' | 'erase', dryRun: boolean) {
  const url = `${row.endpoint}/${encodeURIComponent(row.subject)}${dryRun ? '?dry_run=true' : ''}`;
  const method = kind === 'export' ? 'GET' : 'DELETE';
  const token = await deps.sign({ clientId: row.client_id, subject: row.subject, scope: kind === 'export' ? 'gdpr:export' : 'gdpr:delete', method, url });
  return outboundFetch(new URL(url), { method, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) }, { allowPrivate: deps.allowPrivate });
}

async function outcomeOf(deps: CallDeps, timeoutMs: number, row: { client_id: string; subject: string; endpoint: string }, kind: 'export' | 'erase'): Promise<Outcome> {
  const refused = await refusedDestination(new URL(row.endpoint), { allowPrivate: deps.allowPrivate, ...(deps.lookup ? { lookup: deps.lookup } : {}) });
  if (refused) return { status: 'failed', httpStatus: null, reason: { errors: [{ message: refused }] } };
  let response: OutboundResponse;
  try {
    response = await call(deps, timeoutMs, row, kind, kind === 'erase');
    if (kind === 'erase' && (response.status === 200 || response.status === 204)) {
      await response.body?.cancel();
      response = await call(deps, timeoutMs, row, kind, false);
    }
  } catch (error) {
    return { status: 'retry', httpStatus: null, reason: { errors: [{ message: `no answer: ${(error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message}` }] } };
  }
  const status = response.status;
  const text = await readLimited(response, MAX_EXPORT_BYTES).catch(() => undefined);
  if (status >= 500 || status === 429) return { status: 'retry', httpStatus: status, reason: text ? reasonOf(text) : null };
  if (status === 404 || (kind === 'export' && status === 204)) return { status: 'nothing', httpStatus: status };
  if (status === 403) return { status: 'refused', httpStatus: status, reason: text ? reasonOf(text) : null };
  if (kind === 'erase' && (status === 200 || status === 204)) return { status: 'erased', httpStatus: status };
  if (kind === 'export' && status === 200) {
    if (text === undefined) return { status: 'failed', httpStatus: status, reason: { errors: [{ message: `the export is over ${MAX_EXPORT_BYTES} bytes` }] } };
    try {
      return { status: 'exported', httpStatus: status, data: JSON.parse(text) };
    } catch {
      return { status: 'failed', httpStatus: status, reason: { errors: [{ message: 'the export is not JSON' }] } };
    }
  }
  return { status: 'failed', httpStatus: status, reason: text ? reasonOf(text) : null };
}

/** Makes the due calls once; how many were made. */
export async function callServices(db: Db, deps: CallDeps, options: CallOptions = {}): Promise<number> {
  const o = { ...DEFAULTS, ...options };
  const claimFor = `${Math.ceil((o.timeoutMs * 3) / 1000)} seconds`;
  const { rows } = await sql<{ request_id: string; client_id: string; subject: string; endpoint: string; attempts: number; kind: 'export' | 'erase' }>`
    update profile_request_calls c set attempts = c.attempts + 1, next_attempt_at = now() + ${claimFor}::interval, updated_at = now()
    from (
      select request_id, client_id from profile_request_calls
      where status = 'pending' and next_attempt_at <= now()
      order by next_attempt_at limit ${o.batch}
      for update skip locked
    ) due, profile_requests r
    where c.request_id = due.request_id and c.client_id = due.client_id and r.id = c.request_id
    returning c.request_id, c.client_id, c.subject, c.endpoint, c.attempts, r.kind`.execute(db);
  await Promise.all(
    rows.map(async (row) => {
      const outcome = await outcomeOf(deps, o.timeoutMs, row, row.kind);
      const giveUp = outcome.status === 'retry' && row.attempts >= o.maxAttempts;
      const status: ProfileCallStatus = outcome.status === 'retry' ? (giveUp ? 'unreachable' : 'pending') : outcome.status;
      const sealed = outcome.data === undefined ? null : deps.keyring.seal(JSON.stringify(outcome.data), exportAad(row.request_id, row.client_id));
      const wait = `${(o.backoffMs * 2 ** (row.attempts - 1)) / 1000} seconds`;
      await db
        .updateTable('profile_request_calls')
        .set({
          status,
          http_status: outcome.httpStatus ?? null,
          reason: outcome.reason === undefined || outcome.reason === null ? null : JSON.stringify(outcome.reason),
          sealed_key_id: sealed?.keyId ?? null,
          sealed_data: sealed?.data ?? null,
          updated_at: sql`now()`,
          ...(status === 'pending' ? { next_attempt_at: sql`now() + ${wait}::interval` } : {}),
        })
        .where('request_id', '=', row.request_id)
        .where('client_id', '=', row.client_id)
        .execute();
    }),
  );
  if (rows.length)
    await sql`
      update profile_requests r set finished_at = now()
      where r.finished_at is null and r.id in (${sql.join([...new Set(rows.map((r) => r.request_id))])})
        and not exists (select 1 from profile_request_calls c where c.request_id = r.id and c.status = 'pending')`.execute(db);
  return rows.length;
}
