import type { Language } from '../../catalogue/model.ts';
import type { LifeEvent } from '../life-events.ts';
import { METERS, needOf, type Meter, type MeterValues } from '../meters.ts';
import type { SituationConcept } from '../situations/model.ts';
import type { ConceptMatch, SituationMatcher, Understanding } from '../situations/understand.ts';
import { ageFromText } from './age.ts';
import { detectLanguage, type TextLanguage } from '../text/analyzer.ts';

/**
 * The first stage of the pipeline: a request (meters, free text, a life event) understood as the
 * needs it expresses. Each need is something the results should serve:
 * - a life situation recognised in the text ("lost-job"), weighted by how surely it was recognised;
 * - the text's own words, which count fully when no situation was recognised and as a supplement
 *   when one was ("nettilukio" names a service no situation does);
 * - a life event, with the situations it brings ("losing_job": lost-job, laid-off);
 * - the meters: the lowest answers lead (at most one point above the lowest, and below 8); the
 *   middling ones only add context, reordering what the leading needs bring, never bringing
 *   services of their own — with housing 2, finance 1 and the rest 5, housing and money lead.
 */
export type NeedSource = 'situation' | 'text' | 'meter' | 'life_event';

export interface Need {
  /** 'situation:lost-job', 'meter:housing', 'life_event:moving', 'text'. */
  key: string;
  source: NeedSource;
  /** How much it counts, 0..1. */
  weight: number;
  /** A leading need brings candidates; a context need only reorders them. */
  lead: boolean;
  concept?: SituationConcept;
  match?: ConceptMatch;
  meter?: Meter;
  /** The meter's answer, 0..10. */
  value?: number;
  lifeEvent?: LifeEvent;
  /** The situation the person spoke of, when this is one of its neighbours (`related`), asked because the catalogue had little for it. */
  relatedTo?: SituationConcept;
}

export interface RequestUnderstanding {
  /** The language the text was read in (the request's language without text). */
  language: Language;
  situations: readonly ConceptMatch[];
  crisis: boolean;
  asker: 'person' | 'business';
  needs: Need[];
  /** The text, trimmed, when there was one. */
  text?: string;
  /** The person's age: as the request gives it, or as they say it in the text ("oon 82"). */
  age?: number;
}

export interface NeedsRequest {
  meters?: MeterValues | undefined;
  text?: string | undefined;
  textLanguage?: TextLanguage | undefined;
  lifeEvent?: LifeEvent | undefined;
  age?: number | undefined;
}

/**
 * At most this many situations lead besides crisis ones (which always do), each within BEHIND_TOP
 * of the best one, or within BEHIND_TOP_SAME_WORDS when the words it adds to those of the
 * situations before it weigh less than OWN_WORDS (see leadingSituations).
 */
const MAX_SITUATIONS = 3;
const BEHIND_TOP = 0.25;
const BEHIND_TOP_SAME_WORDS = 0.1;
/** In words of one concept (ConceptMatch.specificity): one word that about a dozen concepts share ("jobbet", "vuokraa"). */
const OWN_WORDS = 0.5;

/** How much the text's own words count when the text also named a situation. */
export const TEXT_BESIDE_SITUATIONS = 0.35;
/** How much a situation a life event brings counts, against the event's own profile. */
const EVENT_SITUATION = 0.8;
/** A meter leads when its answer is at most this much above the lowest answer. */
const LEAD_MARGIN = 1;

export function understandRequest(request: NeedsRequest, matcher: SituationMatcher): RequestUnderstanding {
  const needs: Need[] = [];
  const text = request.text?.trim() || undefined;
  let understanding: Understanding | undefined;
  const age = request.age ?? (text ? ageFromText(text) : undefined);
  if (text) {
    understanding = matcher.understand(text, request.textLanguage ? { language: request.textLanguage } : {});
    understanding = { ...understanding, concepts: forAge(understanding.concepts, age) };
    for (const match of leadingSituations(understanding.concepts))
      needs.push({ key: `situation:${match.concept.id}`, source: 'situation', weight: Math.min(1, match.score), lead: true, concept: match.concept, match });
    needs.push({ key: 'text', source: 'text', weight: needs.length ? TEXT_BESIDE_SITUATIONS : 1, lead: true });
  }
  if (request.lifeEvent) {
    needs.push({ key: `life_event:${request.lifeEvent}`, source: 'life_event', weight: 0.9, lead: true, lifeEvent: request.lifeEvent });
    for (const concept of matcher.model.concepts) {
      if (!concept.lifeEvents.includes(request.lifeEvent) || concept.audience === 'business' || concept.crisis) continue;
      if (needs.some((n) => n.concept === concept)) continue;
      needs.push({ key: `situation:${concept.id}`, source: 'situation', weight: EVENT_SITUATION * 0.9, lead: true, concept, lifeEvent: request.lifeEvent });
    }
  }
  needs.push(...meterNeeds(request.meters));
  const situations = understanding?.concepts ?? [];
  return {
    language: understanding?.language ?? request.textLanguage ?? (text ? (detectLanguage(text) as Language) : 'fi'),
    situations,
    crisis: understanding?.crisis ?? false,
    asker: understanding?.asker ?? (request.lifeEvent === 'starting_business' ? 'business' : 'person'),
    needs,
    ...(text ? { text } : {}),
    ...(age !== undefined ? { age } : {}),
  };
}

/**
 * The situations that lead, best first. A crisis always leads and takes no place of the person's
 * other needs (a crisis line beside "ahdistaa" must not push anxiety's own second reading out).
 * Another situation leads while it is nearly as sure as the best one: a second need that the
 * person names in words of its own ("menetin työpaikkani" beside "en pysty maksamaan vuokraa")
 * within BEHIND_TOP; a second reading of the words already explained, or of them and an everyday
 * word ("mulla todettiin syöpä ja pelkään etten pärjää töissä": "todettiin … pärjää" read as a
 * memory disorder beside the illness), only within BEHIND_TOP_SAME_WORDS, since the services it
 * brings are noise in the first screen unless it is about as likely as the first reading.
 */
export function leadingSituations(concepts: readonly ConceptMatch[]): ConceptMatch[] {
  const top = concepts.find((m) => !m.concept.crisis)?.score ?? 0;
  const out: ConceptMatch[] = [];
  const explained = new Set<string>();
  let leads = 0;
  for (const match of concepts) {
    if (match.concept.crisis) {
      out.push(match);
      continue;
    }
    if (leads >= MAX_SITUATIONS) continue;
    let own = 0;
    for (const [i, word] of match.words.entries()) if (!explained.has(word)) own += match.specificity[i] ?? 0;
    if (match.score < top - (leads === 0 || own >= OWN_WORDS ? BEHIND_TOP : BEHIND_TOP_SAME_WORDS)) continue;
    leads++;
    for (const word of match.words) explained.add(word);
    out.push(match);
  }
  return out;
}

/** A situation for young people (target group KR1.3 alone of the age groups) or for seniors (KR1.1) is less likely the one meant by a person of another age. */
const OTHER_AGE_SITUATION = 0.6;
const YOUNG_UNTIL = 30;
const SENIOR_FROM = 55;

function forAge(matches: readonly ConceptMatch[], age: number | undefined): readonly ConceptMatch[] {
  if (age === undefined) return matches;
  const only = (concept: SituationConcept, group: string) => {
    const ages = concept.targetGroups.filter((g) => g.startsWith('KR1.1') || g.startsWith('KR1.2') || g.startsWith('KR1.3'));
    return ages.length > 0 && ages.every((g) => g === group);
  };
  return matches
    .map((m) => ((only(m.concept, 'KR1.3') && age >= YOUNG_UNTIL) || (only(m.concept, 'KR1.1') && age < SENIOR_FROM) ? { ...m, score: m.score * OTHER_AGE_SITUATION } : m))
    .sort((a, b) => b.score - a.score);
}

/** The meters' needs: the lowest answers lead, the other answers below 8 add context. */
export function meterNeeds(meters: MeterValues | undefined): Need[] {
  const answered = METERS.filter((m) => meters?.[m] !== undefined && needOf(meters[m]!) > 0);
  if (answered.length === 0) return [];
  const lowest = Math.min(...answered.map((m) => meters![m]!));
  return answered.map((meter) => {
    const value = meters![meter]!;
    return { key: `meter:${meter}`, source: 'meter', weight: needOf(value), lead: value <= lowest + LEAD_MARGIN, meter, value } satisfies Need;
  });
}
