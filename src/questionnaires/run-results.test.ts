import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../db/database.ts';
import { setPrivacyBudget } from '../statistics/budget.ts';
import { nextBusinessId } from '../testing/console.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { exampleQuestionnaire } from './example-questionnaire.ts';
import { currentResults } from './run-results.ts';
import { readRuns } from './store.ts';

/** When a run's results are released again, and that its privacy budget ends the releases. */

for (const backend of testBackends()) {
  describe(`run results (${backend})`, () => {
    let database: Database;
    let memberId: string;

    before(async () => {
      database = await createTestDatabase(backend);
      memberId = randomUUID();
      await database.db.insertInto('members').values({ id: memberId, name: 'Seura', business_id: nextBusinessId(), contact_name: 'S', contact_email: 's@seura.example', status: 'approved', decided_at: new Date(), decision_reason: null }).execute();
    });
    after(async () => database?.close());

    async function newRun() {
      const questionnaireId = randomUUID();
      const runId = randomUUID();
      const definition = JSON.stringify(exampleQuestionnaire());
      await database.db.insertInto('questionnaires').values({ id: questionnaireId, member_id: memberId, title: JSON.stringify({ fi: 'K' }), draft: definition }).execute();
      await database.db.insertInto('questionnaire_versions').values({ questionnaire_id: questionnaireId, version: 1, definition, published_by: 'test' }).execute();
      await database.db
        .insertInto('questionnaire_runs')
        .values({ id: runId, questionnaire_id: questionnaireId, version: 1, member_id: memberId, name: 'r', access: 'open', secret_hash: null, opens_at: new Date(Date.now() - 1000), closes_at: new Date(Date.now() + 3600_000) })
        .execute();
      const answer = async (n: number) => {
        for (let i = 0; i < n; i++)
          await database.db.insertInto('questionnaire_responses').values({ id: randomUUID(), run_id: runId, version: 1, answers: JSON.stringify({ life: 5, friends: 'some' }), meters: JSON.stringify({ life_satisfaction: 5, friends: 6 }) }).execute();
      };
      const results = async () => currentResults(database.db, (await readRuns(database.db, { runId }))[0]!);
      return { answer, results };
    }

    test('released at 10, again only after 10 more, and never past the budget', async () => {
      const run = await newRun();
      await run.answer(10);
      const first = await run.results();
      assert.equal(first.status === 'released' && first.release, 1);
      await run.answer(9);
      assert.deepEqual(await run.results(), first, '19: still the first release');
      await run.answer(1);
      const second = await run.results();
      assert.ok(second.status === 'released' && second.release === 2 && second.privacy.epsilon_spent === 2);
      await run.answer(10);
      const third = await run.results();
      assert.ok(third.status === 'released' && third.release === 3 && third.privacy.epsilon_spent === 3 && third.privacy.epsilon_cap === 3);
      await run.answer(30);
      assert.deepEqual(await run.results(), third, 'the budget is spent: the last release stays');
    });

    test("the member's own cap is the run's budget", async () => {
      await setPrivacyBudget(database.db, memberId, 0.5);
      const run = await newRun();
      await run.answer(12);
      assert.deepEqual(await run.results(), { status: 'no-budget', responses: 12, threshold: 10 }, 'one release would pass the cap');
      await setPrivacyBudget(database.db, memberId, null);
    });
  });
}
