import type { Language } from '../../catalogue/model.ts';
import { codeLists } from '../../catalogue/codelists.ts';
import type { Db } from '../../db/database.ts';
import { HttpProblem, notFound } from '../../http/problem.ts';
import { ownTransferPurpose } from '../../person/send-own-data.ts';
import { transferTargets, type TransferTarget } from '../../person/transfer-targets.ts';
import { METERS, METER_NAMES } from '../../recommender/meter-names.ts';
import { ATTRIBUTE_TEXTS } from '../../transfers/attribute-texts.ts';
import { validateAttributes } from '../../transfers/attributes.ts';
import type { ConversationState } from './engine.ts';
import { text } from './network.ts';

/**
 * "Take my story to the next service": what this conversation could carry to a service, for the
 * consent question the chat widget then asks. Only what the person told this conversation (their
 * municipality, age, the life-situation check's answers), in the attribute registry's terms, and
 * only what the service's receiving channels accept. Nothing is stored or sent here: sending is the
 * person's own `POST /api/v1/my/transfers`, after they have ticked each item themselves.
 */

export interface OfferedAttribute {
  name: string;
  label: string;
  value: unknown;
  value_text: string;
}

export interface TransferOffer {
  service: { id: string; name: string };
  targets: TransferTarget[];
  attributes: OfferedAttribute[];
  purpose: string;
}

const YEARS: Record<Language, (n: number) => string> = { fi: (n) => `${n} vuotta`, sv: (n) => `${n} år`, en: (n) => `${n} years` };


/** What the conversation gathered, as registry attributes and their values in words. */
export function gatheredAttributes(state: ConversationState, language: Language): OfferedAttribute[] {
  const out: Omit<OfferedAttribute, 'label'>[] = [];
  if (state.age !== undefined) out.push({ name: 'age', value: state.age, value_text: YEARS[language](state.age) });
  if (state.municipality) {
    const municipality = codeLists().municipalities.find((m) => m.code === state.municipality);
    const place = municipality ? text(municipality.name, language) : '';
    out.push({ name: 'municipality_code', value: state.municipality, value_text: place ? `${place} (${state.municipality})` : state.municipality });
  }
  const meters = METERS.filter((m) => typeof state.meters?.[m] === 'number');
  if (meters.length)
    out.push({
      name: 'life_situation_meters',
      // The registry keeps a series per area; a conversation's check gives one answer each.
      value: Object.fromEntries(meters.map((m) => [m, [state.meters![m]!]])),
      value_text: meters.map((m) => `${METER_NAMES[m][language]} ${state.meters![m]}/10`).join(', '),
    });
  // A value the registry would refuse is never offered: the person could not send it anyway.
  return out.filter((a) => validateAttributes({ [a.name]: a.value }).length === 0).map((a) => ({ ...a, label: ATTRIBUTE_TEXTS[a.name]?.title[language] ?? a.name }));
}

const nothingToTake = (detail: string) => new HttpProblem(422, 'chatbot-nothing-to-take', 'Nothing to take to this service', detail);

/** 404 for an unknown or expired conversation (or another bot's) and an unknown service; 422 when nothing gathered is accepted there. */
export async function offerTransfer(db: Db, botId: string, conversationId: string, serviceId: string): Promise<TransferOffer> {
  const conversation = await db.selectFrom('chatbot_conversations').select(['state', 'language', 'expires_at']).where('id', '=', conversationId).where('bot_id', '=', botId).executeTakeFirst();
  if (!conversation || new Date(conversation.expires_at) < new Date()) throw notFound(`no conversation ${conversationId}`);
  const service = await db.selectFrom('services').select(['id', 'name']).where('id', '=', serviceId).executeTakeFirst();
  if (!service) throw notFound(`no service ${serviceId}`);
  const language = conversation.language as Language;
  const targets = await transferTargets(db, serviceId);
  if (!targets.length) throw nothingToTake('this service receives no transfers');
  const accepted = new Set(targets.flatMap((t) => t.accepts));
  const gathered = gatheredAttributes(conversation.state as ConversationState, language);
  const attributes = gathered.filter((a) => accepted.has(a.name));
  if (!attributes.length)
    throw nothingToTake(
      gathered.length
        ? `the service accepts ${[...accepted].join(', ')}; this conversation gathered ${gathered.map((a) => a.name).join(', ')}`
        : 'this conversation has gathered nothing to take yet: a municipality, an age or the life-situation check',
    );
  const name = text(service.name, language) || service.id;
  return { service: { id: service.id, name }, targets, attributes, purpose: ownTransferPurpose(language, name) };
}
