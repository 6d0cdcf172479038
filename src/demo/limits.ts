import type { AddressLimit } from '../rate-limits/per-address.ts';

/**
 * The demo pages are public and redeem as the demo client, so they are limited per address
 * (src/rate-limits/per-address.ts), not per client: a shared bucket would let one visitor lock the
 * desk for everyone. Generous enough for a room of people trying the demo behind one address.
 */

/** Links opened at /demo/receiver and codes sent at /demo/desk, together. */
export const DEMO_PAGES: AddressLimit = { name: 'demo-address', limit: 120, windowSeconds: 3600, what: 'demo requests' };

/**
 * Wrong codes at the desk (unknown, not a code, another service's): as the API allows a client
 * (10 in 10 minutes). A code has 50 bits; at this pace guessing one is hopeless.
 */
export const DEMO_DESK_FAILURES: AddressLimit = { name: 'demo-desk-failure', limit: 10, windowSeconds: 600, what: 'wrong codes' };
