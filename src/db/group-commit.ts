import { databaseKindOf, type Db } from './database.ts';

/**
 * Group commit: concurrent callers' writes are gathered and written together. While one batch is
 * being written, new items wait; as soon as it is done, everything waiting (up to `maxBatch`) goes
 * as the next batch. Idle, an item waits only for the current turn of the event loop, so that items
 * added together go together. Each caller's promise settles with its own item's result once the
 * batch holding it is committed.
 *
 * `write` must be all or nothing (one statement, or one transaction). When a batch fails, its items
 * are written again one at a time, so that one bad item fails only its own caller.
 */
export interface GroupCommitOptions<T, R> {
  /** Writes the items as one unit and answers each item's result, in the items' order. */
  write(items: readonly T[]): Promise<R[]>;
  /** The most items one write takes. Default 256. */
  maxBatch?: number;
  /**
   * How many batches may be written at once. Default 1. More lets a PostgreSQL pool commit one batch
   * while the next is already on its way, so that callers are not held for a whole round trip and
   * commit behind the batch before theirs; only for writes whose batches do not depend on each other.
   */
  concurrency?: number;
}

interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export const DEFAULT_MAX_BATCH = 256;

export class GroupCommit<T, R> {
  readonly #write: (items: readonly T[]) => Promise<R[]>;
  readonly #maxBatch: number;
  readonly #concurrency: number;
  #waiting: Waiting<T, R>[] = [];
  #writing = 0;
  #scheduled = false;

  constructor(options: GroupCommitOptions<T, R>) {
    const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    const concurrency = options.concurrency ?? 1;
    if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch is a positive integer, not ${maxBatch}`);
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency is a positive integer, not ${concurrency}`);
    this.#write = options.write;
    this.#maxBatch = maxBatch;
    this.#concurrency = concurrency;
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (this.#writing < this.#concurrency && !this.#scheduled) {
        this.#scheduled = true;
        queueMicrotask(() => {
          this.#scheduled = false;
          this.#start();
        });
      }
    });
  }

  /** Starts writers, as many as are allowed and have items to take. */
  #start() {
    while (this.#writing < this.#concurrency && this.#waiting.length) {
      this.#writing++;
      void this.#drain();
    }
  }

  async #drain() {
    try {
      while (this.#waiting.length) await this.#writeBatch(this.#waiting.splice(0, this.#maxBatch));
    } finally {
      this.#writing--;
    }
  }

  async #writeBatch(batch: Waiting<T, R>[]) {
    let results: R[];
    try {
      results = await this.#write(batch.map((w) => w.item));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else for (const w of batch) await this.#writeBatch([w]);
      return;
    }
    if (results.length !== batch.length) {
      // Written, but not answered item by item: writing again would write twice.
      const error = new Error(`group commit: ${batch.length} items written, ${results.length} results answered`);
      for (const w of batch) w.reject(error);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]!));
  }
}

/**
 * A group commit per database, made on first use. Inside a transaction the write goes alone and at
 * once, on that transaction: a batch written elsewhere would escape it (or pull other callers' items
 * into it).
 */
export function groupCommitPerDatabase<T, R>(
  write: (db: Db, items: readonly T[]) => Promise<R[]>,
  options: {
    maxBatch?: number;
    /** Batches written at once on PostgreSQL (GroupCommitOptions.concurrency); PGlite, with its one connection, writes one at a time. */
    concurrencyOnPostgres?: number;
  } = {},
): (db: Db, item: T) => Promise<R> {
  const commits = new WeakMap<Db, GroupCommit<T, R>>();
  return async (db, item) => {
    if (db.isTransaction) {
      const [result] = await write(db, [item]);
      return result!;
    }
    let commit = commits.get(db);
    if (!commit) {
      const concurrency = databaseKindOf(db) === 'postgres' ? (options.concurrencyOnPostgres ?? 1) : 1;
      commit = new GroupCommit<T, R>({ write: (items) => write(db, items), ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}), concurrency });
      commits.set(db, commit);
    }
    return commit.add(item);
  };
}
