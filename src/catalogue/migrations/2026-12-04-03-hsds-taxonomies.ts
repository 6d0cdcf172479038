import { sql, type Kysely } from 'kysely';

/**
 * Taxonomies and taxonomy terms an HSDS import brings that are not the catalogue's own
 * classifications (PTV's code lists, which are derived from the codes services carry: see
 * catalogue/hsds/terms.ts): a publisher's taxonomy list or term list, or the terms nested in its
 * services. Kept as HSDS has them, so the HSDS API and the export give them back under their own ids.
 *
 * Keyed by the id the source gave (a UUID, as HSDS asks), with the source marked as on services
 * ('hsds' unless the record names another): importing the same dataset again replaces its rows,
 * never adds a second copy; content_hash tells an unchanged row from a changed one. parent_id and
 * taxonomy_id are not foreign keys: a term may name a parent or taxonomy another file brings, or none.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table imported_taxonomies (
      id uuid primary key,
      source text not null,
      name text not null,
      description text,
      uri text,
      version text,
      content_hash text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table imported_taxonomy_terms (
      id uuid primary key,
      source text not null,
      code text,
      name text not null,
      description text,
      parent_id uuid,
      taxonomy text,
      taxonomy_id uuid,
      language text,
      term_uri text,
      content_hash text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index imported_taxonomy_terms_taxonomy on imported_taxonomy_terms (taxonomy_id)`.execute(db);
  await sql`create index imported_taxonomy_terms_parent on imported_taxonomy_terms (parent_id)`.execute(db);
}
