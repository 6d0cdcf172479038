import { api } from '../shared/api.ts';
import type { Meter, Meters } from './meters.ts';

/**
 * The situational picture as the citizen app uses it: sharing a check's answers (only when the
 * person ticks the choice), and the mirror's published figures for a municipality and age band.
 */
export const AGE_BANDS = ['0-17', '18-29', '30-44', '45-64', '65+'] as const;

export interface MirrorFigure {
  meter: Meter;
  mean: number | null;
}
export interface Mirror {
  period: string | null;
  municipality: { code: string; name: Partial<Record<'fi' | 'sv' | 'en', string>> };
  age_band: string;
  all_ages: MirrorFigure[];
  same_age: MirrorFigure[];
}

export function shareAnswers(municipality: string, ageBand: string, meters: Meters): Promise<unknown> {
  return api('/api/v1/picture/answers', { method: 'POST', body: { municipality, age_band: ageBand, meters } });
}

export function mirrorPath(municipality: string, ageBand: string): string {
  return `/api/v1/picture/mirror?municipality=${encodeURIComponent(municipality)}&age_band=${encodeURIComponent(ageBand)}`;
}
