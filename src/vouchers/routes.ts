import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { MemberId, Plain } from '../http/console-schemas.ts';
import { problems } from '../http/schemas.ts';
import { actorOf, requireStaff } from '../staff/authorise.ts';
import { closeProgramme } from './programmes/close-programme.ts';
import { createProgramme } from './programmes/create-programme.ts';
import { editProgramme } from './programmes/edit-programme.ts';
import { listProviders } from './programmes/list-providers.ts';
import { openProgramme } from './programmes/open-programme.ts';
import { publicProgramme, publicProgrammes } from './programmes/public-programmes.ts';
import { ProgrammeInputSchema, ProgrammeSchema, PublicProgrammeSchema, WhereUsableSchema } from './programmes/schemas.ts';
import { ownProgramme, readProgrammes } from './programmes/store.ts';
import { whereUsable } from './programmes/where-usable.ts';

const security = [{ consoleSession: [] }];
const Params = Type.Object({ id: MemberId, programme_id: Type.String({ format: 'uuid' }) });
const member = (params: { id: string }) => params.id.toLowerCase();

/** Voucher programmes in the console: a payer member's staff define what the member funds and for whom. */
export const consoleVoucherRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const memberRead = requireStaff({ member: 'read' });
  const memberWrite = requireStaff({ member: 'write' });
  const path = '/api/v1/console/members/:id/voucher-programmes';

  app.get(
    path,
    {
      onRequest: memberRead,
      schema: { tags: ['vouchers'], summary: "The member's voucher programmes, each with what keeps a draft from opening", security, params: Type.Object({ id: MemberId }), response: { 200: Type.Object({ programmes: Type.Array(ProgrammeSchema) }), ...problems(400, 401, 403, 404) } },
    },
    async (request) => ({ programmes: await readProgrammes(db(), { memberId: member(request.params) }) }),
  );
  app.post(
    path,
    {
      onRequest: memberWrite,
      schema: {
        tags: ['vouchers'],
        summary: 'A new voucher programme, a draft (at most 200 a member)',
        description: 'Services must be in the catalogue, service classes PTV codes, providers approved members, municipalities known codes (400 otherwise). Nothing is public until the programme is opened.',
        security,
        params: Type.Object({ id: MemberId }),
        body: ProgrammeInputSchema,
        response: { 201: ProgrammeSchema, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => reply.status(201).send(await createProgramme(db(), member(request.params), request.body, actorOf(request))),
  );
  app.get(
    `${path}/:programme_id`,
    { onRequest: memberRead, schema: { tags: ['vouchers'], summary: 'One of the member\'s voucher programmes', security, params: Params, response: { 200: ProgrammeSchema, ...problems(400, 401, 403, 404) } } },
    async (request) => ownProgramme(db(), member(request.params), request.params.programme_id.toLowerCase()),
  );
  app.put(
    `${path}/:programme_id`,
    {
      onRequest: memberWrite,
      schema: {
        tags: ['vouchers'],
        summary: 'Replace a draft whole; 409 once it is open or closed',
        security,
        params: Params,
        body: ProgrammeInputSchema,
        response: { 200: ProgrammeSchema, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => editProgramme(db(), member(request.params), request.params.programme_id.toLowerCase(), request.body, actorOf(request)),
  );
  app.post(
    `${path}/:programme_id/open`,
    {
      onRequest: memberWrite,
      schema: {
        tags: ['vouchers'],
        summary: 'Open a complete draft: it becomes public; 422 names what is missing (open_blockers), 409 when not a draft',
        security,
        params: Params,
        response: { 200: ProgrammeSchema, ...problems(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => openProgramme(db(), member(request.params), request.params.programme_id.toLowerCase(), actorOf(request)),
  );
  app.post(
    `${path}/:programme_id/close`,
    {
      onRequest: memberWrite,
      schema: { tags: ['vouchers'], summary: 'Close a programme: no longer public, no new vouchers; 409 when closed already', security, params: Params, response: { 200: ProgrammeSchema, ...problems(400, 401, 403, 404, 409) } },
    },
    async (request) => closeProgramme(db(), member(request.params), request.params.programme_id.toLowerCase(), actorOf(request)),
  );
  app.get(
    `${path}/:programme_id/where-usable`,
    {
      onRequest: memberRead,
      schema: { tags: ['vouchers'], summary: "Where the programme's vouchers can be used: catalogue services with their provider and channels (at most 500)", security, params: Params, response: { 200: WhereUsableSchema, ...problems(400, 401, 403, 404) } },
    },
    async (request) => whereUsable(db(), await ownProgramme(db(), member(request.params), request.params.programme_id.toLowerCase())),
  );
  app.get(
    '/api/v1/console/members/:id/voucher-providers',
    {
      onRequest: memberRead,
      schema: {
        tags: ['vouchers'],
        summary: 'Approved members to name as providers, by a part of their name or business ID (at most 20)',
        security,
        params: Type.Object({ id: MemberId }),
        querystring: Type.Object({ q: Plain(100) }, { additionalProperties: false }),
        response: { 200: Type.Object({ providers: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), business_id: Type.String() })) }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => ({ providers: await listProviders(db(), request.query.q) }),
  );
};

/** The open programmes, for anyone: what a person may read before logging in. */
export const voucherRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  app.get(
    '/api/v1/voucher-programmes',
    {
      schema: {
        tags: ['vouchers'],
        summary: 'Open voucher programmes: who pays, what they fund, for whom, the value and who pays what (public)',
        description: 'Budgets are not published here: a payer publishes its own, and a running balance would invite a race for the last vouchers.',
        response: { 200: Type.Object({ programmes: Type.Array(PublicProgrammeSchema), truncated: Type.Boolean({ description: 'More are open than the 500 listed' }) }) },
      },
    },
    async () => publicProgrammes(db()),
  );
  app.get(
    '/api/v1/voucher-programmes/:programme_id/where-usable',
    {
      schema: {
        tags: ['vouchers'],
        summary: "Where an open programme's vouchers can be used (public): catalogue services with their provider and channels",
        params: Type.Object({ programme_id: Type.String({ format: 'uuid' }) }),
        response: { 200: WhereUsableSchema, ...problems(400, 404) },
      },
    },
    async (request) => whereUsable(db(), await publicProgramme(db(), request.params.programme_id.toLowerCase())),
  );
};
