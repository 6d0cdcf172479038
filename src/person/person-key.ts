import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { HttpProblem } from '../http/problem.ts';
import { PERSON_KEY_PATTERN } from '../http/schemas.ts';

/**
 * A person has no account. Their browser makes a random person key (32 bytes, base64url: 43
 * characters) and sends it as `Authorization: Bearer <person key>`. The network never stores the
 * key: it knows the person as subject = HMAC-SHA256(subject key, person key), a pseudonym that a
 * copy of the database cannot turn back into the key. The subject key comes from
 * AURORA_SUBJECT_KEY (base64 of 32 bytes) or is generated once and kept in consent_keys. It must never
 * change: with another key every person's saved list would be out of reach.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** The person's subject (HMAC of their person key), set by requirePerson(). */
    person?: string;
  }
}

const PERSON_KEY = new RegExp(PERSON_KEY_PATTERN);
const SUBJECT_KEY_ID = 'subject-1';

/** Parses the subject key as configured: base64 of 32 bytes, or nothing. */
export function parseSubjectKey(value: string | undefined): Buffer | undefined {
  if (!value || !value.trim()) return undefined;
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== 32) throw new RangeError('AURORA_SUBJECT_KEY is the base64 of 32 random bytes (openssl rand -base64 32)');
  return key;
}

export interface SubjectKeyLoad {
  key: Buffer;
  /** Where the key came from. */
  source: 'config' | 'database';
  /** A warning for the operator, when there is something to warn about. */
  warning?: string;
}

export async function loadSubjectKey(db: Db, configured: string | undefined): Promise<SubjectKeyLoad> {
  const fromConfig = parseSubjectKey(configured);
  const stored = await db.selectFrom('consent_keys').select('material').where('id', '=', SUBJECT_KEY_ID).executeTakeFirst();
  if (fromConfig) {
    const differs = stored && !Buffer.from(stored.material, 'base64').equals(fromConfig);
    return {
      key: fromConfig,
      source: 'config',
      ...(differs ? { warning: 'AURORA_SUBJECT_KEY differs from the subject key this database generated earlier: persons who saved consents or checks before can no longer reach them' } : {}),
    };
  }
  if (stored) return { key: Buffer.from(stored.material, 'base64'), source: 'database' };
  await db
    .insertInto('consent_keys')
    .values({ id: SUBJECT_KEY_ID, purpose: 'subject', material: randomBytes(32).toString('base64'), public_jwk: null, wrapped_by: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.selectFrom('consent_keys').select('material').where('id', '=', SUBJECT_KEY_ID).executeTakeFirstOrThrow();
  return { key: Buffer.from(row.material, 'base64'), source: 'database' };
}

/** The subject of a person key (base64url of the HMAC). */
export function subjectOf(subjectKey: Buffer, personKey: string): string {
  return createHmac('sha256', subjectKey).update(`aurora-person:${personKey}`, 'utf8').digest('base64url');
}

/** A 401 that asks for the Bearer person key (routes of the person API answer it with WWW-Authenticate: Bearer). */
export class PersonKeyRequired extends HttpProblem {
  constructor(detail: string) {
    super(401, 'person-key-required', 'Person key required', detail);
  }
}

/** The person key of `Authorization: Bearer <key>`; undefined when absent or malformed. */
export function parsePersonKey(header: string | undefined): string | undefined {
  const m = /^Bearer +(\S+)$/i.exec(header?.trim() ?? '');
  return m && PERSON_KEY.test(m[1]!) ? m[1] : undefined;
}

/** A preHandler that admits a request carrying a well-formed person key, and sets request.person. */
export function requirePerson() {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (header === undefined) throw new PersonKeyRequired('send your person key: Authorization: Bearer <43 characters of base64url>');
    const key = parsePersonKey(header);
    if (!key) throw new PersonKeyRequired('the person key is malformed: Authorization: Bearer <43 characters of base64url>');
    request.person = subjectOf(request.server.aurora.consent.subjectKey, key);
  };
}

/** One lock per person, held to the end of the transaction: their list and their checks change one request at a time. */
export async function lockPerson(tx: Db, person: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`aurora-person:${person}`}, 0))`.execute(tx);
}
