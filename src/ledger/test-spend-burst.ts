/**
 * For the crash test (crash.test.ts): a process that opens the ledger's database and spends from
 * one budget as fast as it can, many at once through `transfer`, printing each transfer id once
 * the ledger has answered it (so committed), until it is killed. Input on argv as JSON: the
 * database target, the accounts, and the transfers' ids and amounts.
 */
import { openDatabase, type DatabaseTarget } from '../db/database.ts';
import { tryTransfer } from './transfer.ts';

const { target, budget, provider, spends } = JSON.parse(process.argv[2]!) as {
  target: DatabaseTarget;
  budget: string;
  provider: string;
  spends: { id: string; amount: number; pending: boolean }[];
};
const database = await openDatabase(target, { migrate: false });
process.stdout.write('open\n');
let next = 0;
const worker = async () => {
  while (next < spends.length) {
    const spend = spends[next++]!;
    const result = await tryTransfer(database.db, { id: spend.id, kind: spend.pending ? 'pending' : 'single', debitAccountId: budget, creditAccountId: provider, amount: spend.amount });
    process.stdout.write(`${result.ok ? 'ok' : 'refused'} ${spend.id}\n`);
  }
};
await Promise.all(Array.from({ length: 16 }, worker));
process.stdout.write('done\n');
await database.close();
