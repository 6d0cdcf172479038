import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { TooManyRequests } from '../http/problem.ts';

/**
 * Sliding-window limits kept in the database (so they hold across processes and restarts). Counting
 * and recording happen under a transaction-scoped advisory lock per bucket, so parallel requests
 * queue and a burst can never pass the limit. Two ways to use it: reserve an attempt before the
 * work and release it when the work turns out not to count (reserveAttempts), or do the work inside
 * the transaction that holds the lock and record it there (lockBucket, retryAfter, recordAttempt).
 */

export interface Bucket {
  /** What is limited, e.g. `code-failure:<client uuid>`, `transfer-ip:<address>`, `login:<e-mail address>`. */
  key: string;
  limit: number;
  windowSeconds: number;
  /**
   * Exponential backoff instead of a fixed window: once `limit` attempts are in the window, the
   * next waits `baseSeconds` after the latest, doubling with each further one up to `capSeconds`.
   */
  backoff?: { baseSeconds: number; capSeconds: number };
  /** Counted (recorded and reserved like the others) but never refuses: a ceiling that only informs. */
  countOnly?: boolean;
}

/** Seconds a backoff bucket still has to wait: min(cap, base·2^(n−limit)) after its latest attempt. */
async function backoffWait(db: Db, bucket: Bucket & { backoff: NonNullable<Bucket['backoff']> }): Promise<number> {
  const result = await sql<{ n: number | string; age: number | string | null }>`
    select count(*) as n, extract(epoch from (now() - max(at))) as age
      from consent_rate_events
     where bucket = ${bucket.key} and at > now() - make_interval(secs => ${bucket.windowSeconds})`.execute(db);
  const n = Number(result.rows[0]?.n ?? 0);
  if (n < bucket.limit) return 0;
  const wait = Math.min(bucket.backoff.capSeconds, bucket.backoff.baseSeconds * 2 ** Math.min(n - bucket.limit, 30));
  const left = wait - Number(result.rows[0]?.age ?? 0);
  return left > 0 ? Math.max(1, Math.ceil(left)) : 0;
}

/** Attempts a bucket holds in its window (no lock: for soft decisions such as a ceiling). */
export async function countRecent(db: Db, bucket: Bucket): Promise<number> {
  const result = await sql<{ n: number | string }>`
    select count(*) as n from consent_rate_events where bucket = ${bucket.key} and at > now() - make_interval(secs => ${bucket.windowSeconds})`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

/** Seconds until the bucket has room again; 0 when it has now. Run inside the bucket's lock for a decision. */
export async function retryAfter(db: Db, bucket: Bucket): Promise<number> {
  if (bucket.countOnly) return 0;
  if (bucket.backoff) return backoffWait(db, { ...bucket, backoff: bucket.backoff });
  const result = await sql<{ wait: number | string }>`
    select extract(epoch from (at + make_interval(secs => ${bucket.windowSeconds}) - now())) as wait
      from consent_rate_events
     where bucket = ${bucket.key} and at > now() - make_interval(secs => ${bucket.windowSeconds})
     order by at desc offset ${bucket.limit - 1} limit 1`.execute(db);
  const row = result.rows[0];
  return row ? Math.max(1, Math.ceil(Number(row.wait))) : 0;
}

/**
 * Inside a transaction: waits for the bucket's lock (held until the transaction ends) and forgets
 * what fell out of its window. Whoever holds the lock may count and add attempts without a race.
 */
export async function lockBucket(tx: Db, bucket: Bucket): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`aurora-rate:${bucket.key}`}, 0))`.execute(tx);
  await sql`delete from consent_rate_events where bucket = ${bucket.key} and at <= now() - make_interval(secs => ${bucket.windowSeconds})`.execute(tx);
}

/** Adds one attempt to a bucket whose lock the transaction holds. */
export async function recordAttempt(tx: Db, bucket: Bucket): Promise<void> {
  await tx.insertInto('consent_rate_events').values({ bucket: bucket.key }).execute();
}

/**
 * Reserves one attempt in every bucket, all or none; throws TooManyRequests (with the longest wait)
 * when any is full. Returns the reservations, for releaseAttempts.
 */
export async function reserveAttempts(db: Db, buckets: readonly Bucket[], detail?: (wait: number) => string): Promise<number[]> {
  const only = buckets.length === 1 ? buckets[0]! : undefined;
  if (only && !only.backoff && !only.countOnly) return [await reserveOne(db, only, detail)];
  // Locks are taken in one order, so two requests sharing buckets cannot deadlock.
  const ordered = [...buckets].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return db.transaction().execute(async (tx) => {
    let wait = 0;
    for (const bucket of ordered) {
      await lockBucket(tx, bucket);
      wait = Math.max(wait, await retryAfter(tx, bucket));
    }
    if (wait > 0) throw new TooManyRequests(wait, detail?.(wait));
    const rows = await tx
      .insertInto('consent_rate_events')
      .values(ordered.map((b) => ({ bucket: b.key })))
      .returning('id')
      .execute();
    return rows.map((r) => Number(r.id));
  });
}

/**
 * One plain bucket (a per-address limit): the same lock, window and count in one statement
 * (the function aurora_reserve_attempt), not a transaction holding a connection for four.
 */
async function reserveOne(db: Db, bucket: Bucket, detail?: (wait: number) => string): Promise<number> {
  const result = await sql<{ reserved: number | string | null; wait: number | string }>`
    select reserved, wait from aurora_reserve_attempt(${bucket.key}::text, ${bucket.limit}::integer, ${bucket.windowSeconds}::double precision)`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('aurora_reserve_attempt answered nothing');
  if (row.reserved === null) {
    const wait = Math.max(1, Math.ceil(Number(row.wait)));
    throw new TooManyRequests(wait, detail?.(wait));
  }
  return Number(row.reserved);
}

export async function releaseAttempts(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length) await db.deleteFrom('consent_rate_events').where('id', 'in', [...ids]).execute();
}

/** Forgets every attempt in a bucket: a login that succeeds wipes its address's earlier failures. */
export async function clearAttempts(db: Db, key: string): Promise<void> {
  await db.deleteFrom('consent_rate_events').where('bucket', '=', key).execute();
}

/**
 * For guesses (passwords, one-time codes): reserves an attempt in every bucket before the work, so
 * parallel guesses cannot pass the limit, and keeps it only if the work calls `failed`; an attempt
 * that turns out right, or is refused for another reason, gives its reservation back.
 */
export async function limitedAttempt<T>(
  db: Db,
  buckets: readonly Bucket[],
  detail: (wait: number) => string,
  work: (failed: () => void) => Promise<T>,
): Promise<T> {
  const reserved = await reserveAttempts(db, buckets, detail);
  let counts = false;
  try {
    return await work(() => {
      counts = true;
    });
  } finally {
    if (!counts) await releaseAttempts(db, reserved);
  }
}

/** Deletes reservations older than any window (a day is more than every window used). */
export async function purgeRateEvents(db: Db): Promise<void> {
  await sql`delete from consent_rate_events where at < now() - interval '1 day'`.execute(db);
}
