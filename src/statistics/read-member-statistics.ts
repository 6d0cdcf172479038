import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { ownedServiceIds } from '../members/owned-services.ts';
import { providerStatistics, type StatisticsResult } from './provider-statistics.ts';

const DAY = 86_400_000;

export interface MemberStatisticsQuery {
  /** YYYY-MM-DD; default twelve weeks before today. */
  from?: string | undefined;
  /** YYYY-MM-DD; default today. */
  to?: string | undefined;
  /** Only for the audit row: how the figures left. */
  format: 'json' | 'csv';
}

/** A member's statistics on all its own services, each read audited with the weeks it released. */
export async function readMemberStatistics(db: Db, memberId: string, query: MemberStatisticsQuery, actor: string): Promise<StatisticsResult> {
  const today = new Date();
  const to = query.to ?? today.toISOString().slice(0, 10);
  const from = query.from ?? new Date(today.getTime() - 12 * 7 * DAY).toISOString().slice(0, 10);
  // Only the member's own services: a claim still waiting for verification shows nothing.
  const services = await ownedServiceIds(db, memberId).orderBy('service_id').execute();
  const result = await providerStatistics(db, { memberId, serviceIds: services.map((s) => s.service_id), from, to });
  await audit(db, { actor, action: 'member.statistics.read', target: memberId, memberId, details: { from: result.from, to: result.to, format: query.format, new_releases: result.new_releases } });
  return result;
}
