import { isUuidText, type LocalizedText } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';

/**
 * The network's audit log (`audit_log`): who changed or read what, when. Rows are written in the
 * transaction of the change they describe (pass the transaction as `db`), so a change and its audit
 * row commit or roll back together. Values people gave (attributes, free text, secrets) never go in
 * `details`; the consent audit chain (src/transfers/audit-chain.ts) is a separate, hash-chained log.
 */
export interface AuditEntry {
  /** `staff:<e-mail>`, `client:<client id>`, `operator`, `person`, `applicant:<e-mail>`, … */
  actor: string;
  /** `<domain>.<verb>`, e.g. `member.approve`, `client.rotate`. */
  action: string;
  target?: string | null | undefined;
  /** The member the row concerns: organisation administrators see their own member's rows. */
  memberId?: string | null | undefined;
  details?: Record<string, unknown> | undefined;
}

export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      member_id: entry.memberId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export interface AuditQuery {
  before?: number | undefined;
  limit: number;
  /** Only rows about this member (an organisation administrator's view). */
  memberId?: string | undefined;
}

/** The audit log, newest first, paged by id (`before` the last id seen). */
export async function listAudit(db: Db, query: AuditQuery) {
  let q = db.selectFrom('audit_log').select(['id', 'at', 'actor', 'action', 'target', 'member_id', 'details']).orderBy('id', 'desc').limit(query.limit + 1);
  if (query.before !== undefined) q = q.where('id', '<', query.before);
  if (query.memberId) q = q.where('member_id', '=', query.memberId);
  const rows = await q.execute();
  const page = rows.slice(0, query.limit);
  const names = await targetNames(db, page.map((r) => r.target).filter((t): t is string => t !== null));
  return {
    entries: page.map((r) => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      actor: r.actor,
      action: r.action,
      target: r.target,
      target_name: r.target === null ? null : (names.get(r.target) ?? null),
      member_id: r.member_id,
      details: r.details,
    })),
    next_before: rows.length > query.limit ? Number(page[page.length - 1]!.id) : null,
  };
}

/**
 * What the targets of audit rows are called, so that a row reads "claimed the service Lukiokoulutus"
 * and not an id: services, members, staff users (by e-mail), channels, voucher programmes, questionnaires (by their title), their runs (by the
 * organiser's name for the group) and API
 * clients (by their given name).
 * A target that is gone keeps its id.
 */
async function targetNames(db: Db, targets: string[]): Promise<Map<string, LocalizedText | string>> {
  const names = new Map<string, LocalizedText | string>();
  const uuids = [...new Set(targets.filter(isUuidText).map((t) => t.toLowerCase()))];
  const others = [...new Set(targets.filter((t) => !isUuidText(t)))];
  if (uuids.length) {
    for (const s of await db.selectFrom('services').select(['id', 'name']).where('id', 'in', uuids).execute()) names.set(s.id, s.name as LocalizedText);
    for (const m of await db.selectFrom('members').select(['id', 'name']).where('id', 'in', uuids).execute()) names.set(m.id, m.name);
    for (const u of await db.selectFrom('staff_users').select(['id', 'email']).where('id', 'in', uuids).execute()) names.set(u.id, u.email);
    for (const c of await db.selectFrom('service_channels').select(['id', 'name']).where('id', 'in', uuids).execute()) names.set(c.id, c.name as LocalizedText);
    for (const v of await db.selectFrom('voucher_programmes').select(['id', 'name']).where('id', 'in', uuids).execute()) names.set(v.id, v.name as LocalizedText);
    for (const q of await db.selectFrom('questionnaires').select(['id', 'title']).where('id', 'in', uuids).execute()) names.set(q.id, q.title as LocalizedText);
    for (const r of await db.selectFrom('questionnaire_runs').select(['id', 'name']).where('id', 'in', uuids).execute()) names.set(r.id, r.name);
  }
  if (others.length) for (const c of await db.selectFrom('api_clients').select(['client_id', 'name']).where('client_id', 'in', others).execute()) names.set(c.client_id, c.name);
  return names;
}
