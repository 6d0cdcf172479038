import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { CONTENT_SECURITY_POLICY, deskPage, pickLanguage } from './pages.ts';
import { receiveByCode, receiveByLink, type DemoPage } from './receive.ts';
import { DEMO_PROFILE_PATH, demoClient } from './login/demo-client.ts';
import { LOGIN_COOKIE, finishDemoLogin, openPendingLogin, startDemoLogin } from './login/login-flow.ts';
import { demoLoggedInPage, demoLoginFailedPage, demoServicePage } from './login/pages.ts';
import { answerGdprCall } from './login/profile-api.ts';
import { DEMO_EVENTS_PATH, heardEvents, receiveDemoEvent } from './login/demo-events.ts';

/**
 * The demo services' pages: the receiving service's landing page of a link and the desk that reads a
 * code; the demo service that logs people in with Aurora, its profile (GDPR) API and its webhook for
 * life events.
 */

function html(reply: FastifyReply, page: DemoPage) {
  if (page.retryAfterSeconds !== undefined) reply.header('retry-after', String(page.retryAfterSeconds));
  return reply
    .status(page.status)
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    // The landing URL carries the token: it must not leave in a Referer.
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex')
    .type('text/html; charset=utf-8')
    .send(page.html);
}

// Free text: pickLanguage settles on fi, sv or en, also from Accept-Language.
const PageLang = Type.Optional(Type.String({ maxLength: 35 }));

export const demoServiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  // Encapsulated in this plugin: the desk's form is the only form-encoded body the network reads.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get(
    '/demo/receiver',
    { schema: { hide: true, querystring: Type.Object({ aurora_token: Type.Optional(Type.String({ maxLength: 200 })), lang: PageLang }) } },
    async (request, reply) =>
      html(reply, await receiveByLink(db(), app.aurora.consent, pickLanguage(request.query.lang, request.headers['accept-language']), request.query.aurora_token, request.ip)),
  );

  app.get('/demo/desk', { schema: { hide: true, querystring: Type.Object({ lang: PageLang }) } }, async (request, reply) =>
    html(reply, { status: 200, html: deskPage(pickLanguage(request.query.lang, request.headers['accept-language'])) }),
  );

  app.post(
    '/demo/desk',
    { schema: { hide: true, body: Type.Object({ code: Type.String({ maxLength: 64 }), lang: PageLang }, { additionalProperties: false }) } },
    async (request, reply) => html(reply, await receiveByCode(db(), app.aurora.consent, pickLanguage(request.body.lang, request.headers['accept-language']), request.body.code, request.ip)),
  );

  // The demo service that logs in with Aurora: its pages, its redirect URI and its profile API.
  const base = () => new URL(app.aurora.identity.provider.issuer).origin;
  const loginCookie = { path: '/demo/service', httpOnly: true, sameSite: 'lax' as const };
  const client = async (request: { log: FastifyBaseLogger }) => {
    try {
      return await demoClient(app, base());
    } catch (error) {
      request.log.warn({ err: error }, 'the demo service could not reach the OpenID Provider');
      return undefined;
    }
  };

  app.get('/demo/service', { schema: { hide: true, querystring: Type.Object({ lang: PageLang }) } }, async (request, reply) =>
    html(reply, { status: 200, html: demoServicePage(pickLanguage(request.query.lang, request.headers['accept-language'])) }),
  );

  app.get('/demo/service/login', { schema: { hide: true, querystring: Type.Object({ lang: PageLang }) } }, async (request, reply) => {
    const lang = pickLanguage(request.query.lang, request.headers['accept-language']);
    const demo = await client(request);
    if (!demo) return html(reply, { status: 503, html: demoLoginFailedPage(lang, 'unavailable') });
    const { url, cookie } = await startDemoLogin(demo, app.aurora.consent.keyring, lang);
    reply.setCookie(LOGIN_COOKIE, cookie, { ...loginCookie, secure: base().startsWith('https:'), maxAge: 600 });
    return reply.header('cache-control', 'no-store').redirect(url, 303);
  });

  app.get(
    '/demo/service/callback',
    { schema: { hide: true, querystring: Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 2000 }), { maxProperties: 10 }) } },
    async (request, reply) => {
      const pending = openPendingLogin(app.aurora.consent.keyring, request.cookies[LOGIN_COOKIE]);
      const lang = pending?.lang ?? pickLanguage(undefined, request.headers['accept-language']);
      reply.clearCookie(LOGIN_COOKIE, loginCookie);
      const demo = await client(request);
      if (!demo) return html(reply, { status: 503, html: demoLoginFailedPage(lang, 'unavailable') });
      const outcome = await finishDemoLogin(app.aurora.database.db, demo, pending, new URLSearchParams(request.query as Record<string, string>));
      if (!outcome.ok) return html(reply, { status: outcome.reason === 'cancelled' ? 200 : 400, html: demoLoginFailedPage(lang, outcome.reason) });
      return html(reply, { status: 200, html: demoLoggedInPage(lang, { ...outcome, heard: await heardEvents(app.aurora.database.db, outcome.subject) }) });
    },
  );

  const gdpr = async (request: FastifyRequest, reply: FastifyReply, method: 'GET' | 'DELETE', subject: string, dryRun: boolean) => {
    const demo = await client(request);
    if (!demo) return reply.status(503).header('retry-after', '60').send({ reason: 'the demo service is not ready' });
    const answer = await answerGdprCall(app, demo.clientId, {
      method,
      url: `${base()}${request.url}`,
      subject,
      dryRun,
      authorization: request.headers.authorization,
    });
    reply.header('cache-control', 'no-store');
    if (answer.status === 401) reply.header('www-authenticate', 'Bearer error="invalid_token"');
    return 'body' in answer ? reply.status(answer.status).send(answer.body) : reply.status(answer.status).send();
  };
  const gdprSchema = {
    hide: true,
    params: Type.Object({ subject: Type.String({ minLength: 1, maxLength: 200 }) }),
    querystring: Type.Object({ dry_run: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) }),
  };
  app.get(`${DEMO_PROFILE_PATH}/:subject`, { schema: gdprSchema }, (request, reply) => gdpr(request, reply, 'GET', request.params.subject, false));
  app.delete(`${DEMO_PROFILE_PATH}/:subject`, { schema: gdprSchema }, (request, reply) => gdpr(request, reply, 'DELETE', request.params.subject, request.query.dry_run === 'true'));

  // The webhook: the signature is over the body exactly as sent, so this route alone reads it as a string.
  await app.register(async (plain) => {
    const hook = plain.withTypeProvider<TypeBoxTypeProvider>();
    hook.addContentTypeParser(['application/cloudevents+json', 'application/json'], { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));
    const header = Type.Optional(Type.String({ maxLength: 1000 }));
    hook.post(
      DEMO_EVENTS_PATH,
      { schema: { hide: true, headers: Type.Object({ 'webhook-id': header, 'webhook-timestamp': header, 'webhook-signature': header }), body: Type.String({ maxLength: 64 * 1024 }) } },
      async (request, reply) => {
        await receiveDemoEvent(app.aurora.database.db, app.aurora.consent.keyring, request.body, request.headers);
        return reply.status(204).header('cache-control', 'no-store').send();
      },
    );
  });
};
