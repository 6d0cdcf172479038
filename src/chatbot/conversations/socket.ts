import type { WebSocket } from '@fastify/websocket';
import type { Db } from '../../db/database.ts';
import { HttpProblem, TooManyRequests, badRequest } from '../../http/problem.ts';
import type { Recommender } from '../../recommender/recommender.ts';
import { spendIfRoom } from '../../rate-limits/per-address.ts';
import { MESSAGE_LENGTH, MESSAGES } from '../limits.ts';
import { sendMessage } from './send-message.ts';

/**
 * A conversation over a WebSocket, for front ends that keep one open: each text frame is
 * `{"text": "…"}`, answered by one frame with the same reply the REST endpoint gives, or by
 * `{"problem": {status, type, title, detail}}`. Messages count against the same per-address limit
 * as REST ones; frames are answered one at a time, in order.
 */
export function talkOverSocket(socket: WebSocket, deps: { db: Db; recommender: { ready(): Promise<Recommender> }; botId: string; conversationId: string; ip: string }) {
  let queue = Promise.resolve();
  socket.on('message', (data, isBinary) => {
    queue = queue.then(async () => {
      try {
        const text = isBinary ? null : parseFrame(String(data));
        if (text === null) throw badRequest(`a frame is JSON {"text": "…"} of 1 to ${MESSAGE_LENGTH} characters`);
        if (!(await spendIfRoom(deps.db, MESSAGES, deps.ip))) throw new TooManyRequests(MESSAGES.windowSeconds, `too many ${MESSAGES.what} from this address`);
        const reply = await sendMessage(deps.db, deps.recommender, deps.botId, deps.conversationId, text);
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
      } catch (error) {
        const problem = error instanceof HttpProblem ? error : new HttpProblem(500, 'internal', 'Internal error', 'the message could not be answered');
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ problem: problem.toProblem() }));
      }
    });
  });
}

function parseFrame(frame: string): string | null {
  try {
    const value = JSON.parse(frame) as { text?: unknown };
    return typeof value?.text === 'string' && value.text.trim().length > 0 && value.text.length <= MESSAGE_LENGTH && Object.keys(value).length === 1 ? value.text : null;
  } catch {
    return null;
  }
}
