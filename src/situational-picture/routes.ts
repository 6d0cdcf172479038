import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type, { type TSchema } from 'typebox';
import type { Language } from '../catalogue/model.ts';
import { MemberParams } from '../http/console-schemas.ts';
import { problems, Uuid } from '../http/schemas.ts';
import { limitAnonymous } from '../rate-limits/per-address.ts';
import { METERS } from '../recommender/meter-names.ts';
import { Meters } from '../recommender/schemas.ts';
import { actorOf, requireStaff } from '../staff/authorise.ts';
import { AGE_BANDS, AREA_KINDS } from './areas.ts';
import { followPicture } from './follow.ts';
import { PICTURE_SHARES } from './limits.ts';
import { pictureCsv } from './picture-csv.ts';
import { readFollows } from './read-follows.ts';
import { readMirror } from './read-mirror.ts';
import { readMemberPicture, type PictureView } from './read-picture.ts';
import { shareCheckAnswer } from './share-answer.ts';
import { unfollowPicture } from './unfollow.ts';

/** The situational picture's routes (docs/situational-picture.md): they only wire. */
const AgeBand = Type.Union(AGE_BANDS.map((b) => Type.Literal(b)), { description: 'An age band' });
const AgeBandOrAll = Type.Union([Type.Literal('all'), ...AGE_BANDS.map((b) => Type.Literal(b))], { default: 'all' });
const AreaKind = Type.Union(AREA_KINDS.map((k) => Type.Literal(k)));
const MunicipalityCode = Type.String({ pattern: '^[0-9]{3}$', description: 'A municipality code (2023)' });
const AreaCode = Type.String({ pattern: '^([0-9]{2,3})?$', default: '', description: 'The area\'s code: 3 digits for a municipality, 2 for a wellbeing services county or a region, empty for the country' });
const Period = Type.String({ pattern: '^[0-9]{4}(-Q[1-4])?$', description: 'A quarter (2026-Q3) or a year (2026)' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

const MirrorFigure = Type.Object({ meter: Type.String(), mean: Nullable(Type.Number()) }, { additionalProperties: false });
const MirrorSchema = Type.Object(
  {
    period: Type.Union([Type.String(), Type.Null()], { description: 'The released quarter the figures are from; null before the first' }),
    municipality: Type.Object({ code: Type.String(), name: Type.Object({}, { additionalProperties: true }) }),
    age_band: Type.String(),
    all_ages: Type.Array(MirrorFigure),
    same_age: Type.Array(MirrorFigure),
  },
  { additionalProperties: false },
);

const PictureSchema = Type.Object(
  {
    area: Type.Object({ kind: Type.String(), code: Type.String(), name: Type.Object({}, { additionalProperties: true }) }),
    age_band: Type.String(),
    period: Type.String(),
    status: Type.Union([Type.Literal('released'), Type.Literal('incomplete'), Type.Literal('over-cap')]),
    released_at: Type.Union([Type.String(), Type.Null()]),
    epsilon: Nullable(Type.Number()),
    k_threshold: Type.Integer(),
    meters: Type.Array(Type.Object({}, { additionalProperties: true })),
    service_use: Type.Union([Type.Object({ recommended: Nullable(Type.Integer()), transfers: Nullable(Type.Integer()) }), Type.Null()]),
    by_municipality: Type.Array(Type.Object({}, { additionalProperties: true })),
    indicators: Type.Array(Type.Object({}, { additionalProperties: true })),
    budget: Type.Object({}, { additionalProperties: true }),
    frames: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false, description: 'format=csv answers text/csv instead (suppressed figures as -1)' },
);

const FollowBody = Type.Object(
  {
    area_kind: AreaKind,
    area_code: AreaCode,
    age_band: AgeBandOrAll,
    subject: Type.String({ pattern: `^(${METERS.join('|')}|indicator:[0-9A-Za-z_.-]{1,40})$`, description: 'A meter, or indicator:<id>' }),
    threshold: Type.Number({ exclusiveMinimum: 0, maximum: 1e9, description: 'The change between two releases worth a notice: points of a mean, or the indicator\'s unit' }),
    webhooks: Type.Optional(Type.Boolean({ description: "Also send each notice to the member's own webhook endpoints subscribed to picture-notice (fi.aurora.picture.notice); false unless asked" })),
  },
  { additionalProperties: false },
);
const FollowSchema = Type.Object({ id: Uuid, area_kind: Type.String(), area_code: Type.String(), age_band: Type.String(), subject: Type.String(), threshold: Type.Number(), webhooks: Type.Boolean(), created_at: Type.String() }, { additionalProperties: false });
const NoticeSchema = Type.Object(
  { id: Uuid, follow_id: Uuid, period: Type.String(), previous_period: Type.String(), previous: Type.Number(), current: Type.Number(), created_at: Type.String() },
  { additionalProperties: false },
);

/** A view as a CSV attachment. */
function sendCsv(reply: FastifyReply, view: PictureView, language: Language) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="aurora-picture-${view.area.kind}${view.area.code ? `-${view.area.code}` : ''}-${view.period}.csv"`)
    .send(pictureCsv(view, language));
}

export const pictureRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;

  app.post(
    '/api/v1/picture/answers',
    {
      preHandler: limitAnonymous(PICTURE_SHARES),
      bodyLimit: 4096,
      schema: {
        tags: ['situational-picture'],
        summary: "Share a check's answers, anonymously, for your area's picture",
        description: `Kept as municipality, age band, the week and the meters only: no account, no key, no time finer than the week, no audit row. ${PICTURE_SHARES.limit} shares an hour per address (429 with Retry-After beyond).`,
        body: Type.Object({ municipality: MunicipalityCode, age_band: AgeBand, meters: Meters }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problems(400, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      await shareCheckAnswer(db(), request.body);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/picture/mirror',
    {
      schema: {
        tags: ['situational-picture'],
        summary: "A municipality's published picture, for all ages and for an age band (the citizen app's mirror)",
        description: 'From the latest released quarter; a mean is null where there are too few answers (suppressed, or its noise margin is over 1.5 points).',
        querystring: Type.Object({ municipality: MunicipalityCode, age_band: AgeBand }, { additionalProperties: false }),
        response: { 200: MirrorSchema, ...problems(400) },
      },
    },
    async (request) => readMirror(db(), { municipality: request.query.municipality, ageBand: request.query.age_band }),
  );

  app.get(
    '/api/v1/console/members/:id/picture',
    {
      config: { noStore: true },
      onRequest: requireStaff({ member: 'read' }),
      schema: {
        tags: ['situational-picture'],
        summary: 'The situational picture of an area, age band and period (a member\'s staff)',
        description: "Figures from the period's release, made once when the period is complete and kept. Meters with fewer than 10 noisy answers are suppressed. Every read is audited.",
        security: [{ consoleSession: [] }],
        params: MemberParams,
        querystring: Type.Object(
          {
            area_kind: AreaKind,
            area_code: AreaCode,
            age_band: AgeBandOrAll,
            period: Period,
            format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
            language: Type.Union([Type.Literal('fi'), Type.Literal('sv'), Type.Literal('en')], { default: 'fi', description: 'Of the CSV headers' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: PictureSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const view = await readMemberPicture(db(), request.params.id.toLowerCase(), { areaKind: q.area_kind, areaCode: q.area_code, ageBand: q.age_band, period: q.period }, actorOf(request), q.format);
      return q.format === 'json' ? view : sendCsv(reply, view, q.language);
    },
  );

  app.get(
    '/api/v1/console/members/:id/picture/follows',
    {
      config: { noStore: true },
      onRequest: requireStaff({ member: 'read' }),
      schema: {
        tags: ['situational-picture'],
        summary: 'The figures the member follows and its notices, newest first',
        security: [{ consoleSession: [] }],
        params: MemberParams,
        response: { 200: Type.Object({ follows: Type.Array(FollowSchema), notices: Type.Array(NoticeSchema) }), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => readFollows(db(), request.params.id.toLowerCase()),
  );

  app.post(
    '/api/v1/console/members/:id/picture/follows',
    {
      onRequest: requireStaff({ member: 'write' }),
      schema: {
        tags: ['situational-picture'],
        summary: "Follow an area's meter or an indicator: a notice when a release moves it by the threshold",
        security: [{ consoleSession: [] }],
        params: MemberParams,
        body: FollowBody,
        response: { 201: FollowSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await followPicture(db(), request.params.id.toLowerCase(), request.body, actorOf(request))),
  );

  app.delete(
    '/api/v1/console/members/:id/picture/follows/:followId',
    {
      onRequest: requireStaff({ member: 'write' }),
      schema: {
        tags: ['situational-picture'],
        summary: 'Stop following a figure (its notices go too)',
        security: [{ consoleSession: [] }],
        params: Type.Object({ id: MemberParams.properties.id, followId: Uuid }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await unfollowPicture(db(), request.params.id.toLowerCase(), request.params.followId.toLowerCase(), actorOf(request));
      return reply.status(204).send(null);
    },
  );
};
