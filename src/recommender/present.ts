import { text } from '../catalogue/present.ts';
import type { Language } from '../catalogue/model.ts';
import { explanationText, reasonText } from './explain.ts';
import type { RecommendedService } from './recommender.ts';
import type { StoredRecommendation } from './store.ts';

/** A recommendation as our API answers it (`RecommendResponse`): texts and reasons in one language, each service linked through /r/. */
export function presentRecommendation(recommendation: StoredRecommendation, results: RecommendedService[], language: Language) {
  return {
    recommendation_id: recommendation.id,
    language,
    items: results.map((r) => ({
      service_id: r.serviceId,
      score: r.score,
      name: text(r.name, language),
      summary: text(r.summary, language),
      explanation: explanationText(r.reasons, language),
      reasons: r.reasons.map((reason) => ({ ...reason, text: reasonText(reason, language) })),
      open_url: `/r/${recommendation.id}/${r.serviceId}`,
    })),
  };
}
