import { text } from '../catalogue/present.ts';
import { LANGUAGES, type Language } from '../catalogue/model.ts';
import { explanationText, reasonText, type Reason } from './explain.ts';
import { LIFE_EVENT_IDS, LIFE_EVENTS, type LifeEvent } from './life-events.ts';
import type { Answer, RecommendedService } from './recommender.ts';
import { configuredHelpLines, helpLinesFor, presentHelpLine, type HelpLine } from './situations/help-lines.ts';
import type { StoredRecommendation } from './store.ts';

/** A recommendation as our API answers it (`RecommendResponse`): texts and reasons in one language, each service linked through /r/. */
export function presentRecommendation(
  recommendation: StoredRecommendation,
  results: RecommendedService[],
  language: Language,
  answer?: Omit<Answer, 'items'>,
  where: { municipality?: string | null } = {},
) {
  const presented = presentAnswer({ ...(answer ?? { understanding: undefined, nothingFits: false }), items: results }, language, where);
  return {
    recommendation_id: recommendation.id,
    ...presented,
    items: presented.items.map((item) => ({ ...item, open_url: `/r/${recommendation.id}/${item.service_id}` })),
  };
}

/**
 * An answer in one language: what was understood, the help lines (a municipality's own first, where
 * the person's municipality is known), what to try instead and the services with their reasons.
 */
export function presentAnswer(
  answer: Omit<Answer, 'understanding'> & { understanding: Answer['understanding'] | undefined },
  language: Language,
  where: { municipality?: string | null } = {},
) {
  const results = answer.items;
  const understanding = answer.understanding;
  const situations = understanding?.situations ?? [];
  const nothingFits = answer.nothingFits;
  const crisis = understanding?.crisis ?? false;
  const lines = helpLinesFor(configuredHelpLines(), { crisis, nothingFits, situations: situations.map((s) => s.concept.id), municipality: where.municipality });
  return {
    language,
    understood: {
      language: understanding?.language ?? language,
      situations: situations.map((s) => ({ id: s.concept.id, label: s.concept.label[language], said: s.concept.said[language], confidence: Math.min(1, s.score) })),
      crisis,
      asker: understanding?.asker ?? 'person',
      ...(understanding?.age !== undefined ? { age: understanding.age } : {}),
    },
    nothing_fits: nothingFits,
    help_lines: lines.map((line) => presentHelpLine(line, language)),
    try_instead: nothingFits && understanding ? tryInstead(understanding, lines, language) : [],
    items: results.map((r) => ({
      service_id: r.serviceId,
      score: r.score,
      confidence: r.confidence,
      crisis: r.crisis,
      name: text(r.name, language),
      summary: text(r.summary, language),
      // Most of the catalogue is written in Finnish only: the app says so, and marks the text as Finnish.
      text_languages: LANGUAGES.filter((l) => Boolean(r.name[l])),
      explanation: explanationText(r.reasons, language),
      reasons: r.reasons.map((reason) => ({ ...withoutSaid(reason), text: reasonText(reason, language) })),
    })),
  };
}

/** A situation's reason carries its sentence in every language for reasonText; the API gives it in words once. */
function withoutSaid(reason: Reason) {
  if (reason.kind !== 'situation') return reason;
  const { said: _said, ...rest } = reason;
  return rest;
}

const TEXTS = {
  lifeEvent: { fi: 'Aloita elämäntapahtumasta: {event}', sv: 'Börja från en livshändelse: {event}', en: 'Start from a life event: {event}' },
  check: {
    fi: 'Tee elämäntilannekysely: kymmenen lyhyttä kysymystä elämäsi osa-alueista.',
    sv: 'Gör livssituationskollen: tio korta frågor om olika delar av ditt liv.',
    en: 'Take the life-situation check: ten short questions about areas of your life.',
  },
  helpLine: { fi: 'Soita ja kysy neuvoa: {line}, {phone}.', sv: 'Ring och be om råd: {line}, {phone}.', en: 'Call and ask for advice: {line}, {phone}.' },
  rephrase: {
    fi: 'Kerro tilanteestasi omin sanoin toisella tavalla: mitä on tapahtunut ja mihin tarvitset apua.',
    sv: 'Beskriv din situation på ett annat sätt: vad som har hänt och vad du behöver hjälp med.',
    en: 'Describe your situation another way: what has happened and what you need help with.',
  },
} as const;

/** What to try when no service fits: a life event of the situations recognised, the check, a phone line, other words. */
function tryInstead(understanding: Answer['understanding'], lines: HelpLine[], language: Language) {
  const out: { kind: 'life_event' | 'life_situation_check' | 'help_line' | 'rephrase'; text: string; life_event?: string }[] = [];
  const events = new Set<LifeEvent>();
  for (const s of understanding.situations) for (const e of s.concept.lifeEvents) if ((LIFE_EVENT_IDS as string[]).includes(e)) events.add(e as LifeEvent);
  for (const event of [...events].slice(0, 2))
    out.push({ kind: 'life_event', life_event: event, text: TEXTS.lifeEvent[language].replace('{event}', LIFE_EVENTS[event].name[language]) });
  out.push({ kind: 'life_situation_check', text: TEXTS.check[language] });
  const advice = lines.find((l) => l.kind === 'advice') ?? lines[0];
  if (advice) out.push({ kind: 'help_line', text: TEXTS.helpLine[language].replace('{line}', advice.name[language]).replace('{phone}', advice.phone[language]) });
  if (understanding.text) out.push({ kind: 'rephrase', text: TEXTS.rephrase[language] });
  return out;
}
