import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import { badRequest, notFound } from '../../http/problem.ts';
import type { Learning } from './learning.ts';
import type { MeterValues } from '../meters.ts';
import { receipt, recordSignal, serviceExists, type NewSignal } from './signals.ts';
import { needsOf } from '../store.ts';
import { hashSecret } from '../../clients/clients.ts';
import { audit } from '../../audit/audit.ts';

/**
 * Service providers teach the recommender whether a service fits a life situation. Teaching counts
 * twice a person's rating, and one member's signals on one service — all its clients' together —
 * are capped per 30 days (learning.ts).
 */
export interface TeachingInput {
  meters: MeterValues;
  service_id: string;
  fits: boolean;
  comment?: string | undefined;
}

/** An API client with the scope recommender:teach teaches (POST /api/v1/teaching). */
export async function teach(db: Db, learning: Learning, clientId: string, input: TeachingInput) {
  const { serviceId, needs } = await checked(db, input);
  const signal: NewSignal = { kind: 'teaching', recommendationId: null, serviceId, clientId, needs, value: input.fits ? 1 : -1, comment: input.comment };
  const [stored] = await recordSignal(db, learning, [signal]);
  return receipt(signal, stored!);
}

/**
 * Teaching from the console: a member's staff teach, and the signal is attributed to the member
 * through a hidden API client of its own — made on first use, its secret thrown away. Like every
 * client of the member it counts against the member's one cap (learning.ts).
 */
export async function teachAsMember(db: Db, learning: Learning, memberId: string, input: TeachingInput & { municipality?: string | undefined }, actor: string) {
  const { serviceId, needs } = await checked(db, input);
  const clientId = await teachingClientOf(db, memberId);
  const signal: NewSignal = { kind: 'teaching', recommendationId: null, serviceId, clientId, needs, value: input.fits ? 1 : -1, comment: input.comment };
  const [stored] = await recordSignal(db, learning, [signal]);
  await audit(db, { actor, action: 'member.teach', target: serviceId, memberId: memberId, details: { fits: input.fits, municipality: input.municipality ?? null, signal_id: stored!.id } });
  return receipt(signal, stored!);
}

async function checked(db: Db, input: TeachingInput) {
  const serviceId = input.service_id.toLowerCase();
  const needs = needsOf(input.meters);
  if (Object.keys(needs).length === 0)
    throw badRequest('the meters describe no need: give at least one meter below 8', [{ field: 'meters', message: 'every meter is 8 or more' }]);
  if (!(await serviceExists(db, serviceId))) throw notFound(`no service has the id ${input.service_id}`);
  return { serviceId, needs };
}

async function teachingClientOf(db: Db, memberId: string): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const member = await tx.selectFrom('members').select('teaching_client_id').where('id', '=', memberId).forUpdate().executeTakeFirst();
    if (!member) throw notFound(`no member ${memberId}`);
    if (member.teaching_client_id) return member.teaching_client_id;
    const id = randomUUID();
    await tx
      .insertInto('api_clients')
      .values({
        id,
        client_id: `aur_t${randomBytes(12).toString('base64url')}`,
        name: 'console teaching',
        secret_hash: hashSecret(randomBytes(32).toString('base64url')),
        scopes: ['recommender:teach'],
        member_id: memberId,
      })
      .execute();
    await tx.updateTable('members').set({ teaching_client_id: id }).where('id', '=', memberId).execute();
    return id;
  });
}
