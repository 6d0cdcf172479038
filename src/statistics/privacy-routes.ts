import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { badRequest } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { actorOf, requireStaff } from '../staff/authorise.ts';
import { MemberParams } from '../http/console-schemas.ts';
import { changePrivacyCap } from './change-privacy-cap.ts';
import { MAX_EPSILON_CAP_PER_WEEK, privacySettings } from './index.ts';

/**
 * A member's privacy settings for its statistics: the cap on what releases of one week may spend on
 * that week's people. Only a network administrator sets it (a provider would raise its own); the
 * member's staff see it, since it decides when their weeks become unavailable.
 */
const PrivacySettingsSchema = Type.Object(
  {
    epsilon_per_release: Type.Number({ description: 'What each release of a week spends on its people (AURORA_DP_EPSILON_PER_RELEASE)' }),
    epsilon_cap_per_week: Type.Number({ description: 'What releases of one week may spend in all, over changes of the member\'s services' }),
    default: Type.Boolean({ description: 'True: the network\'s default cap (AURORA_DP_EPSILON_CAP_PER_WEEK) applies' }),
  },
  { additionalProperties: false },
);

/**
 * One schema type, not a union: the server's ajv coerces types, and in a union 0 or false would be
 * coerced to null (the default) instead of being refused.
 */
const CapSchema = Type.Unsafe<number | null>({
  type: ['number', 'null'],
  exclusiveMinimum: 0,
  maximum: MAX_EPSILON_CAP_PER_WEEK,
  description: `Epsilon per week, above 0 and at most ${MAX_EPSILON_CAP_PER_WEEK}; null: the network's default`,
});

/** Refuses what ajv would coerce into a number ("2", true): a cap is given as a JSON number or null. */
async function strictCap(request: FastifyRequest) {
  const body = request.body as Record<string, unknown> | null | undefined;
  if (body && typeof body === 'object' && 'epsilon_cap_per_week' in body) {
    const cap = body.epsilon_cap_per_week;
    if (cap !== null && typeof cap !== 'number') throw badRequest('epsilon_cap_per_week is a number or null', [{ field: 'epsilon_cap_per_week', message: 'is not a number or null' }]);
  }
}

export const privacyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const security = [{ consoleSession: [] }];

  app.get(
    '/api/v1/console/members/:id/privacy',
    {
      onRequest: requireStaff({ member: 'read' }),
      schema: {
        tags: ['console'],
        summary: "The member's privacy budget for statistics (its staff, or a network administrator)",
        security,
        params: MemberParams,
        response: { 200: PrivacySettingsSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => privacySettings(db(), request.params.id.toLowerCase()),
  );

  app.put(
    '/api/v1/console/members/:id/privacy',
    {
      // Any member state: the cap can be set before a member is approved.
      onRequest: requireStaff({ roles: ['network_admin'], member: 'state' }),
      preValidation: strictCap,
      schema: {
        tags: ['console'],
        summary: "Set the member's privacy budget per week (network administrator)",
        description: `null goes back to the network's default. Lowering the cap below what a week has spent stops further releases of that week; nothing released is taken back. Recorded in the audit log.`,
        security,
        params: MemberParams,
        body: Type.Object({ epsilon_cap_per_week: CapSchema }, { additionalProperties: false }),
        response: { 200: PrivacySettingsSchema, ...problems(400, 401, 403, 404, 415) },
      },
    },
    async (request) => changePrivacyCap(db(), request.params.id.toLowerCase(), request.body.epsilon_cap_per_week, actorOf(request)),
  );
};
