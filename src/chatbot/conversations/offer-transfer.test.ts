import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { DEMO_DESK_CHANNEL_ID, DEMO_SERVICE_ID, DEMO_WEB_CHANNEL_ID, setUpDemoService } from '../../demo/receiving-service.ts';
import { buildServer } from '../../http/server.ts';
import { importPtvFiles } from '../../operations.ts';
import { createNetworkAdmin } from '../../staff/staff.ts';
import { addTestService } from '../../testing/catalogue.ts';
import { ConsoleUser, approvedMember } from '../../testing/console.ts';
import { createTestDatabase, testBackends } from '../../testing/databases.ts';
import { assertProblem } from '../../testing/problems.ts';
import { validateAttributes } from '../../transfers/attributes.ts';
import { gatheredAttributes } from './offer-transfer.ts';

/**
 * "Take my story to the next service" over HTTP, as the chat widget does it: a person tells a bot
 * where they live and how old they are and does the life-situation check; the bot says which of
 * the services it showed receive transfers; the offer names only what this conversation gathered
 * that the demo receiving service accepts; the person sends it with their own key, the service
 * redeems exactly that, and the consent is on the person's list and can be withdrawn. Refusals:
 * another bot's conversation, an unknown one, a service that receives nothing, nothing gathered.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const SMALL_DEMO = ['service-etalukio.json', 'service-channel-otava.json'].map((f) => join(root, 'data', 'demo', f));
const ADMIN = { email: 'take-story-admin@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';
const ANSWERS = [3, 4, 7, 2, 8, 6, 5, 9, 1, 10];

test('what a conversation gathered, as registry attributes that the registry accepts; nothing made up', () => {
  const gathered = gatheredAttributes({ age: 34, municipality: '091', meters: { housing: 2, finance: 3 } }, 'sv');
  assert.deepEqual(
    gathered.map((a) => [a.name, a.value]),
    [
      ['age', 34],
      ['municipality_code', '091'],
      ['life_situation_meters', { housing: [2], finance: [3] }],
    ],
  );
  assert.deepEqual(gathered.map((a) => a.label), ['Ålder', 'Hemkommun', 'Dina bedömningar av din livssituation']);
  assert.deepEqual(gathered.map((a) => a.value_text), ['34 år', 'Helsingfors (091)', 'Boende 2/10, Ekonomi 3/10']);
  for (const a of gathered) assert.deepEqual(validateAttributes({ [a.name]: a.value }), []);
  assert.deepEqual(gatheredAttributes({}, 'fi'), []);
  // A state that somehow holds a value the registry refuses offers nothing for it.
  assert.deepEqual(gatheredAttributes({ age: 300, municipality: 'Helsinki', meters: { housing: 11 } }, 'en'), []);
});

for (const backend of testBackends()) {
  describe(`take my story to the next service (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let botId: string;
    let otherBotId: string;
    const post = (url: string, payload: object, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload, headers, remoteAddress: '10.19.0.1' });
    const start = async (bot: string, language: string) => {
      const r = await post(`/api/v1/bots/${bot}/conversations`, { language });
      assert.equal(r.statusCode, 201, r.body);
      return (r.json() as { conversation_id: string }).conversation_id;
    };
    const sayer = (bot: string, conversation: string) => async (text: string) => {
      const r = await post(`/api/v1/bots/${bot}/conversations/${conversation}/messages`, { text });
      assert.equal(r.statusCode, 200, r.body);
      return r.json() as { text: string; intent: string | null; language: string; services: { service_id: string; name: string; transferable: boolean }[] };
    };
    const offer = (bot: string, conversation: string, serviceId: string) => post(`/api/v1/bots/${bot}/conversations/${conversation}/transfer-offer`, { service_id: serviceId });

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
      await importPtvFiles(database.db, SMALL_DEMO, { actor: 'demo' });
      await setUpDemoService(database.db, { publicUrl: undefined, port: 8080 });
      await createNetworkAdmin(database.db, { email: ADMIN.email, name: 'Ylläpitäjä', password: ADMIN.password }, 'test');
      const admin = await new ConsoleUser(app).loginOk(ADMIN.email, ADMIN.password);
      const owner = await approvedMember(admin, { name: 'Tarinapalvelut', email: 'admin@tarina-bot.example', password: PASSWORD });
      const made = async (name: string) => {
        const bot = await owner.user.json('POST', `/api/v1/console/members/${owner.memberId}/bots`, { name, languages: ['fi', 'sv', 'en'] });
        await owner.user.json('POST', `/api/v1/console/members/${owner.memberId}/bots/${bot.id}/versions`, {});
        return bot.id as string;
      };
      botId = await made('Tarinabotti');
      otherBotId = await made('Toinen botti');
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('the life-check, the offer, the person sends what they chose, the demo service redeems exactly that; the consent is listed and withdrawable', async () => {
      const conversation = await start(botId, 'fi');
      const say = sayer(botId, conversation);
      await say('olen 34-vuotias ja asun Helsingissä');
      assert.equal((await say('aloita kysely')).intent, 'shared:life-check');
      let last = await say(String(ANSWERS[0]));
      for (const answer of ANSWERS.slice(1)) last = await say(String(answer));
      assert.equal(last.intent, 'shared:life-check');
      // The check's recommendations may or may not show the demo service: ask for it in words too.
      const found = last.services.some((s) => s.service_id === DEMO_SERVICE_ID) ? last : await say('haluan suorittaa lukion aikuisena etänä');
      const demo = found.services.find((s) => s.service_id === DEMO_SERVICE_ID);
      assert.ok(demo, `the demo service is shown: ${JSON.stringify(found)}`);
      assert.equal(demo.transferable, true);

      const story = await say('vie tietoni seuraavaan palveluun');
      assert.equal(story.intent, 'shared:take-story');
      assert.ok(story.services.length > 0 && story.services.every((s) => s.transferable), 'only services that receive transfers are offered');
      assert.ok(story.services.some((s) => s.service_id === DEMO_SERVICE_ID));

      const r = await offer(botId, conversation, DEMO_SERVICE_ID);
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.headers['cache-control'], 'no-store');
      const body = r.json() as { service: { id: string; name: string }; targets: { channel_id: string; mode: string; accepts: string[] }[]; attributes: { name: string; label: string; value: unknown; value_text: string }[]; purpose: string };
      assert.equal(body.service.id, DEMO_SERVICE_ID);
      assert.deepEqual(body.targets.map((t) => t.channel_id).sort(), [DEMO_DESK_CHANNEL_ID, DEMO_WEB_CHANNEL_ID].sort());
      const meters = { health: [3], resilience: [4], housing: [7], working_studying: [2], family: [8], friends: [6], finance: [5], improvement_of_strengths: [9], self_esteem: [1], life_satisfaction: [10] };
      assert.deepEqual(Object.fromEntries(body.attributes.map((a) => [a.name, a.value])), { age: 34, municipality_code: '091', life_situation_meters: meters });
      assert.deepEqual(body.attributes.map((a) => a.label), ['Ikä', 'Kotikunta', 'Elämäntilanteesi arviot']);
      assert.equal(body.attributes[0]!.value_text, '34 vuotta');
      assert.match(body.purpose, new RegExp(`^Lähetän omat tietoni palveluun ${body.service.name}`));
      assert.equal(await database.db.selectFrom('consents').select('id').executeTakeFirst(), undefined, 'the offer stores nothing');

      // The person ticks age and the ratings (not the municipality) and sends to the web channel, with their own key.
      const key = `Bearer ${randomBytes(32).toString('base64url')}`;
      const chosen = Object.fromEntries(body.attributes.filter((a) => a.name !== 'municipality_code').map((a) => [a.name, a.value]));
      const sent = await post('/api/v1/my/transfers', { channel_id: DEMO_WEB_CHANNEL_ID, service_id: DEMO_SERVICE_ID, attributes: chosen, purpose: body.purpose, language: 'fi' }, { authorization: key, origin: 'https://kunta.example' });
      assert.equal(sent.statusCode, 201, sent.body);
      assert.equal(sent.headers['access-control-allow-origin'], '*');
      const transfer = sent.json() as { consent_id: string; link: string };
      const consents = await app.inject({ url: '/api/v1/my/consents', headers: { authorization: key } });
      assert.deepEqual(
        (consents.json() as { consents: { id: string }[] }).consents.map((c) => c.id),
        [transfer.consent_id],
      );
      const link = new URL(transfer.link);
      const landed = await app.inject({ url: `${link.pathname}${link.search}&lang=en` });
      assert.equal(landed.statusCode, 200, landed.body);
      assert.match(landed.body, /<dt>Age<\/dt><dd>34 years<\/dd>/);
      assert.match(landed.body, /Housing: 7 \/ 10/);
      assert.doesNotMatch(landed.body, /Helsinki|091/, 'what was not ticked was not sent');

      // A second consent, withdrawn before it is used.
      const again = await post('/api/v1/my/transfers', { channel_id: DEMO_DESK_CHANNEL_ID, service_id: DEMO_SERVICE_ID, attributes: { age: 34 } }, { authorization: key });
      assert.equal(again.statusCode, 201, again.body);
      const id = (again.json() as { consent_id: string }).consent_id;
      const withdrawn = await app.inject({ method: 'POST', url: `/api/v1/my/consents/${id}/withdraw`, headers: { authorization: key } });
      assert.equal(withdrawn.statusCode, 200, withdrawn.body);
      const listed = (await app.inject({ url: '/api/v1/my/consents', headers: { authorization: key } })).json() as { consents: { id: string; status: string }[] };
      assert.deepEqual(listed.consents.find((c) => c.id === id)?.status, 'withdrawn');
    });

    test('take-story in sv and en; with nothing shown yet it says how to find a service first', async () => {
      const sv = sayer(botId, await start(botId, 'sv'));
      const none = await sv('ta min berättelse vidare');
      assert.equal(none.intent, 'shared:take-story');
      assert.equal(none.language, 'sv');
      assert.deepEqual(none.services, []);
      assert.match(none.text, /livssituationskollen/);
      const en = sayer(botId, await start(botId, 'en'));
      const story = await en('take my story to the next service');
      assert.equal(story.intent, 'shared:take-story');
      assert.equal(story.language, 'en');
      assert.match(story.text, /life-situation check/);
      const fi = sayer(botId, await start(botId, 'fi'));
      assert.equal((await fi('vie tietoni seuraavaan palveluun')).intent, 'shared:take-story');
    });

    test('refused: unknown, malformed or another bot\'s conversation 404; a service that receives nothing and nothing gathered 422; nothing accepted then either', async () => {
      const conversation = await start(botId, 'en');
      await sayer(botId, conversation)('I am 40 years old and live in Tampere');
      await assertProblem(await offer(otherBotId, conversation, DEMO_SERVICE_ID), 404);
      await assertProblem(await offer(botId, randomUUID(), DEMO_SERVICE_ID), 404);
      await assertProblem(await offer(randomUUID(), conversation, DEMO_SERVICE_ID), 404);
      await assertProblem(await offer(botId, conversation, randomUUID()), 404);
      await assertProblem(await offer(botId, 'not-a-uuid', DEMO_SERVICE_ID), 400);
      await assertProblem(await post(`/api/v1/bots/${botId}/conversations/${conversation}/transfer-offer`, { service_id: DEMO_SERVICE_ID, attributes: { age: 1 } }), 400);
      await database.db.updateTable('chatbot_conversations').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', conversation).execute();
      await assertProblem(await offer(botId, conversation, DEMO_SERVICE_ID), 404);

      const serviceId = await addTestService(database.db, 'Palvelu ilman vastaanottoa');
      const told = await start(botId, 'fi');
      await sayer(botId, told)('olen 40 ja asun Tampereella');
      const receivesNothing = await assertProblem(await offer(botId, told, serviceId), 422, '/chatbot-nothing-to-take');
      assert.match(receivesNothing.detail ?? '', /receives no transfers/);
      const fresh = await start(botId, 'fi');
      await assertProblem(await offer(botId, fresh, DEMO_SERVICE_ID), 422, '/chatbot-nothing-to-take');
      // Told, but only what the service does not accept.
      await database.db.updateTable('transfer_targets').set({ accepts: ['life_situation_meters'] }).execute();
      try {
        const only = await assertProblem(await offer(botId, told, DEMO_SERVICE_ID), 422, '/chatbot-nothing-to-take');
        assert.match(only.detail ?? '', /accepts life_situation_meters/);
        await database.db.updateTable('transfer_targets').set({ accepts: ['age'] }).execute();
        const ageOnly = (await offer(botId, told, DEMO_SERVICE_ID)).json() as { attributes: { name: string }[] };
        assert.deepEqual(ageOnly.attributes.map((a) => a.name), ['age'], 'only what the targets accept');
      } finally {
        await database.db.updateTable('transfer_targets').set({ accepts: ['age', 'municipality_code', 'life_situation_meters'] }).execute();
      }
    });
  });
}
