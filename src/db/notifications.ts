import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/**
 * LISTEN/NOTIFY, for state a process keeps in memory that another process may change in the
 * database (a cache of API clients): triggers NOTIFY on a channel, every process listening on it
 * drops what it kept. A notification is delivered only while the listening connection is up, so a
 * listener also hears when its connection is up (`live(true)`, from then on every change is heard)
 * and when it is lost (`live(false)`: changes may pass unheard until the next `live(true)`, so
 * nothing kept may be trusted in between).
 */
export interface ChannelListener {
  notify(payload: string): void;
  live(up: boolean): void;
}

/** Stops listening. */
export type Unlisten = () => Promise<void>;

/** PGlite is this process's own backend: its notifications arrive before the notifying COMMIT returns, and it cannot be lost. */
export async function listenPglite(pglite: PGlite, channel: string, listener: ChannelListener): Promise<Unlisten> {
  const unlisten = await pglite.listen(channel, (payload) => listener.notify(payload));
  listener.live(true);
  return async () => {
    listener.live(false);
    await unlisten();
  };
}

export interface PostgresListenOptions {
  /** Waits between reconnection attempts, doubling up to the maximum. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Told why the connection was lost or could not be made (it is retried). */
  onError?: (error: unknown) => void;
}

/**
 * On PostgreSQL a connection of its own (a pooled one would be handed to queries and lose its
 * LISTEN): kept open with TCP keepalive, made again after any error with a growing wait.
 */
export async function listenPostgres(url: string, channel: string, listener: ChannelListener, options: PostgresListenOptions = {}): Promise<Unlisten> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new RangeError(`a channel is a plain lower-case identifier, not ${channel}`);
  const retryMs = options.retryMs ?? 1000;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  let stopped = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wait = retryMs;

  const lost = (error: unknown) => {
    if (stopped) return;
    listener.live(false);
    options.onError?.(error);
    const dead = client;
    client = undefined;
    dead?.removeAllListeners();
    dead?.on('error', () => {});
    void dead?.end().catch(() => {});
    timer = setTimeout(() => void connect(), wait);
    timer.unref();
    wait = Math.min(maxRetryMs, wait * 2);
  };

  const connect = async () => {
    timer = undefined;
    const c = new pg.Client({ connectionString: url, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    client = c;
    c.on('error', (error) => client === c && lost(error));
    c.on('end', () => client === c && lost(new Error('the listening connection ended')));
    c.on('notification', (message) => {
      if (client === c && message.channel === channel) listener.notify(message.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
    } catch (error) {
      if (client === c) lost(error);
      return;
    }
    if (stopped) await c.end().catch(() => {});
    if (stopped || client !== c) return;
    wait = retryMs;
    listener.live(true);
  };

  await connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    listener.live(false);
    const c = client;
    client = undefined;
    await c?.end().catch(() => {});
  };
}
