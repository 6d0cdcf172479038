import { randomUUID } from 'node:crypto';
import { CompactSign, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';
import type { LocalizedText } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import type { PayloadKeyring } from '../keys/keys.ts';
import { receiverName, type Receiver } from './receivers.ts';

/**
 * Consent receipts. The receipt-signing key (ECDSA P-256, ES256) is generated on first start; its
 * private JWK is kept encrypted under the current payload key. Every signing key's public half stays
 * published in the JWKS so that old receipts still verify.
 */

export interface ReceiptSigner {
  kid: string;
  privateKey: KeyLike | Uint8Array;
  /** Public JWKs of every signing key the network has had, newest first. */
  jwks: { keys: JWK[] };
  /** True when the signing key was generated now. */
  created: boolean;
}

/** The newest signing key whose private half the keyring can decrypt; a new one when there is none. */
export async function loadReceiptSigner(db: Db, keyring: PayloadKeyring): Promise<ReceiptSigner> {
  const rows = await db
    .selectFrom('consent_keys')
    .select(['id', 'material', 'public_jwk', 'wrapped_by', 'created_at'])
    .where('purpose', '=', 'signing')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const publicKeys = (list: typeof rows) => ({ keys: list.map((r) => r.public_jwk as unknown as JWK | null).filter((k): k is JWK => k !== null) });
  for (const row of rows) {
    if (!row.wrapped_by || !keyring.has(row.wrapped_by)) continue;
    const jwk = JSON.parse(keyring.open({ keyId: row.wrapped_by, data: row.material }, `signing-key:${row.id}`)) as JWK;
    return { kid: row.id, privateKey: await importJWK(jwk, 'ES256'), jwks: publicKeys(rows), created: false };
  }
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `aurora-${randomUUID()}`;
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const sealed = keyring.seal(JSON.stringify(await exportJWK(privateKey)), `signing-key:${kid}`);
  await db
    .insertInto('consent_keys')
    .values({ id: kid, purpose: 'signing', material: sealed.data, wrapped_by: sealed.keyId, public_jwk: JSON.stringify(publicJwk) })
    .execute();
  return { kid, privateKey, jwks: { keys: [publicJwk, ...publicKeys(rows).keys] }, created: true };
}

/** A compact JWS (ES256) over the receipt's JSON. */
export async function signReceipt(signer: ReceiptSigner, receipt: object): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(receipt)))
    .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: 'consent-receipt+jws', cty: 'application/json' })
    .sign(signer.privateKey);
}

export interface ReceiptInput {
  id: string;
  at: Date;
  expires: Date;
  /** The sending service, or 'person' when the person sent their own data. */
  sender: { name: string; clientId: string } | 'person';
  subject: string | null;
  channel: { id: string; name: LocalizedText };
  /** Who receives: the receipt names the organisation the person's data goes to. */
  receiver: Receiver;
  purpose: string;
  /** Attribute names, never values: the receipt outlives the payload. */
  attributes: string[];
}

/** After the Kantara Consent Receipt Specification 1.1 and ISO/IEC TS 27560's record fields. */
export function consentReceipt(input: ReceiptInput) {
  return {
    version: 'KI-CR-v1.1.0',
    jurisdiction: 'FI',
    consentTimestamp: Math.floor(input.at.getTime() / 1000),
    collectionMethod: input.sender === 'person' ? 'Aurora session transfer, sent by the person themself' : 'Aurora session transfer, given by the person at the sending service',
    consentReceiptID: input.id,
    piiPrincipalId: input.subject,
    piiControllers: input.sender === 'person' ? [{ piiController: 'person', onBehalf: false }] : [{ piiController: input.sender.name, clientId: input.sender.clientId }],
    services: [
      {
        service: input.channel.name.fi ?? input.channel.name.en ?? input.channel.name.sv ?? input.channel.id,
        channelId: input.channel.id,
        // The receiving organisation is a third party to the sender: Kantara's disclosure fields name
        // it; recipient adds what identifies it (the business ID) and what kind of receiver it is.
        recipient: { organisation: receiverName(input.receiver), businessId: input.receiver.business_id, kind: input.receiver.kind },
        purposes: [
          {
            purpose: input.purpose,
            consentType: 'EXPLICIT',
            piiCategory: input.attributes,
            primaryPurpose: true,
            termination: input.expires.toISOString(),
            thirdPartyDisclosure: true,
            thirdPartyName: receiverName(input.receiver),
          },
        ],
      },
    ],
    sensitive: false,
    expires: Math.floor(input.expires.getTime() / 1000),
  };
}
