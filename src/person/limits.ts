import type { AddressLimit } from '../rate-limits/per-address.ts';

/**
 * The person API's limits. A person key is made by anyone's browser at will, so per key alone
 * would limit nothing: every write is limited per address too (src/rate-limits/per-address.ts),
 * generously, because a household, a school or an office shares one. Past a limit: 429 with
 * Retry-After.
 */

/** A person's own transfers, per person key: each is a consent with a signed receipt and an audit event. */
export const PERSON_TRANSFERS_PER_PERSON = 20;
export const PERSON_TRANSFER_WINDOW_SECONDS = 3600;
/** …and per address, whatever the keys. */
export const PERSON_TRANSFERS: AddressLimit = { name: 'transfer-address', limit: 100, windowSeconds: PERSON_TRANSFER_WINDOW_SECONDS, what: 'transfers' };
export const PERSON_TRANSFERS_PER_ADDRESS = PERSON_TRANSFERS.limit;

/** Saved checks: enough for a family, not for filling the database (a key keeps at most 100). */
export const CHECK_SAVES: AddressLimit = { name: 'check-address', limit: 200, windowSeconds: 3600, what: 'checks saved' };
export const CHECK_SAVES_PER_ADDRESS = CHECK_SAVES.limit;

/** Claims of consents made with a service: each adds to a list and to the audit log; a person claims a few. */
export const CLAIMS: AddressLimit = { name: 'claim-address', limit: 100, windowSeconds: 3600, what: 'claims' };

/** Exports of everything held for a key: a person asks now and then; each reads every consent and check and is audited. */
export const EXPORTS: AddressLimit = { name: 'export-address', limit: 30, windowSeconds: 3600, what: 'exports' };

/** Erasures: a person erases once; each one that erases something is audited. */
export const ERASURES: AddressLimit = { name: 'erase-address', limit: 30, windowSeconds: 3600, what: 'erasures' };
