/**
 * The query benchmark's load generator, in a process of its own so that it does not share the
 * server's event loop. Reads a job (ClientJob) as JSON on stdin, sends the requests over keep-alive
 * HTTP connections with a fixed number in flight, and prints one JSON line (ClientResult).
 */
import type { LatencyStats } from '../lib.ts';
import { closedLoop, keepAliveClient, readStdin, type LoadResult, type LoadSettings } from '../load.ts';

export interface ClientJob extends LoadSettings {
  base: string;
  kinds: string[];
  /** [kind index, path and query] in the order to send them; the list is cycled. */
  requests: [number, string][];
}

export type { LatencyStats };
export type ClientResult = LoadResult;

const job = JSON.parse(await readStdin()) as ClientJob;
const http = keepAliveClient(job.base, job.concurrency);
const get = (path: string) => http.send({ path, headers: { accept: 'application/json' } });
const result: ClientResult = await closedLoop(job, job.kinds, job.requests, get, (path) => path);
http.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
