// One server process of bench/session-transfer.ts --servers N: opens the PostgreSQL database named
// by its argument (already migrated and set up by the parent), listens on 127.0.0.1 port 0, prints
// its address as one line, and closes on SIGTERM (so that --cpu-prof writes its profile).
import { openDatabase } from '../../src/db/database.ts';
import { buildServer } from '../../src/http/server.ts';

const url = process.argv[2];
if (!url) throw new Error('usage: session-transfer-server.ts <postgres url>');
const database = await openDatabase({ kind: 'postgres', url });
const app = await buildServer({ database, purgeIntervalMs: 0 });
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
process.once('SIGTERM', () => {
  void (async () => {
    await app.close();
    await database.close();
    process.exit(0);
  })();
});
