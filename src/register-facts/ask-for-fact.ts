import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';
import { TooManyRequests, badRequest } from '../http/problem.ts';
import type { ServiceCaller } from '../identity/accounts/account-token.ts';
import { holdsIdentityCode } from '../identity/suomifi/identity-code.ts';
import { REGISTER_FACT_NAMES, isRegisterFact } from './facts.ts';
import { accountOfSubject } from './subject-account.ts';

export interface AskInput {
  sub: string;
  fact: string;
  purpose: string;
}

export interface AskLimits {
  ttlDays: number;
  openPerClient: number;
}

/** How long an over-the-limit service is told to wait: requests end as people answer, not on a clock. */
const RETRY_AFTER_S = 3600;

/**
 * A service asks a person, by the pairwise `sub` its logins gave it, for one register fact. The answer
 * is the same whether or not the `sub` names anyone the network knows for that service: a request for
 * an unknown `sub` is kept (without a person) and ends expired, as one the person never answered
 * would, so a service cannot use requests to learn who exists. Open requests count against the
 * service's limit either way.
 */
export async function askForFact(db: Db, subjectKey: Buffer, service: ServiceCaller, input: AskInput, limits: AskLimits) {
  if (!isRegisterFact(input.fact)) throw badRequest(`unknown register fact ${input.fact}`, [{ field: 'fact', message: `one of ${REGISTER_FACT_NAMES.join(', ')}` }]);
  const purpose = input.purpose.trim();
  if (!purpose) throw badRequest('say why the service asks, in its own words', [{ field: 'purpose', message: 'is empty' }]);
  // The network keeps the purpose and shows it: it never holds an identity code.
  if (holdsIdentityCode(purpose)) throw badRequest('the purpose looks like it holds an identity code, which the network never keeps: the person is named by the sub alone', [{ field: 'purpose', message: 'holds something shaped like an identity code' }]);
  const accountId = await accountOfSubject(db, subjectKey, service.clientId, service.sector, input.sub);
  return db.transaction().execute(async (tx) => {
    // Parallel requests of one service queue here, so the count below holds.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`aurora-register-facts:${service.clientId}`}, 0))`.execute(tx);
    const open = await tx
      .selectFrom('register_fact_requests')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('client_id', '=', service.clientId)
      .where('status', 'in', ['pending', 'approved'])
      .where('expires_at', '>', new Date())
      .executeTakeFirstOrThrow();
    if (Number(open.n) >= limits.openPerClient)
      throw new TooManyRequests(RETRY_AFTER_S, `the service has ${limits.openPerClient} register fact requests open: wait until people answer them or they expire`);
    const id = randomUUID();
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + limits.ttlDays * 86_400_000);
    await tx.insertInto('register_fact_requests').values({ id, client_id: service.clientId, account_id: accountId ?? null, fact: input.fact, purpose, created_at: createdAt, expires_at: expiresAt }).execute();
    // Never whether the sub was known: the audit log is read by the member's staff too.
    await audit(tx, { actor: `oidc-client:${service.clientId}`, action: 'register-fact.ask', target: id, memberId: service.memberId, details: { fact: input.fact } });
    return { id, fact: input.fact, status: 'pending' as const, created_at: createdAt.toISOString(), expires_at: expiresAt.toISOString() };
  });
}
