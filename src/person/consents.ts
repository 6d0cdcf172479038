import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { HttpProblem, notFound } from '../http/problem.ts';
import { audit } from '../audit/audit.ts';
import { recipients, type Recipient } from '../transfers/recipient-service.ts';
import { present, type ConsentRow, type ConsentService, type ConsentView } from '../transfers/transfers.ts';
import { lockPerson } from './person-key.ts';

/**
 * The person's list of consents: those they made, and those a service made with them that they
 * claimed with its consent key; withdrawal from the list.
 */

/** The longest list a person may have; claims beyond it are refused. */
export const PERSON_CONSENT_LIMIT = 1000;

export interface PersonConsent extends ConsentView {
  origin: 'made' | 'claimed';
  recipient: Recipient;
}

async function withRecipients(db: Db, rows: (ConsentRow & { origin: 'made' | 'claimed' })[]): Promise<PersonConsent[]> {
  const names = await recipients(db, rows);
  return rows.map((r, i) => ({ ...present(r), origin: r.origin, recipient: names[i]! }));
}

/** The person's consents, newest first. */
export async function listConsents(db: Db, person: string, only?: string): Promise<PersonConsent[]> {
  let query = db
    .selectFrom('person_consents as p')
    .innerJoin('consents as c', 'c.id', 'p.consent_id')
    .selectAll('c')
    .select('p.origin')
    .where('p.person', '=', person);
  if (only) query = query.where('c.id', '=', only);
  const rows = await query.orderBy('c.created_at', 'desc').orderBy('c.id').limit(PERSON_CONSENT_LIMIT).execute();
  return withRecipients(db, rows);
}

/**
 * Adds a consent a service made with the person to their list, on its consent key (404 when the
 * id and key do not belong together, as for a consent that does not exist).
 */
export async function claimConsent(db: Db, consent: ConsentService, person: string, id: string, key: string): Promise<PersonConsent> {
  const consentId = await consent.verifyKey(id, key);
  await db.transaction().execute(async (tx) => {
    await lockPerson(tx, person);
    const count = await tx.selectFrom('person_consents').select(sql<number>`count(*)::int`.as('n')).where('person', '=', person).executeTakeFirstOrThrow();
    const already = await tx.selectFrom('person_consents').select('consent_id').where('person', '=', person).where('consent_id', '=', consentId).executeTakeFirst();
    if (already) return;
    if (count.n >= PERSON_CONSENT_LIMIT)
      throw new HttpProblem(409, 'person-consent-limit', 'Conflict', `a list holds at most ${PERSON_CONSENT_LIMIT} consents`);
    await tx.insertInto('person_consents').values({ person, consent_id: consentId, origin: 'claimed' }).execute();
    await audit(tx, { actor: 'person', action: 'person.consent.claim', target: consentId });
  });
  return (await listConsents(db, person, consentId))[0]!;
}

/** Withdraws a consent on the person's list (404 when it is not on it; 409 when already used). */
export async function withdrawMine(db: Db, consent: ConsentService, person: string, id: string): Promise<PersonConsent> {
  const mine = await db.selectFrom('person_consents').select('consent_id').where('person', '=', person).where('consent_id', '=', id).executeTakeFirst();
  if (!mine) throw notFound('no consent with this id on your list');
  await consent.withdrawRecord(id);
  return (await listConsents(db, person, id))[0]!;
}
