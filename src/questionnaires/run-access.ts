import { timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import type { Db } from '../db/database.ts';
import { HttpProblem, notFound } from '../http/problem.ts';
import { limitedAttempt } from '../rate-limits/attempts.ts';
import { addressKey, waitText } from '../rate-limits/per-address.ts';
import { pinBuckets } from './limits.ts';
import { linkKeyHash } from './start-run.ts';
import { readRuns, type RunRow } from './store.ts';

export interface Credentials {
  key?: string | undefined;
  pin?: string | undefined;
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The run a respondent may reach with these credentials. An unknown run and a link run with a
 * wrong key are both 404, so that a link's key cannot be told from its address; a PIN run without
 * its PIN is 401 pin-required (the page asks for it), a wrong PIN 403, and wrong PINs are limited
 * per run and per address (429 past them).
 */
export async function reachRun(db: Db, runId: string, credentials: Credentials, address: string): Promise<RunRow> {
  const [run] = await readRuns(db, { runId });
  if (!run) throw notFound('no such questionnaire run');
  if (run.access === 'link' && !(credentials.key && sameText(linkKeyHash(credentials.key), run.secret_hash!))) throw notFound('no such questionnaire run');
  if (run.access === 'pin') {
    if (!credentials.pin) throw new HttpProblem(401, 'pin-required', 'PIN required', 'this questionnaire is answered with the PIN its organiser gave');
    // Reserved before the slow check, so that parallel guesses cannot pass the limit; only wrong ones are kept.
    const pin = credentials.pin;
    await limitedAttempt(db, pinBuckets(run.id, addressKey(address)), (wait) => `too many wrong PINs: try again in ${waitText(wait)}`, async (failed) => {
      if (await argon2.verify(run.secret_hash!, pin).catch(() => false)) return;
      failed();
      throw new HttpProblem(403, 'wrong-pin', 'Wrong PIN', 'the PIN is not this questionnaire\'s');
    });
  }
  return run;
}

/** 409 unless the run takes responses now. */
export function assertOpen(run: RunRow, now = new Date()): void {
  if (now < run.opens_at) throw new HttpProblem(409, 'run-not-open', 'Not open yet', `the questionnaire opens at ${run.opens_at.toISOString()}`, { opens_at: run.opens_at.toISOString() });
  if (now >= run.closes_at) throw new HttpProblem(409, 'run-closed', 'Closed', 'the questionnaire no longer takes answers');
}
