import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { contractingChanges, EXPAND_CONTRACT_FROM } from './expand-contract.ts';
import { migrationFiles } from './migrate.ts';

const migration = (up: string, down = '') =>
  `import { sql, type Kysely } from 'kysely';\nexport async function up(db: Kysely<any>) {\n${up}\n}\n${down ? `export async function down(db: Kysely<any>) {\n${down}\n}\n` : ''}`;

test('every migration from the cut-off date on only expands, or says it is a contract migration', () => {
  const checked = migrationFiles().filter((m) => m.name >= EXPAND_CONTRACT_FROM);
  assert.ok(checked.length > 0, 'some migrations are held to the rule');
  const broken = checked
    .map((m) => ({ name: m.name, changes: contractingChanges(readFileSync(m.path, 'utf8')) }))
    .filter((m) => m.changes.length > 0);
  assert.deepEqual(broken, [], 'an old server still running during a deploy would break: add first, remove in a later release with // contract: …');
});

test('what an old server would trip over is found in up, and only there', () => {
  const found = (up: string, down?: string) => contractingChanges(migration(up, down));
  assert.deepEqual(found('await sql`create table a (id int primary key)`.execute(db);', 'await sql`drop table a`.execute(db);'), []);
  assert.deepEqual(found('await sql`alter table a add column b text`.execute(db);'), []);
  assert.deepEqual(found("await sql`alter table a add column b text not null default ''`.execute(db);"), []);
  assert.deepEqual(found('await sql`create index a_b on a (b)`.execute(db);'), []);
  assert.deepEqual(found('// drop table a is for a later release\nawait sql`select 1`.execute(db);'), []);
  assert.equal(found('await sql`drop table a`.execute(db);').length, 1);
  assert.equal(found('await sql`alter table a drop column b`.execute(db);').length, 1);
  assert.equal(found('await sql`alter table a rename column b to c`.execute(db);').length, 1);
  assert.equal(found('await sql`alter table a rename to b`.execute(db);').length, 1);
  assert.equal(found('await sql`alter table a alter column b type bigint`.execute(db);').length, 1);
  assert.equal(found('await sql`alter table a alter column b set not null`.execute(db);').length, 1);
  assert.equal(found('await sql`alter table a add column b text not null`.execute(db);').length, 1);
  assert.equal(found('await sql`drop function f(int)`.execute(db);').length, 1);
});

test('a contract migration says so, with why, and is let through', () => {
  const contract = `// contract: release 2027-01 reads b only; no server of the release before it runs\n${migration('await sql`alter table a drop column c`.execute(db);')}`;
  assert.deepEqual(contractingChanges(contract), []);
  const bare = `// contract:\n${migration('await sql`alter table a drop column c`.execute(db);')}`;
  assert.equal(contractingChanges(bare).length, 1, 'a marker without a reason does not count');
});
