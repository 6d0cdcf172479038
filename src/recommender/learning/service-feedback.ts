import type { Db } from '../../db/database.ts';
import { notFound } from '../../http/problem.ts';
import { recordServiceFeedback, type HookLog } from '../../statistics/hooks.ts';
import type { Learning } from './learning.ts';
import type { MeterValues } from '../meters.ts';
import { receipt, recordSignal, serviceExists, type NewSignal } from './signals.ts';
import { needsOf } from '../store.ts';

/** Whether a service fits, said outside any recommendation, for the life situation of `meters` when known. */
export async function serviceFeedback(
  db: Db,
  learning: Learning,
  input: { serviceId: string; rating: 1 | -1; meters?: MeterValues | undefined; comment?: string | undefined; clientId: string | null },
  log?: HookLog,
) {
  const serviceId = input.serviceId.toLowerCase();
  if (!(await serviceExists(db, serviceId))) throw notFound(`no service has the id ${input.serviceId}`);
  const signal: NewSignal = {
    kind: 'service_feedback',
    recommendationId: null,
    serviceId,
    clientId: input.clientId,
    needs: needsOf(input.meters),
    value: input.rating,
    comment: input.comment,
  };
  const [stored] = await recordSignal(db, learning, [signal]);
  await recordServiceFeedback(db, serviceId, input.rating, input.meters, log);
  return receipt(signal, stored!);
}
