import { sql, type Kysely } from 'kysely';

/**
 * The network's name on a NATS server (life events through JetStream): one row, a random name
 * written by the first server that starts with AURORA_NATS_URL. Every server of the network reads
 * the same one, so they publish and consume the same subjects through one shared consumer, while
 * another network (or a test's database) on the same NATS server uses subjects of its own and never
 * takes this network's deliveries. A new table only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table event_bus_network (
      only_row boolean primary key default true check (only_row),
      name text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table event_bus_network`.execute(db);
}
