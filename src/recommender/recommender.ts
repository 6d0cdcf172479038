import type { Db } from '../db/database.ts';
import { compileFilter } from '../catalogue/filter-predicate.ts';
import type { Language, LocalizedText } from '../catalogue/model.ts';
import type { ServiceFilters } from '../catalogue/query.ts';
import type { Reason } from './explain.ts';
import { ServiceIndex } from './index.ts';
import type { LifeEvent } from './life-events.ts';
import { needOf, type Meter, type MeterValues } from './meters.ts';
import { FitCache, phraseWords } from './pipeline/fits.ts';
import { understandRequest, type Need, type RequestUnderstanding } from './pipeline/needs.ts';
import { MIN_CONFIDENCE, rank } from './pipeline/rank.ts';
import { reasonsFor } from './pipeline/reasons.ts';
import type { SituationModel } from './situations/model.ts';
import { shippedSituationMatcher, shippedSituationModel, SituationMatcher } from './situations/understand.ts';
import type { TextLanguage } from './text/analyzer.ts';

/**
 * Ranks services for a life situation (the ten meters), a free-text question or a life event, as a
 * pipeline of small stages (src/recommender/pipeline): understand the request as needs (the life
 * situations in the text, the meters' lowest areas, a life event) → how well each service fits each
 * need → score → cut off what does not fit → diversify over the needs → explain. Every result
 * carries its reasons and a confidence; when nothing fits, nothing is returned. `Learning` may
 * adjust scores from feedback, and adds its own reason when it does.
 */
export interface RecommendRequest {
  meters?: MeterValues;
  text?: string;
  /** The language of `text`; detected when absent. */
  textLanguage?: TextLanguage;
  lifeEvent?: LifeEvent;
  /** The person's age, when they give it: services meant for their age group rank higher. */
  age?: number;
  filters?: ServiceFilters;
  limit: number;
  /** The language the reasons quote service words in; the text's language by default. */
  language?: Language;
}

export interface RecommendedService {
  serviceId: string;
  score: number;
  /** How surely the service serves something the person asked about, 0..1. */
  confidence: number;
  /** It fits a crisis the text speaks of: it goes first. */
  crisis: boolean;
  name: LocalizedText;
  summary: LocalizedText;
  reasons: Reason[];
}

export interface Answer {
  understanding: RequestUnderstanding;
  items: RecommendedService[];
  /** Something was asked, and no service fits it well enough to be shown. */
  nothingFits: boolean;
}

export interface Learning {
  /** A multiplier for a service's score in a situation (1 = no change), and how many signals made it. */
  adjustment(serviceId: string, needs: Partial<Record<Meter, number>>): { factor: number; signals: number };
  /**
   * `adjustment` for one situation, asked of many services (what it works out once per situation, it
   * works out once); its `maxFactor`, when given, bounds its factors in that situation, and
   * `unchanged`, when true, says it changes no service (no feedback yet) and need not be asked.
   */
  adjuster(
    needs: Partial<Record<Meter, number>>,
  ): ((serviceId: string) => { readonly factor: number; readonly signals: number }) & { readonly maxFactor?: number; readonly unchanged?: boolean };
  /** The largest factor `adjustment` can give in any situation, which lets ranking skip services that cannot make the list. */
  readonly maxFactor?: number;
}

export class Recommender {
  readonly index = new ServiceIndex();
  readonly #makeSituations: () => SituationMatcher;
  #situations: SituationMatcher | undefined;
  readonly #fits: FitCache;
  learning: Learning | undefined;

  constructor(options: { situations?: SituationModel | SituationMatcher } = {}) {
    const given = options.situations;
    // Making the matcher of the shipped model takes seconds of CPU: it is made when first needed, so
    // that a server never asked about words (most test servers) never makes it. RecommenderService's
    // start makes it before a server listens.
    this.#makeSituations = given instanceof SituationMatcher ? () => given : given ? () => new SituationMatcher(given) : shippedSituationMatcher;
    this.#fits = new FitCache(this.index, given instanceof SituationMatcher ? given.model : (given ?? shippedSituationModel()));
  }

  /** What people's words mean: the matcher of the situation model, made on first use. */
  get situations(): SituationMatcher {
    return (this.#situations ??= this.#makeSituations());
  }

  /**
   * Follows the database's catalogue, then computes the fixed needs' fits in the background
   * (`warmed` resolves when they are ready); a request before that computes what it needs itself.
   */
  async sync(db: Db) {
    const version = this.index.version;
    const changes = await this.index.sync(db);
    // In a small catalogue a fit takes milliseconds, and computing each when first asked for is cheaper than computing all.
    if (this.index.size >= WARM_FROM && (this.index.version !== version || !this.#warmed)) this.#warmed = this.#fits.warm(MIN_CONFIDENCE);
    return changes;
  }

  #warmed: Promise<void> | undefined;

  /** Resolves when the fits of the situations, meters and life events are computed for the current catalogue. */
  get warmed(): Promise<void> {
    return this.#warmed ?? Promise.resolve();
  }

  recommend(request: RecommendRequest): RecommendedService[] {
    return this.answer(request).items;
  }

  answer(request: RecommendRequest): Answer {
    const understanding = understandRequest(request, this.situations);
    const { needs } = understanding;
    if (needs.length === 0) return { understanding, items: [], nothingFits: false };
    const textWords = understanding.text ? { words: phraseWords(understanding.text, understanding.language, understanding.language !== 'fi') } : undefined;
    const meterNeeds: Partial<Record<Meter, number>> = {};
    for (const meter of Object.keys(request.meters ?? {}) as Meter[]) if (needOf(request.meters![meter]!) > 0) meterNeeds[meter] = needOf(request.meters![meter]!);
    // Worked out once for the situation, asked of every candidate (and again if neighbours are asked).
    const adjust = this.learning?.adjuster(meterNeeds);
    const accept = compileFilter(request.filters ?? {});
    const acceptDoc = this.index.acceptor(request.filters ?? {});
    const ranked = () =>
      rank({
        docs: this.index.docs,
        needs,
        fits: needs.map((need) => this.#fits.fitOf(need, textWords)),
        // The meters' and the life event's needs, each a set that recurs request after request.
        rows: [this.#fits.meterRows(), this.#fits.rowsOf(needs.filter((need) => need.lifeEvent).map((need) => need.key))],
        accept,
        acceptDoc,
        idKeys: this.index.idKeys,
        audiences: this.index.audiences,
        asker: understanding.asker,
        age: understanding.age,
        feedback: adjust && !adjust.unchanged ? (service) => adjust(service.id) : undefined,
        maxFeedback: adjust?.maxFactor ?? this.learning?.maxFactor,
        limit: request.limit,
      });
    let candidates = ranked();
    // A situation this catalogue has little for ("debt-trouble" where no one gives debt advice to
    // people) is served by its neighbours' services ("low-income": social work, income support).
    if (candidates.length < Math.min(request.limit, FEW) && relatedNeeds(needs, this.situations.model).length) {
      needs.push(...relatedNeeds(needs, this.situations.model));
      candidates = ranked();
    }
    const language = request.language ?? understanding.language;
    // Diversifying may place a service after one that scores less alone: the score given is the
    // score as ranked, never above the one before it, so that clients sorting by it keep the order.
    let ceiling = Infinity;
    const items = candidates.map((candidate) => {
      const entry = this.index.docs[candidate.doc]!;
      ceiling = Math.min(ceiling, candidate.score);
      return {
        serviceId: entry.id,
        score: round(ceiling),
        confidence: round(candidate.confidence),
        crisis: candidate.crisis,
        name: entry.name,
        summary: entry.summary,
        reasons: reasonsFor(this.index, candidate, needs, language, understanding.text),
      };
    });
    return { understanding, items, nothingFits: items.length === 0 && needs.some((n) => n.lead) };
  }
}


/** From this many services on, the fixed needs' fits are computed ahead of the requests. */
const WARM_FROM = 5_000;
/**
 * Fewer results than this, and the situations' neighbours are asked too: a situation the catalogue
 * answers with three or four services of its own ("pikavipit": social work and income support) is
 * better served with its neighbours' beside them than alone (was 3).
 */
const FEW = 5;
/** A neighbouring situation counts this much of the one it neighbours. */
const RELATED = 0.6;

function relatedNeeds(needs: Need[], model: SituationModel): Need[] {
  const present = new Set(needs.map((n) => n.key));
  const out: Need[] = [];
  for (const need of needs) {
    if (need.source !== 'situation' || !need.concept || need.concept.crisis || need.relatedTo) continue;
    for (const id of need.concept.related) {
      const concept = model.byId.get(id);
      if (!concept || concept.crisis || concept.audience === 'business' || present.has(`situation:${id}`)) continue;
      present.add(`situation:${id}`);
      out.push({ key: `situation:${id}`, source: 'situation', weight: RELATED * need.weight, lead: true, concept, relatedTo: need.concept });
    }
  }
  return out;
}

const round = (x: number) => Math.round(x * 10000) / 10000;
