import { sql, type Kysely } from 'kysely';

/**
 * Each consent names who receives, as it was when the person consented: a member organisation (its
 * registered name and business ID, never a name its client chose), the network's operator, or the
 * demo service. The person's list and the receipt show it; a member renamed later does not rewrite
 * what the person agreed to.
 *
 * Consents made before this migration get the receiving client's member as it is now.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table consents add column recipient_kind text check (recipient_kind in ('member', 'operator', 'demo'))`.execute(db);
  await sql`alter table consents add column recipient_organisation text`.execute(db);
  await sql`alter table consents add column recipient_business_id text`.execute(db);
  await sql`
    update consents c
       set recipient_kind = case when k.member_id is null then 'operator' else 'member' end,
           recipient_organisation = m.name,
           recipient_business_id = m.business_id
      from api_clients k
      left join members m on m.id = k.member_id
     where k.id = c.recipient_client_id`.execute(db);
}
