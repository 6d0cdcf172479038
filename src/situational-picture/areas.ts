import { codeLists } from '../catalogue/codelists.ts';
import type { LocalizedText } from '../catalogue/model.ts';

/**
 * The areas a picture is shown for: a municipality, a wellbeing services county, a region, or the
 * whole country, each as the municipalities of the 2023 code list inside it (data/codelists, from
 * Statistics Finland's mappings). Åland has no wellbeing services county (its code list entry is
 * "91") and is a region of its own.
 */
export const AREA_KINDS = ['municipality', 'county', 'region', 'country'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

export const AGE_BANDS = ['0-17', '18-29', '30-44', '45-64', '65+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export interface Area {
  kind: AreaKind;
  /** Empty for the country. */
  code: string;
  name: LocalizedText;
  /** Its municipalities' codes, sorted. */
  municipalities: string[];
  /** Its code in an indicator CSV: KU491, HV12, MK10, SSS. */
  indicatorArea: string;
}

const FINLAND: LocalizedText = { fi: 'Koko Suomi', sv: 'Hela Finland', en: 'All of Finland' };

/** The area, or undefined for an unknown code. */
export function findArea(kind: AreaKind, code: string): Area | undefined {
  const lists = codeLists();
  if (kind === 'country') return { kind, code: '', name: FINLAND, municipalities: lists.municipalities.map((m) => m.code).sort(), indicatorArea: 'SSS' };
  if (kind === 'municipality') {
    const m = lists.municipalities.find((x) => x.code === code);
    return m && { kind, code, name: m.name, municipalities: [code], indicatorArea: `KU${code}` };
  }
  const entry = (kind === 'county' ? lists.wellbeingServiceCounties : lists.regions).find((x) => x.code === code);
  if (!entry) return undefined;
  const municipalities = lists.municipalitiesIn(kind === 'county' ? 'WellbeingServiceCounty' : 'Region', code).sort();
  return { kind, code, name: entry.name, municipalities, indicatorArea: `${kind === 'county' ? 'HV' : 'MK'}${code}` };
}

/** Every municipality code of the code list, sorted: each release has rows for all of them. */
export function allMunicipalities(): string[] {
  return codeLists().municipalities.map((m) => m.code).sort();
}

export function isMunicipality(code: string): boolean {
  return codeLists().municipalityCodes.has(code);
}

export function isAgeBand(value: string): value is AgeBand {
  return (AGE_BANDS as readonly string[]).includes(value);
}
