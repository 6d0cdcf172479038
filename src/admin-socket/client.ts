import { request } from 'node:http';
import type { ImportProgress } from '../catalogue/import-run.ts';
import type { AdminMessage } from './protocol.ts';

/** True when a server answers on the admin socket. */
export function pingAdmin(socketPath: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/v1/ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

export class RemoteOperationError extends Error {}

/** Runs an operation on the server; aborting the signal hangs up, which makes the server roll back. */
export function callAdmin(
  socketPath: string,
  operation: string,
  args: Record<string, unknown>,
  options: { onProgress?: (p: ImportProgress) => void; signal?: AbortSignal } = {},
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: `/v1/operations/${operation}`, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let buffer = '';
      let settled = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (!line.trim()) continue;
          const message = JSON.parse(line) as AdminMessage;
          if (message.type === 'progress') options.onProgress?.({ done: message.done, total: message.total });
          else if (message.type === 'result') {
            settled = true;
            resolve(message.result);
          } else {
            settled = true;
            reject(new RemoteOperationError(message.message));
          }
        }
      });
      res.on('end', () => {
        if (!settled) reject(new RemoteOperationError('the server closed the connection before answering'));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    options.signal?.addEventListener('abort', () => req.destroy(new Error('cancelled')), { once: true });
    req.end(JSON.stringify(args));
  });
}
