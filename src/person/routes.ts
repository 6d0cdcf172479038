import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import Type from 'typebox';
import { HttpProblem, errorHandler, sendProblem } from '../http/problem.ts';
import { Lang, PERSON_KEY_PATTERN, Uuid, problems } from '../http/schemas.ts';
import { limitAnonymous } from '../rate-limits/per-address.ts';
import { Meters } from '../recommender/schemas.ts';
import { describedAttributes } from '../transfers/attribute-texts.ts';
import { deleteCheck, listChecks, saveCheckFrom } from './checks.ts';
import { claimConsent, listConsents, withdrawMine } from './consents.ts';
import { erasePerson } from './erase.ts';
import { exportAll } from './export.ts';
import { CHECK_SAVES, CLAIMS, ERASURES, EXPORTS, PERSON_TRANSFERS_PER_ADDRESS, PERSON_TRANSFERS_PER_PERSON } from './limits.ts';
import { requirePerson } from './person-key.ts';
import { AttributeTexts, CheckSchema, ConsentKey, Erased, Export, OwnTransferAnswer, OwnTransferBody, PersonConsent, TransferTargets } from './schemas.ts';
import { sendOwnData } from './send-own-data.ts';
import { transferTargets } from './transfer-targets.ts';

/**
 * The person API: what the citizen app calls with the person key it keeps in the browser
 * (`Authorization: Bearer <person key>`), plus the two public look-ups it needs for consent
 * questions: the attribute registry in words, and the transfer targets of a service.
 */

const personSecurity = [{ personKey: [] }];
const PERSON_KEY_HELP = `Needs \`Authorization: Bearer <person key>\`: 32 random bytes, base64url (${PERSON_KEY_PATTERN}), made and kept by the citizen app. The network keeps only an HMAC of it.`;

export const personRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Within this plugin a 401 asks for the Bearer person key, not for Basic credentials.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpProblem && error.status === 401) {
      reply.header('www-authenticate', 'Bearer realm="aurora-person"');
      return sendProblem(reply, error.toProblem(request.url));
    }
    return errorHandler(error, request, reply);
  });
  const db = () => app.aurora.database.db;
  const consent = () => app.aurora.consent;

  app.get(
    '/api/v1/attributes',
    {
      schema: {
        tags: ['person'],
        summary: 'The attributes a person may carry to the next service, in words for consent questions',
        description: 'Each attribute of the registry (the AuroraAI attribute schema) with a title and a plain description in Finnish, Swedish and English, and the JSON Schema its values must meet.',
        response: {
          200: AttributeTexts,
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return { attributes: describedAttributes() };
    },
  );

  app.get(
    '/api/v1/services/:id/transfer-targets',
    {
      schema: {
        tags: ['person'],
        summary: "The channels of a service that receive a person's information, and what each accepts",
        description: "`mode` is 'link' for a web channel (the person follows a one-time link) and 'code' for a service location or phone channel (the person shows or reads out a short code). Empty when the service receives no transfers.",
        params: Type.Object({ id: Uuid }),
        response: {
          200: TransferTargets,
          ...problems(400, 404),
        },
      },
    },
    async (request) => ({ targets: await transferTargets(db(), request.params.id) }),
  );

  // Everything below needs the person key and is never cached.
  await app.register(async (instance) => {
    const my = instance.withTypeProvider<TypeBoxTypeProvider>();
    // Before the body is even parsed: a request without a person key learns that first.
    my.addHook('onRequest', requirePerson());
    my.addHook('onRoute', (route) => {
      route.config = { ...route.config, noStore: true };
    });

    my.post(
      '/api/v1/my/transfers',
      {
        schema: {
          tags: ['person'],
          summary: 'Send your own information to a service channel, once',
          description: `${PERSON_KEY_HELP} For a web channel (mode 'link') the answer has the one-time \`link\` to open (valid AURORA_TRANSFER_TTL_SECONDS, by default 10 minutes); for a service location or phone channel (mode 'code') a \`code\` to show or read out, with \`code_display\` (XXXX-XXXX-XX) and \`qr_svg\` (valid 3 days). The consent is on your list (GET /api/v1/my/consents) and may be withdrawn until used. Attributes the channel does not accept, or values that are not valid, are 422 and nothing is stored. At most ${PERSON_TRANSFERS_PER_PERSON} transfers per person key and ${PERSON_TRANSFERS_PER_ADDRESS} per address in an hour (429 with Retry-After).`,
          security: personSecurity,
          body: OwnTransferBody,
          response: {
            201: OwnTransferAnswer,
            ...problems(400, 401, 404, 415, 422, 429),
          },
        },
      },
      async (request, reply) => reply.status(201).send(await sendOwnData(db(), consent(), request.person!, request.ip, { ...request.body, attributes: request.body.attributes as Record<string, unknown> })),
    );

    my.get(
      '/api/v1/my/consents',
      {
        schema: {
          tags: ['person'],
          summary: 'Your consents, newest first, with their receipts and recipients',
          description: PERSON_KEY_HELP,
          security: personSecurity,
          response: { 200: Type.Object({ consents: Type.Array(PersonConsent) }), ...problems(401) },
        },
      },
      async (request) => ({ consents: await listConsents(db(), request.person!) }),
    );

    my.post(
      '/api/v1/my/consents/claim',
      {
        preHandler: limitAnonymous(CLAIMS),
        schema: {
          tags: ['person'],
          summary: 'Add a consent a service made with you to your list, with its consent key',
          description: `${PERSON_KEY_HELP} A wrong id or key is 404, as for a consent that does not exist. Claiming again changes nothing. An address may claim ${CLAIMS.limit} times an hour (429 with Retry-After beyond).`,
          security: personSecurity,
          body: Type.Object({ consent_id: Uuid, consent_key: ConsentKey }, { additionalProperties: false }),
          response: { 200: PersonConsent, ...problems(400, 401, 404, 409, 415, 429) },
        },
      },
      async (request) => claimConsent(db(), consent(), request.person!, request.body.consent_id, request.body.consent_key),
    );

    my.post(
      '/api/v1/my/consents/:id/withdraw',
      {
        schema: {
          tags: ['person'],
          summary: 'Withdraw a consent on your list before it is used: the values are deleted',
          description: `${PERSON_KEY_HELP} 404 when the consent is not on your list; 409 when its values have already been handed over. Withdrawing again answers the same record.`,
          security: personSecurity,
          params: Type.Object({ id: Uuid }),
          response: { 200: PersonConsent, ...problems(400, 401, 404, 409) },
        },
      },
      async (request) => withdrawMine(db(), consent(), request.person!, request.params.id),
    );

    my.get(
      '/api/v1/my/checks',
      {
        schema: {
          tags: ['person'],
          summary: 'The life-situation checks you chose to save, newest first',
          description: `${PERSON_KEY_HELP} \`unreadable\` counts saved checks the network cannot decrypt any more (their key was removed by the operator).`,
          security: personSecurity,
          response: { 200: Type.Object({ checks: Type.Array(CheckSchema), unreadable: Type.Integer() }), ...problems(401) },
        },
      },
      async (request) => listChecks(db(), consent().keyring, request.person!),
    );

    my.post(
      '/api/v1/my/checks',
      {
        schema: {
          tags: ['person'],
          summary: 'Save a life-situation check (encrypted at rest)',
          description: `${PERSON_KEY_HELP} At most 100 checks per person (409 beyond: delete some first), and ${CHECK_SAVES.limit} saves an hour per address (429 with Retry-After). \`taken_at\` defaults to now.`,
          security: personSecurity,
          body: Type.Object({ taken_at: Type.Optional(Type.String({ format: 'date-time' })), meters: Meters }, { additionalProperties: false }),
          response: { 201: CheckSchema, ...problems(400, 401, 409, 415, 429) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await saveCheckFrom(db(), consent().keyring, request.person!, request.ip, { taken_at: request.body.taken_at, meters: request.body.meters as Record<string, number> })),
    );

    my.delete(
      '/api/v1/my/checks/:id',
      {
        schema: {
          tags: ['person'],
          summary: 'Delete one of your saved checks',
          description: `${PERSON_KEY_HELP} 404 when you have no check with this id.`,
          security: personSecurity,
          params: Type.Object({ id: Uuid }),
          response: { 204: Type.Null({ description: 'Deleted' }), ...problems(400, 401, 404) },
        },
      },
      async (request, reply) => {
        await deleteCheck(db(), request.person!, request.params.id);
        return reply.status(204).send(null);
      },
    );

    my.get(
      '/api/v1/my/export',
      {
        preHandler: limitAnonymous(EXPORTS),
        schema: {
          tags: ['person'],
          summary: 'Everything the network holds for you, as a JSON file',
          description: `${PERSON_KEY_HELP} Your consents with receipts and their events (issued, handed over, refused, withdrawn, purged), and your saved checks. Sent as an attachment. An address may export ${EXPORTS.limit} times an hour (429 with Retry-After beyond).`,
          security: personSecurity,
          querystring: Type.Object({ lang: Type.Optional(Lang) }),
          response: {
            200: Export,
            ...problems(401, 429),
          },
        },
      },
      async (request, reply) => {
        const data = await exportAll(db(), consent(), request.person!, request.query.lang);
        reply.header('content-disposition', `attachment; filename="aurora-my-data-${data.exported_at.slice(0, 10)}.json"`);
        return data;
      },
    );

    my.delete(
      '/api/v1/my',
      {
        preHandler: limitAnonymous(ERASURES),
        schema: {
          tags: ['person'],
          summary: 'Erase everything the network holds for your person key',
          description: `${PERSON_KEY_HELP} Consents still waiting are withdrawn first (their values deleted); your list and saved checks are deleted. The consent records themselves stay with the services and the audit log, without values and no longer linked to you. An address may erase ${ERASURES.limit} times an hour (429 with Retry-After beyond).`,
          security: personSecurity,
          response: { 200: Erased, ...problems(401, 429) },
        },
      },
      async (request) => erasePerson(db(), request.person!),
    );
  });
};
