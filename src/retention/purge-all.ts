import { sql } from 'kysely';
import type { Config } from '../config.ts';
import { purgeTranscripts } from '../chatbot/conversations/purge-transcripts.ts';
import type { Db } from '../db/database.ts';
import { purgeExpiredRequests } from '../identity/suomifi/requests.ts';
import { purgeOldRecommendations } from '../recommender/store.ts';
import { purgeFinishedProfileRequests } from '../service-profiles/retention.ts';
import { PURGE_BATCH, purgeOldServiceEvents } from '../statistics/retention.ts';

/**
 * Everything kept per person goes once its time is up, in batches so that a backlog never holds one
 * long transaction: kept recommendations, feedback comments, consents' free-text purposes, ended
 * console sessions, the statistics' service events, and people's finished export and erase requests. What learning and the audit chain need
 * stays: signals lose their recommendation, not their needs; consents keep their record and
 * attribute names; consent_audit is append-only and holds no purpose.
 */

const DAY = 86_400_000;

export type RetentionDays = Pick<
  Config,
  | 'AURORA_EVENT_RETENTION_DAYS'
  | 'AURORA_RECOMMENDATION_RETENTION_DAYS'
  | 'AURORA_COMMENT_RETENTION_DAYS'
  | 'AURORA_CONSENT_PURPOSE_RETENTION_DAYS'
  | 'AURORA_SESSION_RETENTION_DAYS'
  | 'AURORA_PROFILE_REQUEST_RETENTION_DAYS'
>;

export interface PurgeAllOptions {
  now?: Date;
  batch?: number;
}

export interface Purged {
  service_events: number;
  recommendations: number;
  comments: number;
  consent_purposes: number;
  staff_sessions: number;
  oidc_login_states: number;
  /** Suomi.fi requests never answered, once they expire (each new login purges them too). */
  suomifi_requests: number;
  /** A person's finished export and erase requests, with the services' answers and exported data. */
  profile_requests: number;
  /** Chatbot conversations past their bot's retention (src/chatbot/conversations/purge-transcripts.ts). */
  chatbot_conversations: number;
}

const ago = (now: Date, days: number) => new Date(now.getTime() - days * DAY);

/** Runs a step (one statement on at most `batch` rows) until a step touches fewer. */
async function inBatches(batch: number, step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await step();
    total += n;
    if (n < batch) return total;
  }
}

/** Free-text comments of feedback older than `before` become null; the rating stays for learning. */
export function purgeComments(db: Db, before: Date, batch = PURGE_BATCH): Promise<number> {
  return inBatches(batch, async () => {
    const result = await sql`
      update recommendation_signals set comment = null
       where id in (select id from recommendation_signals where comment is not null and at < ${before} limit ${batch})`.execute(db);
    return Number(result.numAffectedRows ?? 0n);
  });
}

/**
 * Consents that ended (used, withdrawn, or expired) before `before` lose their free-text purpose and
 * their signed receipt, which repeats it word for word and cannot be edited without breaking its
 * signature. A consent still waiting keeps both.
 */
export function purgeConsentPurposes(db: Db, before: Date, batch = PURGE_BATCH): Promise<number> {
  return inBatches(batch, async () => {
    const result = await sql`
      update consents set purpose = '', receipt = ''
       where id in (select id from consents
                     where (purpose <> '' or receipt <> '') and coalesce(used_at, withdrawn_at, expires_at) < ${before}
                     limit ${batch})`.execute(db);
    return Number(result.numAffectedRows ?? 0n);
  });
}

/** Console sessions that ended before `before`; OpenID Connect login states (a verifier and a nonce) as soon as they expire. */
export async function purgeSessions(db: Db, before: Date, now: Date, batch = PURGE_BATCH): Promise<{ staff_sessions: number; oidc_login_states: number }> {
  const staff_sessions = await inBatches(batch, async () => {
    const result = await sql`
      delete from staff_sessions where token_hash in (select token_hash from staff_sessions where expires_at < ${before} limit ${batch})`.execute(db);
    return Number(result.numAffectedRows ?? 0n);
  });
  const oidc_login_states = await inBatches(batch, async () => {
    const result = await sql`
      delete from oidc_login_states where state_hash in (select state_hash from oidc_login_states where expires_at < ${now} limit ${batch})`.execute(db);
    return Number(result.numAffectedRows ?? 0n);
  });
  return { staff_sessions, oidc_login_states };
}

/** One pass over every kind. (Rate-limit attempts go with the transfer purge every minute: purgeRateEvents.) */
export async function purgeAll(db: Db, days: RetentionDays, options: PurgeAllOptions = {}): Promise<Purged> {
  const now = options.now ?? new Date();
  const batch = options.batch ?? PURGE_BATCH;
  const service_events = await purgeOldServiceEvents(db, { days: days.AURORA_EVENT_RETENTION_DAYS, now, batch });
  const recommendations = await purgeOldRecommendations(db, ago(now, days.AURORA_RECOMMENDATION_RETENTION_DAYS), batch);
  const comments = await purgeComments(db, ago(now, days.AURORA_COMMENT_RETENTION_DAYS), batch);
  const consent_purposes = await purgeConsentPurposes(db, ago(now, days.AURORA_CONSENT_PURPOSE_RETENTION_DAYS), batch);
  const sessions = await purgeSessions(db, ago(now, days.AURORA_SESSION_RETENTION_DAYS), now, batch);
  const suomifi_requests = await purgeExpiredRequests(db, now);
  const profile_requests = await purgeFinishedProfileRequests(db, ago(now, days.AURORA_PROFILE_REQUEST_RETENTION_DAYS), batch);
  const chatbot_conversations = await purgeTranscripts(db, now, batch);
  return { service_events, recommendations, comments, consent_purposes, ...sessions, suomifi_requests, profile_requests, chatbot_conversations };
}
