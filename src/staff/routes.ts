import type { FastifyPluginAsync } from 'fastify';
import { consoleSessionRoutes } from './session-routes.ts';
import { consoleStaffRoutes } from './staff-routes.ts';

/** Console login, sessions and two-step verification; a member's console users. */
export const staffRoutes: FastifyPluginAsync = async (app) => {
  await app.register(consoleSessionRoutes);
  await app.register(consoleStaffRoutes);
};
