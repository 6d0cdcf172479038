/**
 * Chatbot: training time per pack, message latency p50/p99 at concurrency 32, intent accuracy per language on held-out phrasings.
 *
 * Accuracy: the shared bank's 5-fold cross-validation, and bench/chatbot/held-out.json (phrasings
 * written as people write, before the bank's examples were read, none in the bank; out-of-scope
 * lines that no intent may take), scored as the engine decides, at the threshold. `--accuracy`
 * stops before the latencies. Latency: the engine alone (network stubbed), then the
 * whole HTTP path on PGlite (a server in this process, 32 conversations sending at once; the
 * recommender answers over an empty catalogue, so its own ranking is not what is timed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainBot } from '../src/chatbot/bot-model.ts';
import { evaluatePack } from '../src/chatbot/evaluate-pack.ts';
import { buildServer } from '../src/http/server.ts';
import { createNetworkAdmin } from '../src/staff/staff.ts';
import { ConsoleUser, approvedMember } from '../src/testing/console.ts';
import { createTestDatabase } from '../src/testing/databases.ts';
import { respond, type Network } from '../src/chatbot/conversations/engine.ts';
import { maskPersonalData } from '../src/chatbot/conversations/mask.ts';
import { LANGUAGES, starterPack } from '../src/chatbot/pack.ts';
import { SHARED_DIALOGUE_IDS } from '../src/chatbot/shared-bank.ts';
import { heldOutFigures, readHeldOut } from './chatbot/held-out.ts';

export async function main(argv: string[] = []) {
  const pack = { ...starterPack(['fi', 'sv', 'en']), shared: [...SHARED_DIALOGUE_IDS], handover: { phone: '+358 9 123 456' } };
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    trainBot(pack);
    times.push(performance.now() - t);
  }
  console.log(`training (shared bank, 3 languages, ${SHARED_DIALOGUE_IDS.length} intents): median ${times.sort((a, b) => a - b)[2]!.toFixed(1)} ms`);
  const folds = evaluatePack(pack, 5);
  for (const [language, figures] of Object.entries(folds.languages)) console.log(`5-fold accuracy ${language}: ${(figures.accuracy * 100).toFixed(1)} % of ${figures.examples} examples`);
  console.log(`5-fold sv as a share of fi: ${folds.share_of_fi.sv}, en: ${folds.share_of_fi.en}`);
  const model = trainBot(pack);
  const heldOut = readHeldOut();
  const figures = heldOutFigures(model, heldOut);
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  for (const language of LANGUAGES) {
    const f = figures[language];
    console.log(`held-out ${language}: answered right ${pct(f.answered)}, best intent right ${pct(f.top1)} (${f.inScope} in scope); out of scope taken by an intent ${pct(f.falseIntent)} (${f.outOfScope}); language detected ${pct(f.language)}`);
  }
  console.log(`held-out answered right, sv as a share of fi: ${(figures.sv.answered / figures.fi.answered).toFixed(2)}, en: ${(figures.en.answered / figures.fi.answered).toFixed(2)} (threshold ${model.threshold})`);
  if (argv.includes('--accuracy')) return;
  const stub: Network = { isCrisis: async () => false, crisisLines: () => [], recommend: async () => ({ services: [], nothingFits: true, understood: false, helpLines: [] }), serviceNames: async () => [], serviceContacts: async () => [] };
  const messages = Object.values(heldOut).flat().map(([text]) => text);
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < 3200) {
      const text = messages[next++ % messages.length]!;
      const t = performance.now();
      await respond(model, stub, {}, maskPersonalData(text));
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  latencies.sort((a, b) => a - b);
  console.log(`message latency at concurrency 32 (engine only, stub network): ${percentiles(latencies)}`);
  await overHttp(pack, messages);
}

const percentiles = (sorted: number[]) => `p50 ${sorted[Math.floor(sorted.length * 0.5)]!.toFixed(2)} ms, p99 ${sorted[Math.floor(sorted.length * 0.99)]!.toFixed(2)} ms (${sorted.length} messages)`;

async function overHttp(pack: object, messages: string[]) {
  const database = await createTestDatabase('pglite');
  const app = await buildServer({ database, logger: false, nats: null, purgeIntervalMs: 0, profileCallIntervalMs: 0, eventDeliveryIntervalMs: 0 });
  try {
    await createNetworkAdmin(database.db, { email: 'bench@aurora.example', name: 'Bench', password: 'bench-salasana-pitka' }, 'bench');
    const admin = await new ConsoleUser(app).loginOk('bench@aurora.example', 'bench-salasana-pitka');
    const member = await approvedMember(admin, { name: 'Bench', email: 'bot@bench.example', password: 'bench-salasana-pitka' });
    const bot = await member.user.json('POST', `/api/v1/console/members/${member.memberId}/bots`, { name: 'Bench', languages: ['fi', 'sv', 'en'], pack });
    await member.user.json('POST', `/api/v1/console/members/${member.memberId}/bots/${bot.id}/versions`, {});
    const latencies: number[] = [];
    let sent = 0;
    const person = async (i: number) => {
      const remoteAddress = `10.77.${i}.1`;
      const conversation = (await app.inject({ method: 'POST', url: `/api/v1/bots/${bot.id}/conversations`, payload: {}, remoteAddress })).json();
      while (sent < 640) {
        const text = messages[sent++ % messages.length]!;
        const t = performance.now();
        const response = await app.inject({ method: 'POST', url: `/api/v1/bots/${bot.id}/conversations/${conversation.conversation_id}/messages`, payload: { text }, remoteAddress });
        if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
        latencies.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: 32 }, (_, i) => person(i)));
    latencies.sort((a, b) => a - b);
    console.log(`message latency at concurrency 32 over HTTP (PGlite, empty catalogue): ${percentiles(latencies)}`);
  } finally {
    await app.close();
    await database.close();
  }
}
