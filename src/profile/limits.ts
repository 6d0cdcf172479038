import type { AddressLimit } from '../rate-limits/per-address.ts';

/** A value's JSON is at most this long: the schema's largest (the life-situation meters) is well under 1 KiB. */
export const MAX_VALUE_BYTES = 4096;

/** History rows kept per person: every change adds one, so a script could otherwise grow it without end; the oldest go first. */
export const MAX_HISTORY_PER_PERSON = 500;

/** A person's own changes to their profile, per address (keys are free to make): a person edits a few attributes now and then. */
export const PROFILE_WRITES: AddressLimit = { name: 'profile-address', limit: 200, windowSeconds: 3600, what: 'profile changes' };

/** Attaching a person key to an account: once per login. */
export const ACCOUNT_ATTACHES: AddressLimit = { name: 'account-attach-address', limit: 60, windowSeconds: 3600, what: 'account attachments' };
