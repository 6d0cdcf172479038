import type { FastifyPluginAsync } from 'fastify';
import { auditRoutes } from '../audit/routes.ts';
import { consoleClientRoutes } from '../clients/routes.ts';
import { consoleOidcClientRoutes } from '../identity/routes.ts';
import { consoleEventRoutes } from '../events/endpoints/routes.ts';
import { consoleVoucherRoutes } from '../vouchers/routes.ts';
import { consoleVoucherProviderRoutes } from '../vouchers/orders/provider-routes.ts';
import { consoleVoucherPayerRoutes } from '../vouchers/settlement/payer-routes.ts';
import { consoleQuestionnaireRoutes } from '../questionnaires/routes.ts';
import { consoleChatbotRoutes } from '../chatbot/routes.ts';
import { consoleMemberRoutes } from '../members/routes.ts';
import { consoleTeachingRoutes } from '../recommender/routes.ts';
import { staffRoutes } from '../staff/routes.ts';
import { privacyRoutes } from '../statistics/privacy-routes.ts';
import { statisticsRoutes } from '../statistics/routes.ts';

/**
 * The provider console's API (`/api/v1/console/…`, cookie sessions) and members' statistics. The
 * console's 401s carry no `WWW-Authenticate: Basic` (the error handler adds one for API clients):
 * a browser would answer that with its own password dialog.
 */
export const consoleRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode === 401 && request.url.startsWith('/api/v1/console/')) reply.removeHeader('www-authenticate');
    return payload;
  });
  await app.register(staffRoutes);
  await app.register(consoleMemberRoutes);
  await app.register(consoleClientRoutes);
  await app.register(consoleOidcClientRoutes);
  await app.register(consoleEventRoutes);
  await app.register(consoleVoucherRoutes);
  await app.register(consoleVoucherProviderRoutes);
  await app.register(consoleVoucherPayerRoutes);
  await app.register(consoleQuestionnaireRoutes);
  await app.register(consoleChatbotRoutes);
  await app.register(consoleTeachingRoutes);
  await app.register(auditRoutes);
  await app.register(statisticsRoutes);
  await app.register(privacyRoutes);
};
