import type { Db } from '../db/database.ts';
import type { ProfileCallStatus } from '../db/schema.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { audit } from '../audit/audit.ts';
import { notFound } from '../http/problem.ts';
import { exportAad } from './call-services.ts';

/**
 * What the person reads of their requests: per service who answered what (the exported data, erased,
 * nothing held, refused with the service's reason, unreachable after the retries, failed), and
 * whether every service has answered. Only the account's own requests; reading one is audited.
 */
export interface ServiceAnswer {
  client_id: string;
  service: string;
  status: ProfileCallStatus;
  attempts: number;
  http_status: number | null;
  reason: unknown;
  data?: unknown;
  updated_at: string;
}

export interface EverywhereReport {
  id: string;
  kind: 'export' | 'erase';
  created_at: string;
  finished_at: string | null;
  services: ServiceAnswer[];
}

export async function listRequests(db: Db, accountId: string) {
  const rows = await db.selectFrom('profile_requests').select(['id', 'kind', 'created_at', 'finished_at']).where('account_id', '=', accountId).orderBy('created_at', 'desc').limit(50).execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, created_at: r.created_at.toISOString(), finished_at: r.finished_at?.toISOString() ?? null }));
}

export async function requestReport(db: Db, keyring: PayloadKeyring, accountId: string, id: string): Promise<EverywhereReport> {
  const request = await db.selectFrom('profile_requests').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  if (!request) throw notFound('you have no such request');
  const calls = await db.selectFrom('profile_request_calls').selectAll().where('request_id', '=', id).orderBy('service_name').orderBy('client_id').execute();
  await audit(db, { actor: `account:${accountId}`, action: 'profile.report-read', target: id });
  return {
    id: request.id,
    kind: request.kind,
    created_at: request.created_at.toISOString(),
    finished_at: request.finished_at?.toISOString() ?? null,
    services: calls.map((c) => ({
      client_id: c.client_id,
      service: c.service_name,
      status: c.status,
      attempts: c.attempts,
      http_status: c.http_status,
      reason: c.reason ?? null,
      ...(c.sealed_key_id && c.sealed_data ? { data: JSON.parse(keyring.open({ keyId: c.sealed_key_id, data: c.sealed_data }, exportAad(c.request_id, c.client_id))) } : {}),
      updated_at: c.updated_at.toISOString(),
    })),
  };
}
