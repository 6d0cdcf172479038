import type { BotModel } from './bot-model.ts';
import { respond, type ConversationState, type Network } from './conversations/engine.ts';
import { maskPersonalData } from './conversations/mask.ts';
import { parseTranscript, replyMeets } from './conversations/transcript.ts';

/** Every transcript test of the pack, run against its model; the first failing turn of each that fails. */
export interface TranscriptFailure {
  test: string;
  line: number;
  expected: string;
  got: string;
}

export async function runTranscriptTests(model: BotModel, network: Network): Promise<TranscriptFailure[]> {
  const failures: TranscriptFailure[] = [];
  for (const test of model.pack.tests) {
    let state: ConversationState = { language: test.language };
    let last = { text: '', intent: null as string | null };
    for (const turn of parseTranscript(test.transcript)) {
      if (turn.who === 'me') {
        const answered = await respond(model, network, state, maskPersonalData(turn.text));
        state = answered.state;
        last = { text: [answered.reply.text, ...answered.reply.services.map((s) => s.name), ...answered.reply.help_lines.map((l) => `${l.name} ${l.phone}`)].join('\n'), intent: answered.reply.intent };
      } else if (!replyMeets(turn.text, last)) {
        failures.push({ test: test.name, line: turn.line, expected: turn.text, got: last.text.slice(0, 300) });
        break;
      }
    }
  }
  return failures;
}
