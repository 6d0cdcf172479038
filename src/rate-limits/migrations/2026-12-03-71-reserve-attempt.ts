import { sql, type Kysely } from 'kysely';

/**
 * Reserving an attempt in one sliding-window bucket as one statement (attempts.ts): the bucket's
 * lock, forgetting what left the window, the count and the reservation, as reserveAttempts did in
 * a transaction of four statements. One round trip instead of six on PostgreSQL, and on PGlite the
 * one connection is not held between them while other requests wait. A VOLATILE function takes a
 * new snapshot for each statement, so once the lock is held it sees every attempt its previous
 * holder committed, as the transaction did.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function aurora_reserve_attempt(p_bucket text, p_limit integer, p_window double precision)
    returns table (reserved bigint, wait double precision)
    language plpgsql volatile as $$
    begin
      perform pg_advisory_xact_lock(hashtextextended('aurora-rate:' || p_bucket, 0));
      delete from consent_rate_events e where e.bucket = p_bucket and e.at <= now() - make_interval(secs => p_window);
      -- Full: the seconds until the attempt that must leave the window first has left it.
      return query
        select null::bigint, extract(epoch from (e.at + make_interval(secs => p_window) - now()))::double precision
          from consent_rate_events e
         where e.bucket = p_bucket and e.at > now() - make_interval(secs => p_window)
         order by e.at desc offset p_limit - 1 limit 1;
      if found then
        return;
      end if;
      return query insert into consent_rate_events as e (bucket) values (p_bucket) returning e.id, 0::double precision;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function aurora_reserve_attempt(text, integer, double precision)`.execute(db);
}
