import { isIPv4, isIPv6 } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { TooManyRequests } from '../http/problem.ts';
import { reserveAttempts, type Bucket } from './attempts.ts';

/**
 * Limits on what anyone may do without an API client or a console session — recommendations,
 * ratings, a person's export, the demo pages — counted per caller address (`request.ip`, which
 * Fastify takes from X-Forwarded-For only for proxies AURORA_TRUST_PROXY names) in the database,
 * so that several server processes count as one. Each domain states its limits in one place
 * (`limits.ts` beside its routes) and applies them with `limitAnonymous` in the route's options.
 */

export interface AddressLimit {
  /** The bucket's name: `<name>:<address>`. */
  name: string;
  limit: number;
  windowSeconds: number;
  /** What is counted, for the 429's detail: "too many <what> from this address". */
  what: string;
}

/**
 * The address a limit counts: IPv4 as it is, an IPv4-mapped IPv6 address as its IPv4, any other
 * IPv6 address by its /64 — one machine is routinely given a whole /64 and could otherwise step
 * through 2^64 addresses, each with a limit of its own.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const bare = ip.split('%')[0]!;
  const [head = '', tail] = bare.split('::') as [string, string | undefined];
  const groups = (part: string) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  // A trailing dotted IPv4 part stands for two groups; only the first four groups matter here.
  const width = (list: string[]) => list.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const full = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - width(left) - width(right))).fill('0'), ...right];
  return `${full
    .slice(0, 4)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}

export const addressBucket = (limit: AddressLimit, ip: string): Bucket => ({ key: `${limit.name}:${addressKey(ip)}`, limit: limit.limit, windowSeconds: limit.windowSeconds });

/** "12 s", "3 min" */
export const waitText = (seconds: number) => (seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`);

/** Spends one attempt of the address's bucket; TooManyRequests (429, Retry-After) when it is full. */
export async function spendAddressAttempt(db: Db, limit: AddressLimit, ip: string): Promise<void> {
  await reserveAttempts(db, [addressBucket(limit, ip)], (wait) => `too many ${limit.what} from this address: try again in ${waitText(wait)}`);
}

/**
 * Spends one attempt when the bucket has room and says whether it had: for writes that are left
 * out rather than refused past the limit (an opened link still takes the person where they go).
 */
export async function spendIfRoom(db: Db, limit: AddressLimit, ip: string): Promise<boolean> {
  try {
    await spendAddressAttempt(db, limit, ip);
    return true;
  } catch (error) {
    if (error instanceof TooManyRequests) return false;
    throw error;
  }
}

/**
 * A preHandler (after authentication, so that `request.client` is known) for a write open to
 * anyone: an anonymous caller spends one attempt of its address's bucket, and past the limit gets
 * 429 with Retry-After and a problem. A caller with an API client is limited per client instead
 * (src/http/auth.ts), not per address: a client's server speaks for many people from one address.
 */
export function limitAnonymous(limit: AddressLimit) {
  return async (request: FastifyRequest) => {
    if (request.client) return;
    await spendAddressAttempt(request.server.aurora.database.db, limit, request.ip);
  };
}
