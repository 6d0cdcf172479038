import { call } from './api.ts';
import type { BudgetOverview } from '../../src/vouchers/settlement/budget-overview.ts';
import type { ReviewItem } from '../../src/vouchers/settlement/review-queue.ts';
import type { LeftOut } from '../../src/vouchers/settlement/run-settlement.ts';
import type { SettlementView, StatementOrder, StatementView } from '../../src/vouchers/settlement/statements.ts';

/** What JSON makes of a server type: its dates are ISO strings. */
type Wire<T> = T extends Date ? string : T extends (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

export type ProgrammeBudget = Wire<BudgetOverview>;
export type ReviewOrder = Wire<ReviewItem>;
export type Settlement = Wire<SettlementView>;
export type Statement = Wire<StatementView>;
export type StatementDetail = Wire<StatementView & { lines: StatementOrder[] }>;
export type SettlementRun = { settlement: Settlement; left_out: LeftOut[]; truncated: boolean };

type Abortable = { signal?: AbortSignal };
const member = (id: string) => `/api/v1/console/members/${encodeURIComponent(id)}`;
/** A money call's Idempotency-Key: made once per intended action, sent again on a retry of it. */
const keyed = (key: string) => ({ headers: { 'x-aurora-csrf': '1', 'idempotency-key': key } });

/** The payer's review and settlement, and a provider's statements (src/vouchers/settlement/payer-routes.ts). */
export const settlementApi = {
  budgets: (memberId: string, options: Abortable = {}) => call<{ programmes: ProgrammeBudget[] }>(`${member(memberId)}/voucher-budgets`, options),
  review: (memberId: string, options: Abortable = {}) => call<{ orders: ReviewOrder[]; truncated: boolean }>(`${member(memberId)}/voucher-review`, options),
  approve: (memberId: string, orderId: string) => call<{ id: string; status: string }>(`${member(memberId)}/voucher-review/${encodeURIComponent(orderId)}/approve`, { method: 'POST' }),
  approveMany: (memberId: string, orderIds: string[]) =>
    call<{ results: { order_id: string; status: string | null; problem: string | null }[] }>(`${member(memberId)}/voucher-review/approve`, { method: 'POST', body: { order_ids: orderIds } }),
  dispute: (memberId: string, orderId: string, reason: string) => call(`${member(memberId)}/voucher-review/${encodeURIComponent(orderId)}/dispute`, { method: 'POST', body: { reason } }),
  refund: (memberId: string, orderId: string, reason: string, key: string) =>
    call(`${member(memberId)}/voucher-review/${encodeURIComponent(orderId)}/refund`, { method: 'POST', body: { reason }, ...keyed(key) }),
  settle: (memberId: string, through: string, key: string) => call<SettlementRun>(`${member(memberId)}/voucher-settlements`, { method: 'POST', body: { through }, ...keyed(key) }),
  settlements: (memberId: string, options: Abortable = {}) => call<{ settlements: Settlement[] }>(`${member(memberId)}/voucher-settlements`, options),
  paymentFileUrl: (memberId: string, settlementId: string) => `${member(memberId)}/voucher-settlements/${encodeURIComponent(settlementId)}/payment-file`,
  statements: (memberId: string, options: Abortable = {}) => call<{ statements: Statement[] }>(`${member(memberId)}/voucher-statements`, options),
  statement: (memberId: string, settlementId: string, programmeId: string, options: Abortable = {}) =>
    call<StatementDetail>(`${member(memberId)}/voucher-statements/${encodeURIComponent(settlementId)}/${encodeURIComponent(programmeId)}`, options),
};
