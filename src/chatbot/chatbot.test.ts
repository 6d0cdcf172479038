import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { buildServer } from '../http/server.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { ConsoleUser, approvedMember } from '../testing/console.ts';
import { createTestDatabase, testBackends } from '../testing/databases.ts';
import { assertProblem } from '../testing/problems.ts';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { WebSocket } from 'ws';
import { addressKey } from '../rate-limits/per-address.ts';
import { addChannel, addTestService } from '../testing/catalogue.ts';
import { countAttempts, fillAttempts } from '../testing/attempts.ts';
import { CONVERSATIONS, MESSAGES } from './limits.ts';
import { purgeTranscripts } from './conversations/purge-transcripts.ts';
import { youthCardPack } from './testing.ts';

/**
 * A member builds a bot over HTTP: the shared bank plus an intent and a form of its own, a
 * transcript test that blocks a publish until the content meets it, then a person talks with the
 * published version in Finnish, Swedish and English, with what identifies them masked in the
 * transcript; roll back, diff, the wrong member refused, the transcript purged after retention.
 */
const ADMIN = { email: 'chatbot-admin@aurora.example', password: 'verkoston-salasana-1' };
const PASSWORD = 'hyvin-pitka-salasana';

const pack = (answerFi: string) => youthCardPack({ answerFi, tests: [{ name: 'youth card fi', language: 'fi', transcript: '#me\nmiten saan nuorisokortin\n#bot\nnuorisotalolta\n#me 15\n#bot Missä kunnassa asut?' }] });

for (const backend of testBackends()) {
  describe(`chatbot (${backend})`, () => {
    let database: Database;
    let app: FastifyInstance;
    let owner: { memberId: string; user: ConsoleUser };
    let other: { memberId: string; user: ConsoleUser };
    const path = (memberId: string, rest = '') => `/api/v1/console/members/${memberId}/bots${rest}`;
    const person = (method: 'POST', url: string, payload: object) => app.inject({ method, url, payload, remoteAddress: '10.9.0.1' });

    before(async () => {
      database = await createTestDatabase(backend);
      app = await buildServer({ database, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
      await createNetworkAdmin(database.db, { email: ADMIN.email, name: 'Ylläpitäjä', password: ADMIN.password }, 'test');
      const admin = await new ConsoleUser(app).loginOk(ADMIN.email, ADMIN.password);
      owner = await approvedMember(admin, { name: 'Nuorisopalvelut', email: 'admin@nuoriso-bot.example', password: PASSWORD });
      other = await approvedMember(admin, { name: 'Naapurikunta', email: 'admin@naapuri-bot.example', password: PASSWORD });
    });
    after(async () => {
      await app?.close();
      await database?.close();
    });

    test('a transcript test blocks the publish naming its turn; fixed, the bot publishes and talks in fi, sv and en', async () => {
      const bot = await owner.user.json('POST', path(owner.memberId), { name: 'Nuorisobotti', languages: ['fi', 'sv', 'en'], pack: pack('Nuorisokortin saat nuorisotilalta.') });
      const blocked = await assertProblem(await owner.user.call('POST', path(owner.memberId, `/${bot.id}/versions`), {}), 422, '/chatbot-transcript-failed');
      assert.match(blocked.errors![0]!.field, /youth card fi\.line 3/);
      assert.equal((await owner.user.json('GET', path(owner.memberId, `/${bot.id}`))).published_version, null, 'nothing was published');

      await owner.user.json('PUT', path(owner.memberId, `/${bot.id}`), { pack: pack('Nuorisokortin saat nuorisotalolta.') }, 200);
      const published = await owner.user.json('POST', path(owner.memberId, `/${bot.id}/versions`), {});
      assert.equal(published.published_version, 1);
      assert.equal(published.published.tests_passed, 1);

      const fi = (await person('POST', `/api/v1/bots/${bot.id}/conversations`, { language: 'fi' })).json();
      const say = async (text: string) => {
        const response = await person('POST', `/api/v1/bots/${bot.id}/conversations/${fi.conversation_id}/messages`, { text });
        assert.equal(response.statusCode, 200, response.body);
        return response.json();
      };
      const card = await say('mistä saan nuorisokortin');
      assert.equal(card.intent, 'youth-card');
      assert.equal(card.expects, 'age');
      assert.equal((await say('olen 15')).expects, 'municipality');
      const done = await say('asun Tampereella, soita 040 123 4567');
      assert.match(done.text, /15 vuotta/);
      const crisis = await say('en halua enää elää');
      assert.equal(crisis.intent, 'shared:crisis');
      assert.ok(crisis.help_lines.length > 0, 'crisis lines come with it');
      const handover = await say('haluan puhua ihmisen kanssa');
      assert.equal(handover.handover.phone, '+358 9 310 12345');
      const stored = await database.db.selectFrom('chatbot_messages').select('text').where('conversation_id', '=', fi.conversation_id).execute();
      assert.ok(stored.some((m) => m.text.includes('[phone]')) && !stored.some((m) => m.text.includes('123 4567')), 'the phone number is masked before storing');

      const sv = (await person('POST', `/api/v1/bots/${bot.id}/conversations`, {})).json();
      const svReply = (await person('POST', `/api/v1/bots/${bot.id}/conversations/${sv.conversation_id}/messages`, { text: 'hur får jag ungdomskort' })).json();
      assert.equal(svReply.language, 'sv');
      assert.equal(svReply.intent, 'youth-card');
      const en = (await person('POST', `/api/v1/bots/${bot.id}/conversations`, { language: 'en' })).json();
      const enReply = (await person('POST', `/api/v1/bots/${bot.id}/conversations/${en.conversation_id}/messages`, { text: 'when are you open on saturday' })).json();
      assert.equal(enReply.language, 'en');
      assert.equal(enReply.intent, 'shared:opening-hours');
    });

    test('roll back publishes an older version again; the diff names the changed answer; all audited', async () => {
      const bot = await owner.user.json('POST', path(owner.memberId), { name: 'Versiobotti', languages: ['fi', 'sv', 'en'], pack: { ...pack('Nuorisokortin saat nuorisotalolta.'), tests: [] } });
      await owner.user.json('POST', path(owner.memberId, `/${bot.id}/versions`), {});
      await owner.user.json('PUT', path(owner.memberId, `/${bot.id}`), { pack: { ...pack('Kortti nuorisotalolta.'), tests: [] } }, 200);
      await owner.user.json('POST', path(owner.memberId, `/${bot.id}/versions`), {});
      const diff = await owner.user.json('GET', path(owner.memberId, `/${bot.id}/diff?from=1&to=2`));
      assert.deepEqual(diff.intents.changed[0].answer.fi, { from: 'Nuorisokortin saat nuorisotalolta.', to: 'Kortti nuorisotalolta.' });
      const rolled = await owner.user.json('POST', path(owner.memberId, `/${bot.id}/versions`), { from_version: 1 });
      assert.equal(rolled.published_version, 3);
      const v3 = await owner.user.json('GET', path(owner.memberId, `/${bot.id}/versions/3`));
      assert.equal(v3.pack.intents[0].answer.text.fi, 'Nuorisokortin saat nuorisotalolta.');
      const actions = await database.db.selectFrom('audit_log').select('action').where('target', '=', bot.id).orderBy('id').execute();
      assert.deepEqual(actions.map((a) => a.action), ['chatbot.create', 'chatbot.publish', 'chatbot.edit', 'chatbot.publish', 'chatbot.rollback']);
    });

    test("another member's staff, an anonymous caller and a bad pack are refused", async () => {
      const bot = await owner.user.json('POST', path(owner.memberId), { name: 'Oma', languages: ['fi'] });
      const refused = await other.user.call('GET', path(owner.memberId, `/${bot.id}`));
      assert.ok([403, 404].includes(refused.statusCode));
      assert.equal((await other.user.call('GET', path(other.memberId, `/${bot.id}`))).statusCode, 404);
      for (const [method, rest, body] of [['PUT', `/${bot.id}`, { pack: pack('x') }], ['POST', `/${bot.id}/versions`, {}], ['GET', `/${bot.id}/diff?from=1&to=draft`, undefined], ['GET', `/${bot.id}/evaluation`, undefined]] as const) {
        assert.ok([403, 404].includes((await other.user.call(method, path(owner.memberId, rest), body)).statusCode), `${method} ${rest} by another member`);
        assert.equal((await other.user.call(method, path(other.memberId, rest), body)).statusCode, 404, `${method} ${rest} under its own member`);
      }
      assert.equal((await owner.user.json('GET', path(owner.memberId, `/${bot.id}`))).published_version, null, 'nothing the other member sent changed it');
      assert.equal((await app.inject({ method: 'GET', url: path(owner.memberId) })).statusCode, 401);
      assert.equal((await owner.user.call('POST', path(owner.memberId), { name: 'Ilman', languages: ['fi'] }, { csrf: false })).statusCode, 403, 'a write without the CSRF header');
      const bad = await assertProblem(await owner.user.call('POST', path(owner.memberId), { name: 'x', languages: ['fi'], pack: { ...pack('x'), shared: ['nonexistent'] } }), 400);
      assert.equal(bad.errors![0]!.field, 'shared.0');
      await assertProblem(await person('POST', `/api/v1/bots/${bot.id}/conversations`, {}), 404);
    });

    test("an answer links only to the member's own services; opening hours come from its service's channel", async () => {
      const own = await addTestService(database.db, 'Nuorisotalo Kipinä');
      await sql`update services set owner_member_id = ${owner.memberId} where id = ${own}`.execute(database.db);
      const channel = await addChannel(database.db, { type: 'ServiceLocation', name: 'Kipinän toimipiste', serviceId: own });
      const address = [{ type: 'Visiting', street: { fi: 'Kauppakatu' }, streetNumber: '5', postalCode: '33100', postOffice: { fi: 'Tampere' }, municipality: '837', latitude: null, longitude: null, additionalInformation: {} }];
      const hours = [{ type: 'Standard', validFrom: null, validTo: null, isClosed: false, isAlwaysOpen: false, isReservation: false, additionalInformation: {}, openingHours: [{ dayFrom: 'Monday', dayTo: 'Friday', from: '12:00', to: '20:00' }] }];
      await sql`update service_channels set addresses = ${JSON.stringify(address)}, service_hours = ${JSON.stringify(hours)} where id = ${channel}`.execute(database.db);
      const foreign = await addTestService(database.db, 'Jonkun muun palvelu');

      const linked = (id: string) => {
        const p = { ...pack('Nuorisokortin saat nuorisotalolta.'), tests: [] };
        p.intents[0]!.answer = { ...p.intents[0]!.answer, services: [id] } as never;
        return p;
      };
      const refused = await assertProblem(await owner.user.call('POST', path(owner.memberId), { name: 'Vieras', languages: ['fi', 'sv', 'en'], pack: linked(foreign) }), 400);
      assert.equal(refused.errors![0]!.field, 'intents.0.answer.services');
      const bot = await owner.user.json('POST', path(owner.memberId), { name: 'Kipinä', languages: ['fi', 'sv', 'en'], pack: linked(own) });
      await owner.user.json('POST', path(owner.memberId, `/${bot.id}/versions`), {});
      const c = (await person('POST', `/api/v1/bots/${bot.id}/conversations`, { language: 'fi' })).json();
      const card = (await person('POST', `/api/v1/bots/${bot.id}/conversations/${c.conversation_id}/messages`, { text: 'miten saan nuorisokortin' })).json();
      assert.deepEqual(card.services.map((s: { name: string }) => s.name), ['Nuorisotalo Kipinä']);
      const open = (await person('POST', `/api/v1/bots/${bot.id}/conversations/${c.conversation_id}/messages`, { text: 'milloin Kipinä on auki' })).json();
      assert.equal(open.intent, 'shared:opening-hours');
      assert.match(open.text, /Kauppakatu 5, 33100 Tampere/);
      assert.match(open.text, /ma–pe 12:00–20:00/);
    });

    test('a situation the catalogue has nothing for gets the honest answer and advice lines, no made-up service', async () => {
      const bot = await owner.user.json('POST', path(owner.memberId), { name: 'Tyhjä', languages: ['fi', 'sv', 'en'] });
      await owner.user.json('POST', path(owner.memberId, `/${bot.id}/versions`), {});
      const c = (await person('POST', `/api/v1/bots/${bot.id}/conversations`, { language: 'fi' })).json();
      const reply = (await person('POST', `/api/v1/bots/${bot.id}/conversations/${c.conversation_id}/messages`, { text: 'menetin työpaikkani enkä pysty maksamaan vuokraa' })).json();
      assert.equal(reply.intent, null);
      assert.deepEqual(reply.services, []);
      assert.match(reply.text, /En löytänyt palvelua/);
    });

    test('attack: one address past its limits gets 429 and nothing is kept; another address is still served', async () => {
      const bot = await owner.user.json('POST', path(owner.memberId), { name: 'Rajattu', languages: ['fi'] });
      await owner.user.json('POST', path(owner.memberId, `/${bot.id}/versions`), {});
      const ip = '10.66.0.1';
      const call = (url: string, payload: object, remoteAddress = ip) => app.inject({ method: 'POST', url, payload, remoteAddress });
      const c = (await call(`/api/v1/bots/${bot.id}/conversations`, {})).json();
      await fillAttempts(database.db, `${CONVERSATIONS.name}:${addressKey(ip)}`, CONVERSATIONS.limit);
      const before = (await database.db.selectFrom('chatbot_conversations').select('id').where('bot_id', '=', bot.id).execute()).length;
      assertProblem(await call(`/api/v1/bots/${bot.id}/conversations`, {}), 429, 'too-many-requests');
      assert.equal((await database.db.selectFrom('chatbot_conversations').select('id').where('bot_id', '=', bot.id).execute()).length, before);
      assert.equal((await call(`/api/v1/bots/${bot.id}/conversations`, {}, '10.66.0.2')).statusCode, 201);

      await fillAttempts(database.db, `${MESSAGES.name}:${addressKey(ip)}`, MESSAGES.limit);
      assertProblem(await call(`/api/v1/bots/${bot.id}/conversations/${c.conversation_id}/messages`, { text: 'hei' }), 429, 'too-many-requests');
      assert.equal((await database.db.selectFrom('chatbot_messages').select('id').where('conversation_id', '=', c.conversation_id).execute()).length, 1, 'the greeting only');
      assert.equal(await countAttempts(database.db, `${MESSAGES.name}:${addressKey(ip)}`), MESSAGES.limit);
    });

    test('a conversation over a WebSocket: each frame answered like the messages endpoint; a bad frame is a problem; plain GET 426', async () => {
      const bot = await owner.user.json('POST', path(owner.memberId), { name: 'Socket', languages: ['fi', 'sv', 'en'], pack: { ...pack('Nuorisokortin saat nuorisotalolta.'), tests: [] } });
      await owner.user.json('POST', path(owner.memberId, `/${bot.id}/versions`), {});
      const c = (await person('POST', `/api/v1/bots/${bot.id}/conversations`, { language: 'sv' })).json();
      const url = `/api/v1/bots/${bot.id}/conversations/${c.conversation_id}/socket`;
      await assertProblem(await app.inject({ method: 'GET', url }), 426, '/upgrade-required');
      // A real socket: injectWS sends its version header as a number, which ws 8.23 refuses.
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const socket = new WebSocket(`ws://127.0.0.1:${port}${url}`);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const frames: Record<string, any>[] = [];
      const next = () => new Promise<Record<string, any>>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
      let answer = next();
      socket.send(JSON.stringify({ text: 'hur får jag ungdomskort, ring 040 123 4567' }));
      frames.push(await answer);
      answer = next();
      socket.send('not json');
      frames.push(await answer);
      socket.terminate();
      assert.equal(frames[0]!.intent, 'youth-card');
      assert.equal(frames[0]!.language, 'sv');
      assert.equal(frames[1]!.problem.status, 400);
      const stored = await database.db.selectFrom('chatbot_messages').select('text').where('conversation_id', '=', c.conversation_id).where('author', '=', 'person').execute();
      assert.deepEqual(stored.map((m) => m.text), ['hur får jag ungdomskort, ring [phone]']);
      await assertProblem(await app.inject({ method: 'GET', url: `/api/v1/bots/${bot.id}/conversations/${bot.id}/socket` }), 404);
    });

    test('transcripts are purged after the bot\'s retention', async () => {
      const bot = await owner.user.json('POST', path(owner.memberId), { name: 'Lyhytmuisti', languages: ['fi'], retention_days: 1 });
      await owner.user.json('POST', path(owner.memberId, `/${bot.id}/versions`), {});
      const c = (await person('POST', `/api/v1/bots/${bot.id}/conversations`, {})).json();
      assert.equal(await purgeTranscripts(database.db, new Date()), 0);
      assert.ok((await purgeTranscripts(database.db, new Date(Date.now() + 2 * 86_400_000))) >= 1);
      assert.equal((await database.db.selectFrom('chatbot_messages').select('id').where('conversation_id', '=', c.conversation_id).execute()).length, 0);
    });
  });
}
