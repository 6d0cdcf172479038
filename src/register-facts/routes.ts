import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { setting } from '../config.ts';
import { Plain } from '../http/console-schemas.ts';
import { problems } from '../http/schemas.ts';
import { accountTokenErrorHandler, requireAccountLogin, requireServiceClient } from '../identity/accounts/account-token.ts';
import { pairwiseSubjects } from '../events/subjects.ts';
import { REGISTER_FACTS, REGISTER_FACT_NAMES } from './facts.ts';
import { askForFact } from './ask-for-fact.ts';
import { requestOfService, serviceView } from './service-view.ts';
import { collectFact } from './collect-fact.ts';
import { listMyRequests } from './list-my-requests.ts';
import { approveRequest } from './approve-request.ts';
import { declineRequest } from './decline-request.ts';
import { withdrawApproval } from './withdraw-approval.ts';

const LocalText = Type.Object({ fi: Type.String(), sv: Type.String(), en: Type.String() });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Status = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('declined'), Type.Literal('withdrawn'), Type.Literal('collected'), Type.Literal('expired')]);
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ServiceRequest = Type.Object({
  id: Type.String(),
  fact: Type.String(),
  status: Status,
  created_at: Type.String(),
  expires_at: Type.String(),
  decided_at: Nullable(Type.String()),
  collected_at: Nullable(Type.String()),
});
const MyRequest = Type.Object({
  id: Type.String(),
  fact: Type.String(),
  name: Type.Union([LocalText, Type.Null()]),
  description: Type.Union([LocalText, Type.Null()]),
  register: Type.Union([LocalText, Type.Null()]),
  service: Type.Object({ client_id: Type.String(), name: Type.String(), organisation: Nullable(Type.String()), business_id: Nullable(Type.String()) }),
  purpose: Type.String(),
  status: Status,
  asked_at: Type.String(),
  expires_at: Type.String(),
  decided_at: Nullable(Type.String()),
  withdrawn_at: Nullable(Type.String()),
  collected_at: Nullable(Type.String()),
  would_send: Type.Union([Type.Object({ value: Type.String(), as_of: Type.String() }), Type.Null()]),
  receipt: Nullable(Type.String({ description: 'The signed consent receipt (compact JWS, verify with /.well-known/jwks.json), from the approval' })),
});

/** The register facts a service may ask for, public: what services and the citizen app read. */
export const registerFactCatalogueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/register-facts',
    {
      schema: {
        tags: ['register-facts'],
        summary: 'The register facts a service may ask a person for, with their names, descriptions and registers in fi, sv and en',
        response: { 200: Type.Object({ facts: Type.Array(Type.Object({ fact: Type.String(), name: LocalText, description: LocalText, register: LocalText })) }) },
      },
    },
    async () => ({ facts: REGISTER_FACT_NAMES.map((fact) => ({ fact, name: REGISTER_FACTS[fact].name, description: REGISTER_FACTS[fact].description, register: REGISTER_FACTS[fact].register })) }),
  );
};

/** A member's service asks for a register fact and collects it, as itself (client credentials). */
export const registerFactServiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.setErrorHandler(accountTokenErrorHandler('aurora-api'));
  const security = [{ serviceToken: [] }];
  const onRequest = requireServiceClient();
  const db = () => app.aurora.database.db;

  app.post(
    '/api/v1/register-facts/requests',
    {
      onRequest,
      config: { noStore: true },
      schema: {
        tags: ['register-facts'],
        summary: 'Ask a person (by the pairwise sub your logins gave you) for one register fact; the person approves or declines in the citizen app',
        description:
          'Always 201 pending, whether or not the sub names anyone: a request nobody can answer expires like an unanswered one. At most AURORA_REGISTER_FACT_OPEN_PER_CLIENT open requests per service (429 beyond); each waits AURORA_REGISTER_FACT_TTL_DAYS.',
        security,
        body: Type.Object(
          {
            sub: Plain(200, { description: "The person's pairwise subject for your service" }),
            fact: Plain(100, { description: 'One of GET /api/v1/register-facts' }),
            purpose: Plain(200, { description: 'Why you ask, in your own words: the person reads it before answering' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: ServiceRequest, ...problems(400, 401, 403, 415, 429) },
      },
    },
    async (request, reply) => {
      const created = await askForFact(db(), app.aurora.consent.subjectKey, request.service!, request.body, {
        ttlDays: setting('AURORA_REGISTER_FACT_TTL_DAYS'),
        openPerClient: setting('AURORA_REGISTER_FACT_OPEN_PER_CLIENT'),
      });
      return reply.status(201).send({ ...created, decided_at: null, collected_at: null });
    },
  );
  app.get(
    '/api/v1/register-facts/requests/:id',
    {
      onRequest,
      config: { noStore: true },
      schema: {
        tags: ['register-facts'],
        summary: "A request's status (pending, approved, declined, withdrawn, collected, expired); never the fact",
        security,
        params: IdParams,
        response: { 200: ServiceRequest, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => serviceView(await requestOfService(db(), request.service!.clientId, request.params.id.toLowerCase())),
  );
  app.post(
    '/api/v1/register-facts/requests/:id/collect',
    {
      onRequest,
      config: { noStore: true },
      schema: {
        tags: ['register-facts'],
        summary: 'Collect the fact the person approved, with the consent receipt: once (then 410); 409 while the person has not answered, 410 declined, withdrawn or expired',
        security,
        params: IdParams,
        response: {
          200: Type.Object({
            id: Type.String(),
            fact: Type.String(),
            status: Type.Literal('collected'),
            value: Type.String(),
            as_of: Type.String({ description: 'yyyy-mm (the month of an income) or yyyy-mm-dd' }),
            source: Type.String({ description: 'The register connector the fact came from' }),
            collected_at: Type.String(),
            receipt: Type.String(),
          }),
          ...problems(400, 401, 403, 404, 409, 410),
        },
      },
    },
    async (request) => collectFact(db(), app.aurora.consent.keyring, request.service!, request.params.id.toLowerCase()),
  );
};

/** The person's register fact requests, with the citizen app's access token. */
export const registerFactPersonRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.setErrorHandler(accountTokenErrorHandler('aurora-account'));
  const security = [{ accountToken: [] }];
  const onRequest = requireAccountLogin();
  const db = () => app.aurora.database.db;
  const answer = (summary: string) => ({
    onRequest,
    config: { noStore: true },
    schema: { tags: ['register-facts'], summary, security, params: IdParams, response: { 200: MyRequest, ...problems(400, 401, 403, 404, 409) } },
  });

  app.get(
    '/api/v1/accounts/me/register-facts',
    {
      onRequest,
      config: { noStore: true },
      schema: {
        tags: ['register-facts'],
        summary: "Services' requests for the person's register facts, newest first: who asks for what and why, what approving would send (or, approved, what the service will get), and what became of each",
        security,
        response: { 200: Type.Object({ requests: Type.Array(MyRequest) }), ...problems(401, 403) },
      },
    },
    async (request) => ({ requests: await listMyRequests(db(), app.aurora.consent.keyring, request.account!.accountId) }),
  );
  app.post('/api/v1/accounts/me/register-facts/:id/approve', answer('Approve: the fact is read now and kept sealed for the service to collect once; a signed receipt'), async (request) =>
    approveRequest(
      db(),
      { keyring: app.aurora.consent.keyring, signer: app.aurora.consent.signer, subjectOf: pairwiseSubjects(app.aurora.identity.provider, app.aurora.consent.subjectKey), ttlDays: setting('AURORA_REGISTER_FACT_TTL_DAYS') },
      request.account!.accountId,
      request.params.id.toLowerCase(),
    ),
  );
  app.post('/api/v1/accounts/me/register-facts/:id/decline', answer('Decline: nothing is read or sent'), async (request) => declineRequest(db(), app.aurora.consent.keyring, request.account!.accountId, request.params.id.toLowerCase()));
  app.post('/api/v1/accounts/me/register-facts/:id/withdraw', answer('Withdraw an approval the service has not collected: the fact is erased'), async (request) =>
    withdrawApproval(db(), app.aurora.consent.keyring, request.account!.accountId, request.params.id.toLowerCase()),
  );
};
