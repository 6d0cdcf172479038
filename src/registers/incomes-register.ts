import type { Db } from '../db/database.ts';
import { isValidIdentityCode } from '../identity/suomifi/identity-code.ts';
import type { ConnectorEvent, KnownPerson, ReadRecord, RegisterConnector, RegisterSource } from './connector.ts';
import { isDay, isObject } from './read-fields.ts';

/**
 * Incomes Register-style income records, modelled on its earnings payment reports (what could be
 * confirmed of them is in docs/events.md): a report per person and payment period, the income
 * earner by identity code, the period, and the amounts paid. The data user reads the reports
 * delivered after the last one it has; the delivery sequence number is the cursor.
 */
export interface IncomeRecord {
  /** The report's id in the register: the event's source id. */
  reportId: string;
  incomeEarner: { type: 'hetu'; id: string };
  paymentPeriod: { startDate: string; endDate: string };
  paymentDate: string;
  transactions: { incomeType: string; amount: string }[];
}

export interface IncomesSourceAnswer {
  reports: unknown[];
  /** The last delivery sequence number in this answer (the one asked for when there were none). */
  lastSequence: number;
}

/** What the register is asked: the reports delivered after this sequence number (0 from the start). */
export type IncomesReportService = (afterSequence: number) => Promise<IncomesSourceAnswer>;

export function incomesSource(service: IncomesReportService): RegisterSource {
  return {
    poll: async (cursor) => {
      const answer = await service(cursor === null ? 0 : Number(cursor));
      return { changes: answer.reports, nextCursor: String(answer.lastSequence) };
    },
  };
}

/** A period's total in cents beyond this share of the previous period's, up or down, is an income change. */
export const DEFAULT_THRESHOLD = 0.2;
// Integer cents fit the table's integer column with room for any monthly pay.
const MAX_CENTS = 1_000_000_000;
const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;

export interface ReadIncome {
  reportId: string;
  /** yyyy-mm of the period's end: one total per person and month. */
  period: string;
  paymentDate: string;
  cents: number;
}

const cents = (amount: string) => {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};

/** Reads a report; reasons never quote it. */
export function readIncomeRecord(record: unknown): ReadRecord<ReadIncome> {
  if (!isObject(record)) return { malformed: 'not an object' };
  const { reportId, incomeEarner, paymentPeriod, paymentDate, transactions } = record;
  if (typeof reportId !== 'string' || !/^[A-Za-z0-9-]{1,100}$/.test(reportId)) return { malformed: 'reportId is not an id' };
  if (!isObject(incomeEarner) || incomeEarner.type !== 'hetu' || typeof incomeEarner.id !== 'string' || !isValidIdentityCode(incomeEarner.id.trim().toUpperCase()))
    return { malformed: 'incomeEarner has no valid identity code' };
  if (!isObject(paymentPeriod) || !isDay(paymentPeriod.startDate) || !isDay(paymentPeriod.endDate) || paymentPeriod.startDate > paymentPeriod.endDate)
    return { malformed: 'paymentPeriod is not a start and end day' };
  if (!isDay(paymentDate)) return { malformed: 'paymentDate is not a yyyy-mm-dd day' };
  if (!Array.isArray(transactions) || transactions.length === 0) return { malformed: 'transactions is not a list of amounts' };
  let total = 0;
  for (const transaction of transactions) {
    if (!isObject(transaction) || typeof transaction.amount !== 'string' || !AMOUNT.test(transaction.amount)) return { malformed: 'a transaction has no amount in euros' };
    total += cents(transaction.amount);
  }
  if (total > MAX_CENTS) return { malformed: 'the total is beyond any monthly pay' };
  return {
    identityCode: incomeEarner.id.trim().toUpperCase(),
    change: { reportId, period: paymentPeriod.endDate.slice(0, 7), paymentDate, cents: total },
  };
}

/**
 * Compares the period with the person's previous one and keeps it as the next baseline. Only a
 * later period counts: a report seen again, or one for an earlier month arriving late, changes
 * nothing. The amounts stay here; the event says only up or down.
 */
export async function incomeEvents(tx: Db, connector: string, income: ReadIncome, person: KnownPerson, threshold: number): Promise<ConnectorEvent[]> {
  const previous = await tx
    .selectFrom('register_income_periods')
    .select(['period', 'amount_cents'])
    .where('connector', '=', connector)
    .where('account_id', '=', person.accountId)
    .forUpdate()
    .executeTakeFirst();
  if (previous && previous.period >= income.period) return [];
  await tx
    .insertInto('register_income_periods')
    .values({ connector, account_id: person.accountId, period: income.period, amount_cents: income.cents })
    .onConflict((oc) => oc.columns(['connector', 'account_id']).doUpdateSet({ period: income.period, amount_cents: income.cents, updated_at: new Date() }))
    .execute();
  if (!previous) return [];
  const before = previous.amount_cents;
  const change = before === 0 ? (income.cents > 0 ? Infinity : 0) : (income.cents - before) / before;
  if (Math.abs(change) <= threshold) return [];
  return [
    {
      type: 'income-changed',
      occurredAt: new Date(`${income.paymentDate}T00:00:00Z`),
      data: { direction: change > 0 ? 'up' : 'down' },
      municipality: person.municipality,
      sourceId: income.reportId,
    },
  ];
}

export function incomesRegisterConnector(service: IncomesReportService, options: { name?: string; threshold?: number } = {}): RegisterConnector<ReadIncome> {
  const name = options.name ?? 'incomes-register';
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  return {
    name,
    source: incomesSource(service),
    read: readIncomeRecord,
    events: (tx, income, person) => incomeEvents(tx, name, income, person, threshold),
  };
}
