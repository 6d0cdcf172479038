import Type from 'typebox';
import { Plain } from '../../http/console-schemas.ts';
import { PublicProgrammeSchema, UnitSchema } from '../programmes/schemas.ts';

/** The shapes of the person's voucher API (person-routes.ts). */
const Texts = Type.Object({ fi: Type.String(), sv: Type.String(), en: Type.String() });
const LocalText = Type.Object({ fi: Type.Optional(Type.String()), sv: Type.Optional(Type.String()), en: Type.Optional(Type.String()) });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
export const VoucherId = Type.String({ format: 'uuid' });
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({ minLength: 1, maxLength: 257, description: 'Your key for this call (1 to 255 visible ASCII characters); the same key when you retry gives the same answer' }),
});

export const ProgrammeForPersonSchema = Type.Object({
  programme: PublicProgrammeSchema,
  receivable: Type.Union([Type.Literal('can-receive'), Type.Literal('share-needed'), Type.Literal('not-eligible'), Type.Literal('limit-reached'), Type.Literal('budget-spent'), Type.Literal('not-issuing-now')], {
    description: 'Whether you can receive a voucher now; share-needed: a rule asks for a detail you have not shared (to_share)',
  }),
  to_share: Type.Array(Type.String(), { description: 'The details to share to be checked: municipality_code, age_band, adult' }),
  reason: Texts,
  issued_this_period: Type.Integer({ description: 'Vouchers you received in the per-person limit\'s current period' }),
});

export const IssuedVoucherSchema = Type.Object({ id: Type.String(), programme_id: Type.String(), units: Type.Integer(), value_cents: Type.Integer(), valid_until: Type.String(), issued_at: Type.String() });

const OrderStatus = Type.String({ description: 'requested, accepted, declined, cancelled, no_show, expired, delivered, confirmed, disputed, approved, refunded, settled' });
export const MyOrderSchema = Type.Object({
  id: Type.String(),
  status: OrderStatus,
  via: Type.String({ description: 'online: booked in the app; desk: redeemed with a code at the provider' }),
  service: Type.Object({ id: Type.String(), name: LocalText }),
  provider: Type.Object({ id: Type.String(), name: Type.String() }),
  units: Type.Integer(),
  delivered_units: Nullable(Type.Integer()),
  price_per_unit_cents: Type.Integer(),
  payer_per_unit_cents: Type.Integer(),
  co_payment_per_unit_cents: Type.Integer({ description: 'What you pay of each unit' }),
  wanted_on: Nullable(Type.String()),
  note: Nullable(Type.String()),
  created_at: Type.String(),
  delivered_at: Nullable(Type.String()),
  confirm_by: Nullable(Type.String({ description: 'Confirm or report a problem by then; after it the delivery is confirmed for you' })),
  moves: Type.Array(Type.String(), { description: 'What you may do now: cancel, confirm, dispute' }),
  events: Type.Array(Type.Object({ from_status: Nullable(Type.String()), to_status: Type.String(), by: Type.String(), note: Nullable(Type.String()), at: Type.String() }), { description: 'Its history, newest first' }),
});

export const WalletVoucherSchema = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('returned')]),
  programme: Type.Object({ id: Type.String(), name: LocalText, unit: UnitSchema, payer: Type.Object({ id: Type.String(), name: Type.String() }), value_per_unit_cents: Type.Integer(), co_payment_explained: Texts }),
  units: Type.Integer(),
  units_left: Type.Integer(),
  value_cents: Type.Integer(),
  value_left_cents: Type.Integer({ description: 'The value not spent or reserved by a booking' }),
  issued_at: Type.String(),
  valid_until: Type.String(),
  ended_at: Nullable(Type.String()),
  orders: Type.Array(MyOrderSchema, { description: 'Newest first' }),
});

const Place = Type.Object({ latitude: Type.Number(), longitude: Type.Number(), street: LocalText, postal_code: Nullable(Type.String()), post_office: LocalText });
export const VoucherWhereUsableSchema = Type.Object({
  unit: UnitSchema,
  value_per_unit_cents: Type.Integer(),
  co_payment_explained: Texts,
  services: Type.Array(
    Type.Object({
      id: Type.String(),
      name: LocalText,
      provider: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
      channels: Type.Array(Type.Object({ id: Type.String(), type: Type.String(), name: LocalText, places: Type.Array(Place) })),
      price_per_unit_cents: Nullable(Type.Integer({ description: "The provider's price of one unit; null: not priced yet, not bookable" })),
      payer_per_unit_cents: Nullable(Type.Integer()),
      person_per_unit_cents: Nullable(Type.Integer({ description: 'What you would pay of each unit' })),
    }),
    { description: 'Cheapest for you first' },
  ),
  truncated: Type.Boolean(),
});

export const BookingSchema = Type.Object(
  {
    provider_id: Type.String({ format: 'uuid' }),
    service_id: Type.String({ format: 'uuid' }),
    units: Type.Integer({ minimum: 1, maximum: 1000 }),
    wanted_on: Type.Optional(Nullable(Type.String({ format: 'date', description: 'The day you would like it, yyyy-mm-dd' }))),
    note: Type.Optional(Nullable(Plain(1000))),
  },
  { additionalProperties: false },
);

export const MoveNoteSchema = Type.Object({ note: Type.Optional(Nullable(Plain(1000))) }, { additionalProperties: false });
