import { METERS, type Meter } from '../recommender/meter-names.ts';
import { cryptoUniform, noisyCount, type Uniform } from '../statistics/laplace.ts';
import { questionsOf, scaleOf, type Definition, type Question } from './format.ts';
import type { Answers } from './answers.ts';

/**
 * A run's results as released: noisy counts of each scale value and choice, and of each meter's
 * values, from which the means are computed (post-processing, which costs no privacy). Free text
 * is never released: a sentence can name its writer, and no noise hides that.
 *
 * One response is one person; adding or removing one changes the respondent count by 1, each
 * rating or single-choice histogram by 1, a multiple-choice histogram by at most its most choices,
 * and each meter's histogram by 1. The sum is the release's L1 sensitivity, and every count gets
 * Laplace noise of scale sensitivity / epsilon, so the whole release is epsilon-differentially private.
 */

export interface Figures {
  respondents: number;
  questions: { name: string; type: 'rating' | 'radiogroup' | 'checkbox'; counts: Record<string, number> }[];
  meters: { meter: Meter; counts: number[]; mean: number | null }[];
  sensitivity: number;
  noise_scale: number;
}

const released = (q: Question): q is Extract<Question, { type: 'rating' | 'radiogroup' | 'checkbox' }> => q.type === 'rating' || q.type === 'radiogroup' || q.type === 'checkbox';

/** The meters a version can speak of. */
export function metersOf(definition: Definition): Meter[] {
  const named = new Set<Meter>();
  for (const q of questionsOf(definition)) {
    if (q.type === 'rating' && q.meter) named.add(q.meter);
    if (q.type === 'radiogroup' || q.type === 'checkbox') for (const c of q.choices) for (const m of METERS) if (c.meters?.[m] !== undefined) named.add(m);
  }
  return METERS.filter((m) => named.has(m));
}

export function sensitivityOf(definition: Definition): number {
  let sum = 1 + metersOf(definition).length;
  for (const q of questionsOf(definition)) if (released(q)) sum += q.type === 'checkbox' ? (q.maxSelectedChoices ?? q.choices.length) : 1;
  return sum;
}

const valuesOf = (q: Extract<Question, { type: 'rating' | 'radiogroup' | 'checkbox' }>): string[] => {
  if (q.type !== 'rating') return q.choices.map((c) => c.value);
  const { min, max } = scaleOf(q);
  return Array.from({ length: max - min + 1 }, (_, i) => String(min + i));
};

const meanOf = (counts: number[]) => {
  const n = counts.reduce((a, b) => a + b, 0);
  return n === 0 ? null : Math.round((counts.reduce((a, c, v) => a + c * v, 0) / n) * 10) / 10;
};

/** The release of these responses at this epsilon. */
export function releaseFigures(definition: Definition, responses: { answers: Answers; meters: Partial<Record<Meter, number>> }[], epsilon: number, uniform: Uniform = cryptoUniform): Figures {
  const sensitivity = sensitivityOf(definition);
  const scale = sensitivity / epsilon;
  const noisy = (n: number) => noisyCount(n, scale, uniform);
  const questions = questionsOf(definition)
    .filter(released)
    .map((q) => {
      const counts = Object.fromEntries(valuesOf(q).map((v) => [v, 0]));
      for (const { answers } of responses) {
        const a = answers[q.name];
        for (const v of Array.isArray(a) ? a : a === undefined ? [] : [a]) if (String(v) in counts) counts[String(v)]! += 1;
      }
      return { name: q.name, type: q.type, counts: Object.fromEntries(Object.entries(counts).map(([v, n]) => [v, noisy(n)])) };
    });
  const meters = metersOf(definition).map((meter) => {
    const counts = Array<number>(11).fill(0);
    for (const r of responses) if (r.meters[meter] !== undefined) counts[r.meters[meter]]! += 1;
    const noised = counts.map(noisy);
    return { meter, counts: noised, mean: meanOf(noised) };
  });
  return { respondents: noisy(responses.length), questions, meters, sensitivity, noise_scale: scale };
}
