import type { Db } from '../db/database.ts';
import type { LifeEventInput } from '../events/record-life-event.ts';

/**
 * A register's change interface as a connector sees it: the records after a cursor, and the cursor
 * to ask from next time. The cursor is the source's own (a change id, a sequence number), opaque
 * here; null before the first poll. An empty batch means the connector is up to date.
 */
export interface RegisterSource {
  poll(cursor: string | null): Promise<{ changes: unknown[]; nextCursor: string | null }>;
}

/** One record read: the person it is about (by identity code, which goes no further) and what changed. */
export type ReadRecord<Change> = { identityCode: string; change: Change } | { malformed: string };

/** The person a change is about, once the identity code has found their account. */
export interface KnownPerson {
  accountId: string;
  /** The home municipality the person agreed to share (derived claims), for subscriptions by area. */
  municipality: string | null;
}

/** An event to record: recordLifeEvent's input less the account and the source, which the poll adds. */
export type ConnectorEvent = Omit<LifeEventInput, 'accountId' | 'source'>;

export interface RegisterConnector<Change = unknown> {
  /** The cursor's key and the events' `source`: one name per connector, never changed. */
  name: string;
  source: RegisterSource;
  /** At most this many batches per run of its job (default 100); the synthetic register says 1, so that its months come one a run. */
  batchesPerRun?: number;
  /**
   * Reads one record; a malformed one answers why, in words that never quote the record (it holds
   * an identity code).
   */
  read(record: unknown): ReadRecord<Change>;
  /** The events a change means for a person with an account, in the batch's transaction. */
  events(tx: Db, change: Change, person: KnownPerson): Promise<ConnectorEvent[]>;
}
