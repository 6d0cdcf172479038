import { sql, type Kysely } from 'kysely';

/**
 * A client's calls per minute, counted for the whole network (rate-limits/client-limiter.ts): each
 * server reserves a share of a client's minute here before it serves calls from it, so that N
 * servers admit the client's limit once, not N times.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table client_call_windows (
      client_id uuid not null,
      minute bigint not null,
      used integer not null check (used >= 0),
      primary key (client_id, minute)
    )`.execute(db);
}
