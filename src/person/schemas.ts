import { Profile } from '../profile/schemas.ts';
import Type from 'typebox';
import { Language, Secret, Uuid } from '../http/schemas.ts';
import { Meters } from '../recommender/schemas.ts';
import { ConsentRecord, Receiver } from '../transfers/schemas.ts';

/** The person API's request and answer schemas. */

export const Localized = Type.Object(
  { fi: Type.Optional(Type.String()), sv: Type.Optional(Type.String()), en: Type.Optional(Type.String()) },
  { description: 'A text in Finnish, Swedish and English, as far as the catalogue has it' },
);
export const AllLanguages = Type.Object({ fi: Type.String(), sv: Type.String(), en: Type.String() });
export const ConsentKey = Secret("The consent's secret key, as the sending service handed it to the person");

export const Recipient = Type.Object({
  service_id: Type.Union([Uuid, Type.Null()], {
    description:
      "The service the consent was given for (`service_id` of the transfer); for a consent made without one, the channel's service (the first by name when several). Null when the catalogue no longer has it",
  }),
  service_name: Localized,
  channel_id: Uuid,
  channel_name: Localized,
});
export const PersonConsent = Type.Object(
  {
    ...ConsentRecord.properties,
    origin: Type.Union([Type.Literal('made'), Type.Literal('claimed')], { description: "'made': the person's own transfer; 'claimed': a service's, added with its consent key" }),
    recipient: Recipient,
  },
  { description: 'A consent on the person’s list, with the names of its recipient' },
);
export const CheckSchema = Type.Object({ id: Uuid, taken_at: Type.String({ format: 'date-time' }), meters: Meters });
export const Erased = Type.Object({
  withdrawn: Type.Integer({ description: 'Consents that were still waiting and are now withdrawn (their values deleted)' }),
  consents_forgotten: Type.Integer({ description: 'Consents removed from your list' }),
  checks_deleted: Type.Integer(),
  profile_attributes_deleted: Type.Integer({ description: 'Attributes of your profile deleted, with the key that encrypted them' }),
  life_events_deleted: Type.Integer({ description: 'Life events of your account deleted (services already told keep what they received: ask them with "erase me everywhere")' }),
  event_consents_deleted: Type.Integer({ description: 'Your consents for services to hear of life events, deleted: nothing more is delivered' }),
  register_fact_requests_deleted: Type.Integer({ description: 'Services\' requests for your register facts, deleted: an approved fact not yet collected is never handed out' }),
  vouchers_returned: Type.Integer({ description: 'Your service vouchers ended: bookings not delivered cancelled, the unused value returned to the programmes\' budgets' }),
});

/** The attribute registry in words. */
export const AttributeTexts = Type.Object({
  attributes: Type.Array(Type.Object({ name: Type.String(), title: AllLanguages, description: AllLanguages, schema: Type.Object({}, { additionalProperties: true }) })),
});

/** The channels of a service that receive transfers now, and who receives on each. */
export const TransferTargets = Type.Object({
  targets: Type.Array(
    Type.Object({
      channel_id: Uuid,
      channel_type: Type.String({ description: "PTV channel type: 'EChannel', 'WebPage', 'ServiceLocation', 'Phone', …" }),
      channel_name: Localized,
      mode: Type.Union([Type.Literal('link'), Type.Literal('code')]),
      accepts: Type.Array(Type.String()),
      receiver: Receiver,
    }),
  ),
});

/** A person's own transfer. */
export const OwnTransferBody = Type.Object(
  {
    channel_id: Uuid,
    attributes: Type.Object({}, { additionalProperties: true, minProperties: 1, maxProperties: 20, description: 'Attribute values by name (see GET /api/v1/attributes)' }),
    purpose: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'In your words; by default a sentence in `language` naming the service (`service_id`) or else the channel' })),
    language: Type.Optional(Language),
    service_id: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'The service you are sending to, one of those the channel serves (a desk may serve many): your list then names it. A service the channel does not serve is 422 `channel-not-of-service` and nothing is stored',
      }),
    ),
  },
  { additionalProperties: false },
);

/** What a person's own transfer gives them: a link to open or a code to show. */
export const OwnTransferAnswer = Type.Object({
  consent_id: Uuid,
  consent_key: ConsentKey,
  status: Type.Literal('given'),
  expires_at: Type.String({ format: 'date-time' }),
  receipt: Type.String({ description: 'The signed consent receipt (compact JWS, ES256; /.well-known/jwks.json)' }),
  mode: Type.Union([Type.Literal('link'), Type.Literal('code')]),
  link: Type.Optional(Type.String({ format: 'uri', description: "The channel's landing URL with `aurora_token`" })),
  token: Type.Optional(Type.String()),
  code: Type.Optional(Type.String({ pattern: '^[0-9A-HJKMNP-TV-Z]{10}$', description: 'The code, ten characters of Crockford base32' })),
  code_display: Type.Optional(Type.String({ description: 'The code as shown to people: XXXX-XXXX-XX' })),
  qr_svg: Type.Optional(Type.String({ description: 'code_display as a QR code (SVG)' })),
});

/** Everything the network holds for a person. */
export const Export = Type.Object({
  profile: Profile,
  exported_at: Type.String({ format: 'date-time' }),
  language: Type.Union([Type.Literal('fi'), Type.Literal('sv'), Type.Literal('en')], { description: 'The language of about, as ?lang= asked (English when not).' }),
  about: Type.String(),
  consents: Type.Array(PersonConsent),
  consent_events: Type.Array(
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      event: Type.String(),
      consent_id: Type.Union([Uuid, Type.Null()]),
      actor: Type.Union([Type.Literal('person'), Type.Literal('service'), Type.Literal('system')]),
      reason: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  checks: Type.Array(CheckSchema),
  unreadable_checks: Type.Integer(),
  account: Type.Union(
    [
      Type.Object({
        life_events: Type.Array(Type.Unknown(), { description: 'As GET /api/v1/accounts/me/events gives them' }),
        event_consents: Type.Array(Type.Unknown(), { description: 'As GET /api/v1/accounts/me/event-consents gives them' }),
        register_fact_requests: Type.Array(Type.Unknown(), { description: 'As GET /api/v1/accounts/me/register-facts gives them' }),
        vouchers: Type.Array(Type.Unknown(), { description: 'As GET /api/v1/accounts/me/vouchers gives them, with their orders' }),
      }),
      Type.Null(),
    ],
    { description: 'What the network holds for the login this key is attached to (POST /api/v1/my/account); null when it is attached to none. Erasing the key erases it too.' },
  ),
});
