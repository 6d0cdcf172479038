import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainBot } from '../bot-model.ts';
import { respond, type ConversationState, type Network } from './engine.ts';
import { starterPack, type Pack } from '../pack.ts';
import { SHARED_DIALOGUE_IDS } from '../shared-bank.ts';

/**
 * The engine's order of things, with the network stubbed: crisis first whatever is going on, an
 * open check or form before intents, intents when sure, else the recommender's own answer — with
 * nothing made up when it has nothing.
 */
function stubNetwork(over: Partial<Network> = {}) {
  const asked: Parameters<Network['recommend']>[0][] = [];
  const network: Network = {
    isCrisis: async (text) => /tappaa itseni/.test(text),
    crisisLines: () => [{ name: 'Kriisipuhelin', phone: '09 2525 0111', description: 'Kriisi' }],
    recommend: async (input) => {
      asked.push(input);
      return { services: [], nothingFits: true, understood: true, helpLines: [{ name: 'Neuvonta', phone: '0295 000', description: 'Neuvoo' }] };
    },
    serviceNames: async () => [],
    serviceContacts: async () => ['Nuorisotalo · Kauppakatu 1 · MA–PE 9–16'],
    ...over,
  };
  return { network, asked };
}

const withForm = (): Pack => ({
  ...starterPack(['fi', 'sv', 'en']),
  shared: [...SHARED_DIALOGUE_IDS],
  handover: {},
  intents: [
    {
      id: 'booking',
      examples: { fi: ['haluan varata ajan', 'ajanvaraus', 'varaa aika', 'voinko varata ajan', 'tarvitsen ajan'], sv: ['boka tid', 'jag vill boka en tid', 'tidsbokning'], en: ['book an appointment', 'i want to book a time', 'appointment booking'] },
      answer: { text: { fi: 'Varataan aika.', sv: 'Vi bokar en tid.', en: 'Let us book a time.' } },
      form: 'when',
    },
  ],
  forms: [{ id: 'when', slots: [{ name: 'day', kind: 'date', prompt: { fi: 'Minä päivänä?', sv: 'Vilken dag?', en: 'Which day?' } }], done: { fi: 'Varattu {day}.', sv: 'Bokat {day}.', en: 'Booked {day}.' } }],
});

async function talk(pack: Pack, network: Network, lines: string[]) {
  const model = trainBot(pack);
  let state: ConversationState = { language: 'fi' };
  const replies = [];
  for (const line of lines) {
    const turn = await respond(model, network, state, line);
    state = turn.state;
    replies.push(turn.reply);
  }
  return { replies, state };
}

test('a form asks again for what it did not get, fills the slot, then says it is done', async () => {
  const { network } = stubNetwork();
  const { replies, state } = await talk(withForm(), network, ['haluan varata ajan', 'en tiedä vielä', '2027-03-04']);
  assert.equal(replies[0]!.intent, 'booking');
  assert.equal(replies[0]!.expects, 'date');
  assert.equal(replies[1]!.text, 'Minä päivänä?', 'asked again');
  assert.equal(replies[2]!.text, 'Varattu 2027-03-04.');
  assert.equal(state.form, undefined);
});

test('crisis goes first, even in the middle of a form, and drops the form', async () => {
  const { network } = stubNetwork();
  const { replies, state } = await talk(withForm(), network, ['haluan varata ajan', 'aion tappaa itseni']);
  assert.equal(replies[1]!.intent, 'shared:crisis');
  assert.equal(replies[1]!.help_lines[0]!.phone, '09 2525 0111');
  assert.equal(state.form, undefined);
});

test('the life-situation check asks ten questions, refuses what is not 0–10, and recommends from the meters', async () => {
  const { network, asked } = stubNetwork();
  const answers = ['3', '11', '4', '7', '2', '8', '6', '5', '9', '1', '10'];
  const { replies } = await talk(withForm(), network, ['haluan tehdä elämäntilannekyselyn', ...answers]);
  assert.equal(replies[0]!.intent, 'shared:life-check');
  assert.match(replies[0]!.text, /1\/10/);
  assert.match(replies[2]!.text, /0–10/, '11 is refused and the question asked again');
  assert.match(replies[2]!.text, /2\/10/);
  assert.equal(asked.length, 1);
  assert.deepEqual(asked[0]!.meters, { health: 3, resilience: 4, housing: 7, working_studying: 2, family: 8, friends: 6, finance: 5, improvement_of_strengths: 9, self_esteem: 1, life_satisfaction: 10 });
  assert.match(replies.at(-1)!.text, /En löytänyt palvelua/, 'nothing fits is said, nothing made up');
});

test('an unsure message goes to the recommender with the municipality and age the person gave', async () => {
  const found = stubNetwork({ recommend: async () => ({ services: [{ service_id: 's1', name: 'Velkaneuvonta', url: '/r/x/s1', transferable: false }], nothingFits: false, understood: true, helpLines: [] }) });
  const { replies } = await talk(withForm(), found.network, ['menetin työni enkä pysty maksamaan vuokraa, asun Tampereella']);
  assert.equal(replies[0]!.intent, null);
  assert.equal(replies[0]!.services[0]!.name, 'Velkaneuvonta');
  const { network, asked } = stubNetwork();
  await talk(withForm(), network, ['olen 17 ja asun Oulussa, minulla on velkoja']);
  assert.equal(asked[0]!.municipality, '564');
  assert.equal(asked[0]!.age, 17);
});

test('handover without a phone or chat says so and gives advice lines; opening hours come from the catalogue', async () => {
  const { network } = stubNetwork();
  const { replies } = await talk(withForm(), network, ['haluan puhua ihmisen kanssa', 'milloin olette auki']);
  assert.equal(replies[0]!.handover, null);
  assert.equal(replies[0]!.help_lines[0]!.name, 'Neuvonta');
  assert.match(replies[1]!.text, /Kauppakatu 1/);
});

test('the reply follows the language the person writes in', async () => {
  const { network } = stubNetwork();
  const { replies } = await talk(withForm(), network, ['jag vill boka en tid', 'i want to book a time']);
  assert.equal(replies[0]!.language, 'sv');
  assert.equal(replies[0]!.text.split('\n')[0], 'Vi bokar en tid.');
  assert.equal(replies[1]!.language, 'en');
});

test('take my story: the services last shown that receive transfers, in their order; kept answers; without any, how to find one', async () => {
  const shown = [
    { service_id: 's1', name: 'Velkaneuvonta', url: null, transferable: false },
    { service_id: 's2', name: 'Nettilukio', url: null, transferable: true },
    { service_id: 's3', name: 'Asumisneuvonta', url: null, transferable: true },
  ];
  const { network } = stubNetwork({
    recommend: async () => ({ services: shown, nothingFits: false, understood: true, helpLines: [] }),
    // The catalogue answers in its own order: the reply keeps the order the person saw.
    serviceNames: async (ids) => [...shown].reverse().filter((s) => ids.includes(s.service_id)),
  });
  const answers = ['3', '4', '7', '2', '8', '6', '5', '9', '1', '10'];
  const { replies, state } = await talk(withForm(), network, ['aloita kysely', ...answers, 'vie tietoni seuraavaan palveluun', 'ta min berättelse vidare']);
  assert.deepEqual(state.meters, { health: 3, resilience: 4, housing: 7, working_studying: 2, family: 8, friends: 6, finance: 5, improvement_of_strengths: 9, self_esteem: 1, life_satisfaction: 10 }, 'the answers stay after the check');
  assert.equal(state.check, undefined);
  const story = replies.at(-2)!;
  assert.equal(story.intent, 'shared:take-story');
  assert.deepEqual(story.services.map((s) => s.service_id), ['s2', 's3']);
  assert.deepEqual(state.shown, ['s1', 's2', 's3'], 'the take-story reply does not narrow what was shown');
  assert.equal(replies.at(-1)!.language, 'sv');
  assert.deepEqual(replies.at(-1)!.services.map((s) => s.service_id), ['s2', 's3']);

  const none = await talk(withForm(), stubNetwork().network, ['take my story to the next service']);
  assert.equal(none.replies[0]!.intent, 'shared:take-story');
  assert.deepEqual(none.replies[0]!.services, []);
  assert.match(none.replies[0]!.text, /life-situation check/);
});
