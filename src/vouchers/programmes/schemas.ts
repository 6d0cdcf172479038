import Type, { type Static } from 'typebox';
import { Plain } from '../../http/console-schemas.ts';
import { CoPaymentSchema } from './co-payment.ts';
import { EligibilitySchema } from './eligibility.ts';

/** The shapes of a programme as the console writes it and as the console and the public read it. Limits on counts and sizes are here, once. */
export const LIMITS = { programmesPerMember: 200, services: 200, serviceClasses: 50, providers: 100 } as const;

const Texts = (maxLength: number) =>
  Type.Object({ fi: Type.Optional(Plain(maxLength)), sv: Type.Optional(Plain(maxLength)), en: Type.Optional(Plain(maxLength)) }, { additionalProperties: false, description: 'fi, sv and en; all three are needed to open the programme' });
const DateText = Type.String({ format: 'date', description: 'yyyy-mm-dd' });
// Spelled out rather than mapped from UNITS: typebox gives a mapped union no static type.
export const UnitSchema = Type.Union([Type.Literal('visit'), Type.Literal('hour'), Type.Literal('day'), Type.Literal('session'), Type.Literal('voucher')]);
export const PeriodSchema = Type.Union([Type.Literal('programme'), Type.Literal('year'), Type.Literal('month')], { description: 'programme: over its whole life; year, month: per calendar year or month' });

export const FundsSchema = Type.Object(
  {
    services: Type.Array(Type.String({ format: 'uuid' }), { maxItems: LIMITS.services, uniqueItems: true, description: 'Catalogue services' }),
    service_classes: Type.Array(Type.String({ pattern: '^P[0-9]+(\\.[0-9]+)*$', maxLength: 20 }), { maxItems: LIMITS.serviceClasses, uniqueItems: true, description: 'PTV service classes (P6.10); a class includes its subclasses' }),
    providers: Type.Array(Type.String({ format: 'uuid' }), { maxItems: LIMITS.providers, uniqueItems: true, description: 'Approved providers: members whose services the programme pays for' }),
  },
  { additionalProperties: false, description: 'Services and classes say what is funded, providers who may provide it; with both, a service counts when it is one of them and a provider\'s' },
);

export const ProgrammeInputSchema = Type.Object(
  {
    name: Texts(200),
    description: Texts(2000),
    unit: UnitSchema,
    value_per_unit_cents: Type.Integer({ minimum: 1, maximum: 10_000_000, description: "The voucher's value per unit: the most the payer pays for one unit" }),
    units_per_voucher: Type.Integer({ minimum: 1, maximum: 1000 }),
    valid_from: Type.Union([DateText, Type.Null()]),
    valid_until: Type.Union([DateText, Type.Null()]),
    voucher_validity_days: Type.Integer({ minimum: 1, maximum: 3660, description: 'How long a voucher is valid from its issue' }),
    co_payment: CoPaymentSchema,
    budget_cap_cents: Type.Union([Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 }), Type.Null()], { description: 'The most the programme may commit in all; needed to open it' }),
    per_person_limit: Type.Object({ vouchers: Type.Integer({ minimum: 1, maximum: 100 }), period: PeriodSchema }, { additionalProperties: false }),
    eligibility: EligibilitySchema,
    funds: FundsSchema,
  },
  { additionalProperties: false },
);
export type ProgrammeInput = Static<typeof ProgrammeInputSchema>;

const LocalText = Type.Object({ fi: Type.Optional(Type.String()), sv: Type.Optional(Type.String()), en: Type.Optional(Type.String()) });
const Explained = Type.Object({ fi: Type.String(), sv: Type.String(), en: Type.String() });
export const StatusSchema = Type.Union([Type.Literal('draft'), Type.Literal('open'), Type.Literal('closed')]);

export const ProgrammeSchema = Type.Object({
  ...ProgrammeInputSchema.properties,
  name: LocalText,
  description: LocalText,
  id: Type.String(),
  member_id: Type.String(),
  status: StatusSchema,
  created_at: Type.String(),
  updated_at: Type.String(),
  opened_at: Type.Union([Type.String(), Type.Null()]),
  closed_at: Type.Union([Type.String(), Type.Null()]),
  eligibility_explained: Explained,
  co_payment_explained: Explained,
  funds_named: Type.Object({
    services: Type.Array(Type.Object({ id: Type.String(), name: LocalText })),
    service_classes: Type.Array(Type.Object({ code: Type.String(), name: LocalText })),
    providers: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  }, { description: 'What it funds, with names' }),
  open_blockers: Type.Array(Type.String(), { description: 'What keeps a draft from opening: names, descriptions, funds, budget-cap, validity, eligibility-questionnaire, eligibility-nobody' }),
});
export type Programme = Static<typeof ProgrammeSchema>;

const Named = Type.Object({ id: Type.String(), name: LocalText });
/** What a citizen may read of an open programme before logging in; never its budget. */
export const PublicProgrammeSchema = Type.Object({
  id: Type.String(),
  payer: Type.Object({ id: Type.String(), name: Type.String() }),
  name: LocalText,
  description: LocalText,
  unit: UnitSchema,
  value_per_unit_cents: Type.Integer(),
  units_per_voucher: Type.Integer(),
  valid_from: Type.Union([Type.String(), Type.Null()]),
  valid_until: Type.Union([Type.String(), Type.Null()]),
  voucher_validity_days: Type.Integer(),
  co_payment: CoPaymentSchema,
  co_payment_explained: Explained,
  eligibility: EligibilitySchema,
  eligibility_explained: Explained,
  per_person_limit: Type.Object({ vouchers: Type.Integer(), period: PeriodSchema }),
  funds: Type.Object({
    services: Type.Array(Named),
    service_classes: Type.Array(Type.Object({ code: Type.String(), name: LocalText })),
    providers: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  }),
});

export const WhereUsableSchema = Type.Object({
  services: Type.Array(
    Type.Object({
      id: Type.String(),
      name: LocalText,
      provider: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
      channels: Type.Array(Type.Object({ id: Type.String(), type: Type.String(), name: LocalText })),
    }),
  ),
  truncated: Type.Boolean({ description: 'More services match than are listed (at most 500)' }),
});
export type WhereUsable = Static<typeof WhereUsableSchema>;
