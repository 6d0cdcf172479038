/**
 * Per-client call limits, counted in this process: a token bucket per client that holds a minute's
 * allowance and refills continuously, so that a burst up to the limit passes and a steady rate
 * above it is refused. One process serves the network (PGlite admits one per folder), so memory is
 * enough; a restart forgives, which for limits of a minute is harmless.
 */
export interface RateDecision {
  allowed: boolean;
  /** Whole seconds until one more call would pass (when refused). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
  limit: number;
}

export class ClientRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  take(key: string, perMinute: number): RateDecision {
    const now = this.now();
    const rate = perMinute / 60_000; // tokens per millisecond
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.limit !== perMinute) bucket = { tokens: perMinute, at: now, limit: perMinute };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.sweep(now);
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000)) };
  }

  // Full buckets say nothing; dropping them keeps memory bounded by the clients active this minute.
  private sweep(now: number) {
    if (this.buckets.size < 10_000) return;
    for (const [key, b] of this.buckets) if (b.tokens + (now - b.at) * (b.limit / 60_000) >= b.limit) this.buckets.delete(key);
  }
}

const limiters = new WeakMap<object, ClientRateLimiter>();

/** The limiter of one server (keyed by its context object, shared by all its plugins). */
export function limiterFor(owner: object): ClientRateLimiter {
  let limiter = limiters.get(owner);
  if (!limiter) limiters.set(owner, (limiter = new ClientRateLimiter()));
  return limiter;
}
