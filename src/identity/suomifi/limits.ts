import type { AddressLimit } from '../../rate-limits/per-address.ts';

/**
 * Starting a Suomi.fi login writes a row (the open request) for anyone who asks, so it is limited
 * per address (src/rate-limits/per-address.ts). A person starts one login, perhaps a few after
 * cancelling; a room of people behind one address stays far below this.
 */
export const SUOMIFI_STARTS: AddressLimit = { name: 'suomifi-start', limit: 60, windowSeconds: 3600, what: 'Suomi.fi logins started' };
