import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { idempotent, keyedId } from '../../http/idempotency.ts';
import { MemberId } from '../../http/console-schemas.ts';
import { notFound } from '../../http/problem.ts';
import { problems } from '../../http/schemas.ts';
import { audit } from '../../audit/audit.ts';
import { actorOf, requireStaff } from '../../staff/authorise.ts';
import { readBankAccount, saveBankAccount } from './bank-account.ts';
import { lookUpCode, redeemAtDesk } from './desk-redemption.ts';
import { moveProviderOrder } from './move-provider-order.ts';
import { providedProgrammes } from './provided-programmes.ts';
import { providerOrders } from './provider-orders.ts';
import {
  BankAccountInputSchema,
  BankAccountSchema,
  DeskLookupSchema,
  DeskRedeemSchema,
  DeskVoucherSchema,
  MoneyMoveParams,
  MoveInputSchema,
  OrderParams,
  OrdersQuerySchema,
  PriceInputSchema,
  PriceParams,
  PricedServiceSchema,
  ProvidedProgrammesSchema,
  ProviderOrderSchema,
} from './provider-schemas.ts';
import { setPrice } from './set-price.ts';

const security = [{ consoleSession: [] }];
const idempotencyHeader = Type.Object({ 'idempotency-key': Type.String({ minLength: 1, maxLength: 257, description: 'The same key when you retry: the same answer, and the money moved once' }) });
const member = (params: { id: string }) => params.id.toLowerCase();
/** Idempotency-Keys are per staff user. */
const callerOf = (request: FastifyRequest) => `staff:${request.staff!.id}`;

/**
 * The provider's side of vouchers in the console (docs/vouchers.md, "Orders (the provider's side)"):
 * its bank account, its prices in the programmes it provides for, its orders and the desk where a
 * person's code is redeemed. Every call that moves money takes an Idempotency-Key.
 */
export const consoleVoucherProviderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const memberRead = requireStaff({ member: 'read' });
  const memberWrite = requireStaff({ member: 'write' });
  const adminWrite = requireStaff({ roles: ['network_admin', 'org_admin'], member: 'write' });
  const base = '/api/v1/console/members/:id';
  const MemberParams = Type.Object({ id: MemberId });

  app.get(
    `${base}/bank-account`,
    {
      onRequest: memberRead,
      schema: { tags: ['vouchers'], summary: "The member's bank account for voucher settlements (404 when none is set)", security, params: MemberParams, response: { 200: BankAccountSchema, ...problems(400, 401, 403, 404) } },
    },
    async (request) => {
      const memberId = member(request.params);
      const account = await readBankAccount(db(), memberId);
      if (!account) throw notFound('the member has set no bank account');
      await audit(db(), { actor: actorOf(request), action: 'voucher-bank-account.read', target: memberId, memberId });
      return account;
    },
  );
  app.put(
    `${base}/bank-account`,
    {
      onRequest: adminWrite,
      schema: {
        tags: ['vouchers'],
        summary: "Set the member's bank account: a provider is paid to it, a payer pays from it (the member's administrators only)",
        description: 'The IBAN is checked (length, form, check digits) and kept without spaces in upper case; 400 names what is wrong.',
        security,
        params: MemberParams,
        body: BankAccountInputSchema,
        response: { 200: BankAccountSchema, ...problems(400, 401, 403, 404, 415) },
      },
    },
    async (request) => saveBankAccount(db(), member(request.params), request.body, actorOf(request)),
  );

  app.get(
    `${base}/voucher-prices`,
    {
      onRequest: memberRead,
      schema: {
        tags: ['vouchers'],
        summary: 'The open programmes the member provides for, each with its funded services, its price, the voucher value and what a person would pay',
        security,
        params: MemberParams,
        response: { 200: ProvidedProgrammesSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => ({ programmes: await providedProgrammes(db(), member(request.params)) }),
  );
  app.put(
    `${base}/voucher-prices/:programme_id/:service_id`,
    {
      onRequest: memberWrite,
      schema: {
        tags: ['vouchers'],
        summary: "Set the member's price per unit for a service in an open programme (new bookings only); 422 when the programme does not fund it here",
        security,
        params: PriceParams,
        body: PriceInputSchema,
        response: { 200: PricedServiceSchema, ...problems(400, 401, 403, 404, 415, 422) },
      },
    },
    async (request) =>
      setPrice(db(), {
        memberId: member(request.params),
        programmeId: request.params.programme_id.toLowerCase(),
        serviceId: request.params.service_id.toLowerCase(),
        priceCents: request.body.price_per_unit_cents,
        actor: actorOf(request),
      }),
  );

  app.get(
    `${base}/voucher-orders`,
    {
      onRequest: memberRead,
      schema: {
        tags: ['vouchers'],
        summary: "The member's voucher orders, those waiting for it first (requested, accepted), each with its history and the moves open to it",
        security,
        params: MemberParams,
        querystring: OrdersQuerySchema,
        response: { 200: Type.Object({ orders: Type.Array(ProviderOrderSchema) }), ...problems(400, 401, 403, 404) },
      },
      config: { noStore: true },
    },
    async (request) => {
      const memberId = member(request.params);
      const list = await providerOrders(db(), memberId, { status: request.query.status, limit: request.query.limit ?? 100 });
      await audit(db(), { actor: actorOf(request), action: 'voucher-orders.read', target: memberId, memberId, details: { status: request.query.status ?? null, orders: list.length } });
      return { orders: list };
    },
  );
  app.post(
    `${base}/voucher-orders/:order_id/accept`,
    {
      onRequest: memberWrite,
      schema: { tags: ['vouchers'], summary: 'Accept a requested order (no money moves: the booking reserved it)', security, params: OrderParams, response: { 200: ProviderOrderSchema, ...problems(400, 401, 403, 404, 409) } },
    },
    async (request) => moveProviderOrder(db(), { memberId: member(request.params), orderId: request.params.order_id.toLowerCase(), move: 'accept', actor: actorOf(request) }),
  );
  app.post(
    `${base}/voucher-orders/:order_id/:move`,
    {
      onRequest: memberWrite,
      // No body is the same as an empty one: most moves need nothing said.
      preValidation: async (request) => {
        request.body ??= {};
      },
      ...idempotent({ callerOf }),
      schema: {
        tags: ['vouchers'],
        summary: 'Decline, cancel, record a no-show, deliver (all or fewer units) or refund (with its reason) an order; takes an Idempotency-Key',
        description: 'Which moves an order allows is in its `moves`; another state is 409, another member\'s order 404.',
        security,
        params: MoneyMoveParams,
        headers: idempotencyHeader,
        body: MoveInputSchema,
        response: { 200: ProviderOrderSchema, ...problems(400, 401, 403, 404, 409, 415, 422) },
      },
    },
    async (request) =>
      moveProviderOrder(db(), {
        memberId: member(request.params),
        orderId: request.params.order_id.toLowerCase(),
        move: request.params.move,
        actor: actorOf(request),
        deliveredUnits: request.body.delivered_units,
        note: request.body.note,
      }),
  );

  app.post(
    `${base}/voucher-desk/look-up`,
    {
      onRequest: memberWrite,
      schema: {
        tags: ['vouchers'],
        summary: "The voucher behind a code a person shows at the desk: its programme, units left, validity, and the member's services it can book",
        description: 'An unknown, used or expired code is 404, a voucher the member cannot take 422; wrong codes are limited per address and per member (429).',
        security,
        params: MemberParams,
        body: DeskLookupSchema,
        response: { 200: DeskVoucherSchema, ...problems(400, 401, 403, 404, 415, 422, 429) },
      },
      config: { noStore: true },
    },
    async (request) => lookUpCode(db(), { memberId: member(request.params), code: request.body.code, ip: request.ip, actor: actorOf(request) }),
  );
  app.post(
    `${base}/voucher-desk/redeem`,
    {
      onRequest: memberWrite,
      ...idempotent({ callerOf }),
      schema: {
        tags: ['vouchers'],
        summary: "Book units of one of the member's priced services on the voucher whose code the person shows: an accepted order, the code used; takes an Idempotency-Key",
        security,
        params: MemberParams,
        headers: idempotencyHeader,
        body: DeskRedeemSchema,
        response: { 201: ProviderOrderSchema, ...problems(400, 401, 403, 404, 409, 415, 422, 429) },
      },
      config: { noStore: true },
    },
    async (request, reply) => {
      const { order } = await redeemAtDesk(db(), {
        memberId: member(request.params),
        code: request.body.code,
        ip: request.ip,
        actor: actorOf(request),
        orderId: keyedId(request, 'desk-order'),
        serviceId: request.body.service_id.toLowerCase(),
        units: request.body.units,
        note: request.body.note,
      });
      return reply.status(201).send(order);
    },
  );
};
