import Type from 'typebox';
import { NullableTimestamp, Timestamp } from '../../http/console-schemas.ts';

/** The payer's review and settlement, and the providers' statements, as the console API answers them. */
const Text = Type.Record(Type.String(), Type.String(), { description: '{fi, sv, en}' });
const Cents = (description: string) => Type.Integer({ description });
const Ref = Type.Object({ id: Type.String(), name: Type.String() });

export const BudgetOverviewSchema = Type.Object({
  programmes: Type.Array(
    Type.Object({
      programme_id: Type.String(),
      name: Text,
      status: Type.String(),
      cap_cents: Cents('What the opening funded the budget with'),
      issued_cents: Cents('Value moved onto vouchers'),
      returned_cents: Cents('Value that came back to the budget (vouchers that ended unspent, refunds after a voucher ended)'),
      reserved_cents: Cents("The payer's share of bookings not delivered yet"),
      payable_cents: Cents('Delivered and owed to providers, not settled nor refunded'),
      settled_cents: Cents('Paid out to providers by settlements'),
      left_cents: Cents('What can still be issued'),
    }),
  ),
});

const MoveSchema = Type.Union([Type.Literal('dispute'), Type.Literal('approve'), Type.Literal('refund')]);

export const ReviewQueueSchema = Type.Object({
  orders: Type.Array(
    Type.Object({
      id: Type.String(),
      status: Type.String(),
      programme: Type.Object({ id: Type.String(), name: Text, unit: Type.String() }),
      provider: Ref,
      service: Type.Object({ id: Type.String(), name: Text }),
      units: Type.Integer(),
      delivered_units: Type.Union([Type.Integer(), Type.Null()]),
      price_per_unit_cents: Type.Integer(),
      payer_per_unit_cents: Type.Integer(),
      co_payment_per_unit_cents: Type.Integer(),
      payer_cents: Cents("The payer's share of what was delivered"),
      delivered_at: NullableTimestamp,
      confirm_by: NullableTimestamp,
      moves: Type.Array(MoveSchema, { description: 'The review moves open to the payer now' }),
      history: Type.Array(Type.Object({ from: Type.Union([Type.String(), Type.Null()]), to: Type.String(), by: Type.String(), at: Timestamp, note: Type.Union([Type.String(), Type.Null()]) })),
    }),
  ),
  truncated: Type.Boolean({ description: 'More than 500 orders wait: the oldest are listed' }),
});

export const OrderAnswerSchema = Type.Object({ id: Type.String(), status: Type.String() });
export const ReasonSchema = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' }) }, { additionalProperties: false });

export const StatementSchema = Type.Object({
  settlement_id: Type.String(),
  settlement_number: Type.Integer(),
  through: Type.String({ format: 'date' }),
  settled_at: Timestamp,
  payer: Ref,
  provider: Ref,
  programme: Type.Object({ id: Type.String(), name: Text, unit: Type.String() }),
  total_cents: Type.Integer(),
  orders: Type.Integer(),
  end_to_end_id: Type.String({ description: "The payment's EndToEndId in the payment file, and the statement's reference" }),
  creditor: Type.Object({ name: Type.String(), iban: Type.String(), bic: Type.Union([Type.String(), Type.Null()]) }),
  transfer_id: Type.String({ description: 'The ledger transfer that paid the provider' }),
});

export const StatementDetailSchema = Type.Object({
  ...StatementSchema.properties,
  lines: Type.Array(
      Type.Object({
        order_id: Type.String(),
        service: Type.Object({ id: Type.String(), name: Text }),
        delivered_at: NullableTimestamp,
        units: Type.Integer(),
        delivered_units: Type.Integer(),
        price_per_unit_cents: Type.Integer(),
        payer_per_unit_cents: Type.Integer(),
        co_payment_per_unit_cents: Type.Integer(),
        amount_cents: Type.Integer(),
      }),
    ),
});

export const SettlementSchema = Type.Object({
  id: Type.String(),
  number: Type.Integer({ description: 'Numbered per payer from 1' }),
  through: Type.String({ format: 'date' }),
  total_cents: Type.Integer(),
  orders: Type.Integer(),
  message_id: Type.String({ description: "The payment file's GrpHdr/MsgId" }),
  created_at: Timestamp,
  created_by: Type.String(),
  statements: Type.Array(StatementSchema),
});

const LeftOutSchema = Type.Object({ provider_member_id: Type.String(), provider_name: Type.String(), orders: Type.Integer(), total_cents: Type.Integer() });

export const SettlementRunSchema = Type.Object({
  settlement: SettlementSchema,
  left_out: Type.Array(LeftOutSchema, { description: 'Providers without a bank account: their orders wait for a later run' }),
  truncated: Type.Boolean({ description: 'More orders were due than one run settles (5,000): run again' }),
});

export const SettlementInputSchema = Type.Object({ through: Type.String({ format: 'date', description: 'Settle orders delivered on or before this day (in Finland)' }) }, { additionalProperties: false });

export const ApproveManySchema = Type.Object({ order_ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 200, uniqueItems: true }) }, { additionalProperties: false });
export const ApproveManyAnswerSchema = Type.Object({
  results: Type.Array(Type.Object({ order_id: Type.String(), status: Type.Union([Type.String(), Type.Null()]), problem: Type.Union([Type.String(), Type.Null()], { description: "Why this one was not approved: the problem's kind (not-found, order-state, …)" }) })),
});
