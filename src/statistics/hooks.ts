import type { Db } from '../db/database.ts';
import type { ServiceFilters } from '../catalogue/query.ts';
import type { MeterValues } from '../recommender/meters.ts';
import type { StoredRecommendation } from '../recommender/store.ts';
import { groupCommitPerDatabase } from '../db/group-commit.ts';
import { EVENTS_PER_INSERT, recordServiceEvents, type ServiceEvent } from './events.ts';

/**
 * Where the recommender and session transfer record events for providers' statistics. Statistics
 * are never worth a person's request: every hook catches its own failure and only logs it.
 *
 * Every event of one recommendation carries the recommendation's time and municipality, so one
 * person is in one week and one municipality: that bounds what one person can change in a release
 * (see provider-statistics.ts).
 */

/**
 * Only the first results of a recommendation are recorded as recommended: ten is what a person sees
 * at once in the citizen app and in AuroraAI's user interfaces, and recording all fifty a client may
 * ask for would count services nobody looked at and multiply the table fivefold.
 */
export const RECORDED_PER_RECOMMENDATION = 10;

export interface HookLog {
  warn(object: object, message: string): void;
}

const stderrLog: HookLog = {
  warn: (object, message) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg: message, ...object })}\n`),
};

async function safely(
  db: Db,
  log: HookLog | undefined,
  what: string,
  events: () => Promise<ServiceEvent[]> | ServiceEvent[],
  record: (db: Db, events: ServiceEvent[]) => Promise<unknown> = recordServiceEvents,
) {
  try {
    const list = await events();
    if (list.length) await record(db, list);
  } catch (error) {
    (log ?? stderrLog).warn({ err: error instanceof Error ? { message: error.message } : String(error), statistics: what }, 'recording statistics events failed');
  }
}

/** The person's municipality when the recommendation was limited to exactly one (municipality_code does that). */
export function municipalityOf(filters: ServiceFilters): string | undefined {
  const codes = filters.municipality_codes;
  return codes && codes.length === 1 ? codes[0] : undefined;
}

function base(recommendation: StoredRecommendation) {
  return { recommendation_id: recommendation.id, municipality: municipalityOf(recommendation.filters), at: recommendation.createdAt };
}

/**
 * A recommendation was given: its first results were recommended, to a person with these meters.
 * Concurrent recommendations' events are written together, one INSERT a batch (see
 * group-commit.ts); one recommendation's bad event fails only its own recording.
 */
export function recordRecommended(db: Db, recommendation: StoredRecommendation, meters: MeterValues | undefined, log?: HookLog) {
  return safely(
    db,
    log,
    'recommended',
    () => recommendation.services.slice(0, RECORDED_PER_RECOMMENDATION).map((s) => ({ kind: 'recommended' as const, service_id: s.id, ...base(recommendation), meters })),
    recordGrouped,
  );
}

const recording = new Set<Promise<void>>();

/**
 * recordRecommended without waiting for it: a person's answer need not wait for statistics. Its
 * failure is logged all the same (`safely`); `statisticsRecorded` waits for what is still being
 * written (a server does on close, tests before reading the events).
 */
export function recordRecommendedInBackground(db: Db, recommendation: StoredRecommendation, meters: MeterValues | undefined, log?: HookLog): void {
  const done = recordRecommended(db, recommendation, meters, log).finally(() => recording.delete(done));
  recording.add(done);
}

/** Resolves once every recording started in the background so far has been written (or failed and been logged). */
export async function statisticsRecorded(): Promise<void> {
  while (recording.size) await Promise.all(recording);
}

/**
 * Each item is one recommendation's events, at most RECORDED_PER_RECOMMENDATION: capped so, a batch
 * is one INSERT, all or none, as group commit needs.
 */
const recordGrouped = groupCommitPerDatabase(
  async (db: Db, items: readonly (readonly ServiceEvent[])[]) => {
    await recordServiceEvents(db, items.flat());
    return items.map(() => undefined);
  },
  { maxBatch: Math.floor(EVENTS_PER_INSERT / RECORDED_PER_RECOMMENDATION) },
);

/** A recommended service was opened (the /r/ redirect). */
export function recordOpened(db: Db, recommendation: StoredRecommendation, serviceId: string, log?: HookLog) {
  return safely(db, log, 'opened', () => [{ kind: 'opened' as const, service_id: serviceId, ...base(recommendation) }]);
}

/** Ratings of services a recommendation gave: +1 useful, −1 not useful. */
export function recordFeedback(db: Db, recommendation: StoredRecommendation, ratings: readonly { serviceId: string; value: number }[], log?: HookLog) {
  return safely(db, log, 'feedback', () =>
    ratings.map((r) => ({ kind: r.value > 0 ? ('feedback_useful' as const) : ('feedback_not_useful' as const), service_id: r.serviceId, ...base(recommendation) })),
  );
}

/** Feedback on a service outside any recommendation: a person of its own, with the meters given. */
export function recordServiceFeedback(db: Db, serviceId: string, value: number, meters: MeterValues | undefined, log?: HookLog) {
  return safely(db, log, 'service feedback', () => [{ kind: value > 0 ? ('feedback_useful' as const) : ('feedback_not_useful' as const), service_id: serviceId, meters }]);
}

/**
 * A transfer was redeemed: each service the receiving channel belongs to received it. The consent is
 * the person proxy, so a channel shared by several services counts the person once per service.
 * Concurrent redemptions' events are written together, one INSERT a batch, like recommendations'
 * (a channel of more services than a batch item holds is written on its own).
 */
export function recordTransferReceived(db: Db, consentId: string, log?: HookLog) {
  const record = (db: Db, events: ServiceEvent[]) => (events.length <= RECORDED_PER_RECOMMENDATION ? recordGrouped(db, events) : recordServiceEvents(db, events));
  return safely(db, log, 'transfer received', async () => {
    const links = await db
      .selectFrom('consents as c')
      .innerJoin('service_channel_links as l', 'l.channel_id', 'c.recipient_channel_id')
      .select('l.service_id')
      .distinct()
      .where('c.id', '=', consentId)
      .execute();
    return links.map((l) => ({ kind: 'transfer_received' as const, service_id: l.service_id, recommendation_id: consentId }));
  }, record);
}
