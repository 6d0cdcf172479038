import type { Db } from '../db/database.ts';
import { compileFilter } from '../catalogue/filter-predicate.ts';
import { text } from '../catalogue/present.ts';
import type { Language, LocalizedText } from '../catalogue/model.ts';
import { notFound } from '../http/problem.ts';
import { explanationText, reasonText, type Reason } from './explain.ts';
import type { Learning } from './learning/learning.ts';
import type { Recommender } from './recommender.ts';
import { getRecommendation, metersOf, type StoredRecommendation } from './store.ts';

/**
 * Why a recommendation gave a service, recomputed now: the reasons come from the recommendation's
 * stored needs, life event and filters on the current catalogue and feedback, as the free text it
 * may have had is never stored.
 */
export type ExplanationStatus = 'in_results' | 'not_in_results' | 'filtered_out' | 'not_in_catalogue' | 'not_recomputable';

export async function explainResult(
  db: Db,
  recommender: { ready(): Promise<Recommender> },
  learning: Learning,
  input: { recommendationId: string; serviceId: string; language?: Language | undefined },
) {
  const recommendation = await getRecommendation(db, input.recommendationId.toLowerCase());
  if (!recommendation) throw notFound(`no recommendation has the id ${input.recommendationId}`);
  const serviceId = input.serviceId.toLowerCase();
  const then = recommendation.services.findIndex((s) => s.id === serviceId);
  if (then < 0) throw notFound('this recommendation did not give this service');
  const language = (input.language ?? recommendation.language ?? 'fi') as Language;
  const e = explain(await recommender.ready(), recommendation, serviceId, learning.adjustment(serviceId, recommendation.needs));
  const notes = [STATUS_NOTES[e.status]?.[language], recommendation.hadText ? TEXT_NOTE[language] : undefined].filter(Boolean) as string[];
  return {
    recommendation_id: recommendation.id,
    service_id: serviceId,
    language,
    status: e.status,
    rank_then: then + 1,
    score_then: recommendation.services[then]!.score,
    rank_now: e.rank,
    score_now: e.score,
    name: e.name ? text(e.name, language) : null,
    text_kept: false,
    explanation: [explanationText(e.reasons, language), ...notes].filter(Boolean).join(' '),
    reasons: e.reasons.map((reason) => ({ ...reason, text: reasonText(reason, language) })),
    note: notes.length ? notes.join(' ') : null,
  };
}

/** Recomputes one service's place and reasons in a stored recommendation, on the current index and feedback. */
export function explain(
  recommender: Recommender,
  recommendation: StoredRecommendation,
  serviceId: string,
  feedback: { factor: number; signals: number },
): { status: ExplanationStatus; rank: number | null; score: number | null; reasons: Reason[]; name: LocalizedText | null } {
  const doc = recommender.index.docOf(serviceId);
  const entry = doc === undefined ? undefined : recommender.index.docs[doc];
  const feedbackReasons: Reason[] =
    feedback.factor !== 1 && feedback.signals > 0 ? [{ kind: 'feedback', direction: feedback.factor > 1 ? 'up' : 'down', signals: feedback.signals }] : [];
  if (!entry) return { status: 'not_in_catalogue', rank: null, score: null, reasons: [], name: null };
  if (!compileFilter(recommendation.filters)(entry)) return { status: 'filtered_out', rank: null, score: null, reasons: feedbackReasons, name: entry.name };
  const meters = metersOf(recommendation.needs);
  const hasMeters = Object.keys(meters).length > 0;
  if (!hasMeters && !recommendation.lifeEvent) return { status: 'not_recomputable', rank: null, score: null, reasons: feedbackReasons, name: entry.name };
  const results = recommender.recommend({
    ...(hasMeters ? { meters } : {}),
    ...(recommendation.lifeEvent ? { lifeEvent: recommendation.lifeEvent } : {}),
    filters: recommendation.filters,
    limit: recommendation.limit,
  });
  const now = results.findIndex((r) => r.serviceId === serviceId);
  if (now < 0) return { status: 'not_in_results', rank: null, score: null, reasons: feedbackReasons, name: entry.name };
  return { status: 'in_results', rank: now + 1, score: results[now]!.score, reasons: results[now]!.reasons, name: entry.name };
}

const STATUS_NOTES: Partial<Record<ExplanationStatus, Record<Language, string>>> = {
  not_in_results: {
    fi: 'Palvelu ei ole enää tämän tilanteen suositusten joukossa: palveluluettelo tai palaute on muuttunut suosituksen jälkeen.',
    sv: 'Tjänsten finns inte längre bland rekommendationerna för den här situationen: katalogen eller responsen har ändrats sedan dess.',
    en: 'This service is no longer among the recommendations for this situation: the catalogue or the feedback has changed since.',
  },
  filtered_out: {
    fi: 'Palvelu ei enää vastaa tämän suosituksen rajauksia (esimerkiksi aluetta).',
    sv: 'Tjänsten motsvarar inte längre rekommendationens avgränsningar (till exempel området).',
    en: "The service no longer matches this recommendation's filters (such as the area).",
  },
  not_in_catalogue: {
    fi: 'Palvelua ei ole enää palveluluettelossa.',
    sv: 'Tjänsten finns inte längre i tjänstekatalogen.',
    en: 'The service is no longer in the catalogue.',
  },
  not_recomputable: {
    fi: 'Suositus perustui pelkkään hakutekstiin, jota ei tallenneta, joten sijoitusta ei voi laskea uudelleen.',
    sv: 'Rekommendationen byggde enbart på en söktext, som inte sparas, så placeringen kan inte räknas om.',
    en: 'The recommendation came from search text alone, which is not stored, so its ranking cannot be recomputed.',
  },
};

const TEXT_NOTE: Record<Language, string> = {
  fi: 'Hakutekstiäsi ei tallenneta, joten sen osuutta perusteluista ei voi muodostaa uudelleen.',
  sv: 'Din söktext sparas inte, så dess del av motiveringen kan inte återskapas.',
  en: 'Your search text is not stored, so its part of the reasons cannot be recomputed.',
};
