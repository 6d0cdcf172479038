import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { audit } from '../../audit/audit.ts';
import { MemberId } from '../../http/console-schemas.ts';
import { idempotent, keyedId } from '../../http/idempotency.ts';
import { problems } from '../../http/schemas.ts';
import { actorOf, requireStaff } from '../../staff/authorise.ts';
import { budgetOverview } from './budget-overview.ts';
import {
  ApproveManyAnswerSchema,
  ApproveManySchema,
  BudgetOverviewSchema,
  OrderAnswerSchema,
  ReasonSchema,
  ReviewQueueSchema,
  SettlementInputSchema,
  SettlementRunSchema,
  SettlementSchema,
  StatementDetailSchema,
  StatementSchema,
} from './payer-schemas.ts';
import { reviewQueue } from './review-queue.ts';
import { approveOrders, reviewOrder } from './review-order.ts';
import { runSettlement } from './run-settlement.ts';
import { listSettlements, paymentFileOf, providerStatements, readSettlement, readStatement } from './statements.ts';

const security = [{ consoleSession: [] }];
const tags = ['vouchers'];
const Uuid = Type.String({ format: 'uuid' });
const member = (params: { id: string }) => params.id.toLowerCase();
const idempotencyHeader = Type.Object({ 'idempotency-key': Type.String({ description: 'The same key when retrying: the run, the refund, is made once' }) });
// Keys are the staff user's: two users' keys never meet.
const money = idempotent({ callerOf: (request: FastifyRequest) => actorOf(request) });

/**
 * The payer's side of vouchers in the console (review and settlement), and the providers'
 * statements. Routes only: the use cases are in their own files.
 */
export const consoleVoucherPayerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const memberRead = requireStaff({ member: 'read' });
  const memberWrite = requireStaff({ member: 'write' });
  const base = '/api/v1/console/members/:id';
  const OrderParams = Type.Object({ id: MemberId, order_id: Uuid });
  const SettlementParams = Type.Object({ id: MemberId, settlement_id: Uuid });

  app.get(
    `${base}/voucher-budgets`,
    { onRequest: memberRead, schema: { tags, summary: "Where each of the payer's programme budgets stands, from the ledger: cap, issued, returned, reserved, payable, settled, left", security, params: Type.Object({ id: MemberId }), response: { 200: BudgetOverviewSchema, ...problems(400, 401, 403, 404) } } },
    async (request) => ({ programmes: await budgetOverview(db(), member(request.params)) }),
  );

  app.get(
    `${base}/voucher-review`,
    {
      onRequest: memberRead,
      schema: {
        tags,
        summary: "The payer's review queue (asiatarkastus): delivered, confirmed, disputed and approved orders not settled yet, with history (at most 500, oldest first)",
        security,
        params: Type.Object({ id: MemberId }),
        response: { 200: ReviewQueueSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const memberId = member(request.params);
      const queue = await reviewQueue(db(), memberId);
      await audit(db(), { actor: actorOf(request), action: 'voucher-review.read', target: memberId, memberId, details: { orders: queue.orders.length } });
      return queue;
    },
  );

  const orderAnswer = (order: { id: string; status: string }) => ({ id: order.id, status: order.status });
  app.post(
    `${base}/voucher-review/:order_id/approve`,
    { onRequest: memberWrite, schema: { tags, summary: 'Approve a confirmed or disputed order for settlement', security, params: OrderParams, response: { 200: OrderAnswerSchema, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => orderAnswer(await reviewOrder(db(), { payerMemberId: member(request.params), orderId: request.params.order_id.toLowerCase(), move: 'approve', actor: actorOf(request) })),
  );
  app.post(
    `${base}/voucher-review/:order_id/dispute`,
    {
      onRequest: memberWrite,
      schema: { tags, summary: 'Dispute a delivered or confirmed order, saying why', security, params: OrderParams, body: ReasonSchema, response: { 200: OrderAnswerSchema, ...problems(400, 401, 403, 404, 409, 415) } },
    },
    async (request) => orderAnswer(await reviewOrder(db(), { payerMemberId: member(request.params), orderId: request.params.order_id.toLowerCase(), move: 'dispute', actor: actorOf(request), reason: request.body.reason })),
  );
  app.post(
    `${base}/voucher-review/:order_id/refund`,
    {
      onRequest: memberWrite,
      ...money,
      schema: {
        tags,
        summary: "Refund a delivered, confirmed or disputed order: the payer's share goes back to the voucher (to the budget once the voucher has ended); needs an Idempotency-Key",
        security,
        params: OrderParams,
        headers: idempotencyHeader,
        body: ReasonSchema,
        response: { 200: OrderAnswerSchema, ...problems(400, 401, 403, 404, 409, 415, 422) },
      },
    },
    async (request) => orderAnswer(await reviewOrder(db(), { payerMemberId: member(request.params), orderId: request.params.order_id.toLowerCase(), move: 'refund', actor: actorOf(request), reason: request.body.reason })),
  );
  app.post(
    `${base}/voucher-review/approve`,
    {
      onRequest: memberWrite,
      schema: { tags, summary: 'Approve a selection of orders (at most 200), each one move; the answer says each one\'s outcome', security, params: Type.Object({ id: MemberId }), body: ApproveManySchema, response: { 200: ApproveManyAnswerSchema, ...problems(400, 401, 403, 404, 415) } },
    },
    async (request) => ({ results: await approveOrders(db(), { payerMemberId: member(request.params), orderIds: request.body.order_ids.map((o) => o.toLowerCase()), actor: actorOf(request) }) }),
  );

  app.post(
    `${base}/voucher-settlements`,
    {
      onRequest: memberWrite,
      ...money,
      schema: {
        tags,
        summary: 'Run a settlement: approved orders delivered on or before `through`, per provider and programme a statement, paid by one ledger transfer each, and the payment file; needs an Idempotency-Key',
        description:
          'All in one transaction. Providers without a bank account are left out (left_out) and their orders wait. 422 `payer-bank-account-missing` without the payer\'s own bank account, 422 `nothing-to-settle` when no order can be paid.',
        security,
        params: Type.Object({ id: MemberId }),
        headers: idempotencyHeader,
        body: SettlementInputSchema,
        response: { 201: SettlementRunSchema, ...problems(400, 401, 403, 404, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      const run = await runSettlement(db(), { settlementId: keyedId(request, 'voucher-settlement'), payerMemberId: member(request.params), through: request.body.through, actor: actorOf(request) });
      return reply.status(201).send(run);
    },
  );
  app.get(
    `${base}/voucher-settlements`,
    { onRequest: memberRead, schema: { tags, summary: "The payer's settlements with their statements, the newest first (at most 200)", security, params: Type.Object({ id: MemberId }), response: { 200: Type.Object({ settlements: Type.Array(SettlementSchema) }), ...problems(400, 401, 403, 404) } } },
    async (request) => ({ settlements: await listSettlements(db(), member(request.params)) }),
  );
  app.get(
    `${base}/voucher-settlements/:settlement_id`,
    { onRequest: memberRead, schema: { tags, summary: 'One of the payer\'s settlements with its statements', security, params: SettlementParams, response: { 200: SettlementSchema, ...problems(400, 401, 403, 404) } } },
    async (request) => readSettlement(db(), member(request.params), request.params.settlement_id.toLowerCase()),
  );
  app.get(
    `${base}/voucher-settlements/:settlement_id/statements/:provider_id/:programme_id`,
    {
      onRequest: memberRead,
      schema: { tags, summary: "One statement of the payer's settlement with its orders", security, params: Type.Object({ id: MemberId, settlement_id: Uuid, provider_id: Uuid, programme_id: Uuid }), response: { 200: StatementDetailSchema, ...problems(400, 401, 403, 404) } },
    },
    async (request) => {
      const memberId = member(request.params);
      const which = { settlementId: request.params.settlement_id.toLowerCase(), providerMemberId: request.params.provider_id.toLowerCase(), programmeId: request.params.programme_id.toLowerCase() };
      const statement = await readStatement(db(), { kind: 'payer', memberId }, which);
      await audit(db(), { actor: actorOf(request), action: 'voucher-statement.read', target: which.settlementId, memberId, details: { provider: which.providerMemberId, programme: which.programmeId } });
      return statement;
    },
  );
  app.get(
    `${base}/voucher-settlements/:settlement_id/payment-file`,
    {
      onRequest: memberRead,
      schema: {
        tags,
        summary: "The settlement's payment file: ISO 20022 pain.001.001.09 (SEPA credit transfers) as application/xml, for the payer's bank",
        security,
        params: SettlementParams,
        response: { 200: Type.String({ description: 'pain.001.001.09 XML' }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const memberId = member(request.params);
      const file = await paymentFileOf(db(), memberId, request.params.settlement_id.toLowerCase());
      await audit(db(), { actor: actorOf(request), action: 'voucher-settlement.payment-file', target: request.params.settlement_id.toLowerCase(), memberId });
      return reply.type('application/xml; charset=utf-8').header('content-disposition', `attachment; filename="aurora-settlement-${file.number}-pain001.xml"`).send(file.xml);
    },
  );

  app.get(
    `${base}/voucher-statements`,
    {
      onRequest: memberRead,
      schema: { tags, summary: "A provider's statements from every payer, the newest first (at most 200)", security, params: Type.Object({ id: MemberId }), response: { 200: Type.Object({ statements: Type.Array(StatementSchema) }), ...problems(400, 401, 403, 404) } },
    },
    async (request) => ({ statements: await providerStatements(db(), member(request.params)) }),
  );
  app.get(
    `${base}/voucher-statements/:settlement_id/:programme_id`,
    {
      onRequest: memberRead,
      schema: { tags, summary: "One of the provider's statements with its orders", security, params: Type.Object({ id: MemberId, settlement_id: Uuid, programme_id: Uuid }), response: { 200: StatementDetailSchema, ...problems(400, 401, 403, 404) } },
    },
    async (request) => {
      const memberId = member(request.params);
      const which = { settlementId: request.params.settlement_id.toLowerCase(), providerMemberId: memberId, programmeId: request.params.programme_id.toLowerCase() };
      const statement = await readStatement(db(), { kind: 'provider', memberId }, which);
      await audit(db(), { actor: actorOf(request), action: 'voucher-statement.read', target: which.settlementId, memberId, details: { provider: memberId, programme: which.programmeId } });
      return statement;
    },
  );
};
