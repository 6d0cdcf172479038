import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { recordMemberEvent } from '../events/record-member-event.ts';
import type { Meter } from '../recommender/meter-names.ts';
import { areaFigures, keptRelease } from './area-figures.ts';
import { findArea, type AgeBand, type AreaKind } from './areas.ts';
import { previousPeriod, type PeriodSpan } from './periods.ts';

/**
 * Tells the members who follow a figure that it moved: run in the transaction of a new release (a
 * meter of an area between this period and the one before, both released and neither suppressed)
 * and of an indicator import (an indicator's last two years for an area). A notice is kept once per
 * follow and period; the console lists them. When the follow asks for it, the notice is also the
 * member event picture-notice (src/events/record-member-event.ts), written in the same transaction
 * to the outbox of the member's own endpoints: only published, noised figures, nothing of a person.
 */
interface FollowRow {
  id: string;
  member_id: string;
  area_kind: AreaKind;
  area_code: string;
  age_band: string;
  subject: string;
  threshold: number;
  webhooks: boolean;
}

/** The CloudEvents subject of a notice: the area (`municipality/091`, `county/06`, `country`). */
export const noticeSubject = (follow: Pick<FollowRow, 'area_kind' | 'area_code'>) => (follow.area_kind === 'country' ? 'country' : `${follow.area_kind}/${follow.area_code}`);

async function notice(db: Db, follow: FollowRow, period: string, previousPeriod: string, previous: number, current: number, now: Date) {
  const { rows } = await sql<{ id: string }>`
    insert into picture_notices (id, member_id, follow_id, period, previous_period, previous, current, created_at)
    values (${randomUUID()}, ${follow.member_id}, ${follow.id}, ${period}, ${previousPeriod}, ${previous}, ${current}, ${now})
    on conflict (follow_id, period) do nothing
    returning id`.execute(db);
  if (!rows[0] || !follow.webhooks) return;
  const indicator = follow.subject.startsWith('indicator:') ? follow.subject.slice('indicator:'.length) : null;
  await recordMemberEvent(db, {
    memberId: follow.member_id,
    type: 'picture-notice',
    subject: noticeSubject(follow),
    occurredAt: now,
    data: {
      notice_id: rows[0].id,
      follow_id: follow.id,
      area: { kind: follow.area_kind, code: follow.area_code },
      age_band: follow.age_band,
      ...(indicator ? { indicator } : { meter: follow.subject }),
      period,
      previous_period: previousPeriod,
      previous,
      current,
      threshold: Number(follow.threshold),
    },
    source: 'situational-picture',
    sourceId: rows[0].id,
  });
}

const moved = (previous: number, current: number, threshold: number) => Math.abs(current - previous) >= threshold - 1e-9;

export async function notifyFollowers(db: Db, span: PeriodSpan, now: Date): Promise<void> {
  const follows = await sql<FollowRow>`select id, member_id, area_kind, area_code, age_band, subject, threshold, webhooks from picture_follows where subject not like 'indicator:%'`.execute(db);
  if (follows.rows.length === 0) return;
  const current = await keptRelease(db, span.period);
  const before = await keptRelease(db, previousPeriod(span));
  if (!current || !before) return;
  // Followers of one area and band share its figures.
  const groups = new Map<string, FollowRow[]>();
  for (const f of follows.rows) groups.set(`${f.area_kind}/${f.area_code}/${f.age_band}`, [...(groups.get(`${f.area_kind}/${f.area_code}/${f.age_band}`) ?? []), f]);
  for (const list of groups.values()) {
    const { area_kind, area_code, age_band } = list[0]!;
    const area = findArea(area_kind, area_code);
    if (!area) continue;
    const band = age_band as AgeBand | 'all';
    const [now_, then] = await Promise.all([areaFigures(db, current, area.municipalities, band), areaFigures(db, before, area.municipalities, band)]);
    for (const follow of list) {
      const a = then.find((f) => f.meter === (follow.subject as Meter));
      const b = now_.find((f) => f.meter === (follow.subject as Meter));
      if (a?.mean == null || b?.mean == null) continue;
      if (moved(a.mean, b.mean, Number(follow.threshold))) await notice(db, follow, current.period, before.period, a.mean, b.mean, now);
    }
  }
}

export async function notifyIndicatorFollowers(db: Db, now: Date): Promise<void> {
  const follows = await sql<FollowRow>`select id, member_id, area_kind, area_code, age_band, subject, threshold, webhooks from picture_follows where subject like 'indicator:%'`.execute(db);
  for (const follow of follows.rows) {
    const area = findArea(follow.area_kind, follow.area_code);
    if (!area) continue;
    const rows = await sql<{ year: number; value: number }>`
      select year, value from picture_indicators where indicator = ${follow.subject.slice('indicator:'.length)} and area = ${area.indicatorArea}
       order by year desc limit 2`.execute(db);
    const [latest, previous] = rows.rows;
    if (!latest || !previous || Number(previous.year) !== Number(latest.year) - 1) continue;
    if (moved(Number(previous.value), Number(latest.value), Number(follow.threshold)))
      await notice(db, follow, String(latest.year), String(previous.year), Number(previous.value), Number(latest.value), now);
  }
}

