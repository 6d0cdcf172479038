import type { Bucket } from '../../rate-limits/attempts.ts';
import { addressBucket, type AddressLimit } from '../../rate-limits/per-address.ts';

/**
 * Wrong redemption codes at a provider's desk (unknown, used, expired, or for a voucher the member
 * cannot take), per address: a desk types a few a day by mistake, and at this pace guessing one of
 * 32^8 codes that live ten minutes is hopeless.
 */
export const DESK_CODE_FAILURES: AddressLimit = { name: 'voucher-desk-failure', limit: 10, windowSeconds: 600, what: 'wrong redemption codes' };

/**
 * The same per member, for all its desks and addresses together: a member's staff cannot multiply
 * their guesses by spreading them over addresses. Room for a busy clinic's several desks.
 */
export const DESK_CODE_FAILURES_PER_MEMBER = { limit: 30, windowSeconds: 600 };

export const deskFailureBuckets = (memberId: string, ip: string): Bucket[] => [
  addressBucket(DESK_CODE_FAILURES, ip),
  { key: `voucher-desk-member-failure:${memberId}`, ...DESK_CODE_FAILURES_PER_MEMBER },
];
