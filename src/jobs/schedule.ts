import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';

/** This process, as the holder of a job's lease. */
const THIS_SERVER = randomUUID();

export interface Job {
  /** One name per kind of work: servers that schedule the same name share it. */
  name: string;
  /** How often the network runs it; 0 never. */
  everyMs: number;
  /** The first try after the start (default: everyMs, at most a minute). */
  firstAfterMs?: number;
  /** How long a server may hold the job before another may take it over (it died, or hangs). */
  leaseMs?: number;
  run(): Promise<unknown>;
}

const DEFAULT_LEASE_MS = 15 * 60_000;

/**
 * Runs a job on this server's timer, but only when no server ran it within `everyMs` and no other
 * holds it now (job_leases), so that N servers on one database run it once, not N times; never two
 * at once on one server either. Stopped when the server closes, which waits for a run in progress. The outcome is logged by the caller's
 * `run`; a failure is also kept with the lease, and the job is tried again at its next turn.
 */
export function scheduleJob(app: FastifyInstance, db: Db, job: Job): void {
  if (!(job.everyMs > 0)) return;
  let running: Promise<unknown> | undefined;
  const tick = () => {
    if (running) return;
    running = runIfDue(db, job)
      .catch((error: unknown) => app.log.warn({ err: error, job: job.name }, 'a background job could not be run'))
      .finally(() => (running = undefined));
  };
  const first = setTimeout(tick, job.firstAfterMs ?? Math.min(60_000, job.everyMs));
  const timer = setInterval(tick, job.everyMs);
  first.unref();
  timer.unref();
  app.addHook('onClose', async () => {
    clearTimeout(first);
    clearInterval(timer);
    // A stopping server finishes the job it is running and gives its lease back before the
    // database closes, rather than leaving the lease held until it expires.
    await running;
  });
}

/** Takes the job's lease if it is due and free, runs it and gives the lease back; false when it was not this server's turn. */
export async function runIfDue(db: Db, job: Pick<Job, 'name' | 'everyMs' | 'leaseMs' | 'run'>, holder: string = THIS_SERVER): Promise<boolean> {
  const every = `${Math.max(0, job.everyMs) / 1000} seconds`;
  const lease = `${(job.leaseMs ?? DEFAULT_LEASE_MS) / 1000} seconds`;
  // One statement: the first server ever inserts the row, later ones take it only when it is due and free.
  const { rows } = await sql<{ name: string }>`
    insert into job_leases as j (name, leased_by, leased_until, started_at, runs)
    values (${job.name}, ${holder}, now() + ${lease}::interval, now(), 1)
    on conflict (name) do update set leased_by = excluded.leased_by, leased_until = excluded.leased_until, started_at = excluded.started_at, runs = j.runs + 1
    where (j.leased_until is null or j.leased_until < now())
      and (j.finished_at is null or j.finished_at <= now() - ${every}::interval)
    returning name`.execute(db);
  if (rows.length === 0) return false;
  let error: string | null = null;
  try {
    await job.run();
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
    throw failure;
  } finally {
    await sql`
      update job_leases set leased_until = null, finished_at = now(), last_error = ${error}
      where name = ${job.name} and leased_by = ${holder}`.execute(db);
  }
  return true;
}
