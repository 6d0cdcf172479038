/**
 * Logins per second through the OpenID Provider's whole code flow with Suomi.fi (fake IdP), and the token endpoint's latency.
 *
 *   npm run bench -- identity [--logins 200] [--concurrency 8] [--people 50]
 *
 * Each login is what a person's browser and a service do: the service's authorization request, the
 * network's login page, the start of a Suomi.fi login (an open request written), the IdP's signed
 * and encrypted answer posted to the ACS, consent on the first login of a person, the code at the
 * service, the token endpoint (client_secret_basic + PKCE) and userinfo. Requests go through the
 * server's whole HTTP pipeline in-process (Fastify's inject: routing, hooks, cookies, the provider),
 * without sockets; the fake IdP signs and encrypts its answers in the same process, which is counted
 * in the wall time but not in the token endpoint's. `--people` distinct persons log in round-robin,
 * so most logins are of a person seen before (an account and a grant already there).
 * PGlite always; PostgreSQL too where DATABASE_URL is set.
 */
import { performance } from 'node:perf_hooks';
import { FakeSuomifiIdp } from '../src/testing/fake-suomifi-idp.ts';
import { createTestDatabase, testBackends } from '../src/testing/databases.ts';
import { buildServerWithEnv, madeUpPerson, signInWithSuomifi, suomifiEnv } from '../src/testing/suomifi-network.ts';
import { registerOidcClient } from '../src/identity/register-client.ts';
import { fmt, intFlag, latencyStats, parseArgs, table } from './lib.ts';

export async function main(argv: string[]) {
  const { flags } = parseArgs(argv);
  const logins = intFlag(flags, 'logins', 200);
  const concurrency = intFlag(flags, 'concurrency', 8, 1, 256);
  const people = intFlag(flags, 'people', 50, 1, 100_000);
  const rows: (string | number)[][] = [];
  const suomifi = suomifiEnv();
  try {
    for (const backend of testBackends()) {
      const database = await createTestDatabase(backend);
      // Logins from one address would meet the per-address limit on starting them: it is not what is measured.
      const network = await buildServerWithEnv(database, suomifi.env, { logger: false });
      try {
        const idp = new FakeSuomifiIdp();
        const redirectUri = 'https://palvelu.example.fi/callback';
        const client = await registerOidcClient(database.db, network.aurora.consent.keyring, { name: 'Bench service', redirectUris: [redirectUri], scopes: ['age_band', 'municipality_code'] });
        const signIn = (n: number) => signInWithSuomifi({ network, idp, client, redirectUri, person: madeUpPerson(n % people), scopes: ['age_band', 'municipality_code'], remoteAddress: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` });
        // Warm up: the provider's first use loads it, and each person's first login asks consent.
        for (let n = 0; n < Math.min(people, logins); n++) await signIn(n);
        const loginMs: number[] = [];
        const tokenMs: number[] = [];
        let errors = 0;
        let next = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < logins) {
              const n = next++;
              const t0 = performance.now();
              try {
                const done = await signIn(n);
                loginMs.push(performance.now() - t0);
                tokenMs.push(done.tokenMs);
              } catch (error) {
                errors += 1;
                if (errors === 1) console.error(error);
              }
            }
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        const login = latencyStats(loginMs, errors);
        const token = latencyStats(tokenMs);
        rows.push([backend, logins, concurrency, fmt(loginMs.length / seconds), fmt(login.p50), fmt(login.p99), fmt(token.p50), fmt(token.p99), errors]);
      } finally {
        await network.close();
        await database.close();
      }
    }
  } finally {
    suomifi.remove();
  }
  console.log(table(['backend', 'logins', 'concurrency', 'logins/s', 'login p50 ms', 'login p99 ms', 'token p50 ms', 'token p99 ms', 'errors'], rows));
}
