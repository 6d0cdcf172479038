/**
 * Statistics for providers on their own services: events recorded by the recommender and session
 * transfer (hooks.ts), released per week and municipality with differential privacy and a
 * 10-person threshold (provider-statistics.ts), as JSON or CSV (csv.ts).
 */
export { EVENT_KINDS, recordServiceEvents, type ServiceEvent, type ServiceEventKind } from './events.ts';
export {
  providerStatistics,
  K_THRESHOLD,
  DEFAULT_EPSILON_PER_QUERY,
  MAX_WEEKS,
  type MeterStatistics,
  type StatisticsOptions,
  type StatisticsQuery,
  type StatisticsResult,
  type StatisticsWeek,
} from './provider-statistics.ts';
export { PrivacyBudgetExhausted, budgetStatus, setPrivacyBudget, defaultEpsilonPerMonth, DEFAULT_EPSILON_PER_MONTH, type BudgetStatus } from './budget.ts';
export { statisticsCsv } from './csv.ts';
export {
  recordFeedback,
  recordOpened,
  recordRecommended,
  recordServiceFeedback,
  recordTransferReceived,
  RECORDED_PER_RECOMMENDATION,
} from './hooks.ts';
