import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { MemberId } from '../http/console-schemas.ts';
import { problems } from '../http/schemas.ts';
import { parsePersonKey, subjectOf } from '../person/person-key.ts';
import { limitAnonymous } from '../rate-limits/per-address.ts';
import { actorOf, requireStaff } from '../staff/authorise.ts';
import { closeRun } from './close-run.ts';
import { createQuestionnaire } from './create-questionnaire.ts';
import { editDraft } from './edit-draft.ts';
import { findRun } from './find-run.ts';
import { groupPicture } from './group-picture.ts';
import { FORM_READS, RESPONSES } from './limits.ts';
import { openForm } from './open-form.ts';
import { previewDraft } from './preview-draft.ts';
import { publishVersion } from './publish-version.ts';
import { runResults } from './run-results.ts';
import {
  CreatedRunSchema,
  FindInput,
  FoundSchema,
  Credentials,
  FormSchema,
  PreviewInput,
  PreviewSchema,
  QuestionnaireInput,
  QuestionnaireListItem,
  QuestionnaireSchema,
  ResponseInput,
  ResponseSchema,
  ResultsSchema,
  RunInput,
  RunSchema,
  VersionSchema,
} from './schemas.ts';
import { startRun } from './start-run.ts';
import { submitResponse } from './submit-response.ts';
import { listQuestionnaires, ownQuestionnaire, ownRun, readRuns, readVersion, runView } from './store.ts';

const security = [{ consoleSession: [] }];
const tags = ['questionnaires'];
const Member = Type.Object({ id: MemberId });
const OneQuestionnaire = Type.Object({ id: MemberId, questionnaire_id: Type.String({ format: 'uuid' }) });
const OneVersion = Type.Object({ ...OneQuestionnaire.properties, version: Type.Integer({ minimum: 1, maximum: 100000 }) });
const OneRun = Type.Object({ ...OneQuestionnaire.properties, run_id: Type.String({ format: 'uuid' }) });
const lower = (s: string) => s.toLowerCase();

/** Questionnaires in the console: a member's staff write drafts, publish versions, run them and read the results. */
export const consoleQuestionnaireRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const read = requireStaff({ member: 'read' });
  const write = requireStaff({ member: 'write' });
  const path = '/api/v1/console/members/:id/questionnaires';

  app.get(path, { onRequest: read, schema: { tags, summary: "The member's questionnaires", security, params: Member, response: { 200: Type.Object({ questionnaires: Type.Array(QuestionnaireListItem) }), ...problems(400, 401, 403, 404) } } }, async (request) => ({
    questionnaires: await listQuestionnaires(db(), lower(request.params.id)),
  }));
  app.post(
    path,
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'A new questionnaire, a draft (at most 500 a member)',
        description: 'The definition is SurveyJS JSON of the subset docs/questionnaires.md describes; 400 names every problem (the schema, unique names, conditions that parse and name earlier questions, scales).',
        security,
        params: Member,
        body: QuestionnaireInput,
        response: { 201: QuestionnaireSchema, ...problems(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => reply.status(201).send(await createQuestionnaire(db(), lower(request.params.id), request.body.definition, actorOf(request))),
  );
  app.get(`${path}/:questionnaire_id`, { onRequest: read, schema: { tags, summary: 'One questionnaire: its draft, what keeps it from being published, its versions', security, params: OneQuestionnaire, response: { 200: QuestionnaireSchema, ...problems(400, 401, 403, 404) } } }, async (request) =>
    ownQuestionnaire(db(), lower(request.params.id), lower(request.params.questionnaire_id)),
  );
  app.put(
    `${path}/:questionnaire_id`,
    { onRequest: write, schema: { tags, summary: 'Replace the draft whole (published versions do not change)', security, params: OneQuestionnaire, body: QuestionnaireInput, response: { 200: QuestionnaireSchema, ...problems(400, 401, 403, 404, 413, 415) } } },
    async (request) => editDraft(db(), lower(request.params.id), lower(request.params.questionnaire_id), request.body.definition, actorOf(request)),
  );
  app.post(
    `${path}/:questionnaire_id/preview`,
    {
      onRequest: read,
      schema: { tags, summary: 'Try the draft with answers, nothing kept: the issues a submission would have, the questions shown, the meters given', security, params: OneQuestionnaire, body: PreviewInput, response: { 200: PreviewSchema, ...problems(400, 401, 403, 404, 415) } },
    },
    async (request, reply) => reply.status(200).send(await previewDraft(db(), lower(request.params.id), lower(request.params.questionnaire_id), request.body.answers)),
  );
  app.post(
    `${path}/:questionnaire_id/versions`,
    {
      onRequest: write,
      schema: { tags, summary: 'Publish the draft as the next numbered version, never to change; 422 while a text lacks fi, sv or en', security, params: OneQuestionnaire, response: { 201: VersionSchema, ...problems(400, 401, 403, 404, 409, 422) } },
    },
    async (request, reply) => reply.status(201).send(await publishVersion(db(), lower(request.params.id), lower(request.params.questionnaire_id), actorOf(request))),
  );
  app.get(`${path}/:questionnaire_id/versions/:version`, { onRequest: read, schema: { tags, summary: 'One published version', security, params: OneVersion, response: { 200: VersionSchema, ...problems(400, 401, 403, 404) } } }, async (request) => {
    await ownQuestionnaire(db(), lower(request.params.id), lower(request.params.questionnaire_id));
    return readVersion(db(), lower(request.params.questionnaire_id), request.params.version);
  });
  app.get(`${path}/:questionnaire_id/runs`, { onRequest: read, schema: { tags, summary: "The questionnaire's runs, each with how many have answered", security, params: OneQuestionnaire, response: { 200: Type.Object({ runs: Type.Array(RunSchema) }), ...problems(400, 401, 403, 404) } } }, async (request) => {
    await ownQuestionnaire(db(), lower(request.params.id), lower(request.params.questionnaire_id));
    return { runs: (await readRuns(db(), { questionnaireId: lower(request.params.questionnaire_id) })).map(runView) };
  });
  app.post(
    `${path}/:questionnaire_id/runs`,
    {
      onRequest: write,
      schema: {
        tags,
        summary: 'Run a published version: open to anyone, or for a group by link or PIN, in a window (at most 366 days)',
        description: 'Respondents answer at /api/v1/questionnaire-runs/{run_id}. A link run\'s key is in this answer only (link_key); the network keeps its hash.',
        security,
        params: OneQuestionnaire,
        body: RunInput,
        response: { 201: CreatedRunSchema, ...problems(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request, reply) => reply.status(201).send(await startRun(db(), lower(request.params.id), lower(request.params.questionnaire_id), request.body, actorOf(request))),
  );
  app.get(`${path}/:questionnaire_id/runs/:run_id`, { onRequest: read, schema: { tags, summary: 'One run', security, params: OneRun, response: { 200: RunSchema, ...problems(400, 401, 403, 404) } } }, async (request) =>
    runView(await ownRun(db(), lower(request.params.id), lower(request.params.questionnaire_id), lower(request.params.run_id))),
  );
  app.post(
    `${path}/:questionnaire_id/runs/:run_id/close`,
    { onRequest: write, schema: { tags, summary: 'Close the run now: no more responses; 409 when closed already', security, params: OneRun, response: { 200: RunSchema, ...problems(400, 401, 403, 404, 409) } } },
    async (request) => closeRun(db(), lower(request.params.id), lower(request.params.questionnaire_id), lower(request.params.run_id), actorOf(request)),
  );
  app.get(
    `${path}/:questionnaire_id/runs/:run_id/results`,
    {
      onRequest: read,
      schema: {
        tags,
        summary: 'The run\'s results: nothing until 10 have answered, then noised counts and meter means (audited)',
        description: 'Differentially private releases (docs/questionnaires.md): a new one each time 10 more have answered, while the privacy budget lasts; otherwise the kept one again.',
        security,
        params: OneRun,
        response: { 200: ResultsSchema, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => runResults(db(), lower(request.params.id), lower(request.params.questionnaire_id), lower(request.params.run_id), actorOf(request)),
  );
};

/** The answering API: what a respondent's page calls, with no staff session. */
export const questionnaireRunRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = () => app.aurora.database.db;
  const Run = Type.Object({ run_id: Type.String({ format: 'uuid' }) });
  // The answering page asks for a PIN itself: the Basic challenge the error handler gives API clients would open the browser's own password dialog.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode === 401) reply.removeHeader('www-authenticate');
    return payload;
  });
  const access = '401 pin-required: a PIN run asks for its PIN; 403 wrong-pin; 404 for an unknown run and for a link run without its key; 429 past the wrong PINs allowed.';
  app.post(
    '/api/v1/questionnaire-runs/find',
    {
      onRequest: limitAnonymous(FORM_READS),
      schema: { tags, summary: 'The PIN run a short code names, while it is open: what respondents type at /q before the PIN', body: FindInput, response: { 200: FoundSchema, ...problems(400, 404, 415, 429) } },
    },
    async (request, reply) => reply.status(200).send(await findRun(db(), request.body.code)),
  );
  app.post(
    '/api/v1/questionnaire-runs/:run_id/form',
    {
      onRequest: limitAnonymous(FORM_READS),
      schema: { tags, summary: "The run's version to render with survey-core, while it is open", description: `${access} 409 run-not-open or run-closed outside its window.`, params: Run, body: Credentials, response: { 200: FormSchema, ...problems(400, 401, 403, 404, 409, 415, 429) } },
    },
    async (request, reply) => reply.status(200).send(await openForm(db(), lower(request.params.run_id), request.body, request.ip)),
  );
  app.post(
    '/api/v1/questionnaire-runs/:run_id/responses',
    {
      onRequest: limitAnonymous(RESPONSES),
      schema: {
        tags,
        summary: 'Submit answers: checked against the run\'s version, kept anonymously; the 3X10D meters they give come back',
        description: `${access} 400 names every answer at fault. With save_to_profile (where the run allows it) and the person key (Authorization: Bearer), the meters are kept as one of the person's saved checks.`,
        params: Run,
        body: ResponseInput,
        response: { 201: ResponseSchema, ...problems(400, 401, 403, 404, 409, 415, 429) },
      },
    },
    async (request, reply) => {
      const key = parsePersonKey(request.headers.authorization);
      const person = key ? subjectOf(app.aurora.consent.subjectKey, key) : undefined;
      return reply.status(201).send(await submitResponse(db(), app.aurora.consent.keyring, lower(request.params.run_id), request.body, request.ip, person));
    },
  );
  app.post(
    '/api/v1/questionnaire-runs/:run_id/picture',
    {
      onRequest: limitAnonymous(FORM_READS),
      schema: { tags, summary: "The group's picture, to set beside one's own answers: the organiser's release, under the same threshold and noise", description: access, params: Run, body: Credentials, response: { 200: ResultsSchema, ...problems(400, 401, 403, 404, 415, 429) } },
    },
    async (request, reply) => reply.status(200).send(await groupPicture(db(), lower(request.params.run_id), request.body, request.ip)),
  );
};
