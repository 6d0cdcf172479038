import { sql, type Kysely } from 'kysely';

/**
 * What an HSDS dataset says of an organisation beyond its name (description, e-mail, website, legal
 * status, year of incorporation, identifiers other than the business ID…: model.ts
 * OrganizationDetails), kept so that import, export and the HSDS API give it back. One jsonb
 * object: the fields are read and written together with the organisation, never queried one by one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table organizations add column details jsonb not null default '{}'`.execute(db);
}
