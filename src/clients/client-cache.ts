import type { Database, Db } from '../db/database.ts';

/**
 * API clients' rows, kept in a server process between calls, so that a client's call costs no
 * database round trip (on PGlite's one connection it queued behind every other query). Kept rows
 * are trusted only while this process hears the channel that triggers announce every change of a
 * client or of its member's status on (migration 2026-12-03-70): any notification drops them all,
 * in every process on the database, before the change's COMMIT returns on PGlite and milliseconds
 * after it on PostgreSQL. While the listening connection is down nothing is kept. A row is still
 * read again after KEPT_MS, a bound for a connection that died without either side noticing.
 *
 * A row is kept whether or not the client exists, and before the secret is compared, so that an
 * unknown id, a wrong secret and a right one cost the same time once the id was asked before (and
 * one database query the first time, as before).
 */
export const CLIENT_CHANNEL = 'aurora_api_clients';
export const KEPT_MS = 10_000;
/** Ids kept at most; beyond, the longest unasked goes (ids made up by a caller cannot grow memory). */
export const MAX_KEPT = 10_000;

interface Entry {
  row: Promise<unknown>;
  at: number;
}

export class KeptClientRows {
  readonly #entries = new Map<string, Entry>();
  #live = false;

  constructor(private readonly now: () => number = () => Date.now()) {}

  /**
   * The row of a client id, kept or read with `load`. Concurrent calls for one id share one read;
   * a read that fails is not kept.
   */
  get<R>(clientId: string, load: () => Promise<R>): Promise<R> {
    if (!this.#live) return load();
    const now = this.now();
    const kept = this.#entries.get(clientId);
    if (kept && now - kept.at < KEPT_MS) {
      // Most recently asked last, so that the first is the one to drop.
      this.#entries.delete(clientId);
      this.#entries.set(clientId, kept);
      return kept.row as Promise<R>;
    }
    const entry: Entry = { row: load(), at: now };
    this.#entries.delete(clientId);
    this.#entries.set(clientId, entry);
    if (this.#entries.size > MAX_KEPT) this.#entries.delete(this.#entries.keys().next().value!);
    entry.row.catch(() => {
      if (this.#entries.get(clientId) === entry) this.#entries.delete(clientId);
    });
    return entry.row as Promise<R>;
  }

  /** A client or a member changed somewhere: nothing kept is known to be right any more. */
  changed() {
    this.#entries.clear();
  }

  /** Whether changes are heard; while not, nothing is kept. */
  live(up: boolean) {
    this.#live = up;
    this.#entries.clear();
  }

  get size() {
    return this.#entries.size;
  }
}

const kept = new WeakMap<Db, KeptClientRows>();

/**
 * This process changed a client or a member: its own kept rows go at once, since on PostgreSQL its
 * own notification arrives only after the COMMIT returned, and a next call may come before it
 * ("refused at once"). Other processes drop theirs on the notification.
 */
export function clientsChanged(db: Db): void {
  kept.get(db)?.changed();
}

/** The rows kept for a database's clients, when a server keeps them (never inside a transaction). */
export function keptClientRows(db: Db): KeptClientRows | undefined {
  return kept.get(db);
}

/**
 * Starts keeping clients' rows for the database, listening for their changes; the function it
 * answers stops (a server calls it on close).
 */
export async function keepClientRows(database: Database, onError?: (error: unknown) => void): Promise<() => Promise<void>> {
  const rows = new KeptClientRows();
  const unlisten = await database.listen(CLIENT_CHANNEL, { notify: () => rows.changed(), live: (up) => rows.live(up) }, onError ? { onError } : {});
  kept.set(database.db, rows);
  return async () => {
    if (kept.get(database.db) === rows) kept.delete(database.db);
    rows.live(false);
    await unlisten();
  };
}
