import { sql, type Kysely } from 'kysely';

/**
 * Who a catalogue record belongs to: null is the operator (PTV and HSDS imports by the CLI or the
 * admin socket, the operator's own clients); otherwise the member whose client created it. Only its
 * owner's clients may overwrite or delete it (see catalogue/ownership.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table services add column owner_member_id uuid references members (id) on delete set null`.execute(db);
  await sql`alter table service_channels add column owner_member_id uuid references members (id) on delete set null`.execute(db);
  await sql`create index services_owner on services (owner_member_id) where owner_member_id is not null`.execute(db);
  await sql`create index service_channels_owner on service_channels (owner_member_id) where owner_member_id is not null`.execute(db);
}
