import * as client from 'openid-client';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { PayloadKeyring } from '../../keys/keys.ts';
import { kyselyAdapter } from '../../identity/oidc-adapter.ts';
import { deleteOidcClient } from '../../identity/oidc-clients.ts';
import { registerOidcClient } from '../../identity/register-client.ts';
import { injectFetch } from '../../identity/test-eid/test-eid.ts';
import { DEMO_MEMBER_ID, ensureDemoMember } from '../../members/demo-member.ts';
import { ensureDemoEndpoint } from './demo-events.ts';

/**
 * The demo service's registration at the network's OpenID Provider: a client like any member's
 * service (client_secret_basic, pairwise subjects, a profile endpoint), registered on first use
 * rather than at start, so that a network started before the demo login existed gets it too, and
 * registered again when the network's public address changed (its redirect URI must be reachable).
 * The secret is the one the provider keeps sealed for the client: the demo reads it from there
 * instead of keeping a second copy. The client is the demo member's service, and its webhook for life
 * events is set up with it (demo-events.ts). The demo reaches the provider in-process (injectFetch), as the
 * test eID does: it is part of this server, and its calls must not depend on the machine's network.
 */

/** What the demo asks for at login: one profile attribute and one derived claim, so that refusing one shows. */
export const DEMO_LOGIN_SCOPES = ['age', 'municipality_code'] as const;
export const DEMO_CALLBACK_PATH = '/demo/service/callback';
export const DEMO_PROFILE_PATH = '/demo/service/profile';
// The service's own name, as a member's service registers it: one name, shown as is in every language.
export const DEMO_LOGIN_CLIENT_NAME = 'Demo: Nettilukio';

export interface DemoClient {
  clientId: string;
  redirectUri: string;
  configuration: client.Configuration;
}

/** The client's secret, when the client is registered as the demo member's service (one from before the demo member is registered again). */
async function storedSecret(db: Db, keyring: PayloadKeyring, clientId: string): Promise<string | undefined> {
  const payload = await new (kyselyAdapter(db, keyring))('Client').find(clientId);
  if (payload?.aurora_member_id !== DEMO_MEMBER_ID) return undefined;
  return typeof payload.client_secret === 'string' ? payload.client_secret : undefined;
}

async function register(db: Db, keyring: PayloadKeyring, base: string, redirectUri: string): Promise<string> {
  const registered = await registerOidcClient(db, keyring, {
    name: DEMO_LOGIN_CLIENT_NAME,
    redirectUris: [redirectUri],
    scopes: [...DEMO_LOGIN_SCOPES],
    profileEndpoint: `${base}${DEMO_PROFILE_PATH}`,
    // A member's service, so that it can hear life events (they go to members' services only).
    memberId: await ensureDemoMember(db),
    actor: 'demo',
  });
  // Two servers may register at once: the first row wins, the other's client is removed again.
  const kept = await db
    .insertInto('demo_login_client')
    .values({ id: 1, client_id: registered.client_id, redirect_uri: redirectUri })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ client_id: registered.client_id, redirect_uri: redirectUri }).where('demo_login_client.redirect_uri', '<>', redirectUri),
    )
    .returning('client_id')
    .executeTakeFirst();
  if (kept?.client_id === registered.client_id) return registered.client_id;
  await removeClient(db, registered.client_id);
  const winner = await db.selectFrom('demo_login_client').select('client_id').executeTakeFirstOrThrow();
  return winner.client_id;
}

const removeClient = (db: Db, clientId: string) => db.transaction().execute((tx) => deleteOidcClient(tx, clientId));

/** The demo's client for the network at `base`, registered if it has none there yet. */
export async function demoClient(app: FastifyInstance, base: string): Promise<DemoClient> {
  const db = app.aurora.database.db;
  const keyring = app.aurora.consent.keyring;
  const redirectUri = `${base}${DEMO_CALLBACK_PATH}`;
  const row = await db.selectFrom('demo_login_client').selectAll().executeTakeFirst();
  let clientId = row?.redirect_uri === redirectUri ? row.client_id : undefined;
  let secret = clientId ? await storedSecret(db, keyring, clientId) : undefined;
  if (!clientId || !secret) {
    const previous = row?.client_id;
    if (row && !secret) await db.deleteFrom('demo_login_client').where('client_id', '=', row.client_id).execute();
    clientId = await register(db, keyring, base, redirectUri);
    if (previous && previous !== clientId) await removeClient(db, previous);
    secret = await storedSecret(db, keyring, clientId);
    if (!secret) throw new Error('the demo client was registered without a secret');
  }
  // Its webhook for life events goes with the client: a new client (or address) gets a new endpoint.
  await ensureDemoEndpoint(db, keyring, base, clientId);
  return { clientId, redirectUri, configuration: await configurationOf(app, clientId, secret) };
}

// The provider's discovery, read once per server and client (a new client or secret reads it again).
const configurations = new WeakMap<FastifyInstance, { key: string; configuration: Promise<client.Configuration> }>();

function configurationOf(app: FastifyInstance, clientId: string, secret: string): Promise<client.Configuration> {
  const key = `${clientId}:${secret}`;
  const cached = configurations.get(app);
  if (cached?.key === key) return cached.configuration;
  const issuer = new URL(app.aurora.identity.provider.issuer);
  const configuration = client.discovery(issuer, clientId, undefined, client.ClientSecretBasic(secret), {
    ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
    [client.customFetch]: injectFetch(app),
  });
  configurations.set(app, { key, configuration });
  configuration.catch(() => configurations.delete(app));
  return configuration;
}

/** On a demo start: the demo service registered with its webhook now, rather than on its first page; a failure is a warning, not a failed start. */
export async function setUpDemoLoginService(app: FastifyInstance): Promise<void> {
  try {
    await demoClient(app, new URL(app.aurora.identity.provider.issuer).origin);
  } catch (error) {
    app.log.warn({ err: error }, 'the demo service that logs in with Aurora is not set up yet; its first page tries again');
  }
}
