import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { LocalizedText } from '../catalogue/model.ts';
import { setting, VARIABLES } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { ConsentStatus, ConsentTable } from '../db/schema.ts';
import { HttpProblem, badRequest, forbidden, notFound } from '../http/problem.ts';
import { checkChannelOfService } from './recipient-service.ts';
import { ATTRIBUTE_NAMES, isAttribute, validateAttributes } from './attributes.ts';
import { appendConsentAudit } from './audit-chain.ts';
import { loadPayloadKeyring, type PayloadKeyring } from '../keys/keys.ts';
import { consentReceipt, loadReceiptSigner, signReceipt, type ReceiptSigner } from './receipts.ts';
import { receiverColumns, receiverOf, receivingTargets, storedReceiver, type Receiver } from './receivers.ts';
import { loadSubjectKey } from '../person/person-key.ts';
import { purgeRateEvents } from '../rate-limits/attempts.ts';
import { recordTransferReceived } from '../statistics/hooks.ts';
import { audit } from '../audit/audit.ts';

/**
 * Consent and session transfer. With a person's consent, a sending service deposits attributes the
 * person gave it for one receiving channel; the person carries a one-time token to that channel's
 * landing URL; the channel's client redeems the token once. Each deposit is a consent record (after
 * ISO/IEC TS 27560 and the Kantara consent receipt) with a signed receipt; the person sees and can
 * withdraw it with a secret key handed to them at deposit.
 */

export const DEFAULT_TTL_SECONDS = VARIABLES.AURORA_TRANSFER_TTL_SECONDS.default;

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url');

/** Landing URLs are https, or http only on the local machine. */
export function checkLandingUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RangeError(`not a URL: ${value}`);
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) throw new RangeError('a landing URL is https (http only for localhost)');
  if (url.username || url.password) throw new RangeError('a landing URL carries no credentials');
  return url;
}

export interface TransferTargetInput {
  channelId: string;
  url: string;
  accepts: readonly string[];
  /** The public client_id (aur_…) of the API client allowed to redeem. */
  clientId: string;
}

/** Makes a catalogue channel a transfer target, or changes it: where people land, what it accepts, which client redeems. */
export async function enableTransfer(db: Db, input: TransferTargetInput, actor = 'operator') {
  const url = checkLandingUrl(input.url).toString();
  const accepts = [...new Set(input.accepts.map((a) => a.trim()).filter(Boolean))].sort();
  if (accepts.length === 0) throw new RangeError('a transfer target accepts at least one attribute');
  const unknown = accepts.filter((a) => !isAttribute(a));
  if (unknown.length) throw new RangeError(`unknown attributes: ${unknown.join(', ')} (known: ${ATTRIBUTE_NAMES.join(', ')})`);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.channelId)) throw new RangeError(`not a channel id: ${input.channelId}`);
  const channel = await db.selectFrom('service_channels').select('id').where('id', '=', input.channelId).executeTakeFirst();
  if (!channel) throw new RangeError(`no channel ${input.channelId} in the catalogue`);
  const client = await db.selectFrom('api_clients').select(['id', 'revoked_at']).where('client_id', '=', input.clientId).executeTakeFirst();
  if (!client || client.revoked_at) throw new RangeError(`no active API client ${input.clientId}`);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('transfer_targets')
      .values({ channel_id: channel.id, url, accepts, client_id: client.id })
      .onConflict((oc) => oc.column('channel_id').doUpdateSet({ url, accepts, client_id: client.id, updated_at: new Date() }))
      .returning(['channel_id', 'url', 'accepts', 'created_at', 'updated_at'])
      .executeTakeFirstOrThrow();
    await audit(tx, { actor, action: 'channel.enable-transfer', target: channel.id, details: { url, accepts, client_id: input.clientId } });
    return { channel_id: row.channel_id, url: row.url, accepts: row.accepts, client_id: input.clientId };
  });
}

export interface DepositInput {
  /** The sending service's API client; null when the person sends their own data (sender 'person'). */
  senderClientId: string | null;
  senderName: string;
  targetChannelId: string;
  attributes: Record<string, unknown>;
  purpose: string;
  subject?: string | undefined;
  /** How long this deposit waits for its redemption; the service's time to live when not given. */
  ttlSeconds?: number | undefined;
  /** How long the token (the link) works when that is shorter than the deposit; 0 for not at all (a code only). */
  tokenTtlSeconds?: number | undefined;
  /** The service, among those the channel serves, that the person is transferring to; 422 when the channel is not one of its. */
  recipientServiceId?: string | undefined;
  /** The subject of the person whose list the consent joins (their own deposit). */
  person?: string | undefined;
  /** Runs in the deposit's transaction once the record is written, e.g. to store a code with it. */
  within?: ((tx: Db, consentId: string) => Promise<void>) | undefined;
}

export interface Deposit {
  consent_id: string;
  token: string;
  link: string;
  receipt: string;
  expires_at: string;
  /** When the link stops working, when that is before expires_at. */
  link_expires_at?: string;
  consent_key: string;
}

export interface ConsentView {
  id: string;
  status: ConsentStatus;
  /** 'service' when a sending service deposited, 'person' when the person sent their own data. */
  sender: 'service' | 'person';
  subject: string | null;
  recipient_channel_id: string;
  /** Who receives, as it was at deposit (null for consents older than that record). */
  receiver: Receiver | null;
  attributes: string[];
  purpose: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  withdrawn_at: string | null;
  receipt: string;
}

export interface Redeemed {
  consent_id: string;
  attributes: Record<string, unknown>;
  purpose: string;
  subject: string | null;
  receipt: string;
}

/** The row a redemption's conditional UPDATE hands back: the payload as it was before it was taken. */
export interface ClaimedRow {
  id: string;
  payload: string | null;
  payload_key: string | null;
  subject: string | null;
  purpose: string;
  receipt: string;
}

/** Why a redemption got nothing: what the audit log records and what the caller is answered. */
export interface Refusal {
  consentId: string | null;
  reason: string;
  problem: HttpProblem;
}

export interface ConsentOptions {
  /** `id:base64key,…`; defaults to AURORA_PAYLOAD_KEYS. */
  payloadKeys?: string | undefined;
  /** Base64 of 32 bytes; defaults to AURORA_SUBJECT_KEY, else a key generated once into the database. */
  subjectKey?: string | undefined;
  /** How long a deposit waits for its redemption; defaults to AURORA_TRANSFER_TTL_SECONDS or 600. */
  ttlSeconds?: number | undefined;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** A payload that is not handed out: its key is not configured, or it does not decrypt. */
class UnreadablePayload extends Error {
  constructor(
    readonly consentId: string,
    readonly reason: 'payload-key-missing' | 'payload-unreadable',
    readonly problem: HttpProblem,
  ) {
    super(problem.detail);
  }
}

export class ConsentService {
  private constructor(
    private readonly db: Db,
    readonly keyring: PayloadKeyring,
    readonly signer: ReceiptSigner,
    readonly ttlSeconds: number,
    readonly subjectKey: Buffer,
    private readonly log: (level: 'info' | 'warn' | 'error', message: string) => void,
  ) {}

  static async open(db: Db, options: ConsentOptions = {}): Promise<ConsentService> {
    const log = options.log ?? (() => {});
    const { keyring, generated, created } = await loadPayloadKeyring(db, options.payloadKeys ?? setting('AURORA_PAYLOAD_KEYS'));
    if (generated)
      log('warn', `AURORA_PAYLOAD_KEYS is not set: attribute payloads are encrypted with a key ${created ? 'generated now and ' : ''}kept in the database (consent_keys); configure keys to keep them apart from the data`);
    const signer = await loadReceiptSigner(db, keyring);
    if (signer.created) log('info', `generated the consent receipt signing key ${signer.kid}`);
    const subject = await loadSubjectKey(db, options.subjectKey ?? setting('AURORA_SUBJECT_KEY'));
    if (subject.warning) log('warn', subject.warning);
    const ttl = options.ttlSeconds ?? setting('AURORA_TRANSFER_TTL_SECONDS');
    if (!Number.isFinite(ttl) || ttl <= 0) throw new RangeError('the transfer time to live is a positive number of seconds');
    return new ConsentService(db, keyring, signer, ttl, subject.key, log);
  }

  get jwks() {
    return this.signer.jwks;
  }

  async deposit(input: DepositInput): Promise<Deposit> {
    const channel = await this.db.selectFrom('service_channels').select(['id', 'name']).where('id', '=', input.targetChannelId).executeTakeFirst();
    if (!channel) throw notFound(`no channel ${input.targetChannelId}`);
    const receiving = await receivingTargets(this.db).select(['t.url', 't.accepts', 't.client_id', ...receiverColumns]).where('t.channel_id', '=', channel.id).executeTakeFirst();
    if (!receiving) throw badRequest(`the channel ${input.targetChannelId} does not receive transfers`, [{ field: 'target_channel_id', message: 'is not a transfer target' }]);
    const target = { ...receiving, id: channel.id, name: channel.name };
    const receiver = receiverOf(receiving);
    const names = Object.keys(input.attributes);
    const refused = names.filter((n) => !target.accepts!.includes(n));
    if (refused.length)
      throw badRequest(
        `the channel does not accept ${refused.join(', ')} (it accepts ${target.accepts.join(', ')})`,
        refused.map((n) => ({ field: `attributes.${n}`, message: 'is not accepted by the target channel' })),
      );
    if (input.recipientServiceId) await checkChannelOfService(this.db, target.id, input.recipientServiceId);
    const errors = validateAttributes(input.attributes);
    if (errors.length) throw badRequest('attribute values are not valid', errors);

    const sender = input.senderClientId ? 'service' : 'person';
    const id = randomUUID();
    const token = randomBytes(32).toString('base64url');
    const consentKey = randomBytes(32).toString('base64url');
    const now = new Date();
    const ttl = input.ttlSeconds ?? this.ttlSeconds;
    const expires = new Date(now.getTime() + ttl * 1000);
    const tokenExpires = input.tokenTtlSeconds !== undefined && input.tokenTtlSeconds < ttl ? new Date(now.getTime() + input.tokenTtlSeconds * 1000) : null;
    const attributes = [...names].sort();
    const receipt = consentReceipt({
      id,
      at: now,
      expires,
      sender: input.senderClientId ? { name: input.senderName, clientId: input.senderClientId } : 'person',
      subject: input.subject ?? null,
      channel: { id: target.id, name: target.name as unknown as LocalizedText },
      receiver,
      purpose: input.purpose,
      attributes,
    });
    const jws = await signReceipt(this.signer, receipt);
    const sealed = this.keyring.seal(JSON.stringify(input.attributes), id);
    // The record, its place on the person's list, a code and the audit event land together or not at all.
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('consents')
        .values({
          id,
          subject: input.subject ?? null,
          sender,
          sender_client_id: input.senderClientId,
          recipient_channel_id: target.id,
          recipient_client_id: target.client_id,
          recipient_service_id: input.recipientServiceId ?? null,
          recipient_kind: receiver.kind,
          recipient_organisation: receiver.organisation,
          recipient_business_id: receiver.business_id,
          attributes,
          purpose: input.purpose,
          created_at: now,
          expires_at: expires,
          token_expires_at: tokenExpires,
          token_hash: sha256(token),
          key_hash: sha256(consentKey),
          payload: sealed.data,
          payload_key: sealed.keyId,
          receipt: jws,
        })
        .execute();
      if (input.person) await tx.insertInto('person_consents').values({ person: input.person, consent_id: id, origin: 'made' }).execute();
      if (input.within) await input.within(tx, id);
      await appendConsentAudit(tx, { event: 'issue', consentId: id, actor: input.senderClientId ?? 'person' });
    });
    const link = new URL(target.url);
    link.searchParams.set('aurora_token', token);
    return {
      consent_id: id,
      token,
      link: link.toString(),
      receipt: jws,
      expires_at: expires.toISOString(),
      ...(tokenExpires ? { link_expires_at: tokenExpires.toISOString() } : {}),
      consent_key: consentKey,
    };
  }

  /**
   * The attributes behind a token, once. One conditional UPDATE takes the payload and marks the
   * consent used: of concurrent redemptions exactly one gets a row back. When none does, the
   * record tells why — without telling a client that is not the recipient anything about it.
   */
  async redeem(token: string, clientId: string): Promise<Redeemed> {
    const tokenHash = sha256(token);
    return this.redeemOnce(
      clientId,
      { redeemed: null, gone: 'gone' },
      async (tx) =>
        (
          await sql<ClaimedRow>`
            update consents c
               set status = 'used', used_at = now(), payload = null, payload_key = null
              from (select id, payload, payload_key from consents where token_hash = ${tokenHash} for update) old
             where c.id = old.id and c.status = 'given' and coalesce(c.token_expires_at, c.expires_at) > now() and c.recipient_client_id = ${clientId}
            returning c.id, old.payload, old.payload_key, c.subject, c.purpose, c.receipt`.execute(tx)
        ).rows[0],
      async (tx) => {
        const record = await tx.selectFrom('consents').select(['id', 'status', 'recipient_client_id']).where('token_hash', '=', tokenHash).executeTakeFirst();
        if (!record) return { consentId: null, reason: 'unknown', problem: notFound('no transfer for this token') };
        if (record.recipient_client_id !== clientId) return { consentId: record.id, reason: 'wrong-client', problem: forbidden('this client may not redeem this token') };
        // A given consent whose token no longer works has expired, or its link has while a code lives on.
        const status = record.status === 'given' ? 'expired' : record.status;
        const detail = status === 'used' ? 'the token has been used' : status === 'withdrawn' ? 'the person withdrew the consent' : 'the token has expired';
        return { consentId: record.id, reason: status, problem: new HttpProblem(410, `transfer-${status}`, 'Gone', detail) };
      },
    );
  }

  /**
   * One redemption as one transaction: `claim` takes the payload with a conditional UPDATE; when it
   * gets no row, `refuse` says why (and `hooks.refused` may record more, e.g. a failed guess, in the
   * same transaction that `hooks.before` began with, e.g. taking a lock). The audit event commits with the outcome. A payload that cannot
   * be read (its key is no longer configured, or it does not decrypt) is neither handed out nor
   * spent: the UPDATE is rolled back, the refusal audited, and the caller answered 503 or 500.
   */
  async redeemOnce(
    actor: string,
    reasons: { redeemed: string | null; gone: string },
    claim: (tx: Db) => Promise<ClaimedRow | undefined>,
    refuse: (tx: Db) => Promise<Refusal>,
    hooks: { before?: (tx: Db) => Promise<void>; refused?: (tx: Db, refusal: Refusal) => Promise<void> } = {},
  ): Promise<Redeemed> {
    let outcome: { redeemed: Redeemed } | { refusal: Refusal };
    try {
      outcome = await this.db.transaction().execute(async (tx) => {
        await hooks.before?.(tx);
        const row = await claim(tx);
        if (!row) {
          const refusal = await refuse(tx);
          await hooks.refused?.(tx, refusal);
          await appendConsentAudit(tx, { event: 'refuse', consentId: refusal.consentId, actor, reason: refusal.reason });
          return { refusal };
        }
        if (!row.payload || !row.payload_key) {
          await appendConsentAudit(tx, { event: 'refuse', consentId: row.id, actor, reason: reasons.gone });
          return { refusal: { consentId: row.id, reason: reasons.gone, problem: new HttpProblem(410, 'transfer-gone', 'Gone', 'the transfer holds no data any more') } };
        }
        const attributes = this.openPayload(row.id, row.payload_key, row.payload);
        await appendConsentAudit(tx, { event: 'redeem', consentId: row.id, actor, reason: reasons.redeemed });
        return { redeemed: { consent_id: row.id, attributes, purpose: row.purpose, subject: row.subject, receipt: row.receipt } };
      });
    } catch (error) {
      if (!(error instanceof UnreadablePayload)) throw error;
      await appendConsentAudit(this.db, { event: 'refuse', consentId: error.consentId, actor, reason: error.reason });
      throw error.problem;
    }
    if ('refusal' in outcome) throw outcome.refusal.problem;
    // For the receiving provider's statistics; the hook swallows and logs its own failures.
    await recordTransferReceived(this.db, outcome.redeemed.consent_id, { warn: (_detail, message) => this.log('warn', message) });
    return outcome.redeemed;
  }

  private openPayload(consentId: string, keyId: string, data: string): Record<string, unknown> {
    if (!this.keyring.has(keyId)) {
      this.log('error', `consent ${consentId}: its payload is encrypted under payload key ${keyId}, which is not configured; put it back into AURORA_PAYLOAD_KEYS to hand the transfer out`);
      throw new UnreadablePayload(
        consentId,
        'payload-key-missing',
        new HttpProblem(503, 'payload-key-missing', 'Service unavailable', 'The network cannot read this transfer now: the key it was encrypted with is not configured. The transfer is kept; try again once the operator has restored the key.'),
      );
    }
    try {
      return JSON.parse(this.keyring.open({ keyId, data }, consentId)) as Record<string, unknown>;
    } catch {
      this.log('error', `consent ${consentId}: its payload does not decrypt under key ${keyId} (changed or moved ciphertext); it was not handed out`);
      throw new UnreadablePayload(
        consentId,
        'payload-unreadable',
        new HttpProblem(500, 'payload-unreadable', 'Internal error', 'The transfer could not be decrypted and has not been handed out; the operator has been told.'),
      );
    }
  }

  private async withKey(id: string, key: string) {
    const row = await this.db.selectFrom('consents').selectAll().where('id', '=', id).executeTakeFirst();
    // An unknown id and a wrong key answer alike; the key is compared in constant time.
    const expected = Buffer.from(row?.key_hash ?? sha256(randomBytes(32).toString('base64url')));
    const given = Buffer.from(sha256(key));
    if (!row || expected.length !== given.length || !timingSafeEqual(expected, given)) throw notFound('no consent with this id and key');
    return row;
  }

  async view(id: string, key: string): Promise<ConsentView> {
    return present(await this.withKey(id, key));
  }

  /** The consent id behind an id and its key (404 when they do not belong together). */
  async verifyKey(id: string, key: string): Promise<string> {
    return (await this.withKey(id, key)).id;
  }

  /** Withdraws a consent not yet used: its payload is deleted. Withdrawing again changes nothing. */
  async withdraw(id: string, key: string): Promise<ConsentView> {
    return this.withdrawRecord((await this.withKey(id, key)).id);
  }

  /** Withdraws a consent the caller has already shown to be the person's (by key or by their list). */
  async withdrawRecord(id: string, reason: string | null = null, db: Db = this.db): Promise<ConsentView> {
    const write = async (tx: Db) => {
      const row = await tx
        .updateTable('consents')
        .set({ status: 'withdrawn', withdrawn_at: new Date(), payload: null, payload_key: null })
        .where('id', '=', id)
        .where('status', '=', 'given')
        .returningAll()
        .executeTakeFirst();
      if (row) await appendConsentAudit(tx, { event: 'withdraw', consentId: row.id, actor: 'person', reason });
      return row;
    };
    const updated = db.isTransaction ? await write(db) : await db.transaction().execute(write);
    if (updated) return present(updated);
    const now = await db.selectFrom('consents').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    if (now.status === 'withdrawn') return present(now);
    throw new HttpProblem(409, 'consent-not-withdrawable', 'Conflict', now.status === 'used' ? 'the attributes have already been handed over' : 'the consent has expired');
  }

  /** Deletes the payloads of expired transfers and marks them expired; returns how many. */
  async purge(): Promise<number> {
    return purgeExpired(this.db);
  }
}

/** Expired transfers lose their payload and become 'expired', with their audit events, in one transaction. */
export async function purgeExpired(db: Db): Promise<number> {
  const purged = await db.transaction().execute(async (tx) => {
    const result = await tx
      .updateTable('consents')
      .set({ status: sql`case when status = 'given' then 'expired' else status end`, payload: null, payload_key: null })
      .where('payload', 'is not', null)
      .where('expires_at', '<=', sql<Date>`now()`)
      .returning('id')
      .execute();
    await appendConsentAudit(tx, result.map((r) => ({ event: 'purge' as const, consentId: r.id, actor: 'system' })));
    return result.length;
  });
  await purgeRateEvents(db);
  return purged;
}

export type ConsentRow = Selectable<ConsentTable>;

export function present(row: ConsentRow): ConsentView {
  const expired = row.status === 'given' && row.expires_at.getTime() <= Date.now();
  return {
    id: row.id,
    status: expired ? 'expired' : row.status,
    sender: row.sender,
    subject: row.subject,
    recipient_channel_id: row.recipient_channel_id,
    receiver: storedReceiver(row),
    attributes: row.attributes,
    purpose: row.purpose,
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    used_at: row.used_at?.toISOString() ?? null,
    withdrawn_at: row.withdrawn_at?.toISOString() ?? null,
    receipt: row.receipt,
  };
}
