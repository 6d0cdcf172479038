import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Follow } from './follow.ts';

/** What a member follows, and its newest notices (at most 100), newest first. */
export interface Notice {
  id: string;
  follow_id: string;
  period: string;
  previous_period: string;
  previous: number;
  current: number;
  created_at: string;
}

export async function readFollows(db: Db, memberId: string): Promise<{ follows: Follow[]; notices: Notice[] }> {
  const follows = await sql<Follow>`
    select id, area_kind, area_code, age_band, subject, threshold, webhooks, created_at from picture_follows where member_id = ${memberId} order by created_at, id`.execute(db);
  const notices = await sql<Notice>`
    select id, follow_id, period, previous_period, previous, current, created_at from picture_notices
     where member_id = ${memberId} order by created_at desc, period desc limit 100`.execute(db);
  return {
    follows: follows.rows.map((f) => ({ ...f, threshold: Number(f.threshold), webhooks: Boolean(f.webhooks), created_at: new Date(f.created_at).toISOString() })),
    notices: notices.rows.map((n) => ({ ...n, previous: Number(n.previous), current: Number(n.current), created_at: new Date(n.created_at).toISOString() })),
  };
}
