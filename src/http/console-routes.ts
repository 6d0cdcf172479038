import type { FastifyPluginAsync } from 'fastify';
import { consoleMemberRoutes } from '../members/console-routes.ts';
import { privacyRoutes } from '../statistics/privacy-routes.ts';
import { consoleSessionRoutes } from '../staff/routes.ts';
import { statisticsRoutes } from '../statistics/routes.ts';

/**
 * The membership and console API, and members' statistics. The console's 401s carry no
 * `WWW-Authenticate: Basic` (the error handler adds one for API clients): a browser would answer
 * that with its own password dialog.
 */
export const membershipRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 401 && request.url.startsWith('/api/v1/console/')) reply.removeHeader('www-authenticate');
    return payload;
  });
  await app.register(consoleSessionRoutes);
  await app.register(consoleMemberRoutes);
  await app.register(statisticsRoutes);
  await app.register(privacyRoutes);
};
