import type { Language } from '../shared/i18n.ts';
import { METER_NAMES, type Meter } from '../../src/recommender/meter-names.ts';

/**
 * The name of a life area (a 3X10D meter) as everyone shows it: a provider reading its statistics
 * or teaching the recommender sees the words people chose from (METER_NAMES, the one list the
 * citizen app, the recommender's reasons and the statistics CSV also read).
 */
export function meterName(lang: Language, meter: Meter): string {
  return METER_NAMES[meter][lang];
}
