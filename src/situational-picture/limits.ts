import type { AddressLimit } from '../rate-limits/per-address.ts';

/**
 * Sharing an answer for the picture is open to anyone (no login, nothing that identifies): limited
 * per address, so that one machine cannot fill an area's picture with made-up answers. A household,
 * a school class or a library shares one address, so the limit is generous; past it, 429.
 */
export const PICTURE_SHARES: AddressLimit = { name: 'picture-share-address', limit: 60, windowSeconds: 3600, what: 'answers shared for the picture' };
