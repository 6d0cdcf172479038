import { METERS, METER_NAMES, type Meter } from '../../recommender/meter-names.ts';
import type { BotModel } from '../bot-model.ts';
import { findAge, findDate, findMunicipality } from '../nlu/entities.ts';
import type { BotLanguage, Form } from '../pack.ts';
import { SHARED_PREFIX, sharedDialogue } from '../shared-bank.ts';

/**
 * One turn of a conversation: the message (masked already) and the conversation's state in, the
 * bot's reply and the new state out. Crisis first, whatever else is going on; then an open form or
 * life-situation check; then the intent, when the classifier is sure enough; else the recommender
 * on the person's own words, with its honest "nothing fits". What the engine needs from the
 * network (the recommender, crisis understanding, a service's contacts) comes through `Network`.
 */
export interface ConversationState {
  language?: BotLanguage;
  form?: { id: string; slot: number; values: Record<string, string | number> };
  check?: { question: number; answers: Partial<Record<Meter, number>> };
  municipality?: string;
  age?: number;
  /** The check's answers once it is done: what the person may take to the next service. */
  meters?: Partial<Record<Meter, number>>;
  /** The services the last reply with services showed, for "take my story to the next service". */
  shown?: string[];
}

export interface ServiceLink {
  service_id: string;
  name: string;
  url: string | null;
  /** Whether one of the service's channels receives transfers (src/person/transfer-targets.ts). */
  transferable: boolean;
}
export interface HelpLineView {
  name: string;
  phone: string;
  description: string;
}
export interface Reply {
  text: string;
  language: BotLanguage;
  intent: string | null;
  confidence: number;
  services: ServiceLink[];
  help_lines: HelpLineView[];
  handover: { phone: string | null; chat_url: string | null } | null;
  /** What the bot waits for now: a form's slot, a check's answer, or nothing in particular. */
  expects: 'age' | 'municipality' | 'date' | 'meter' | null;
}

export interface Network {
  isCrisis(text: string, language: BotLanguage): Promise<boolean>;
  crisisLines(language: BotLanguage, municipality?: string): HelpLineView[];
  recommend(input: { text?: string; meters?: Partial<Record<Meter, number>>; language: BotLanguage; municipality?: string; age?: number }): Promise<{ services: ServiceLink[]; nothingFits: boolean; understood: boolean; helpLines: HelpLineView[] }>;
  serviceNames(ids: readonly string[], language: BotLanguage): Promise<ServiceLink[]>;
  /** The member's services' channels with addresses and hours, the one the text names first. */
  serviceContacts(text: string, language: BotLanguage): Promise<string[]>;
}

const T = {
  nothingFits: { fi: 'En löytänyt palvelua, joka sopisi tähän hyvin. En halua arvata: voit kertoa tilanteestasi toisin sanoin, tehdä elämäntilannekyselyn tai soittaa neuvontaan.', sv: 'Jag hittade ingen tjänst som passar bra. Jag vill inte gissa: du kan beskriva din situation med andra ord, göra livssituationskollen eller ringa rådgivningen.', en: 'I did not find a service that fits this well. I would rather not guess: you can describe your situation in other words, do the life-situation check or call an advice line.' },
  found: { fi: 'Nämä palvelut voisivat auttaa:', sv: 'De här tjänsterna kan hjälpa:', en: 'These services could help:' },
  notUnderstood: { fi: 'En ymmärtänyt aivan. Kerro tilanteestasi omin sanoin, tai kirjoita "apua" nähdäksesi, mitä osaan.', sv: 'Jag förstod inte riktigt. Berätta om din situation med egna ord, eller skriv "hjälp" för att se vad jag kan.', en: 'I did not quite understand. Tell me about your situation in your own words, or write "help" to see what I can do.' },
  question: { fi: 'Kuinka tyytyväinen olet nyt tähän: {area}? (0–10)', sv: 'Hur nöjd är du nu med detta: {area}? (0–10)', en: 'How satisfied are you now with this: {area}? (0–10)' },
  number: { fi: 'Vastaa numerolla 0–10, tai kirjoita "lopeta".', sv: 'Svara med ett tal 0–10, eller skriv "sluta".', en: 'Answer with a number 0–10, or write "stop".' },
  checkDone: { fi: 'Kiitos vastauksista. Niiden perusteella nämä palvelut voisivat auttaa:', sv: 'Tack för svaren. Utifrån dem kan de här tjänsterna hjälpa:', en: 'Thank you for your answers. Going by them, these services could help:' },
  checkStopped: { fi: 'Lopetin kyselyn. Voit aloittaa sen uudelleen milloin tahansa.', sv: 'Jag avbröt enkäten. Du kan börja om när som helst.', en: 'I stopped the check. You can start it again any time.' },
  noHandover: { fi: 'Tämä palvelu ei ole antanut yhteystietoja ihmiselle. Soita neuvontaan:', sv: 'Den här tjänsten har inte gett kontaktuppgifter till en människa. Ring rådgivningen:', en: 'This service has not given a way to reach a person. Please call an advice line:' },
  phone: { fi: 'Puhelin: {phone}', sv: 'Telefon: {phone}', en: 'Phone: {phone}' },
  chat: { fi: 'Chat: {url}', sv: 'Chatt: {url}', en: 'Chat: {url}' },
  nothingToTake: { fi: 'En ole vielä näyttänyt sinulle palvelua, joka ottaa tietoja vastaan. Kerro ensin tilanteestasi tai tee elämäntilannekysely, niin etsin palvelun; sen jälkeen voit viedä vastauksesi sinne.', sv: 'Jag har ännu inte visat dig någon tjänst som tar emot uppgifter. Berätta först om din situation eller gör livssituationskollen så söker jag en tjänst; sedan kan du ta dina svar dit.', en: 'I have not shown you a service that receives information yet. First tell me about your situation or do the life-situation check and I will look for a service; then you can take your answers there.' },
  noContacts: { fi: 'En löytänyt aukioloaikoja tai osoitteita.', sv: 'Jag hittade inga öppettider eller adresser.', en: 'I found no opening hours or addresses.' },
} satisfies Record<string, Record<BotLanguage, string>>;
const STOP = /^(lopeta|stop|sluta|keskeytä|avbryt|cancel|quit)\b/i;

const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w[\w-]*)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));

export async function respond(model: BotModel, network: Network, state: ConversationState, text: string): Promise<{ reply: Reply; state: ConversationState }> {
  const turn = await answer(model, network, state, text);
  // The services a reply showed are what "take my story to the next service" offers next; the
  // take-story reply itself shows a subset and leaves the list as it was.
  if (turn.reply.services.length && turn.reply.intent !== `${SHARED_PREFIX}take-story`) turn.state.shown = turn.reply.services.map((s) => s.service_id);
  return turn;
}

async function answer(model: BotModel, network: Network, state: ConversationState, text: string): Promise<{ reply: Reply; state: ConversationState }> {
  const pack = model.pack;
  const language = model.detector.detect(text, pack.languages, state.language);
  const next: ConversationState = { ...state, language };
  const base = (over: Partial<Reply>): Reply => ({ text: '', language, intent: null, confidence: 0, services: [], help_lines: [], handover: null, expects: null, ...over });
  const said = (reply: Partial<Reply>) => ({ reply: base(reply), state: next });
  const municipality = findMunicipality(text);
  if (municipality) next.municipality = municipality;
  const age = findAge(text);
  if (age !== null) next.age = age;
  const classification = model.classifier.classify(text, language);
  const sure = classification.intent !== null && classification.confidence >= model.threshold;

  if ((await network.isCrisis(text, language)) || (sure && classification.intent === `${SHARED_PREFIX}crisis`)) {
    delete next.form;
    delete next.check;
    return said({ text: sharedDialogue('crisis')!.answer[language], intent: `${SHARED_PREFIX}crisis`, confidence: 1, help_lines: network.crisisLines(language, next.municipality) });
  }

  if (state.check) {
    if (STOP.test(text.trim())) {
      delete next.check;
      return said({ text: T.checkStopped[language], intent: `${SHARED_PREFIX}life-check` });
    }
    const answer = /^\D*?(\d{1,2})\D*$/.exec(text.trim());
    const value = answer ? Number(answer[1]) : NaN;
    if (value >= 0 && value <= 10) {
      const answers = { ...state.check.answers, [METERS[state.check.question]!]: value };
      if (state.check.question + 1 < METERS.length) {
        next.check = { question: state.check.question + 1, answers };
        return said({ text: meterQuestion(state.check.question + 1, language), intent: `${SHARED_PREFIX}life-check`, expects: 'meter' });
      }
      delete next.check;
      next.meters = answers;
      const found = await network.recommend({ meters: answers, language, ...where(next) });
      return said({ text: found.services.length ? T.checkDone[language] : T.nothingFits[language], intent: `${SHARED_PREFIX}life-check`, services: found.services, help_lines: found.helpLines });
    }
    if (!sure) return said({ text: `${T.number[language]} ${meterQuestion(state.check.question, language)}`, intent: `${SHARED_PREFIX}life-check`, expects: 'meter' });
    delete next.check;
  }

  if (state.form) {
    const form = pack.forms.find((f) => f.id === state.form!.id);
    const slot = form?.slots[state.form.slot];
    if (form && slot) {
      const value = slot.kind === 'age' ? findAge(text, true) : slot.kind === 'municipality' ? municipality : findDate(text);
      if (value !== null) {
        const values = { ...state.form.values, [slot.name]: slot.kind === 'municipality' ? municipalityName(value as string, text) : value };
        if (slot.kind === 'age') next.age = value as number;
        return formStep(form, state.form.slot + 1, values, language, next, base, state.form.id);
      }
      if (!sure) return said({ text: slot.prompt[language] ?? '', intent: `form:${form.id}`, expects: slot.kind });
    }
    delete next.form;
  }

  if (sure) {
    const intent = classification.intent!;
    const confidence = classification.confidence;
    if (intent.startsWith(SHARED_PREFIX)) return shared(intent.slice(SHARED_PREFIX.length), text, language, confidence, model, network, next, base);
    const own = pack.intents.find((i) => i.id === intent)!;
    const services = own.answer.services?.length ? await network.serviceNames(own.answer.services, language) : [];
    const answer = own.answer.text[language] ?? '';
    const form = own.form ? pack.forms.find((f) => f.id === own.form) : undefined;
    if (form) {
      const step = formStep(form, 0, {}, language, next, base, form.id);
      return { reply: { ...step.reply, text: `${answer}\n${step.reply.text}`, intent, confidence, services }, state: step.state };
    }
    return said({ text: answer, intent, confidence, services });
  }

  const found = await network.recommend({ text, language, ...where(next) });
  if (found.services.length) return said({ text: T.found[language], confidence: classification.confidence, services: found.services, help_lines: found.helpLines });
  return said({ text: found.understood || found.nothingFits ? T.nothingFits[language] : T.notUnderstood[language], confidence: classification.confidence, help_lines: found.helpLines });
}

const where = (state: ConversationState) => ({ ...(state.municipality ? { municipality: state.municipality } : {}), ...(state.age !== undefined ? { age: state.age } : {}) });

function meterQuestion(index: number, language: BotLanguage) {
  return `${index + 1}/10. ${fill(T.question[language], { area: METER_NAMES[METERS[index]!][language] })}`;
}

function municipalityName(code: string, text: string) {
  // The person's own word for it reads best in the answer; the code is what is kept.
  return text.trim().length <= 40 ? text.trim() : code;
}

function formStep(form: Form, slot: number, values: Record<string, string | number>, language: BotLanguage, next: ConversationState, base: (o: Partial<Reply>) => Reply, id: string) {
  const pending = form.slots[slot];
  if (pending) {
    next.form = { id, slot, values };
    return { reply: base({ text: pending.prompt[language] ?? '', intent: `form:${id}`, confidence: 1, expects: pending.kind }), state: next };
  }
  delete next.form;
  return { reply: base({ text: fill(form.done[language] ?? '', values), intent: `form:${id}`, confidence: 1 }), state: next };
}

async function shared(id: string, text: string, language: BotLanguage, confidence: number, model: BotModel, network: Network, next: ConversationState, base: (o: Partial<Reply>) => Reply) {
  const dialogue = sharedDialogue(id)!;
  const intent = SHARED_PREFIX + id;
  const said = (over: Partial<Reply>) => ({ reply: base({ intent, confidence, ...over }), state: next });
  switch (dialogue.action) {
    case 'recommend': {
      const found = await network.recommend({ text, language, ...where(next) });
      if (found.services.length) return said({ text: T.found[language], services: found.services, help_lines: found.helpLines });
      return said({ text: dialogue.answer[language] });
    }
    case 'life-check':
      next.check = { question: 0, answers: {} };
      return said({ text: `${dialogue.answer[language]}\n${meterQuestion(0, language)}`, expects: 'meter' });
    case 'handover': {
      const { phone, chat_url } = model.pack.handover;
      if (!phone && !chat_url) {
        const found = await network.recommend({ text, language, ...where(next) });
        return said({ text: T.noHandover[language], help_lines: found.helpLines });
      }
      const lines = [dialogue.answer[language], ...(phone ? [fill(T.phone[language], { phone })] : []), ...(chat_url ? [fill(T.chat[language], { url: chat_url })] : [])];
      return said({ text: lines.join('\n'), handover: { phone: phone ?? null, chat_url: chat_url ?? null } });
    }
    case 'service-hours': {
      const contacts = await network.serviceContacts(text, language);
      return said({ text: contacts.length ? [dialogue.answer[language], ...contacts].join('\n') : T.noContacts[language] });
    }
    case 'take-story': {
      const shown = next.shown?.length ? await network.serviceNames(next.shown, language) : [];
      const order = new Map((next.shown ?? []).map((id, i) => [id, i]));
      const services = shown.filter((s) => s.transferable).sort((a, b) => order.get(a.service_id)! - order.get(b.service_id)!);
      return said({ text: services.length ? dialogue.answer[language] : T.nothingToTake[language], services });
    }
    default:
      return said({ text: dialogue.answer[language] });
  }
}
