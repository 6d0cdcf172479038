import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { businessIdCheckDigit } from '../members/business-id.ts';
import { SESSION_COOKIE } from '../staff/sessions.ts';

/** Helpers for the membership tests: catalogue rows, business IDs, a cookie-keeping console user. */

/**
 * An operator's catalogue service with its own channels. With `businessId` the service's
 * organisation has that business ID, so a member with it has its claim verified at once.
 */
export async function addService(db: Db, name: string, channels = 1, options: { businessId?: string } = {}): Promise<{ serviceId: string; channelIds: string[] }> {
  const serviceId = randomUUID();
  const organisations: { id: string; name: object; role: string }[] = [];
  if (options.businessId) {
    const id = randomUUID();
    await db.insertInto('organizations').values({ id, source: 'test', name: JSON.stringify({ fi: `${name} -organisaatio` }), business_code: options.businessId }).execute();
    organisations.push({ id, name: { fi: `${name} -organisaatio` }, role: 'Responsible' });
  }
  await sql`
    insert into services (id, source, area_type, nationwide, name, content_hash, sort_name, organizations)
    values (${serviceId}, 'test', 'Nationwide', true, ${JSON.stringify({ fi: name, en: name })}::jsonb, 'x', ${name.toLowerCase()}, ${JSON.stringify(organisations)}::jsonb)`.execute(db);
  const channelIds: string[] = [];
  for (let i = 0; i < channels; i++) {
    const id = randomUUID();
    await db
      .insertInto('service_channels')
      .values({ id, source: 'test', source_id: null, type: 'EChannel', organization_id: null, name: JSON.stringify({ fi: `${name} verkossa ${i}` }), summary: '{}', description: '{}', languages: [], municipalities: [], areas: '[]', web_pages: '[]', phones: '[]', emails: '[]', addresses: '[]', service_hours: '[]', area_type: null, publishing_status: null, modified: null, content_hash: 'x' })
      .execute();
    // Both sides assert the link, as PTV data does: the service must still list the channel once.
    for (const asserted_by of ['service', 'channel'] as const)
      await db.insertInto('service_channel_links').values({ service_id: serviceId, channel_id: id, asserted_by, channel_name: null, description: '{}' }).execute();
    channelIds.push(id);
  }
  return { serviceId, channelIds };
}

let serial = 1_000_000;
/** A fresh valid business ID each call. */
export function nextBusinessId(): string {
  for (;;) {
    const digits = String(serial++).padStart(7, '0');
    const check = businessIdCheckDigit(digits);
    if (check !== null) return `${digits}-${check}`;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** A console user's browser: keeps the session cookie and sends the CSRF header. */
export class ConsoleUser {
  cookie: string | undefined;
  constructor(
    readonly app: FastifyInstance,
    readonly remoteAddress = '127.0.0.1',
  ) {}

  async call(method: Method, url: string, payload?: unknown, options: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookie) headers.cookie = `${SESSION_COOKIE}=${this.cookie}`;
    if (options.csrf !== false && method !== 'GET') headers['x-aurora-csrf'] = '1';
    return this.app.inject({ method, url, headers, remoteAddress: this.remoteAddress, ...(payload !== undefined ? { payload: payload as object } : {}) });
  }

  async login(email: string, password: string, totp?: string) {
    const res = await this.call('POST', '/api/v1/console/session', { email, password, ...(totp ? { totp } : {}) });
    const set = res.cookies.find((c) => c.name === SESSION_COOKIE);
    if (res.statusCode === 200 && set) this.cookie = set.value;
    return res;
  }

  async loginOk(email: string, password: string, totp?: string) {
    const res = await this.login(email, password, totp);
    assert.equal(res.statusCode, 200, res.body);
    return this;
  }

  async json<T = any>(method: Method, url: string, payload?: unknown, status = method === 'POST' ? 201 : 200): Promise<T> {
    const res = await this.call(method, url, payload);
    assert.equal(res.statusCode, status, `${method} ${url} → ${res.statusCode} ${res.body.slice(0, 500)}`);
    return res.json() as T;
  }
}

/**
 * An organisation applies (with a fresh business ID), the network administrator approves it, and
 * its organisation administrator logs in. With `developer`, that administrator adds a developer,
 * who logs in too.
 */
export async function approvedMember(
  admin: ConsoleUser,
  input: { name: string; email: string; password: string; remoteAddress?: string; developer?: { email: string; name: string } },
): Promise<{ memberId: string; businessId: string; user: ConsoleUser; developer?: ConsoleUser }> {
  const businessId = nextBusinessId();
  const applied = await new ConsoleUser(admin.app).json('POST', '/api/v1/console/applications', {
    organisation_name: input.name,
    business_id: businessId,
    contact_name: `${input.name} yhteyshenkilö`,
    contact_email: input.email,
    admin_password: input.password,
  });
  const memberId = applied.member_id as string;
  await admin.json('POST', `/api/v1/console/members/${memberId}/approve`, {}, 200);
  const user = await new ConsoleUser(admin.app, input.remoteAddress).loginOk(input.email, input.password);
  if (!input.developer) return { memberId, businessId, user };
  await user.json('POST', `/api/v1/console/members/${memberId}/staff`, { ...input.developer, role: 'developer', password: input.password });
  const developer = await new ConsoleUser(admin.app, input.remoteAddress).loginOk(input.developer.email, input.password);
  return { memberId, businessId, user, developer };
}
