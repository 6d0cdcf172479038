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
 * Where a filter lets services be: only nationwide ones, or those of its municipalities (the
 * municipalities of its regions, hospital districts and wellbeing services counties among them)
 * and, unless it says otherwise, nationwide ones.
 */
export interface AreaFilter {
  onlyNational: boolean;
  includeNational: boolean;
  /** Some area was asked for: a service must be in `municipalities` (or nationwide, when included). */
  anyArea: boolean;
  municipalities: ReadonlySet<string>;
}

export function areaFilter(f: ServiceFilters, lists: CodeLists = codeLists()): AreaFilter {
  return {
    onlyNational: Boolean(f.only_national_services),
    includeNational: f.include_national_services !== false,
    anyArea: [f.municipality_codes, f.region_codes, f.hospital_district_codes, f.wellbeing_service_county_codes].some((v) => v && v.length > 0),
    municipalities: new Set(filterMunicipalities(f, lists)),
  };
}

/**
 * Whether a service is in the filter's area, by whether it is nationwide and whether one of its
 * municipalities is asked for (which matters only when `asksMunicipalities`: a caller need not
 * look then).
 */
export function inArea(a: AreaFilter, nationwide: boolean, inMunicipality: boolean): boolean {
  if (a.onlyNational) return nationwide;
  if (a.anyArea) return (a.includeNational && nationwide) || inMunicipality;
  return a.includeNational || !nationwide;
}

export const asksMunicipalities = (a: AreaFilter) => a.anyArea && !a.onlyNational;

/**
 * The filters of `applyFilters` (query.ts) as a predicate, for the recommender's in-memory index.
 * The two must agree; query.test.ts checks them against each other on random filters.
 */
export function compileFilter(f: ServiceFilters, lists: CodeLists = codeLists()): (s: FilterableService) => boolean {
  const area = areaFilter(f, lists);
  const rest = compileFilterBesidesArea(f, lists);
  const municipalities = asksMunicipalities(area);
  return (s) => inArea(area, s.nationwide, municipalities && s.municipalities.some((m) => area.municipalities.has(m))) && (rest === undefined || rest(s));
}

/** The filters other than the area (classes, target groups, collections, life events, languages, funding), or undefined when there are none. */
export function compileFilterBesidesArea(f: ServiceFilters, lists: CodeLists = codeLists()): ((s: FilterableService) => boolean) | undefined {
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
  if (!classes && !groups && !collections && !events && !languages && !funding) return undefined;
  return (s) => {
    if (classes && !classes(s.serviceClassFilter)) return false;
    if (groups && !groups(s.targetGroupFilter)) return false;
    if (collections && !collections(s.serviceCollections)) return false;
    if (events && !events(s.lifeEvents)) return false;
    if (languages && !languages(s.languages)) return false;
    if (funding && !(s.fundingType && funding.has(s.fundingType))) return false;
    return true;
  };
}
