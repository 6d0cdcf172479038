import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import type { Database } from './database.ts';

async function eventually(what: string, check: () => boolean | Promise<boolean>) {
  const until = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(what);
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const backend of testBackends()) {
  describe(`LISTEN/NOTIFY (${backend})`, () => {
    let database: Database;
    before(async () => {
      database = await createTestDatabase(backend);
    });
    after(() => database.close());

    test('a notification is heard; a lost connection says so, and is made again', async () => {
      const heard: string[] = [];
      const states: boolean[] = [];
      const unlisten = await database.listen('aurora_test_channel', { notify: (p) => heard.push(p), live: (up) => states.push(up) }, { retryMs: 20 });
      try {
        await eventually('live', () => states.at(-1) === true);
        await sql`select pg_notify('aurora_test_channel', 'one')`.execute(database.db);
        await eventually('heard', () => heard.includes('one'));
        if (backend === 'pglite') return; // one backend in this process: nothing to lose
        await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen aurora_test_channel' and datname = current_database()`.execute(database.db);
        await eventually('told the connection was lost', () => states.includes(false));
        await eventually('live again', () => states.at(-1) === true);
        await sql`select pg_notify('aurora_test_channel', 'two')`.execute(database.db);
        await eventually('heard after reconnecting', () => heard.includes('two'));
      } finally {
        await unlisten();
      }
      assert.equal(states.at(-1), false, 'not live once stopped');
    });
  });
}
