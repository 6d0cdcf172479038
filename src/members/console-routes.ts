import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { SignalReceipt } from '../recommender/feedback.ts';
import { Meters } from '../recommender/schemas.ts';
import type { MeterValues } from '../recommender/meters.ts';
import { badRequest, forbidden } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { actorOf, requireStaff } from '../staff/authorise.ts';
import {
  AuditEntrySchema,
  ClientItemSchema,
  ClientSecretSchema,
  MemberDetailSchema,
  MemberItemSchema,
  MemberParams,
  MemberServiceSchema,
  MemberStatusSchema,
  OptionalReasonBody,
  Plain,
  ReasonBody,
  ScopeSchema,
  StaffListItem,
} from '../http/console-schemas.ts';
import { createMemberClient, listMemberClients, revokeClient, rotateClientSecret, setClientSuspended } from '../clients/member-clients.ts';
import { disableChannelTransfer, linkService, listMemberServices, setChannelTransfer, unlinkService } from './member-services.ts';
import { conflict, decide, getMemberWithHistory, listMembers, type Decision } from './members.ts';
import { listAudit, networkOverview } from './overview.ts';
import { StaffExistsError, insertStaff, listStaff } from '../staff/staff.ts';
import { teachAsMember } from '../recommender/teaching.ts';

const ClientParams = Type.Object({ id: Type.String({ format: 'uuid' }), client_id: Type.String({ pattern: '^aur_[A-Za-z0-9_-]{1,100}$' }) });
const security = [{ consoleSession: [] }];

/** The console's members, staff, services, transfers, clients, teaching, overview and audit log. */
export const consoleMemberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const admin = requireStaff({ roles: ['network_admin'] });

  app.get(
    '/api/v1/console/members',
    {
      preHandler: admin,
      schema: {
        tags: ['console'],
        summary: 'Members of the network (network administrator)',
        security,
        querystring: Type.Object({ status: Type.Optional(MemberStatusSchema) }, { additionalProperties: false }),
        response: { 200: Type.Object({ members: Type.Array(MemberItemSchema) }), ...problems(400, 401, 403) },
      },
    },
    async (request) => ({ members: await listMembers(db(), request.query.status) }),
  );

  app.get(
    '/api/v1/console/members/:id',
    {
      preHandler: requireStaff({ member: 'state' }),
      schema: {
        tags: ['console'],
        summary: 'A member, with the decisions on it (network administrator, or the member\'s own staff in any state)',
        security,
        params: MemberParams,
        response: { 200: MemberDetailSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => getMemberWithHistory(db(), request.params.id.toLowerCase()),
  );

  const decision = (name: Decision, reasonRequired: boolean, summary: string) =>
    app.post(
      `/api/v1/console/members/:id/${name}`,
      {
        preHandler: admin,
        schema: {
          tags: ['console'],
          summary,
          description: 'Recorded in the audit log with its reason. 409 when the member is not in the state the decision applies to.',
          security,
          params: MemberParams,
          ...(reasonRequired ? { body: ReasonBody } : { body: OptionalReasonBody }),
          response: { 200: MemberItemSchema, ...problems(400, 401, 403, 404, 409, 415) },
        },
      },
      async (request) => decide(db(), request.params.id.toLowerCase(), name, (request.body as { reason?: string } | null)?.reason, actorOf(request)),
    );
  decision('approve', false, 'Approve a pending application (network administrator)');
  decision('reject', true, 'Reject a pending application, with a reason (network administrator)');
  decision('suspend', true, "Suspend a member, with a reason: its clients are refused at once (network administrator)");
  decision('reinstate', false, 'Lift a suspension (network administrator)');

  const staffAdmin = requireStaff({ roles: ['network_admin', 'org_admin'], member: 'read' });
  app.get(
    '/api/v1/console/members/:id/staff',
    {
      preHandler: staffAdmin,
      schema: {
        tags: ['console'],
        summary: "The member's console users (its organisation administrators, or a network administrator)",
        security,
        params: MemberParams,
        response: { 200: Type.Object({ staff: Type.Array(StaffListItem) }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => ({ staff: await listStaff(db(), request.params.id.toLowerCase()) }),
  );
  app.post(
    '/api/v1/console/members/:id/staff',
    {
      preHandler: requireStaff({ roles: ['network_admin', 'org_admin'], member: 'write' }),
      schema: {
        tags: ['console'],
        summary: 'Add a console user to the member (organisation administrator or developer)',
        security,
        params: MemberParams,
        body: Type.Object(
          {
            email: Plain(254, { format: 'email' }),
            name: Plain(200),
            role: Type.Union([Type.Literal('org_admin'), Type.Literal('developer')]),
            password: Type.Optional(Type.String({ minLength: 12, maxLength: 1000, description: 'Without one, the user logs in only through OpenID Connect' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ staff: StaffListItem }), ...problems(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request, reply) => {
      const memberId = request.params.id.toLowerCase();
      let id: string;
      try {
        id = await db()
          .transaction()
          .execute((tx) => insertStaff(tx, { email: request.body.email, name: request.body.name, role: request.body.role, memberId, password: request.body.password ?? null }, actorOf(request)));
      } catch (error) {
        if (error instanceof StaffExistsError) throw conflict('staff-exists', 'The e-mail address is in use', error.message);
        if (error instanceof RangeError) throw badRequest(error.message);
        throw error;
      }
      const staff = (await listStaff(db(), memberId)).find((s) => s.id === id)!;
      return reply.status(201).send({ staff });
    },
  );

  const memberRead = requireStaff({ member: 'read' });
  const memberWrite = requireStaff({ member: 'write' });

  app.get(
    '/api/v1/console/members/:id/services',
    {
      preHandler: memberRead,
      schema: {
        tags: ['console'],
        summary: "The member's catalogue services and their channels, with transfer settings",
        security,
        params: MemberParams,
        response: { 200: Type.Object({ services: Type.Array(MemberServiceSchema) }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => ({ services: await listMemberServices(db(), request.params.id.toLowerCase()) }),
  );
  app.post(
    '/api/v1/console/members/:id/services',
    {
      preHandler: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'Link a catalogue service to the member (409 when another member holds it)',
        security,
        params: MemberParams,
        body: Type.Object({ service_id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: MemberServiceSchema, 201: MemberServiceSchema, ...problems(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request, reply) => {
      const { created, service } = await linkService(db(), request.params.id.toLowerCase(), request.body.service_id, actorOf(request));
      return reply.status(created ? 201 : 200).send(service);
    },
  );
  app.delete(
    '/api/v1/console/members/:id/services/:service_id',
    {
      preHandler: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'Unlink a service (its channels stop receiving transfers for the member)',
        security,
        params: Type.Object({ id: Type.String({ format: 'uuid' }), service_id: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await unlinkService(db(), request.params.id.toLowerCase(), request.params.service_id, actorOf(request));
      return reply.status(204).send(null);
    },
  );

  const ChannelParams = Type.Object({ id: Type.String({ format: 'uuid' }), channel_id: Type.String({ format: 'uuid' }) });
  app.put(
    '/api/v1/console/members/:id/channels/:channel_id/transfer',
    {
      preHandler: memberWrite,
      schema: {
        tags: ['console'],
        summary: "Let one of the member's channels receive session transfers",
        description:
          'People are sent to exactly landing_url (https; http only for localhost; no fragment) with the one-time token added as ?aurora_token=; accepts names the attributes it takes; client_id is the member\'s client (scope transfer:receive) that redeems.',
        security,
        params: ChannelParams,
        body: Type.Object(
          {
            landing_url: Plain(2000),
            accepts: Type.Array(Plain(100), { minItems: 1, maxItems: 100 }),
            client_id: Type.String({ pattern: '^aur_[A-Za-z0-9_-]{1,100}$' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ channel_id: Type.String(), landing_url: Type.String(), accepts: Type.Array(Type.String()), client_id: Type.String() }),
          ...problems(400, 401, 403, 404, 409, 415),
        },
      },
    },
    async (request) => setChannelTransfer(db(), request.params.id.toLowerCase(), request.params.channel_id, request.body, actorOf(request)),
  );
  app.delete(
    '/api/v1/console/members/:id/channels/:channel_id/transfer',
    {
      preHandler: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'Stop session transfers to the channel',
        security,
        params: ChannelParams,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await disableChannelTransfer(db(), request.params.id.toLowerCase(), request.params.channel_id, actorOf(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/console/members/:id/clients',
    {
      preHandler: memberRead,
      schema: {
        tags: ['console'],
        summary: "The member's API clients (never their secrets)",
        security,
        params: MemberParams,
        response: { 200: Type.Object({ clients: Type.Array(ClientItemSchema) }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => ({ clients: await listMemberClients(db(), request.params.id.toLowerCase()) }),
  );
  app.post(
    '/api/v1/console/members/:id/clients',
    {
      preHandler: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'Create an API client: its secret is shown only in this answer',
        security,
        params: MemberParams,
        body: Type.Object(
          {
            name: Plain(200),
            scopes: Type.Array(ScopeSchema, { maxItems: 10, uniqueItems: true }),
            rate_limit_per_minute: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Calls a minute (default 600)' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ ...ClientSecretSchema.properties, ...ClientItemSchema.properties }), ...problems(400, 401, 403, 404, 415) },
      },
    },
    async (request, reply) => {
      const created = await createMemberClient(db(), request.params.id.toLowerCase(), request.body, actorOf(request));
      reply.header('cache-control', 'no-store');
      return reply.status(201).send(created);
    },
  );
  app.post(
    '/api/v1/console/members/:id/clients/:client_id/rotate',
    {
      preHandler: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'A new secret for the client; the old one stops working at once',
        security,
        params: ClientParams,
        response: { 200: ClientSecretSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return rotateClientSecret(db(), request.params.id.toLowerCase(), request.params.client_id, actorOf(request));
    },
  );
  app.post(
    '/api/v1/console/members/:id/clients/:client_id/revoke',
    {
      preHandler: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'Revoke the client for good',
        security,
        params: ClientParams,
        response: { 200: ClientItemSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => revokeClient(db(), request.params.id.toLowerCase(), request.params.client_id, actorOf(request)),
  );
  for (const [action, suspended] of [
    ['suspend', true],
    ['reinstate', false],
  ] as const)
    app.post(
      `/api/v1/console/clients/:client_id/${action}`,
      {
        preHandler: admin,
        schema: {
          tags: ['console'],
          summary: suspended ? 'Suspend a client: every call it makes is refused at once (network administrator)' : 'Lift a client\'s suspension (network administrator)',
          security,
          params: Type.Object({ client_id: Type.String({ pattern: '^aur_[A-Za-z0-9_-]{1,100}$' }) }),
          body: OptionalReasonBody,
          response: { 200: ClientItemSchema, ...problems(400, 401, 403, 404, 415) },
        },
      },
      async (request) => setClientSuspended(db(), request.params.client_id, suspended, (request.body as { reason?: string } | null)?.reason, actorOf(request)),
    );

  app.post(
    '/api/v1/console/members/:id/teaching',
    {
      preHandler: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'Teach the recommender whether a service fits a life situation, as the member',
        description: 'The same signal as POST /api/v1/teaching, attributed to the member (one cap per member and service per 30 days).',
        security,
        params: MemberParams,
        body: Type.Object(
          {
            meters: Meters,
            municipality: Type.Optional(Type.String({ pattern: '^[0-9]{3}$' })),
            service_id: Type.String({ format: 'uuid' }),
            fits: Type.Boolean(),
            comment: Type.Optional(Type.String({ maxLength: 1000, pattern: '^[^\\u0000]*$' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: SignalReceipt, ...problems(400, 401, 403, 404, 415) },
      },
    },
    async (request, reply) => {
      const receipt = await teachAsMember(db(), app.aurora.learning, request.params.id.toLowerCase(), { ...request.body, meters: request.body.meters as MeterValues }, actorOf(request));
      return reply.status(201).send(receipt);
    },
  );

  app.get(
    '/api/v1/console/overview',
    {
      preHandler: admin,
      schema: {
        tags: ['console'],
        summary: "The whole network's counts: members by status, services, clients, use per week (network administrator)",
        security,
        response: {
          200: Type.Object({
            members: Type.Object({ pending: Type.Integer(), approved: Type.Integer(), rejected: Type.Integer(), suspended: Type.Integer() }),
            services: Type.Object({ catalogue: Type.Integer(), linked: Type.Integer() }),
            clients: Type.Object({ active: Type.Integer(), suspended: Type.Integer(), revoked: Type.Integer(), of_members: Type.Integer() }),
            staff: Type.Integer(),
            weeks: Type.Array(Type.Object({ week: Type.String({ description: 'Monday (UTC)' }), recommendations: Type.Integer(), transfers: Type.Integer() })),
          }),
          ...problems(401, 403),
        },
      },
    },
    async () => networkOverview(db()),
  );

  app.get(
    '/api/v1/console/audit',
    {
      preHandler: requireStaff({ roles: ['network_admin', 'org_admin'] }),
      schema: {
        tags: ['console'],
        summary: "The audit log, newest first (network administrator: all; organisation administrator: its member's rows)",
        security,
        querystring: Type.Object(
          { before: Type.Optional(Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 })), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ entries: Type.Array(AuditEntrySchema), next_before: Type.Union([Type.Integer(), Type.Null()]) }), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const staff = request.staff!;
      if (staff.role !== 'network_admin' && staff.member?.status !== 'approved') throw forbidden('the organisation is not an approved member');
      return listAudit(db(), { before: request.query.before, limit: request.query.limit, memberId: staff.role === 'network_admin' ? undefined : staff.memberId! });
    },
  );
};

