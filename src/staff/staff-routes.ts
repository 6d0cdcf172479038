import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { badRequest, conflict } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { actorOf, requireStaff } from './authorise.ts';
import { MemberParams, Plain, StaffListItem } from '../http/console-schemas.ts';
import { StaffExistsError, insertStaff, listStaff } from './staff.ts';

const security = [{ consoleSession: [] }];

/** A member's console users: listed and added by its organisation administrators or a network administrator. */
export const consoleStaffRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
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
};
