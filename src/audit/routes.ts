import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { forbidden } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { requireStaff } from '../staff/authorise.ts';
import { AuditEntrySchema } from '../http/console-schemas.ts';
import { listAudit } from './audit.ts';

const security = [{ consoleSession: [] }];

/** The audit log for the console: all of it for a network administrator, its own member's rows for an organisation administrator. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  app.get(
    '/api/v1/console/audit',
    {
      onRequest: requireStaff({ roles: ['network_admin', 'org_admin'] }),
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
