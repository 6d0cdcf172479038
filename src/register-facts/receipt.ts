import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { signReceipt, type ReceiptSigner } from '../transfers/receipts.ts';
import { REGISTER_FACTS, type RegisterFactName } from './facts.ts';

/** The service a request came from, as the person and the receipt name it: the service and the member behind it. */
export async function serviceOf(db: Db, clientId: string): Promise<{ name: string; organisation: string | null; business_id: string | null }> {
  const row = await db
    .selectFrom('identity_oidc_models as c')
    .leftJoin('members as m', (join) => join.on(sql`m.id::text`, '=', sql`c.payload->>'aurora_member_id'`))
    .select(['c.payload', 'm.name', 'm.business_id'])
    .where('c.kind', '=', 'Client')
    .where('c.id', '=', clientId)
    .executeTakeFirst();
  return { name: String(row?.payload?.client_name ?? clientId), organisation: row?.name ?? null, business_id: row?.business_id ?? null };
}

export interface FactReceiptInput {
  id: string;
  at: Date;
  expires: Date;
  /** The person's pairwise subject for the service: what the service knows them by, nothing more. */
  subject: string;
  clientId: string;
  service: { name: string; organisation: string | null; business_id: string | null };
  fact: RegisterFactName;
  purpose: string;
}

/**
 * The signed consent receipt of an approval, in the shape of a session transfer's (Kantara Consent
 * Receipt 1.1 fields, signed with the same key, verifiable at /.well-known/jwks.json): who receives
 * which fact, from which register, for what, until when. The fact's value is never in it.
 */
export async function factReceipt(signer: ReceiptSigner, input: FactReceiptInput): Promise<string> {
  const fact = REGISTER_FACTS[input.fact];
  const receiver = input.service.organisation ?? input.service.name;
  return signReceipt(signer, {
    version: 'KI-CR-v1.1.0',
    jurisdiction: 'FI',
    consentTimestamp: Math.floor(input.at.getTime() / 1000),
    collectionMethod: 'Aurora register data transfer, approved by the person in the citizen app',
    consentReceiptID: input.id,
    piiPrincipalId: input.subject,
    piiControllers: [{ piiController: 'person', onBehalf: false }],
    services: [
      {
        service: input.service.name,
        clientId: input.clientId,
        recipient: { organisation: receiver, businessId: input.service.business_id },
        purposes: [
          {
            purpose: input.purpose,
            consentType: 'EXPLICIT',
            piiCategory: [input.fact],
            register: fact.register.en,
            primaryPurpose: true,
            termination: input.expires.toISOString(),
            thirdPartyDisclosure: true,
            thirdPartyName: receiver,
          },
        ],
      },
    ],
    sensitive: false,
    expires: Math.floor(input.expires.getTime() / 1000),
  });
}
