import { sql } from 'kysely';
import QRCode from 'qrcode';
import type { Language, LocalizedText } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem, notFound } from '../http/problem.ts';
import { validateAttributes } from '../transfers/attributes.ts';
import { appendConsentAudit } from '../transfers/audit-chain.ts';
import { deleteAllChecks, listChecks } from './checks.ts';
import { CODE_CHANNEL_TYPES, depositWithCode } from '../transfers/codes.ts';
import { releaseAttempts, reserveAttempts, type Bucket } from '../rate-limits/attempts.ts';
import { checkChannelOfService, present, type ConsentRow, type ConsentService, type ConsentView } from '../transfers/transfers.ts';
import { audit } from '../audit/audit.ts';

/**
 * The person's side of consent: the transfer targets a service offers, a transfer the person makes
 * of their own data, their list of consents (made, or claimed with a consent key a service gave
 * them), withdrawal from that list, everything the network holds for them, and erasure. A person
 * is known only by their subject (see person-key.ts).
 *
 * A person's own transfer carries no subject: the receiving service would otherwise get the same
 * pseudonym from every transfer and could link them. The person finds it through their list.
 */

/** A person's own transfers: at most this many per person and per address in the window. */
export const PERSON_TRANSFERS_PER_PERSON = 20;
export const PERSON_TRANSFERS_PER_ADDRESS = 100;
export const PERSON_TRANSFER_WINDOW_SECONDS = 3600;
/** The longest list a person may have; claims beyond it are refused. */
export const PERSON_CONSENT_LIMIT = 1000;

export type TransferMode = 'link' | 'code';

export interface TransferTarget {
  channel_id: string;
  channel_type: string;
  channel_name: LocalizedText;
  mode: TransferMode;
  accepts: string[];
}

const modeOf = (channelType: string): TransferMode => (CODE_CHANNEL_TYPES.includes(channelType) ? 'code' : 'link');

/** The channels of a service that receive transfers; undefined when there is no such service. */
export async function transferTargets(db: Db, serviceId: string): Promise<TransferTarget[] | undefined> {
  const service = await db.selectFrom('services').select('id').where('id', '=', serviceId).executeTakeFirst();
  if (!service) return undefined;
  const rows = await db
    .selectFrom('service_channel_links as l')
    .innerJoin('service_channels as c', 'c.id', 'l.channel_id')
    .innerJoin('transfer_targets as t', 't.channel_id', 'c.id')
    .select(['c.id', 'c.type', 'c.name', 't.accepts'])
    // A channel linked from both the service's and the channel's side has two link rows: list it once.
    .distinct()
    .where('l.service_id', '=', serviceId)
    .orderBy('c.type')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({ channel_id: r.id, channel_type: r.type, channel_name: r.name, mode: modeOf(r.type), accepts: r.accepts }));
}

const unprocessable = (kind: string, detail: string, errors: { field: string; message: string }[], extensions: Record<string, unknown> = {}) =>
  new HttpProblem(422, kind, 'The request cannot be carried out', detail, { errors, ...extensions });

const PURPOSE: Record<Language, (service: string) => string> = {
  fi: (service) => `Lähetän omat tietoni palveluun ${service}, jotta minun ei tarvitse kertoa niitä uudelleen.`,
  sv: (service) => `Jag skickar mina egna uppgifter till ${service} så att jag inte behöver berätta dem på nytt.`,
  en: (service) => `I send my own information to ${service} so that I do not have to tell it again.`,
};

export interface PersonTransferInput {
  channel_id: string;
  attributes: Record<string, unknown>;
  purpose?: string | undefined;
  language?: Language | undefined;
  /** The service the person is transferring to, when the channel serves several. */
  service_id?: string | undefined;
}

export interface PersonTransferResult {
  consent_id: string;
  consent_key: string;
  status: 'given';
  expires_at: string;
  receipt: string;
  mode: TransferMode;
  link?: string;
  token?: string;
  code?: string;
  code_display?: string;
  qr_svg?: string;
}

/**
 * The person sends their own attributes to one channel. Refusals come before anything is stored:
 * 404 for an unknown channel, 422 for a channel that receives no transfers, attributes it does not
 * accept (named) or values that are not valid; 429 past the limits per person and per address.
 */
export async function personTransfer(db: Db, consent: ConsentService, person: string, address: string, input: PersonTransferInput): Promise<PersonTransferResult> {
  const target = await db
    .selectFrom('service_channels as c')
    .leftJoin('transfer_targets as t', 't.channel_id', 'c.id')
    .select(['c.id', 'c.type', 'c.name', 't.accepts'])
    .where('c.id', '=', input.channel_id)
    .executeTakeFirst();
  if (!target) throw notFound(`no channel ${input.channel_id}`);
  if (!target.accepts) throw unprocessable('not-a-transfer-target', 'this channel does not receive transfers', [{ field: 'channel_id', message: 'is not a transfer target' }]);
  const notAccepted = Object.keys(input.attributes).filter((n) => !target.accepts!.includes(n));
  if (notAccepted.length)
    throw unprocessable(
      'attributes-not-accepted',
      `the channel does not accept ${notAccepted.join(', ')} (it accepts ${target.accepts.join(', ')})`,
      notAccepted.map((n) => ({ field: `attributes.${n}`, message: 'is not accepted by this channel' })),
      { not_accepted: notAccepted, accepts: target.accepts },
    );
  const service = input.service_id ? await checkChannelOfService(db, target.id, input.service_id) : undefined;
  const errors = validateAttributes(input.attributes);
  if (errors.length) throw unprocessable('attributes-invalid', 'some values are not valid', errors);

  const buckets: Bucket[] = [
    { key: `transfer-person:${person}`, limit: PERSON_TRANSFERS_PER_PERSON, windowSeconds: PERSON_TRANSFER_WINDOW_SECONDS },
    { key: `transfer-address:${address}`, limit: PERSON_TRANSFERS_PER_ADDRESS, windowSeconds: PERSON_TRANSFER_WINDOW_SECONDS },
  ];
  const reserved = await reserveAttempts(db, buckets, (wait) => `too many transfers: try again in ${Math.ceil(wait / 60)} min`);
  const name = service?.name ?? (target.name as LocalizedText);
  const language = input.language ?? 'fi';
  const deposit = {
    senderClientId: null,
    senderName: 'person',
    targetChannelId: target.id,
    recipientServiceId: input.service_id,
    attributes: input.attributes,
    purpose: input.purpose ?? PURPOSE[language](name[language] ?? name.fi ?? name.sv ?? name.en ?? target.id),
    person,
  };
  const mode = modeOf(target.type);
  try {
    if (mode === 'code') {
      const d = await depositWithCode(db, consent, deposit, { link: false });
      const shown = d.code!;
      return {
        consent_id: d.consent_id,
        consent_key: d.consent_key,
        status: 'given',
        expires_at: d.expires_at,
        receipt: d.receipt,
        mode,
        code: shown.replaceAll('-', ''),
        code_display: shown,
        qr_svg: d.code_qr_svg ?? (await QRCode.toString(shown, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })),
      };
    }
    const d = await consent.deposit(deposit);
    return { consent_id: d.consent_id, consent_key: d.consent_key, status: 'given', expires_at: d.expires_at, receipt: d.receipt, mode, link: d.link, token: d.token };
  } catch (error) {
    // A deposit that did not happen does not count against the person.
    await releaseAttempts(db, reserved);
    throw error;
  }
}

export interface Recipient {
  service_id: string | null;
  service_name: LocalizedText;
  channel_id: string;
  channel_name: LocalizedText;
}

export interface PersonConsent extends ConsentView {
  origin: 'made' | 'claimed';
  recipient: Recipient;
}

type RecipientOf = Pick<ConsentRow, 'recipient_channel_id' | 'recipient_service_id'>;

/**
 * Names of each consent's recipient: its channel, and the service the sender named or, for a
 * consent without one, the first by name of the channel's services. A channel or named service
 * gone from the catalogue has no name (and a gone service no id).
 */
async function recipients(db: Db, rows: RecipientOf[]): Promise<Recipient[]> {
  if (rows.length === 0) return [];
  const channelIds = [...new Set(rows.map((r) => r.recipient_channel_id))];
  const named = [...new Set(rows.flatMap((r) => (r.recipient_service_id ? [r.recipient_service_id] : [])))];
  const unnamed = [...new Set(rows.filter((r) => !r.recipient_service_id).map((r) => r.recipient_channel_id))];
  const channels = await db.selectFrom('service_channels').select(['id', 'name']).where('id', 'in', channelIds).execute();
  const namedServices = named.length ? await db.selectFrom('services').select(['id', 'name']).where('id', 'in', named).execute() : [];
  const linked = unnamed.length
    ? await db
        .selectFrom('service_channel_links as l')
        .innerJoin('services as s', 's.id', 'l.service_id')
        .select(['l.channel_id', 's.id', 's.name'])
        .where('l.channel_id', 'in', unnamed)
        .orderBy('s.sort_name')
        .orderBy('s.id')
        .execute()
    : [];
  return rows.map((r) => {
    const channel = channels.find((c) => c.id === r.recipient_channel_id);
    const service = r.recipient_service_id ? namedServices.find((s) => s.id === r.recipient_service_id) : linked.find((s) => s.channel_id === r.recipient_channel_id);
    return { service_id: service?.id ?? null, service_name: service?.name ?? {}, channel_id: r.recipient_channel_id, channel_name: channel?.name ?? {} };
  });
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

async function lockPerson(tx: Db, person: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`aurora-person:${person}`}, 0))`.execute(tx);
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

type ActorKind = 'person' | 'service' | 'system';
const actorKind = (actor: string): ActorKind => (actor === 'person' ? 'person' : actor === 'system' ? 'system' : 'service');

/** Everything the network holds for the person: their consents with receipts and events, and saved checks. */
export async function exportAll(db: Db, consent: ConsentService, person: string) {
  const consents = await listConsents(db, person);
  const ids = consents.map((c) => c.id);
  const events = ids.length
    ? await db.selectFrom('consent_audit').select(['at', 'event', 'consent_id', 'actor', 'reason']).where('consent_id', 'in', ids).orderBy('seq').execute()
    : [];
  const checks = await listChecks(db, consent.keyring, person);
  await audit(db, { actor: 'person', action: 'person.export', details: { consents: consents.length, checks: checks.checks.length } });
  return {
    exported_at: new Date().toISOString(),
    about:
      'Everything the Aurora network holds for your person key: your consents with their signed receipts and what happened to them, and the checks you saved. The values you sent are not here: the network deletes them once they are handed over, withdrawn or expired.',
    consents,
    consent_events: events.map((e) => ({ at: new Date(e.at).toISOString(), event: e.event, consent_id: e.consent_id, actor: actorKind(e.actor), reason: e.reason })),
    checks: checks.checks,
    unreadable_checks: checks.unreadable,
  };
}

/**
 * Erases everything for the person: consents still waiting are withdrawn (their values deleted),
 * the list, the saved checks and the person's rate-limit entries are deleted. The consent records
 * stay (the receiving service's and the audit log's), no longer linked to the person.
 */
export async function erasePerson(db: Db, person: string) {
  return db.transaction().execute(async (tx) => {
    await lockPerson(tx, person);
    const waiting = await tx
      .updateTable('consents')
      .set({ status: 'withdrawn', withdrawn_at: new Date(), payload: null, payload_key: null })
      .where('status', '=', 'given')
      .where('id', 'in', (eb) => eb.selectFrom('person_consents').select('consent_id').where('person', '=', person))
      .returning('id')
      .execute();
    await appendConsentAudit(tx, waiting.map(({ id }) => ({ event: 'withdraw' as const, consentId: id, actor: 'person', reason: 'erase' })));
    const forgotten = await tx.deleteFrom('person_consents').where('person', '=', person).executeTakeFirst();
    const checks = await deleteAllChecks(tx, person);
    await tx.deleteFrom('consent_rate_events').where('bucket', '=', `transfer-person:${person}`).execute();
    const summary = { withdrawn: waiting.length, consents_forgotten: Number(forgotten.numDeletedRows), checks_deleted: checks };
    await audit(tx, { actor: 'person', action: 'person.erase', details: summary });
    return summary;
  });
}
