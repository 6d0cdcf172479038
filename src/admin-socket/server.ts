import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Database } from '../db/database.ts';
import type { Recommender } from '../recommender/recommender.ts';
import { OperationError } from '../operation-error.ts';
import { OPERATIONS, type AdminMessage } from './protocol.ts';

const MAX_BODY = 1024 * 1024;

/**
 * Listens on a Unix socket (mode 0600, in a 0700 folder: see socket-path.ts) so that CLI commands reach the
 * database this server holds. A client that hangs up cancels its operation, which rolls back.
 */
export async function startAdminSocket(
  database: Database,
  socketPath: string,
  log: (msg: string) => void,
  recommender?: () => Promise<Recommender>,
): Promise<Server> {
  if (existsSync(socketPath)) unlinkSync(socketPath); // left by a crashed server: we hold the data lock now
  const server = createServer((request, response) => void handle(database, request, response, log, recommender));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  chmodSync(socketPath, 0o600);
  return server;
}

export async function stopAdminSocket(server: Server, socketPath: string) {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  if (existsSync(socketPath)) unlinkSync(socketPath);
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new OperationError('request too large');
    parts.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8') || '{}');
  } catch {
    throw new OperationError('request body is not JSON');
  }
}

async function handle(
  database: Database,
  request: IncomingMessage,
  response: ServerResponse,
  log: (msg: string) => void,
  recommender?: () => Promise<Recommender>,
) {
  const write = (message: AdminMessage) => {
    if (!response.writableEnded) response.write(JSON.stringify(message) + '\n');
  };
  const url = new URL(request.url ?? '/', 'http://admin');
  if (request.method === 'GET' && url.pathname === '/v1/ping') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pid: process.pid }));
    return;
  }
  const name = /^\/v1\/operations\/([a-z-]+)$/.exec(url.pathname)?.[1];
  const operation = name ? OPERATIONS[name] : undefined;
  if (request.method !== 'POST' || !operation) {
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', message: 'no such operation' }));
    return;
  }
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort(new Error('the client hung up'));
  });
  response.writeHead(200, { 'content-type': 'application/x-ndjson' });
  try {
    const args = await readBody(request);
    const actor = typeof (args as { actor?: unknown }).actor === 'string' ? String((args as { actor: string }).actor).slice(0, 200) : 'cli';
    const result = await operation(database.db, args as Record<string, unknown>, {
      actor,
      signal: controller.signal,
      onProgress: (p) => write({ type: 'progress', ...p }),
      ...(recommender ? { recommender } : {}),
    });
    write({ type: 'result', result });
    log(`admin operation ${name} by ${actor} done`);
  } catch (error) {
    const expected = error instanceof OperationError || controller.signal.aborted;
    if (!expected) log(`admin operation ${name} failed: ${(error as Error).stack ?? error}`);
    write({ type: 'error', message: expected ? (error as Error).message : `the operation failed: ${(error as Error).message}` });
  }
  response.end();
}
