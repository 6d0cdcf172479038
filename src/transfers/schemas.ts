import Type from 'typebox';
import { Secret, Uuid } from '../http/schemas.ts';

/** The transfer API's request and answer schemas; the person API shows consent records too. */

export const Token = Secret('The one-time transfer token (32 random bytes, base64url)');
export const Key = Secret("The consent's secret key, handed to the person at deposit");

/** Who receives a transfer: a member organisation by its registered name, the network's operator, or the demo service. */
export const Receiver = Type.Object(
  {
    kind: Type.Union([Type.Literal('member'), Type.Literal('operator'), Type.Literal('demo')], {
      description: "'member': a member organisation of the network; 'operator': the network's operator itself; 'demo': the demo receiving service, not a real organisation",
    }),
    organisation: Type.Union([Type.String(), Type.Null()], { description: "The member's registered name (never a name its client chose); the operator's name when configured; null for the demo" }),
    business_id: Type.Union([Type.String(), Type.Null()], { description: "The member's Finnish business ID" }),
  },
  { description: 'Who receives the data' },
);

export const ConsentRecord = Type.Object(
  {
    id: Uuid,
    status: Type.Union([Type.Literal('given'), Type.Literal('used'), Type.Literal('expired'), Type.Literal('withdrawn')]),
    sender: Type.Union([Type.Literal('service'), Type.Literal('person')], { description: "'service' when a sending service deposited with the person's consent, 'person' when the person sent their own data" }),
    subject: Type.Union([Type.String(), Type.Null()]),
    recipient_channel_id: Uuid,
    receiver: Type.Union([Receiver, Type.Null()], { description: 'Who receives, as it was when the person consented; null for consents recorded before receivers were' }),
    attributes: Type.Array(Type.String(), { description: 'Names of the attributes transferred (never their values)' }),
    purpose: Type.String(),
    created_at: Type.String({ format: 'date-time' }),
    expires_at: Type.String({ format: 'date-time' }),
    used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    withdrawn_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    receipt: Type.String({ description: 'The signed consent receipt: a compact JWS (ES256) verifiable with /.well-known/jwks.json' }),
  },
  { description: 'A consent record (after ISO/IEC TS 27560)' },
);

/** What a redemption hands the receiving service, by token or by code. */
export const RedeemedTransfer = Type.Object({
  consent_id: Uuid,
  attributes: Type.Object({}, { additionalProperties: true }),
  purpose: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  receipt: Type.String(),
});


/** A sending service's deposit. */
export const DepositBody = Type.Object(
  {
    target_channel_id: Uuid,
    attributes: Type.Object({}, { additionalProperties: true, minProperties: 1, description: 'AuroraAI attributes (age, municipality_code, life_situation_meters, …)' }),
    purpose: Type.String({ minLength: 1, maxLength: 500 }),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A pseudonymous subject id' })),
    code: Type.Optional(Type.Boolean({ description: 'Also (or, with `link: false`, only) a short code XXXX-XXXX-XX and its QR code, for a ServiceLocation or Phone channel; the code waits days (AURORA_TRANSFER_CODE_TTL_SECONDS, default 3 days) while a link given with it works only for the transfer time to live (`link_expires_at`)' })),
    link: Type.Optional(Type.Boolean({ description: 'Whether to return the token and link (default true); false needs `code: true`' })),
    service_id: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          "The service the person is being sent to, one of those the target channel serves (a desk may serve many): the person's list then names it. A service the channel does not serve is 422 `channel-not-of-service` and nothing is stored",
      }),
    ),
  },
  { additionalProperties: false },
);

export const DepositAnswer = Type.Object({
  consent_id: Uuid,
  token: Type.Optional(Token),
  link: Type.Optional(Type.String({ format: 'uri' })),
  code: Type.Optional(Type.String({ pattern: '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$', description: 'The one-time code for a desk or phone service (Crockford base32, 50 bits)' })),
  code_qr_svg: Type.Optional(Type.String({ description: 'The code as a QR code (SVG)' })),
  receipt: Type.String(),
  expires_at: Type.String({ format: 'date-time' }),
  link_expires_at: Type.Optional(Type.String({ format: 'date-time', description: 'When the link stops working, given when that is before expires_at (a deposit with both a code and a link)' })),
  consent_key: Key,
});
