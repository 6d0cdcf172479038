import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ClientId, problems } from '../http/schemas.ts';
import { reserveAttempts, type Bucket } from '../rate-limits/attempts.ts';
import { actorOf, requireStaff } from '../staff/authorise.ts';
import { ClaimItemSchema, ClaimStateSchema, MemberDetailSchema, MemberItemSchema, MemberParams, MemberServiceSchema, MemberStatusSchema, OptionalReasonBody, Plain, ReasonBody, RequestedServicesSchema } from '../http/console-schemas.ts';
import { badRequest } from '../http/problem.ts';
import { approveClaim, listClaims, removeClaim } from './service-claims.ts';
import { disableChannelTransfer, linkService, listMemberServices, setChannelTransfer, unlinkService } from './member-services.ts';
import { applyForMembership, decide, getMemberWithHistory, listMembers, type Decision } from './members.ts';
import { networkOverview } from './overview.ts';
import { requestedServices } from './requested-services.ts';

const security = [{ consoleSession: [] }];

// Anyone may apply, and each application hashes a password and writes rows: an address gets 20 an hour.
const applicationsFrom = (ip: string): Bucket => ({ key: `apply-ip:${ip}`, limit: 20, windowSeconds: 3600 });

/** Members of the network: applications made and decided, a member's page, its catalogue services and their transfer settings; the network overview. */
export const consoleMemberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const admin = requireStaff({ roles: ['network_admin'] });
  const memberRead = requireStaff({ member: 'read' });
  const memberWrite = requireStaff({ member: 'write' });

  app.post(
    '/api/v1/console/applications',
    {
      schema: {
        tags: ['console'],
        summary: 'Apply for membership of the network (public)',
        description:
          'Creates the member organisation (pending) and its first organisation administrator, who logs in with contact_email and admin_password and sees only the pending state until a network administrator decides. The business ID is checked with its check digit. Applications are limited per IP (20 an hour).',
        body: Type.Object(
          {
            organisation_name: Plain(200),
            business_id: Type.String({ pattern: '^[0-9]{7}-[0-9]$', description: 'Finnish business ID, e.g. 0112038-9' }),
            contact_name: Plain(200),
            contact_email: Plain(254, { format: 'email' }),
            services: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100, description: 'Catalogue services the organisation offers' })),
            admin_password: Type.String({ minLength: 12, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ application_id: Type.String(), member_id: Type.String(), status: Type.Literal('pending') }),
          ...problems(400, 409, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      await reserveAttempts(db(), [applicationsFrom(request.ip)], (wait) => `too many applications from this address: try again in ${wait} s`);
      return reply.status(201).send(await applyForMembership(db(), request.body));
    },
  );

  app.get(
    '/api/v1/console/members',
    {
      onRequest: admin,
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
      onRequest: requireStaff({ member: 'state' }),
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

  app.get(
    '/api/v1/console/members/:id/requested-services',
    {
      onRequest: admin,
      schema: {
        tags: ['console'],
        summary: 'The services an application asked for, with what tells them apart and the business-ID match (network administrator)',
        description:
          "For deciding on an application: each service's municipalities, organisations (with their business IDs where the catalogue knows them) and service classes, whether an organisation has the applicant's business ID (the claim then verifies itself on approval), and whether another member holds it. Recorded in the audit log as a read.",
        security,
        params: MemberParams,
        response: { 200: RequestedServicesSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => requestedServices(db(), request.params.id.toLowerCase(), actorOf(request)),
  );

  const decision = (name: Decision, reasonRequired: boolean, summary: string) =>
    app.post(
      `/api/v1/console/members/:id/${name}`,
      {
        onRequest: admin,
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

  app.get(
    '/api/v1/console/members/:id/services',
    {
      onRequest: memberRead,
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
      onRequest: memberWrite,
      schema: {
        tags: ['console'],
        summary: 'Claim a catalogue service for the member (409 when another member holds it)',
        description:
          "The claim is verified at once when one of the service's organisations in the catalogue has the member's business ID, or when the member's client created the service; otherwise it waits for a network administrator (claim.status pending) and gives nothing until then: no catalogue writes, no transfers, no statistics.",
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
      onRequest: memberWrite,
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
      onRequest: memberWrite,
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
            client_id: ClientId,
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
      onRequest: memberWrite,
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

  const ClaimParams = Type.Object({ id: Type.String({ format: 'uuid' }), service_id: Type.String({ format: 'uuid' }) });
  app.get(
    '/api/v1/console/claims',
    {
      onRequest: admin,
      schema: {
        tags: ['console'],
        summary: "Members' claims on catalogue services (network administrator)",
        description:
          'pending (the default): claims waiting for approval, oldest first; verified: claims in effect, newest first. Each names the member with its business ID and the organisations the catalogue gives for the service, with theirs: what an administrator compares before approving.',
        security,
        querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('verified')])) }, { additionalProperties: false }),
        response: { 200: Type.Object({ claims: Type.Array(ClaimItemSchema) }), ...problems(400, 401, 403) },
      },
    },
    async (request) => ({ claims: await listClaims(db(), request.query.status ?? 'pending') }),
  );
  app.post(
    '/api/v1/console/members/:id/services/:service_id/approve',
    {
      onRequest: admin,
      schema: {
        tags: ['console'],
        summary: "Verify a member's waiting claim on a service (network administrator)",
        description:
          "From now on the service is the member's: it may write it, receive transfers on channels that serve only its services, and see its statistics. 409 when the claim is verified already or another member's claim on the service is.",
        security,
        params: ClaimParams,
        body: OptionalReasonBody,
        response: { 200: ClaimStateSchema, ...problems(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request) => approveClaim(db(), request.params.id.toLowerCase(), request.params.service_id, actorOf(request), (request.body as { reason?: string } | null)?.reason),
  );
  app.post(
    '/api/v1/console/members/:id/services/:service_id/reject',
    {
      onRequest: admin,
      schema: {
        tags: ['console'],
        summary: "Reject a member's claim on a service, or revoke a verified one, with a reason (network administrator)",
        description: "The claim is removed and the member's transfers on the service's channels stop.",
        security,
        params: ClaimParams,
        body: ReasonBody,
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 415) },
      },
    },
    async (request, reply) => {
      const reason = request.body.reason.trim();
      if (!reason) throw badRequest('a rejection needs a reason', [{ field: 'reason', message: 'is empty' }]);
      await removeClaim(db(), request.params.id.toLowerCase(), request.params.service_id, actorOf(request), { action: 'member.service.reject', reason });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/console/overview',
    {
      onRequest: admin,
      schema: {
        tags: ['console'],
        summary: "The whole network's counts: members by status, services, clients, use per week (network administrator)",
        security,
        response: {
          200: Type.Object({
            members: Type.Object({ pending: Type.Integer(), approved: Type.Integer(), rejected: Type.Integer(), suspended: Type.Integer() }),
            services: Type.Object({ catalogue: Type.Integer(), linked: Type.Integer({ description: 'Services with a verified claim' }), pending_claims: Type.Integer({ description: 'Claims waiting for a network administrator' }) }),
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
};
