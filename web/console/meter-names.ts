import type { Language } from '../shared/i18n.ts';
import { METER_TEXTS, type Meter } from '../citizen/meters.ts';

/**
 * The name of a life area (a 3X10D meter) as the citizen app shows it: a provider reading its
 * statistics or teaching the recommender sees the words people chose from. The console reads the
 * names only through here, so that moving them (to src/recommender/meter-names.ts) changes one line.
 */
export function meterName(lang: Language, meter: Meter): string {
  return METER_TEXTS[lang][meter].name;
}
