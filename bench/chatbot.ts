/** Chatbot: training time per pack, message latency p50/p99 at concurrency 32 (engine, stub network), intent accuracy per language on held-out phrasings. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainBot } from '../src/chatbot/bot-model.ts';
import { respond, type Network } from '../src/chatbot/engine.ts';
import { maskPersonalData } from '../src/chatbot/mask.ts';
import { starterPack, type BotLanguage } from '../src/chatbot/pack.ts';
import { SHARED_DIALOGUE_IDS } from '../src/chatbot/shared-bank.ts';

export async function main() {
  const pack = { ...starterPack(['fi', 'sv', 'en']), shared: [...SHARED_DIALOGUE_IDS], handover: { phone: '+358 9 123 456' } };
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    trainBot(pack);
    times.push(performance.now() - t);
  }
  console.log(`training (shared bank, 3 languages, ${SHARED_DIALOGUE_IDS.length} intents): median ${times.sort((a, b) => a - b)[2]!.toFixed(1)} ms`);
  const model = trainBot(pack);
  const heldOut = JSON.parse(readFileSync(join(import.meta.dirname, 'chatbot', 'held-out.json'), 'utf8')) as Record<BotLanguage, [string, string][]>;
  const accuracy: Record<string, number> = {};
  for (const language of ['fi', 'sv', 'en'] as const) {
    const right = heldOut[language].filter(([text, intent]) => model.classifier.classify(text, language).intent === `shared:${intent}`).length;
    accuracy[language] = right / heldOut[language].length;
    console.log(`held-out accuracy ${language}: ${(accuracy[language] * 100).toFixed(1)} % (${right}/${heldOut[language].length})`);
  }
  console.log(`sv as a share of fi: ${(accuracy.sv! / accuracy.fi!).toFixed(2)}, en: ${(accuracy.en! / accuracy.fi!).toFixed(2)}`);
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
  console.log(`message latency at concurrency 32 (engine only, stub network): p50 ${latencies[Math.floor(latencies.length * 0.5)]!.toFixed(2)} ms, p99 ${latencies[Math.floor(latencies.length * 0.99)]!.toFixed(2)} ms`);
}
