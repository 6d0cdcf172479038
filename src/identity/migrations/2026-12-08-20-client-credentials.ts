import { sql, type Kysely } from 'kysely';

/**
 * Members' services may now call the network's API as themselves (the client credentials grant),
 * to ask a person for a register fact and collect it (src/register-facts/): the services registered
 * before get the grant type that registration now gives. The network's own first-party clients
 * (the citizen app) never call as themselves and are left as they are.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update identity_oidc_models
       set payload = jsonb_set(payload, '{grant_types}', coalesce(payload->'grant_types', '["authorization_code"]'::jsonb) || '["client_credentials"]'::jsonb)
     where kind = 'Client'
       and payload ? 'aurora_member_id'
       and not coalesce(payload->'grant_types', '[]'::jsonb) ? 'client_credentials'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    update identity_oidc_models
       set payload = jsonb_set(payload, '{grant_types}', (payload->'grant_types') - 'client_credentials')
     where kind = 'Client' and payload->'grant_types' ? 'client_credentials'`.execute(db);
}
