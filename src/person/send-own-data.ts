import QRCode from 'qrcode';
import { pickText, type Language, type LocalizedText } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem, notFound } from '../http/problem.ts';
import { releaseAttempts, reserveAttempts, type Bucket } from '../rate-limits/attempts.ts';
import { addressBucket } from '../rate-limits/per-address.ts';
import { validateAttributes } from '../transfers/attributes.ts';
import { depositWithCode } from '../transfers/codes.ts';
import { checkChannelOfService } from '../transfers/recipient-service.ts';
import { receivingTargets } from '../transfers/receivers.ts';
import type { ConsentService } from '../transfers/transfers.ts';
import { PERSON_TRANSFERS, PERSON_TRANSFERS_PER_PERSON, PERSON_TRANSFER_WINDOW_SECONDS } from './limits.ts';
import { modeOf, type TransferMode } from './transfer-targets.ts';

/**
 * A person sends their own attributes to one channel, by link or by code as the channel takes them.
 *
 * A person's own transfer carries no subject: the receiving service would otherwise get the same
 * pseudonym from every transfer and could link them. The person finds it through their list.
 */

const unprocessable = (kind: string, detail: string, errors: { field: string; message: string }[], extensions: Record<string, unknown> = {}) =>
  new HttpProblem(422, kind, 'The request cannot be carried out', detail, { errors, ...extensions });

const PURPOSE: Record<Language, (service: string) => string> = {
  fi: (service) => `Lähetän omat tietoni palveluun ${service}, jotta minun ei tarvitse kertoa niitä uudelleen.`,
  sv: (service) => `Jag skickar mina egna uppgifter till ${service} så att jag inte behöver berätta dem på nytt.`,
  en: (service) => `I send my own information to ${service} so that I do not have to tell it again.`,
};

/** The purpose a person's own transfer states when they write none, in their language. */
export const ownTransferPurpose = (language: Language, service: string) => PURPOSE[language](service);

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
export async function sendOwnData(db: Db, consent: ConsentService, person: string, address: string, input: PersonTransferInput): Promise<PersonTransferResult> {
  const channel = await db.selectFrom('service_channels').select(['id', 'type', 'name']).where('id', '=', input.channel_id).executeTakeFirst();
  if (!channel) throw notFound(`no channel ${input.channel_id}`);
  const receiving = await receivingTargets(db).select('t.accepts').where('t.channel_id', '=', channel.id).executeTakeFirst();
  const target = { ...channel, accepts: receiving?.accepts ?? null };
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
    addressBucket(PERSON_TRANSFERS, address),
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
    purpose: input.purpose ?? PURPOSE[language](pickText(name, [language]) ?? target.id),
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
