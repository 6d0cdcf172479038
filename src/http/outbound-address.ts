import { lookup as lookupCallback, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit, type Response as UndiciResponse } from 'undici';

/**
 * Where the network may send a request that a member configured (a service's profile endpoint, and
 * later webhooks): never to this machine, the private network it sits in, link-local (cloud metadata
 * at 169.254.169.254) or other special-use addresses, unless the operator allows it (a development
 * machine, where the demo service is this very server). The host name is resolved and every address
 * it has must be public (`refusedDestination`, which says why in words for the member's report);
 * and `outboundFetch` checks again the address each connection is actually made to, so that a name
 * resolving to a public address at the check and a private one at the request (DNS rebinding) is
 * refused too. Node's BlockList does the matching; the ranges are IANA's special-purpose registries
 * (RFC 6890 and its updates).
 */
const SPECIAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  SPECIAL.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  SPECIAL.addSubnet(net, prefix, 'ipv6');

/** Whether an address (v4, v6, or v4-mapped v6) is one a configured request must not reach. */
export function isSpecialAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return SPECIAL.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return SPECIAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type AddressLookup = (host: string) => Promise<{ address: string }[]>;
const systemLookup: AddressLookup = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Why a request to `url` must not be sent (a sentence for the report), or undefined when it may.
 * `allowOrigins` are let through whatever their address: the network's own origin on a demo start,
 * where the demo service it calls is this very server.
 */
export async function refusedDestination(url: URL, options: { allowPrivate: boolean; allowOrigins?: readonly string[] | undefined; lookup?: AddressLookup }): Promise<string | undefined> {
  if (options.allowPrivate || options.allowOrigins?.includes(url.origin)) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string }[];
  try {
    addresses = isIP(host) ? [{ address: host }] : await (options.lookup ?? systemLookup)(host);
  } catch {
    // Not resolvable now: the request would fail too, and is tried again later like any unreachable one.
    return undefined;
  }
  const special = addresses.find((a) => isSpecialAddress(a.address));
  return special ? `${url.host} resolves to ${special.address}, an address of this machine or a private network, which the network does not call` : undefined;
}

/** What `outboundFetch` answers (undici's Response, which the global one is in Node). */
export type OutboundResponse = UndiciResponse;

/** The error a connection gets when its host resolved, at connecting, to an address refused above. */
export class RefusedAddress extends Error {
  constructor(host: string, address: string) {
    super(`${host} resolved to ${address} when connecting, an address of this machine or a private network, which the network does not call`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that fails for a special address: a connection is made only to the address checked. */
function checkedLookup(host: string, options: LookupOptions, callback: LookupCallback): void {
  lookupCallback(host, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const special = addresses.find((a) => isSpecialAddress(a.address));
    if (special) return callback(Object.assign(new RefusedAddress(host, special.address), { code: 'EREFUSEDADDRESS' }), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

// One pool for every guarded request; its connections resolve through checkedLookup.
const guarded = new Agent({ connect: { lookup: checkedLookup as never } });

/**
 * fetch for a request whose address a member configured: unless private destinations are allowed
 * (or the URL's origin is one of `allowOrigins`), every connection it opens checks the address it
 * connects to, so a host name cannot be switched to a private address between the check and the
 * request. An IP literal is checked as it is.
 */
export async function outboundFetch(url: URL, init: UndiciRequestInit, options: { allowPrivate: boolean; allowOrigins?: readonly string[] | undefined }): Promise<UndiciResponse> {
  if (options.allowPrivate || options.allowOrigins?.includes(url.origin)) return undiciFetch(url, init);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isSpecialAddress(host)) throw new RefusedAddress(host, host);
  try {
    return await undiciFetch(url, { ...init, dispatcher: guarded });
  } catch (error) {
    // fetch says only "fetch failed"; the refusal is the reason worth reporting.
    const cause = (error as { cause?: unknown }).cause;
    throw cause instanceof RefusedAddress ? cause : error;
  }
}
