/**
 * For the HTTP crash test (http-crash.test.ts): a process serving one test-only money route,
 * POST /spend with an Idempotency-Key (http/idempotency.ts), which books or spends from a budget
 * through the ledger with the transfer id keyedId gives. It prints its port once listening. Input on
 * argv as JSON: the database target and how long a key stays locked to its request.
 */
import Fastify from 'fastify';
import type { DatabaseTarget } from '../db/database.ts';
import { openWhenUnlocked } from '../testing/databases.ts';
import { idempotent, keyedId } from '../http/idempotency.ts';
import { conflict, errorHandler } from '../http/problem.ts';
import { LedgerRefusal } from './model.ts';
import { transfer } from './transfer.ts';

const { target, lockSeconds } = JSON.parse(process.argv[2]!) as { target: DatabaseTarget; lockSeconds: number };
// The killed server's PGlite folder lock goes stale within 10 s.
const database = await openWhenUnlocked(target, { migrate: false });
const app = Fastify();
app.setErrorHandler(errorHandler);
app.post<{ Body: { budget: string; provider: string; amount: number; pending: boolean } }>(
  '/spend',
  { ...idempotent({ callerOf: (request) => String(request.headers['x-caller'] ?? 'anyone'), db: () => database.db, lockSeconds }) },
  async (request, reply) => {
    try {
      const { transfer: t } = await transfer(database.db, {
        id: keyedId(request, 'spend'),
        kind: request.body.pending ? 'pending' : 'single',
        debitAccountId: request.body.budget,
        creditAccountId: request.body.provider,
        amount: request.body.amount,
      });
      return reply.code(201).send({ transfer: t.id, amount: t.amount, at: t.createdAt.toISOString() });
    } catch (error) {
      if (error instanceof LedgerRefusal) throw conflict('ledger-refused', 'The ledger refused the transfer', error.refusal);
      throw error;
    }
  },
);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
process.once('SIGTERM', () => {
  void app
    .close()
    .then(() => database.close())
    .finally(() => process.exit(0));
});
