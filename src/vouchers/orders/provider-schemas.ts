import Type from 'typebox';
import { Plain } from '../../http/console-schemas.ts';
import { CoPaymentSchema } from '../programmes/co-payment.ts';
import { UnitSchema } from '../programmes/schemas.ts';

/** The provider's side of vouchers over HTTP: bank account, prices, orders and the desk (provider-routes.ts). */

const LocalText = Type.Object({ fi: Type.Optional(Type.String()), sv: Type.Optional(Type.String()), en: Type.Optional(Type.String()) });
const Explained = Type.Object({ fi: Type.String(), sv: Type.String(), en: Type.String() });
const Cents = (description: string) => Type.Integer({ description });
const NullableCents = (description: string) => Type.Union([Type.Integer(), Type.Null()], { description });
const L = Type.Literal;
export const OrderStatusSchema = Type.Union([
  L('requested'), L('accepted'), L('declined'), L('cancelled'), L('no_show'), L('expired'), L('delivered'), L('confirmed'), L('disputed'), L('approved'), L('refunded'), L('settled'),
]);
const MoveSchema = Type.Union([L('accept'), L('decline'), L('cancel'), L('no_show'), L('expire'), L('deliver'), L('confirm'), L('dispute'), L('approve'), L('refund'), L('settle')]);

export const BankAccountInputSchema = Type.Object(
  {
    holder: Plain(70, { description: "The account holder's name, as the bank has it" }),
    iban: Type.String({ minLength: 15, maxLength: 50, pattern: '^[A-Za-z0-9 ]+$', description: 'IBAN, with or without spaces; kept upper case without them' }),
    bic: Type.Optional(Type.Union([Type.String({ maxLength: 14, pattern: '^[A-Za-z0-9 ]*$' }), Type.Null()], { description: 'BIC (SWIFT code), 8 or 11 characters; may be left out' })),
  },
  { additionalProperties: false },
);
export const BankAccountSchema = Type.Object({
  holder: Type.String(),
  iban: Type.String({ description: 'In its electronic form: no spaces, upper case' }),
  iban_grouped: Type.String({ description: 'Grouped by four, for people' }),
  bic: Type.Union([Type.String(), Type.Null()]),
  updated_at: Type.String(),
  updated_by: Type.String(),
});

export const PricedServiceSchema = Type.Object({
  service_id: Type.String(),
  name: LocalText,
  price_per_unit_cents: NullableCents('Your price per unit; null until you set one (until then it cannot be booked)'),
  payer_per_unit_cents: NullableCents("The payer's share of a unit at that price: at most the voucher's value"),
  person_per_unit_cents: NullableCents('What the person pays of a unit at that price: the co-payment and what the price exceeds the value by'),
});
export const ProvidedProgrammesSchema = Type.Object({
  programmes: Type.Array(
    Type.Object({
      programme: Type.Object({
        id: Type.String(),
        name: LocalText,
        payer: Type.Object({ id: Type.String(), name: Type.String() }),
        unit: UnitSchema,
        value_per_unit_cents: Cents("The voucher's value per unit: the most the payer pays for one"),
        co_payment: CoPaymentSchema,
        co_payment_explained: Explained,
        valid_until: Type.Union([Type.String(), Type.Null()]),
      }),
      services: Type.Array(PricedServiceSchema),
    }),
  ),
});
export const PriceInputSchema = Type.Object({ price_per_unit_cents: Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'Your price per unit, in cents' }) }, { additionalProperties: false });
export const PriceParams = Type.Object({ id: Type.String({ format: 'uuid' }), programme_id: Type.String({ format: 'uuid' }), service_id: Type.String({ format: 'uuid' }) });

export const ProviderOrderSchema = Type.Object({
  id: Type.String(),
  reference: Type.String({ description: 'The short form of the id that the person sees too (XXXX-XXXX)' }),
  status: OrderStatusSchema,
  via: Type.Union([Type.Literal('online'), Type.Literal('desk')]),
  programme: Type.Object({ id: Type.String(), name: LocalText, unit: UnitSchema }),
  service: Type.Object({ id: Type.String(), name: LocalText }),
  units: Type.Integer(),
  delivered_units: Type.Union([Type.Integer(), Type.Null()]),
  wanted_on: Type.Union([Type.String(), Type.Null()], { description: 'The day the person wished for' }),
  note: Type.Union([Type.String(), Type.Null()], { description: "The person's note with the booking" }),
  price_per_unit_cents: Type.Integer(),
  payer_per_unit_cents: Type.Integer(),
  person_per_unit_cents: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
  delivered_at: Type.Union([Type.String(), Type.Null()]),
  confirm_by: Type.Union([Type.String(), Type.Null()], { description: 'Until when the person may confirm or dispute the delivery' }),
  moves: Type.Array(MoveSchema, { description: 'What the provider may do with the order now' }),
  history: Type.Array(
    Type.Object({
      from: Type.Union([OrderStatusSchema, Type.Null()]),
      to: OrderStatusSchema,
      by: Type.Union([Type.Literal('person'), Type.Literal('provider'), Type.Literal('payer'), Type.Literal('system')]),
      at: Type.String(),
      note: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export const OrdersQuerySchema = Type.Object(
  {
    status: Type.Optional(OrderStatusSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 100 })),
  },
  { additionalProperties: false },
);
export const OrderParams = Type.Object({ id: Type.String({ format: 'uuid' }), order_id: Type.String({ format: 'uuid' }) });
export const MoneyMoveParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  order_id: Type.String({ format: 'uuid' }),
  move: Type.Union([Type.Literal('decline'), Type.Literal('cancel'), Type.Literal('no_show'), Type.Literal('deliver'), Type.Literal('refund')]),
});
export const MoveInputSchema = Type.Object(
  {
    delivered_units: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'deliver: fewer than booked for a partial delivery (all when left out)' })),
    note: Type.Optional(Plain(1000, { description: 'refund: the reason (needed); other moves: a note for the history' })),
  },
  { additionalProperties: false },
);

const Code = Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9 -]+$', description: 'The code the person shows (XXXX-XXXX), as typed or scanned' });
export const DeskLookupSchema = Type.Object({ code: Code }, { additionalProperties: false });
export const DeskRedeemSchema = Type.Object(
  {
    code: Code,
    service_id: Type.String({ format: 'uuid' }),
    units: Type.Integer({ minimum: 1, maximum: 10_000 }),
    note: Type.Optional(Plain(1000)),
  },
  { additionalProperties: false },
);
export const DeskVoucherSchema = Type.Object({
  programme: Type.Object({ id: Type.String(), name: LocalText, unit: UnitSchema, payer: Type.String(), co_payment_explained: Explained }),
  units: Type.Integer(),
  units_left: Type.Integer(),
  valid_until: Type.String(),
  code_expires_at: Type.String(),
  services: Type.Array(PricedServiceSchema, { description: "Your priced services the voucher pays for: what you can book" }),
});
