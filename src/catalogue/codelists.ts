import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalizedText } from './model.ts';
import { fromPackageRoot } from '../package-root.ts';

/**
 * The national code lists shipped in data/codelists (see data/SOURCES.md). They are read once and
 * kept in memory: a few hundred entries, changed by a release, never by users.
 */
export interface Municipality {
  code: string;
  name: LocalizedText;
  region: string | null;
  hospital_district: string | null;
  wellbeing_service_county: string | null;
}
export interface CodeEntry {
  code: string;
  name: LocalizedText;
  parent?: string | null;
  uri?: string;
  description?: LocalizedText;
}

const dataDir = fromPackageRoot('data', 'codelists');
const read = <T>(file: string): T => JSON.parse(readFileSync(join(dataDir, file), 'utf8')) as T;

export class CodeLists {
  readonly municipalities: Municipality[] = read('municipalities.json');
  readonly regions: CodeEntry[] = read('regions.json');
  readonly hospitalDistricts: CodeEntry[] = read('hospital-districts.json');
  readonly wellbeingServiceCounties: CodeEntry[] = read('wellbeing-service-counties.json');
  readonly serviceClasses: CodeEntry[] = read('service-classes.json');
  readonly targetGroups: CodeEntry[] = read('target-groups.json');
  readonly fundingTypes: string[] = read('funding-types.json');

  readonly municipalityCodes = new Set(this.municipalities.map((m) => m.code));
  readonly regionCodes = new Set(this.regions.map((r) => r.code));
  readonly hospitalDistrictCodes = new Set(this.hospitalDistricts.map((r) => r.code));
  readonly wellbeingServiceCountyCodes = new Set(this.wellbeingServiceCounties.map((r) => r.code));
  readonly serviceClassByCode = new Map(this.serviceClasses.map((c) => [c.code, c]));
  readonly serviceClassByUri = new Map(this.serviceClasses.map((c) => [c.uri!, c]));
  readonly targetGroupByCode = new Map(this.targetGroups.map((c) => [c.code, c]));

  /** Municipalities within an area of the given kind and code; empty for an unknown code. */
  municipalitiesIn(kind: 'Region' | 'HospitalDistrict' | 'WellbeingServiceCounty', code: string): string[] {
    const field = kind === 'Region' ? 'region' : kind === 'HospitalDistrict' ? 'hospital_district' : 'wellbeing_service_county';
    return this.municipalities.filter((m) => m[field] === code).map((m) => m.code);
  }

  /** A code with every ancestor ("P6.10" gives P6.10 and P6), so a filter on a class finds its subclasses. */
  static withAncestors(codes: Iterable<string>): string[] {
    const all = new Set<string>();
    for (const code of codes) {
      let c: string | null = code;
      while (c) {
        all.add(c);
        c = c.includes('.') ? c.slice(0, c.lastIndexOf('.')) : null;
      }
    }
    return [...all].sort();
  }

  /** Accepts a service class as its code (P6.10) or its URI, old or new; undefined when unknown. */
  serviceClassCode(value: string): string | undefined {
    if (this.serviceClassByCode.has(value)) return value;
    const byUri = this.serviceClassByUri.get(value);
    if (byUri) return byUri.code;
    const m = /\/code\/(P[\d.]+)$/.exec(value);
    return m && this.serviceClassByCode.has(m[1]!) ? m[1] : undefined;
  }
}

let shared: CodeLists | undefined;
export function codeLists(): CodeLists {
  return (shared ??= new CodeLists());
}
