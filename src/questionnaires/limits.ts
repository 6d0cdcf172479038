import type { Bucket } from '../rate-limits/attempts.ts';
import type { AddressLimit } from '../rate-limits/per-address.ts';

/** The questionnaires' limits: counts per member, the answering API's per-address limits, PIN attempts. */

export const QUESTIONNAIRES_PER_MEMBER = 500;
export const VERSIONS_PER_QUESTIONNAIRE = 200;
export const RUNS_PER_QUESTIONNAIRE = 500;
/** A run is open at most a year: a group's questionnaire is answered in days or weeks. */
export const LONGEST_RUN_DAYS = 366;

/** Results are shown only once this many have answered (Mun ripari's rule). */
export const RESULTS_THRESHOLD = 10;
/** A new release is made once this many more have answered since the last one (while the budget lasts). */
export const RELEASE_STEP = 10;

/**
 * Responses per address: a school or an office answers from one address, a class at a time, so
 * the limit is generous; it keeps one machine from filling a run.
 */
export const RESPONSES: AddressLimit = { name: 'questionnaire-response-address', limit: 600, windowSeconds: 3600, what: 'responses' };
/** Opening a form (reading a version) per address: a class opening it at once, and reloads. */
export const FORM_READS: AddressLimit = { name: 'questionnaire-form-address', limit: 2000, windowSeconds: 3600, what: 'questionnaire reads' };

/**
 * Wrong PINs: per run (whoever tries) and per address. A PIN has at least 6 characters; at 50 tries
 * in 15 minutes per run, a six-digit one takes about 100 days to find on average (4,800 a day),
 * and a group's run is open for days or weeks. Every try holds a place while its PIN is checked
 * (rate-limits/attempts.ts, limitedAttempt), so the address's limit leaves room for a class of 30
 * opening the form at once from the school's one address.
 */
export const pinBuckets = (runId: string, address: string): Bucket[] => [
  { key: `questionnaire-pin:${runId}`, limit: 50, windowSeconds: 900 },
  { key: `questionnaire-pin-address:${address}`, limit: 40, windowSeconds: 900 },
];
