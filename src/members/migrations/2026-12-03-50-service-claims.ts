import { sql, type Kysely } from 'kysely';

/**
 * A member's hold on a catalogue service becomes a claim that takes effect only once verified:
 * automatically when one of the service's organisations has the member's business ID or the member
 * created the service, otherwise by a network administrator. Until then the claim gives nothing —
 * no catalogue writes, no transfer targets, no statistics. Several members may wait on one service
 * (so that nobody can block the rightful one by claiming first); at most one claim is verified.
 *
 * Claims made before this migration were never verified: those that pass the automatic check are
 * verified now, the rest wait for an administrator.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table member_services add column verification text check (verification in ('business-id', 'creator', 'administrator'))`.execute(db);
  await sql`alter table member_services add column verified_at timestamptz`.execute(db);
  await sql`alter table member_services add column verified_by text`.execute(db);
  await sql`alter table member_services add constraint member_services_verified check ((verification is null) = (verified_at is null))`.execute(db);
  await sql`alter table member_services drop constraint member_services_pkey`.execute(db);
  await sql`alter table member_services add primary key (service_id, member_id)`.execute(db);
  await sql`create unique index member_services_one_verified on member_services (service_id) where verified_at is not null`.execute(db);
  await sql`create index member_services_pending on member_services (linked_at) where verified_at is null`.execute(db);
  await sql`
    update member_services ms
       set verification = 'creator', verified_at = now(), verified_by = 'migration'
      from services s
     where s.id = ms.service_id and s.owner_member_id = ms.member_id`.execute(db);
  await sql`
    update member_services ms
       set verification = 'business-id', verified_at = now(), verified_by = 'migration'
     where ms.verified_at is null
       and exists (
         select 1
           from services s
           join members m on m.id = ms.member_id
           join organizations o on o.business_code = m.business_id
          where s.id = ms.service_id
            and s.owner_member_id is null
            and s.organizations @> jsonb_build_array(jsonb_build_object('id', o.id::text)))`.execute(db);
}
