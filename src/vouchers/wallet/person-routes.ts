import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { audit } from '../../audit/audit.ts';
import { idempotent, keyedId } from '../../http/idempotency.ts';
import { notFound } from '../../http/problem.ts';
import { problems } from '../../http/schemas.ts';
import { accountTokenErrorHandler, requireAccountLogin } from '../../identity/accounts/account-token.ts';
import { sharedClaims } from '../../identity/accounts/accounts.ts';
import { issueVoucher } from './issue-voucher.ts';
import { moveOrder } from '../orders/move-order.ts';
import { BookingSchema, IdempotencyHeaders, IssuedVoucherSchema, MoveNoteSchema, MyOrderSchema, ProgrammeForPersonSchema, VoucherId, VoucherWhereUsableSchema, WalletVoucherSchema } from './person-schemas.ts';
import { placeOrder } from '../orders/place-order.ts';
import { programmesForPerson } from './programmes-for-person.ts';
import { showRedemptionCode } from './show-redemption-code.ts';
import { voucherWhereUsable } from './voucher-where-usable.ts';
import { wallet } from './wallet.ts';

const security = [{ accountToken: [] }];
const accountOf = (request: FastifyRequest) => request.account!.accountId;

/**
 * The person's vouchers, with the citizen app's access token: the programmes they can receive, a
 * voucher received, the wallet, where a voucher can be used and at what price, booking online,
 * cancelling, confirming or disputing a delivery, and a redemption code for a desk. Calls that move
 * money (receive, book, cancel) take an Idempotency-Key; their ids follow from it (keyedId).
 */
export const voucherPersonRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.setErrorHandler(accountTokenErrorHandler('aurora-account'));
  const onRequest = requireAccountLogin();
  const db = () => app.aurora.database.db;
  const money = idempotent({ callerOf: (request) => `account:${accountOf(request)}` });
  const orderParams = Type.Object({ id: VoucherId });

  app.get(
    '/api/v1/accounts/me/voucher-programmes',
    {
      onRequest,
      config: { noStore: true },
      schema: {
        tags: ['vouchers'],
        summary: 'The open voucher programmes, each with whether you can receive a voucher now and, if not, why in words and what to share to be checked',
        security,
        response: { 200: Type.Object({ programmes: Type.Array(ProgrammeForPersonSchema) }), ...problems(401, 403) },
      },
    },
    async (request) => {
      const programmes = await programmesForPerson(db(), accountOf(request), (await sharedClaims(db(), accountOf(request))) ?? {});
      // The public view of each (the response schema leaves the budget out): what it funds, named.
      return { programmes: programmes.map((p) => ({ ...p, programme: { ...p.programme, funds: p.programme.funds_named } })) };
    },
  );

  app.post(
    '/api/v1/accounts/me/vouchers',
    {
      onRequest,
      ...money,
      config: { noStore: true },
      schema: {
        tags: ['vouchers'],
        summary: 'Receive a voucher of an open programme (Idempotency-Key): 403 not eligible with what you share, 409 limit reached, budget spent or not issuing today',
        security,
        headers: IdempotencyHeaders,
        body: Type.Object({ programme_id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 201: IssuedVoucherSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const accountId = accountOf(request);
      const issued = await issueVoucher(db(), { programmeId: request.body.programme_id.toLowerCase(), accountId, claims: (await sharedClaims(db(), accountId)) ?? {}, issueId: keyedId(request, 'voucher-issue') });
      if (!issued.replayed) await audit(db(), { actor: 'person', action: 'voucher.issue', target: issued.id, details: { programme: issued.programmeId } });
      return reply.status(201).send({ id: issued.id, programme_id: issued.programmeId, units: issued.units, value_cents: issued.valueCents, valid_until: issued.validUntil.toISOString(), issued_at: issued.issuedAt.toISOString() });
    },
  );

  app.get(
    '/api/v1/accounts/me/vouchers',
    {
      onRequest,
      config: { noStore: true },
      schema: { tags: ['vouchers'], summary: 'Your wallet: your vouchers (newest first, at most 200), the value and units each has left, and their orders with their history', security, response: { 200: Type.Object({ vouchers: Type.Array(WalletVoucherSchema) }), ...problems(401, 403) } },
    },
    async (request) => ({ vouchers: await wallet(db(), accountOf(request)) }),
  );

  app.get(
    '/api/v1/accounts/me/vouchers/:id',
    { onRequest, config: { noStore: true }, schema: { tags: ['vouchers'], summary: 'One of your vouchers, with its orders', security, params: orderParams, response: { 200: WalletVoucherSchema, ...problems(400, 401, 403, 404) } } },
    async (request) => (await wallet(db(), accountOf(request), { voucherId: request.params.id.toLowerCase() }))[0]!,
  );

  app.get(
    '/api/v1/accounts/me/vouchers/:id/where-usable',
    {
      onRequest,
      config: { noStore: true },
      schema: {
        tags: ['vouchers'],
        summary: "Where your voucher can be used: services with their provider, the provider's price, what you would pay of each unit, and places with coordinates",
        security,
        params: orderParams,
        response: { 200: VoucherWhereUsableSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => voucherWhereUsable(db(), accountOf(request), request.params.id.toLowerCase()),
  );

  app.post(
    '/api/v1/accounts/me/vouchers/:id/orders',
    {
      onRequest,
      ...money,
      config: { noStore: true },
      schema: {
        tags: ['vouchers'],
        summary: 'Book units of a service at a provider with your voucher (Idempotency-Key); the provider then accepts or declines',
        description: '409 not enough units or value left, or the voucher has ended; 422 the programme does not pay for the service there, or it is not priced.',
        security,
        params: orderParams,
        headers: IdempotencyHeaders,
        body: BookingSchema,
        response: { 201: MyOrderSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const accountId = accountOf(request);
      const voucherId = request.params.id.toLowerCase();
      const { order, replayed } = await placeOrder(db(), {
        orderId: keyedId(request, 'voucher-order'),
        voucherId,
        accountId,
        providerMemberId: request.body.provider_id.toLowerCase(),
        serviceId: request.body.service_id.toLowerCase(),
        units: request.body.units,
        via: 'online',
        actor: { kind: 'person', id: accountId },
        wantedOn: request.body.wanted_on ?? null,
        note: request.body.note ?? null,
      });
      if (!replayed) await audit(db(), { actor: 'person', action: 'voucher.order', target: order.id, memberId: order.provider_member_id, details: { voucher: voucherId, units: order.units } });
      return reply.status(201).send(await myOrder(accountId, order.voucher_id, order.id));
    },
  );

  const myOrder = async (accountId: string, voucherId: string, orderId: string) => {
    const [voucher] = await wallet(db(), accountId, { voucherId });
    const order = voucher!.orders.find((o) => o.id === orderId);
    if (!order) throw notFound(`no order ${orderId}`);
    return order;
  };

  const move = (name: 'cancel' | 'confirm' | 'dispute', summary: string, takesKey: boolean) =>
    app.post(
      `/api/v1/accounts/me/voucher-orders/:id/${name}`,
      {
        onRequest,
        ...(takesKey ? money : {}),
        config: { noStore: true },
        schema: {
          tags: ['vouchers'],
          summary,
          description: '404 an order not of your vouchers; 409 an order whose state does not allow it (making the same move again answers the order as it is).',
          security,
          params: orderParams,
          ...(takesKey ? { headers: IdempotencyHeaders } : {}),
          body: MoveNoteSchema,
          response: { 200: MyOrderSchema, ...problems(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request) => {
        const accountId = accountOf(request);
        const moved = await moveOrder(db(), { orderId: request.params.id.toLowerCase(), move: name, scope: { kind: 'person', accountId }, actor: accountId, note: request.body?.note ?? null });
        await audit(db(), { actor: 'person', action: `voucher.order.${name}`, target: moved.id, memberId: moved.provider_member_id });
        return myOrder(accountId, moved.voucher_id, moved.id);
      },
    );
  move('cancel', 'Cancel a booking not yet delivered (Idempotency-Key): its reservation returns to your voucher', true);
  move('confirm', 'Confirm that the service was delivered', false);
  move('dispute', 'Report a problem with a delivery, with a note: the payer reviews it', false);

  app.post(
    '/api/v1/accounts/me/vouchers/:id/redemption-code',
    {
      onRequest,
      config: { noStore: true },
      schema: {
        tags: ['vouchers'],
        summary: "A short-lived code (and the QR code's content) to show at a provider's desk; a new one ends the voucher's earlier ones",
        description: 'The code is answered once and only its hash kept; it is valid for 10 minutes. 409 for a voucher that has ended; 429 past 20 codes a voucher an hour.',
        security,
        params: orderParams,
        response: { 201: Type.Object({ code: Type.String({ description: 'XXXX-XXXX' }), expires_at: Type.String() }), ...problems(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => reply.status(201).send(await showRedemptionCode(db(), accountOf(request), request.params.id.toLowerCase())),
  );
};
