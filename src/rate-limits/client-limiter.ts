import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Per-client call limits for the whole network: a client may make `perMinute` calls in each clock
 * minute, whichever servers they reach. Each server reserves the client's calls from the database
 * (client_call_windows) a share at a time — a tenth of the limit, or one call when less is left —
 * and serves from its reserve without a round trip, so the database sees one statement per share,
 * not per call. Two servers can never together pass the limit: a share is taken by one conditional
 * statement that fails when the minute is spent. What a server reserved and did not use is lost at
 * the minute's end (at most a share per server), which errs on the side of the limit.
 */
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one more call would pass (when refused). */
  retryAfterSeconds: number;
}

const MINUTE = 60_000;
/** A server reserves this share of a client's minute at a time. */
const SHARE = 0.1;

interface Reserve {
  minute: number;
  left: number;
  /** A reservation under way: calls in the meantime wait for it rather than each making one. */
  pending?: Promise<void> | undefined;
}

export class ClientRateLimiter {
  readonly #reserves = new Map<string, Reserve>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async take(clientId: string, perMinute: number): Promise<RateDecision> {
    for (;;) {
      const now = this.now();
      const minute = Math.floor(now / MINUTE);
      let reserve = this.#reserves.get(clientId);
      if (!reserve || reserve.minute !== minute) {
        reserve = { minute, left: 0 };
        this.#reserves.set(clientId, reserve);
        this.#sweep(minute);
      }
      if (reserve.left >= 1) {
        reserve.left -= 1;
        return { allowed: true, retryAfterSeconds: 0 };
      }
      if (reserve.pending) {
        await reserve.pending;
        continue;
      }
      const current = reserve;
      let granted = 0;
      current.pending = this.#reserve(clientId, minute, perMinute).then((n) => {
        granted = n;
        current.left += n;
        current.pending = undefined;
      }, (error: unknown) => {
        current.pending = undefined;
        throw error;
      });
      await current.pending;
      if (granted === 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(((minute + 1) * MINUTE - now) / 1000)) };
    }
  }

  /** Takes a share of the client's minute, or one call when a share is more than is left; 0 when it is spent. */
  async #reserve(clientId: string, minute: number, perMinute: number): Promise<number> {
    for (const wanted of [Math.max(1, Math.floor(perMinute * SHARE)), 1]) {
      const n = Math.min(wanted, perMinute);
      const { rows } = await sql<{ used: number }>`
        insert into client_call_windows as w (client_id, minute, used) values (${clientId}, ${minute}, ${n})
        on conflict (client_id, minute) do update set used = w.used + ${n} where w.used + ${n} <= ${perMinute}
        returning used`.execute(this.db);
      if (rows.length) {
        // The first share of a minute: the client's earlier minutes are of no more use.
        if (Number(rows[0]!.used) === n) await sql`delete from client_call_windows where client_id = ${clientId} and minute < ${minute}`.execute(this.db);
        return n;
      }
      if (n === 1) return 0;
    }
    return 0;
  }

  // Reserves of past minutes say nothing; dropping them keeps memory bounded by the clients active this minute.
  #sweep(minute: number) {
    if (this.#reserves.size < 10_000) return;
    for (const [key, reserve] of this.#reserves) if (reserve.minute !== minute && !reserve.pending) this.#reserves.delete(key);
  }
}

const limiters = new WeakMap<object, ClientRateLimiter>();

/** The limiter of one server (keyed by its context object, shared by all its plugins). */
export function limiterFor(owner: { database: { db: Db } }): ClientRateLimiter {
  let limiter = limiters.get(owner);
  if (!limiter) limiters.set(owner, (limiter = new ClientRateLimiter(owner.database.db)));
  return limiter;
}
