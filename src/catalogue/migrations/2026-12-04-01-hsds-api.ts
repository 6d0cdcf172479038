import { sql, type Kysely } from 'kysely';
import { derivedId } from '../hsds/vocabulary.ts';

/**
 * What the HSDS API (catalogue/hsds/api.ts) needs to answer from SQL, one page at a time:
 * - service_channel_links.hsds_id: the export's service_at_location id, derived (SHA-1) from both
 *   ends, which SQL cannot compute; the store writes it with each link, filled here for links
 *   already there, so /service_at_locations/{id} finds its link by index;
 * - a trigram index of the text /services?search= matches (name, alternate name, description or
 *   summary, each in the language its HSDS field holds), so a word is not a scan of every service;
 * - a GIN index of services.organizations for /services?organization_id=;
 * - an index of service_channels.organization_id for an organization's locations.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table service_channel_links add column hsds_id uuid`.execute(db);
  const { rows } = await sql<{ service_id: string; channel_id: string }>`select distinct service_id, channel_id from service_channel_links`.execute(db);
  for (let i = 0; i < rows.length; i += 1000) {
    const part = rows.slice(i, i + 1000);
    const values = sql.join(part.map((r) => sql`(${r.service_id}::uuid, ${r.channel_id}::uuid, ${derivedId('service_at_location', r.service_id, r.channel_id)}::uuid)`));
    await sql`update service_channel_links l set hsds_id = v.hsds_id from (values ${values}) as v(service_id, channel_id, hsds_id)
      where l.service_id = v.service_id and l.channel_id = v.channel_id`.execute(db);
  }
  await sql`create index service_channel_links_hsds_id on service_channel_links (hsds_id)`.execute(db);
  await sql`create index service_channel_links_unmarked on service_channel_links (service_id) where hsds_id is null`.execute(db);
  await sql`
    create index services_hsds_text on services using gin ((lower(
      coalesce(coalesce(nullif(name->>'fi', ''), nullif(name->>'sv', ''), nullif(name->>'en', '')), '') || ' ' ||
      coalesce(coalesce(nullif(alternate_name->>'fi', ''), nullif(alternate_name->>'sv', ''), nullif(alternate_name->>'en', '')), '') || ' ' ||
      coalesce(coalesce(nullif(description->>'fi', ''), nullif(description->>'sv', ''), nullif(description->>'en', '')),
               coalesce(nullif(summary->>'fi', ''), nullif(summary->>'sv', ''), nullif(summary->>'en', '')), ''))) gin_trgm_ops)`.execute(db);
  await sql`create index services_organizations on services using gin (organizations jsonb_path_ops)`.execute(db);
  await sql`create index service_channels_organization on service_channels (organization_id)`.execute(db);
}
