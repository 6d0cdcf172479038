import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { CONTENT_SECURITY_POLICY, deskPage, pickLanguage } from './pages.ts';
import { receiveByCode, receiveByLink, type DemoPage } from './receive.ts';

/** The demo receiving service's pages: the landing page of a link, and the desk that reads a code. */

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
};
