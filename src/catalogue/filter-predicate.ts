import { codeLists, type CodeLists } from './codelists.ts';
import { filterMunicipalities, type ServiceFilters } from './query.ts';

/** What a filter looks at in a service; the same columns the SQL filter uses. */
export interface FilterableService {
  nationwide: boolean;
  municipalities: readonly string[];
  serviceClassFilter: readonly string[];
  targetGroupFilter: readonly string[];
  serviceCollections: readonly string[];
  lifeEvents: readonly string[];
  fundingType: string | null;
  languages: readonly string[];
}

/**
 * The filters of `applyFilters` (query.ts) as a predicate, for the recommender's in-memory index.
 * The two must agree; query.test.ts checks them against each other on random filters.
 */
export function compileFilter(f: ServiceFilters, lists: CodeLists = codeLists()): (s: FilterableService) => boolean {
  const includeNational = f.include_national_services !== false;
  const anyArea = [f.municipality_codes, f.region_codes, f.hospital_district_codes, f.wellbeing_service_county_codes].some((v) => v && v.length > 0);
  const area = new Set(filterMunicipalities(f, lists));
  const overlap = (wanted: string[] | undefined) => {
    if (!wanted || wanted.length === 0) return undefined;
    const set = new Set(wanted);
    return (values: readonly string[]) => values.some((v) => set.has(v));
  };
  const classes = overlap(f.service_classes?.map((c) => lists.serviceClassCode(c) ?? c));
  const groups = overlap(f.target_groups);
  const collections = overlap(f.service_collections?.map((c) => c.toLowerCase()));
  const events = overlap(f.life_events);
  const languages = overlap(f.languages);
  const funding = f.funding_type && f.funding_type.length ? new Set(f.funding_type) : undefined;
  return (s) => {
    if (f.only_national_services) {
      if (!s.nationwide) return false;
    } else if (anyArea) {
      if (!(s.municipalities.some((m) => area.has(m)) || (includeNational && s.nationwide))) return false;
    } else if (!includeNational && s.nationwide) return false;
    if (classes && !classes(s.serviceClassFilter)) return false;
    if (groups && !groups(s.targetGroupFilter)) return false;
    if (collections && !collections(s.serviceCollections)) return false;
    if (events && !events(s.lifeEvents)) return false;
    if (languages && !languages(s.languages)) return false;
    if (funding && !(s.fundingType && funding.has(s.fundingType))) return false;
    return true;
  };
}
