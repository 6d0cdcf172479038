import type { Db } from '../../db/database.ts';
import type { Recommender } from '../../recommender/recommender.ts';
import { botNetwork } from '../conversations/network.ts';
import { runTranscriptTests } from '../run-transcript-tests.ts';
import { draftModel } from './draft-model.ts';

/**
 * The draft's transcript tests run without publishing, each on its own: passed, or the line that
 * failed, what it expected and what the bot said. The same run as a publish makes (dry: nothing
 * kept), so a draft whose tests pass here publishes.
 */
export async function runDraftTests(db: Db, recommender: { ready(): Promise<Recommender> }, memberId: string, botId: string) {
  const model = await draftModel(db, memberId, botId);
  const network = botNetwork(db, recommender, memberId, { dry: true });
  const tests = [];
  for (const test of model.pack.tests) {
    const [failure] = await runTranscriptTests({ ...model, pack: { ...model.pack, tests: [test] } }, network);
    tests.push(failure ? { name: test.name, language: test.language, passed: false, line: failure.line, expected: failure.expected, got: failure.got } : { name: test.name, language: test.language, passed: true });
  }
  return { passed: tests.filter((t) => t.passed).length, failed: tests.filter((t) => !t.passed).length, tests };
}
