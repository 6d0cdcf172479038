import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { MemberId } from '../http/console-schemas.ts';
import { HttpProblem } from '../http/problem.ts';
import { TransferTargets } from '../person/schemas.ts';
import { problems } from '../http/schemas.ts';
import { limitAnonymous } from '../rate-limits/per-address.ts';
import { actorOf, requireStaff } from '../staff/authorise.ts';
import { createBot } from './create-bot.ts';
import { diffVersions } from './diff-versions.ts';
import { editDraft } from './edit-draft.ts';
import { evaluatePack } from './evaluate-pack.ts';
import { CONVERSATIONS, MESSAGE_LENGTH, MESSAGES } from './limits.ts';
import { PackSchema } from './pack.ts';
import { publishVersion } from './publish-version.ts';
import { offerTransfer } from './conversations/offer-transfer.ts';
import { sendMessage } from './conversations/send-message.ts';
import { startConversation } from './conversations/start-conversation.ts';
import { talkOverSocket } from './conversations/socket.ts';
import { listBots, liveConversation, ownBot, readVersion } from './store.ts';
import { dismissUnrecognised } from './whisperer/dismiss-unrecognised.ts';
import { listUnrecognised } from './whisperer/list-unrecognised.ts';
import { runDraftTests } from './whisperer/run-draft-tests.ts';
import { TryStateSchema, tryDraft } from './whisperer/try-draft.ts';

const security = [{ consoleSession: [] }];
const tags = ['chatbot'];
const Language = Type.Union([Type.Literal('fi'), Type.Literal('sv'), Type.Literal('en')]);
const Member = Type.Object({ id: MemberId });
const OneBot = Type.Object({ id: MemberId, bot_id: Type.String({ format: 'uuid' }) });
const VersionNumber = Type.Integer({ minimum: 1, maximum: 100000 });
const Name = Type.String({ minLength: 1, maxLength: 120 });
const Retention = Type.Integer({ minimum: 1, maximum: 365, description: 'Days a conversation is kept (default 30).' });
const BotSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  draft: PackSchema,
  publish_blockers: Type.Array(Type.String()),
  published_version: Type.Union([Type.Integer(), Type.Null()]),
  retention_days: Type.Integer(),
  versions: Type.Array(Type.Object({ version: Type.Integer(), published_at: Type.String(), published_by: Type.String() })),
  published: Type.Optional(Type.Object({ version: Type.Integer(), trained_ms: Type.Integer(), tests_passed: Type.Integer() })),
});
const Link = Type.Object({
  service_id: Type.String(),
  name: Type.String(),
  url: Type.Union([Type.String(), Type.Null()]),
  transferable: Type.Boolean({ description: 'Whether the service has a channel that receives transfers: POST …/transfer-offer with its id offers to take what the person told this conversation there.' }),
});
const Line = Type.Object({ name: Type.String(), phone: Type.String(), description: Type.String() });
const ReplySchema = Type.Object({
  text: Type.String(),
  language: Language,
  intent: Type.Union([Type.String(), Type.Null()]),
  confidence: Type.Number(),
  services: Type.Array(Link),
  help_lines: Type.Array(Line),
  handover: Type.Union([Type.Object({ phone: Type.Union([Type.String(), Type.Null()]), chat_url: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  expects: Type.Union([Type.String(), Type.Null()]),
});
const TransferOfferSchema = Type.Object({
  service: Type.Object({ id: Type.String(), name: Type.String() }),
  targets: TransferTargets.properties.targets,
  attributes: Type.Array(Type.Object({ name: Type.String(), label: Type.String(), value: Type.Unknown(), value_text: Type.String() })),
  purpose: Type.String(),
});
const lower = (s: string) => s.toLowerCase();

/** Bots in the console: a member's staff create bots, write their content packs, publish, roll back and compare versions. */
export const consoleChatbotRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const read = requireStaff({ member: 'read' });
  const write = requireStaff({ member: 'write' });
  const path = '/api/v1/console/members/:id/bots';

  app.get(path, { onRequest: read, schema: { tags, summary: "The member's bots", security, params: Member, response: { 200: Type.Object({ bots: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), published_version: Type.Union([Type.Integer(), Type.Null()]) })) }), ...problems(400, 401, 403, 404) } } }, async (request) => ({
    bots: await listBots(db(), lower(request.params.id)),
  }));
  app.post(
    path,
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'A new bot with a draft content pack (at most 50 a member); without a pack, every shared dialogue and none of its own',
        security,
        params: Member,
        body: Type.Object({ name: Name, languages: Type.Array(Language, { minItems: 1, maxItems: 3, uniqueItems: true }), pack: Type.Optional(PackSchema), retention_days: Type.Optional(Retention) }, { additionalProperties: false }),
        response: { 201: BotSchema, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => reply.status(201).send(await createBot(db(), lower(request.params.id), request.body, actorOf(request))),
  );
  app.get(`${path}/:bot_id`, { onRequest: read, schema: { tags, summary: 'One bot: its draft, what keeps it from being published, its versions', security, params: OneBot, response: { 200: BotSchema, ...problems(400, 401, 403, 404) } } }, async (request) =>
    ownBot(db(), lower(request.params.id), lower(request.params.bot_id)),
  );
  app.put(
    `${path}/:bot_id`,
    { onRequest: write, schema: { tags, summary: 'Replace the draft pack whole (published versions do not change)', security, params: OneBot, body: Type.Object({ pack: PackSchema, name: Type.Optional(Name), retention_days: Type.Optional(Retention) }, { additionalProperties: false }), response: { 200: BotSchema, ...problems(400, 401, 403, 404, 413, 415) } } },
    async (request) => editDraft(db(), lower(request.params.id), lower(request.params.bot_id), request.body, actorOf(request)),
  );
  app.post(
    `${path}/:bot_id/versions`,
    {
      onRequest: write,
      schema: {
        tags,
        summary: "Publish the draft (or, with from_version, an older version again: a roll back) as the next numbered version, after its transcript tests pass",
        description: '422 chatbot-incomplete while a text of a bot language is missing; 422 chatbot-transcript-failed naming each failing turn.',
        security,
        params: OneBot,
        body: Type.Object({ from_version: Type.Optional(VersionNumber) }, { additionalProperties: false }),
        response: { 201: BotSchema, ...problems(400, 401, 403, 404, 409, 415, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(await publishVersion(db(), app.aurora.recommender, lower(request.params.id), lower(request.params.bot_id), actorOf(request), request.body?.from_version)),
  );
  app.get(`${path}/:bot_id/versions/:version`, { onRequest: read, schema: { tags, summary: 'One published version', security, params: Type.Object({ ...OneBot.properties, version: VersionNumber }), response: { 200: Type.Object({ version: Type.Integer(), pack: PackSchema }), ...problems(400, 401, 403, 404) } } }, async (request) => {
    await ownBot(db(), lower(request.params.id), lower(request.params.bot_id));
    return { version: request.params.version, pack: await readVersion(db(), lower(request.params.bot_id), request.params.version) };
  });
  app.get(
    `${path}/:bot_id/diff`,
    {
      onRequest: read,
      schema: { tags, summary: 'What changed from one version to another (or to the draft): intents, examples and answers', security, params: OneBot, querystring: Type.Object({ from: VersionNumber, to: Type.Union([VersionNumber, Type.Literal('draft')]) }), response: { 200: Type.Object({}, { additionalProperties: true }), ...problems(400, 401, 403, 404) } },
    },
    async (request) => diffVersions(db(), lower(request.params.id), lower(request.params.bot_id), request.query.from, request.query.to),
  );
  app.get(
    `${path}/:bot_id/evaluation`,
    { onRequest: read, schema: { tags, summary: "The draft's intent accuracy per language by 5-fold cross-validation, sv and en as a share of fi", security, params: OneBot, response: { 200: Type.Object({}, { additionalProperties: true }), ...problems(400, 401, 403, 404) } } },
    async (request) => evaluatePack((await ownBot(db(), lower(request.params.id), lower(request.params.bot_id))).draft),
  );

  // The whisperer's tools. Trying and running the tests change nothing (a POST for the body; CSRF as every POST), so read staff may.
  app.post(
    `${path}/:bot_id/draft/try`,
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'A message tried against the draft, unpublished: the reply a conversation would give, the best intents with their scores and the features that carried them; nothing is stored',
        description: 'Send back the `state` of the previous try to go on with the same conversation (a form, the life check).',
        security,
        params: OneBot,
        body: Type.Object({ text: Type.String({ minLength: 1, maxLength: MESSAGE_LENGTH }), language: Type.Optional(Language), state: Type.Optional(TryStateSchema) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ reply: ReplySchema, state: TryStateSchema, masked_text: Type.String(), threshold: Type.Number(), intents: Type.Array(Type.Object({ intent: Type.String(), score: Type.Number(), because: Type.Array(Type.String()) })) }),
          ...problems(400, 401, 403, 404, 413, 415),
        },
      },
    },
    async (request) => tryDraft(db(), app.aurora.recommender, lower(request.params.id), lower(request.params.bot_id), request.body),
  );
  const TestResult = Type.Object({ name: Type.String(), language: Language, passed: Type.Boolean(), line: Type.Optional(Type.Integer()), expected: Type.Optional(Type.String()), got: Type.Optional(Type.String()) });
  app.post(
    `${path}/:bot_id/draft/tests`,
    { onRequest: read, schema: { tags, summary: "The draft's transcript tests run without publishing: each passed, or its failing line and what the bot said", security, params: OneBot, response: { 200: Type.Object({ passed: Type.Integer(), failed: Type.Integer(), tests: Type.Array(TestResult) }), ...problems(400, 401, 403, 404, 415) } } },
    async (request) => runDraftTests(db(), app.aurora.recommender, lower(request.params.id), lower(request.params.bot_id)),
  );
  app.get(
    `${path}/:bot_id/unrecognised`,
    {
      onRequest: read,
      schema: {
        tags,
        summary: "Messages of the bot's conversations that no intent reached (masked), grouped by text with a count, newest first, within the retention; audited",
        security,
        params: OneBot,
        response: { 200: Type.Object({ messages: Type.Array(Type.Object({ text: Type.String(), count: Type.Integer(), last_at: Type.String(), best_confidence: Type.Union([Type.Number(), Type.Null()]), languages: Type.Array(Type.String()) })) }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => listUnrecognised(db(), lower(request.params.id), lower(request.params.bot_id), actorOf(request)),
  );
  app.post(
    `${path}/:bot_id/unrecognised/dismiss`,
    {
      onRequest: write,
      schema: { tags, summary: 'Unrecognised messages with this text dealt with: they leave the list', security, params: OneBot, body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 2 * MESSAGE_LENGTH }) }, { additionalProperties: false }), response: { 200: Type.Object({ dismissed: Type.Integer() }), ...problems(400, 401, 403, 404, 415) } },
    },
    async (request) => dismissUnrecognised(db(), lower(request.params.id), lower(request.params.bot_id), request.body.text, actorOf(request)),
  );
};

/** Talking with a published bot: no login; per-address limits. */
export const chatbotConversationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const Bot = Type.Object({ bot_id: Type.String({ format: 'uuid' }) });
  app.post(
    '/api/v1/bots/:bot_id/conversations',
    {
      preHandler: limitAnonymous(CONVERSATIONS),
      config: { noStore: true },
      schema: { tags, summary: "A conversation with a bot's published version, and its greeting", params: Bot, body: Type.Object({ language: Type.Optional(Language) }, { additionalProperties: false }), response: { 201: Type.Object({ conversation_id: Type.String(), language: Language, languages: Type.Array(Language), greeting: Type.String() }), ...problems(400, 404, 415, 429) } },
    },
    async (request, reply) => reply.status(201).send(await startConversation(db(), lower(request.params.bot_id), request.body?.language)),
  );
  app.post(
    '/api/v1/bots/:bot_id/conversations/:conversation_id/messages',
    {
      preHandler: limitAnonymous(MESSAGES),
      config: { noStore: true },
      schema: {
        tags,
        summary: "A person's message and the bot's reply",
        description: 'Identity codes, phone numbers, e-mail addresses and card numbers are masked before anything is read or kept.',
        params: Type.Object({ ...Bot.properties, conversation_id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ text: Type.String({ minLength: 1, maxLength: MESSAGE_LENGTH }) }, { additionalProperties: false }),
        response: { 200: ReplySchema, ...problems(400, 404, 409, 413, 415, 429) },
      },
    },
    async (request) => sendMessage(db(), app.aurora.recommender, lower(request.params.bot_id), lower(request.params.conversation_id), request.body.text),
  );
  const Conversation = Type.Object({ ...Bot.properties, conversation_id: Type.String({ format: 'uuid' }) });
  app.post(
    '/api/v1/bots/:bot_id/conversations/:conversation_id/transfer-offer',
    {
      preHandler: limitAnonymous(MESSAGES),
      config: { noStore: true },
      schema: {
        tags,
        summary: 'What this conversation could take to a service, for the consent question: nothing is stored or sent',
        description:
          "Only what the person told this conversation (municipality, age, the life-situation check's answers), as attribute registry values (GET /api/v1/attributes), and only those the service's receiving channels accept; `targets` as GET /api/v1/services/{id}/transfer-targets gives them. The person then sends what they tick with POST /api/v1/my/transfers. 404 for an unknown or expired conversation or service; 422 chatbot-nothing-to-take when the service receives no transfers or accepts nothing gathered. Counts against the same per-address limit as messages.",
        params: Conversation,
        body: Type.Object({ service_id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: TransferOfferSchema, ...problems(400, 404, 415, 422, 429) },
      },
    },
    async (request) => offerTransfer(db(), lower(request.params.bot_id), lower(request.params.conversation_id), lower(request.body.service_id)),
  );
  app.route({
      method: 'GET',
      url: '/api/v1/bots/:bot_id/conversations/:conversation_id/socket',
      preHandler: async (request) => liveConversation(db(), lower((request.params as { bot_id: string }).bot_id), lower((request.params as { conversation_id: string }).conversation_id)),
      schema: {
        tags,
        summary: 'The conversation over a WebSocket: frames {"text": "…"}, each answered with the reply the messages endpoint gives',
        description: 'A plain GET (no upgrade) is answered 426. Messages count against the same per-address limit as REST ones.',
        params: Conversation,
        response: { ...problems(400, 404, 426) },
      },
      handler: async () => {
        throw new HttpProblem(426, 'upgrade-required', 'Upgrade required', 'this endpoint speaks WebSocket only');
      },
      wsHandler: (socket, request) => {
        talkOverSocket(socket, { db: db(), recommender: app.aurora.recommender, botId: lower(request.params.bot_id), conversationId: lower(request.params.conversation_id), ip: request.ip });
      },
  });
};
