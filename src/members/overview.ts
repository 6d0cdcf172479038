import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { MEMBER_STATUSES } from './members.ts';

const WEEKS = 12;

/** Network-wide counts for the network administrator: members, services, clients, use per week. */
export async function networkOverview(db: Db) {
  const byStatus = await db.selectFrom('members').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('status').execute();
  const members = Object.fromEntries(MEMBER_STATUSES.map((s) => [s, Number(byStatus.find((r) => r.status === s)?.n ?? 0)])) as Record<(typeof MEMBER_STATUSES)[number], number>;
  const catalogue = await db.selectFrom('services').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const linked = await db
    .selectFrom('member_services')
    .select([sql<string>`count(*) filter (where verified_at is not null)`.as('n'), sql<string>`count(*) filter (where verified_at is null)`.as('pending')])
    .executeTakeFirstOrThrow();
  const clients = await db
    .selectFrom('api_clients as c')
    .select([
      sql<string>`count(*) filter (where c.revoked_at is null and c.suspended_at is null)`.as('active'),
      sql<string>`count(*) filter (where c.revoked_at is null and c.suspended_at is not null)`.as('suspended'),
      sql<string>`count(*) filter (where c.revoked_at is not null)`.as('revoked'),
      sql<string>`count(*) filter (where c.member_id is not null and c.revoked_at is null)`.as('of_members'),
    ])
    .where((eb) => eb.not(eb.exists(eb.selectFrom('members as m').select('m.id').whereRef('m.teaching_client_id', '=', 'c.id'))))
    .executeTakeFirstOrThrow();
  const staff = await db.selectFrom('staff_users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const since = sql<Date>`date_trunc('week', now() at time zone 'UTC') - interval '${sql.raw(String(WEEKS - 1))} weeks'`;
  const perWeek = async (table: 'recommendations' | 'consents') =>
    (
      await db
        .selectFrom(table)
        .select([sql<string>`to_char(date_trunc('week', created_at at time zone 'UTC'), 'YYYY-MM-DD')`.as('week'), (eb) => eb.fn.countAll<string>().as('n')])
        .where(sql<boolean>`created_at at time zone 'UTC' >= ${since}`)
        .groupBy(sql`1`)
        .execute()
    ).map((r) => ({ week: r.week, n: Number(r.n) }));
  const recommendations = await perWeek('recommendations');
  const transfers = await perWeek('consents');
  const weeks: { week: string; recommendations: number; transfers: number }[] = [];
  const monday = new Date();
  monday.setUTCHours(0, 0, 0, 0);
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  for (let i = WEEKS - 1; i >= 0; i--) {
    const week = new Date(monday.getTime() - i * 7 * 86_400_000).toISOString().slice(0, 10);
    weeks.push({ week, recommendations: recommendations.find((r) => r.week === week)?.n ?? 0, transfers: transfers.find((r) => r.week === week)?.n ?? 0 });
  }
  return {
    members,
    services: { catalogue: Number(catalogue.n), linked: Number(linked.n), pending_claims: Number(linked.pending) },
    clients: { active: Number(clients.active), suspended: Number(clients.suspended), revoked: Number(clients.revoked), of_members: Number(clients.of_members) },
    staff: Number(staff.n),
    weeks,
  };
}
