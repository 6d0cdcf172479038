import { connect, type NatsConnection } from '@nats-io/transport-node';

/**
 * A connection to the NATS server (AURORA_NATS_URL) that a server keeps for as long as it runs,
 * for whatever uses NATS (life events' JetStream delivery today). NATS is never what a start waits
 * for: a server whose NATS is down starts all the same, says so, and keeps trying in the background;
 * once connected, the client itself reconnects after a loss. `current()` is the connection while it
 * is up, else undefined, so that a user falls back to the database meanwhile; `onUp` runs after
 * every (re)connection (a stream to declare again on a NATS server that lost it, a consumer to
 * resume).
 */
export interface Bus {
  current(): NatsConnection | undefined;
  onUp(listener: (nc: NatsConnection) => void): void;
  close(): Promise<void>;
}

export interface BusOptions {
  /** The connection's name, as the NATS server's monitoring shows it. */
  name: string;
  /** Told when the connection cannot be made or is lost (and is retried), and when it is back. */
  log: { warn(details: object, message: string): void; info(details: object, message: string): void };
  /** Waits between first-connection attempts (default 5 s). */
  retryMs?: number;
}

/**
 * How long a first connection may take (the NATS client's connect timeout), and after how long
 * one still being made is said to be slow. The client's timeout is far out on purpose: when it
 * fires while the connection is still being made, nats.js (3.4) leaves that connection open and
 * owned by nobody (its transport's close does nothing until connected, and the connect then
 * completes; nats-io/nats.js#64), held until the NATS server's pings give up minutes later. A
 * start that kept the event loop busy past the old 2 s timeout did that (the timer's turn comes
 * before the socket's), and a test process lived on for five minutes after its server closed. A
 * host that never answers fails the connect by TCP's own give-up instead (about two minutes), and
 * a NATS that is down refuses it at once.
 */
const CONNECT_TIMEOUT_MS = 600_000;
const SLOW_CONNECT_MS = 5_000;

/** The URL as the log may show it: without a user or password. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return 'a NATS URL';
  }
}

export function openBus(url: string, options: BusOptions): Bus {
  const retryMs = options.retryMs ?? 5_000;
  const listeners: ((nc: NatsConnection) => void)[] = [];
  let nc: NatsConnection | undefined;
  let up = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const where = redactedUrl(url);
  const announce = (c: NatsConnection) => {
    for (const listener of listeners) listener(c);
  };

  const attempt = async () => {
    timer = undefined;
    let c: NatsConnection;
    const slow = setTimeout(() => {
      if (!stopped) options.log.warn({ nats: where }, 'NATS has not answered yet; life events go through the database until it does');
    }, SLOW_CONNECT_MS);
    slow.unref();
    try {
      // The client's own reconnection (without end) takes over once a first connection was made.
      c = await connect({ servers: url, name: options.name, reconnect: true, maxReconnectAttempts: -1, timeout: CONNECT_TIMEOUT_MS });
    } catch (error) {
      if (stopped) return;
      options.log.warn({ err: error, nats: where }, 'NATS cannot be reached; life events go through the database until it can');
      timer = setTimeout(() => void attempt(), retryMs);
      timer.unref();
      return;
    } finally {
      clearTimeout(slow);
    }
    if (stopped) {
      await c.close().catch(() => {});
      return;
    }
    nc = c;
    up = true;
    options.log.info({ nats: where }, 'connected to NATS');
    void (async () => {
      for await (const status of c.status()) {
        if (status.type === 'disconnect') {
          up = false;
          options.log.warn({ nats: where }, 'NATS connection lost; life events go through the database until it is back');
        } else if (status.type === 'reconnect') {
          up = true;
          options.log.info({ nats: where }, 'NATS connection back');
          announce(c);
        }
      }
    })().catch(() => {});
    announce(c);
  };
  void attempt();

  return {
    current: () => (up && nc && !nc.isClosed() ? nc : undefined),
    onUp(listener) {
      listeners.push(listener);
      if (up && nc) listener(nc);
    },
    async close() {
      stopped = true;
      up = false;
      if (timer) clearTimeout(timer);
      // Drain: what was published is flushed and the consumers' subscriptions end cleanly; a
      // connection that is away cannot drain, and a stopping server does not wait for it.
      const c = nc;
      if (!c || c.isClosed()) return;
      let drainTimer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (drainTimer = setTimeout(resolve, 5_000)));
      await Promise.race([c.drain().catch(() => {}), late]);
      clearTimeout(drainTimer);
      if (!c.isClosed()) await c.close().catch(() => {});
    },
  };
}
