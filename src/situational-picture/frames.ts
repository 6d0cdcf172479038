import { readFileSync } from 'node:fs';
import type { LocalizedText } from '../catalogue/model.ts';
import { fromPackageRoot } from '../package-root.ts';
import type { Meter } from '../recommender/meter-names.ts';

/**
 * The frames every view of the picture is labelled with: for each meter, the Stiglitz–Sen–Fitoussi
 * dimensions and the OECD Better Life topics it maps to (data/situational-picture/frames.json,
 * where the reasoning of each mapping is written down).
 */
export interface Frames {
  ssf_dimensions: Record<string, LocalizedText>;
  oecd_topics: Record<string, LocalizedText>;
  meters: Record<Meter, { ssf: string[]; oecd: string[]; why: string }>;
  not_covered: { ssf: string[]; oecd: string[]; why: string };
}

let loaded: Frames | undefined;

export function frames(): Frames {
  return (loaded ??= JSON.parse(readFileSync(fromPackageRoot('data', 'situational-picture', 'frames.json'), 'utf8')) as Frames);
}
