/**
 * Statistics for providers on their own services: events recorded by the recommender and session
 * transfer (hooks.ts), released once per completed week and municipality with differential privacy
 * and a 10-person threshold (provider-statistics.ts), as JSON or CSV (csv.ts).
 */
export { EVENT_KINDS, recordServiceEvents, type ServiceEvent, type ServiceEventKind } from './events.ts';
export {
  providerStatistics,
  K_THRESHOLD,
  MAX_WEEKS,
  type MeterStatistics,
  type StatisticsOptions,
  type StatisticsQuery,
  type StatisticsResult,
  type StatisticsWeek,
  type WeekRelease,
} from './provider-statistics.ts';
export { setPrivacyBudget, privacySettings, MAX_EPSILON_CAP_PER_WEEK, type PrivacySettings, epsilonPerRelease, defaultEpsilonCapPerWeek, DEFAULT_EPSILON_PER_RELEASE, DEFAULT_EPSILON_CAP_PER_WEEK } from './budget.ts';
export { statisticsCsv } from './csv.ts';
export { eventRetentionDays, purgeOldServiceEvents, DEFAULT_EVENT_RETENTION_DAYS } from './retention.ts';
export {
  recordFeedback,
  recordOpened,
  recordRecommended,
  recordRecommendedInBackground,
  statisticsRecorded,
  recordServiceFeedback,
  recordTransferReceived,
  RECORDED_PER_RECOMMENDATION,
} from './hooks.ts';
