import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db/database.ts';
import { badRequest, conflict } from '../http/problem.ts';
import { METERS } from '../recommender/meter-names.ts';
import { AGE_BANDS, findArea, isAgeBand, type AreaKind } from './areas.ts';

/**
 * A member follows a figure of the picture: an area's meter for an age band (or all ages), or a
 * context indicator of an area; a notice is kept when a new release (or import) moves it by at least
 * the threshold (notify-followers.ts). At most MAX_FOLLOWS per member.
 */
export const MAX_FOLLOWS = 100;

export interface FollowInput {
  area_kind: AreaKind;
  area_code: string;
  age_band: string;
  /** A meter, or indicator:<id>. */
  subject: string;
  /** Points of a meter's mean (0..10), or the indicator's own unit. */
  threshold: number;
  /** Also send each notice to the member's own webhook endpoints (the member event picture-notice). */
  webhooks?: boolean;
}

export interface Follow extends FollowInput {
  id: string;
  webhooks: boolean;
  created_at: string;
}

const INDICATOR_SUBJECT = /^indicator:[0-9A-Za-z_.-]{1,40}$/;

export async function followPicture(db: Db, memberId: string, input: FollowInput, actor: string): Promise<Follow> {
  if (!findArea(input.area_kind, input.area_code)) throw badRequest(`no ${input.area_kind} ${input.area_code}`, [{ field: 'area_code', message: 'is not an area of the code list' }]);
  const indicator = INDICATOR_SUBJECT.test(input.subject);
  if (!indicator && !(METERS as readonly string[]).includes(input.subject))
    throw badRequest('a follow is of a meter or of indicator:<id>', [{ field: 'subject', message: 'is not a meter or an indicator' }]);
  if (input.age_band !== 'all' && !(indicator ? false : isAgeBand(input.age_band)))
    throw badRequest(`an age band is all${indicator ? ' for an indicator' : ` or one of ${AGE_BANDS.join(', ')}`}`, [{ field: 'age_band', message: 'is not an age band' }]);
  if (!(input.threshold > 0) || !Number.isFinite(input.threshold) || (!indicator && input.threshold > 10))
    throw badRequest('a threshold is a positive number (at most 10 points for a meter)', [{ field: 'threshold', message: 'is out of range' }]);
  const follow: Follow = { id: randomUUID(), ...input, webhooks: input.webhooks ?? false, created_at: new Date().toISOString() };
  await db.transaction().execute(async (tx) => {
    // Counted under the member's lock on its own rows' table, so parallel adds cannot pass the limit.
    await sql`select pg_advisory_xact_lock(hashtext(${`picture-follows:${memberId}`}))`.execute(tx);
    const count = await sql<{ n: number }>`select count(*)::int as n from picture_follows where member_id = ${memberId}`.execute(tx);
    if (count.rows[0]!.n >= MAX_FOLLOWS) throw conflict('follow-limit', 'Too many follows', `a member follows at most ${MAX_FOLLOWS} figures: remove some first`);
    await sql`
      insert into picture_follows (id, member_id, area_kind, area_code, age_band, subject, threshold, webhooks, created_by, created_at)
      values (${follow.id}, ${memberId}, ${input.area_kind}, ${input.area_code}, ${input.age_band}, ${input.subject}, ${input.threshold}, ${follow.webhooks}, ${actor}, ${follow.created_at})`.execute(tx);
    await audit(tx, { actor, action: 'member.picture.follow', target: follow.id, memberId, details: { ...input, webhooks: follow.webhooks } });
  });
  return follow;
}
