import type { AddressLimit } from '../rate-limits/per-address.ts';

/**
 * What one address may do here without an API client, per hour (src/rate-limits/per-address.ts).
 * Every recommendation, rating and opened link writes rows (a kept recommendation, a learning
 * signal, statistics events) and teaches the recommender, so one machine must not fill the database
 * or skew what it learns. A person asks a few times and rates a handful of results; a school, a
 * library or an office can be hundreds of people behind one address: hence per hour, and generous.
 * An API client is limited per client instead (its server speaks for many people).
 */

/** POST /api/v1/recommendations: a class of 30 asking ten times each is 300. */
export const RECOMMENDATIONS_PER_ADDRESS: AddressLimit = { name: 'recommend-address', limit: 300, windowSeconds: 3600, what: 'recommendations' };

/** Ratings of results and feedback on services, together: about one per recommendation. */
export const FEEDBACK_PER_ADDRESS: AddressLimit = { name: 'feedback-address', limit: 300, windowSeconds: 3600, what: 'ratings' };

/**
 * Opened results (GET /r/…): a person opens several results of each recommendation. Past the
 * limit the link still takes them to the service; the visit is only not recorded.
 */
export const OPENS_PER_ADDRESS: AddressLimit = { name: 'open-address', limit: 600, windowSeconds: 3600, what: 'opened links' };
