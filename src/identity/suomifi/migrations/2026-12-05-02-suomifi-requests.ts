import { sql, type Kysely } from 'kysely';

/**
 * The SAML requests this network sent to Suomi.fi and has not yet had answered: an AuthnRequest's
 * or a LogoutRequest's ID, which its answer must name in InResponseTo. Kept in the database, not in
 * a process, so that every server on it accepts an answer once: the first to delete the row wins.
 * `state` is the opaque value the login (or logout) was started with; it identifies no person.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table suomifi_requests (
      id text primary key,
      kind text not null check (kind in ('authn', 'logout')),
      state text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index suomifi_requests_expires_at on suomifi_requests (expires_at)`.execute(db);
}
