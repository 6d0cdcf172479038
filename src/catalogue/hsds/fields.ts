/**
 * What an HSDS import does with each field it reads: the catalogue keeps it (mapped onto a record,
 * or used to link rows), or it is reported as skipped with the reason. Nothing is dropped silently:
 * the import summary lists the skipped fields, each with its reason and how many values it had.
 */

/** Fields the mapping (import.ts) reads into the catalogue, per table. */
const KEPT: Record<string, readonly string[]> = {
  services: ['id', 'name', 'organization_id', 'alternate_name', 'description', 'status', 'application_process', 'fees_description', 'eligibility_description', 'last_modified'],
  organizations: ['id', 'name', 'alternate_name', 'description', 'email', 'website', 'tax_status', 'tax_id', 'year_incorporated', 'legal_status', 'logo', 'uri', 'parent_organization_id'],
  organization_identifiers: ['id', 'organization_id', 'identifier_scheme', 'identifier_type', 'identifier'],
  locations: ['id', 'location_type', 'url', 'organization_id', 'name', 'description', 'latitude', 'longitude'],
  service_at_locations: ['id', 'service_id', 'location_id', 'description'],
  addresses: ['id', 'location_id', 'address_1', 'city', 'postal_code', 'address_type'],
  phones: ['id', 'number', 'location_id', 'contact_id', 'type', 'description'],
  contacts: ['id', 'location_id', 'email'],
  schedules: ['id', 'location_id', 'valid_from', 'valid_to', 'byday', 'opens_at', 'closes_at', 'description', 'freq'],
  service_areas: ['id', 'service_id', 'name', 'uri'],
  urls: ['id', 'url', 'label', 'location_id'],
  languages: ['id', 'service_id', 'location_id', 'phone_id', 'name', 'code'],
  taxonomies: ['id', 'name', 'description', 'uri', 'version'],
  taxonomy_terms: ['id', 'code', 'name', 'description', 'taxonomy_id', 'taxonomy', 'language', 'term_uri', 'parent_id'],
  attributes: ['id', 'link_id', 'taxonomy_term_id', 'link_type', 'link_entity', 'value'],
};

/** Why a field the catalogue has no place for is skipped (by table, then field; '*' for a whole table). */
const REASONS: Record<string, Record<string, string>> = {
  services: {
    url: 'a service has no web address of its own in the catalogue (its channels have)',
    email: 'a service has no e-mail address of its own in the catalogue (its channels have)',
    program_id: 'the catalogue has no programs',
    interpretation_services: 'the catalogue has no field for interpretation services',
    wait_time: 'the catalogue has no field for waiting times',
    fees: 'the catalogue has no field for fees beyond fees_description',
    accreditations: 'the catalogue has no field for accreditations',
    licenses: 'the catalogue has no field for licences',
    minimum_age: 'the catalogue classifies ages by target groups, not by numbers',
    maximum_age: 'the catalogue classifies ages by target groups, not by numbers',
    assured_date: 'the catalogue keeps no quality assurance dates',
    assurer_email: 'the catalogue keeps no quality assurance contacts',
    alert: 'the catalogue has no field for alerts',
  },
  locations: {
    alternate_name: 'a service channel has one name in the catalogue',
    transportation: 'the catalogue has no field for transport directions',
    external_identifier: 'the catalogue keeps no external identifiers of locations',
    external_identifier_type: 'the catalogue keeps no external identifiers of locations',
  },
  addresses: {
    attention: 'the catalogue has no "attention" line in addresses',
    address_2: 'the catalogue has one street line in addresses',
    region: 'the region of an address comes from its municipality in the code lists',
    state_province: 'the region of an address comes from its municipality in the code lists',
    country: 'the catalogue holds Finnish addresses',
  },
  phones: { extension: 'the catalogue has no phone extensions' },
  contacts: {
    name: 'the catalogue keeps no contact persons',
    title: 'the catalogue keeps no contact persons',
    department: 'the catalogue keeps no contact persons',
  },
  schedules: {
    dtstart: 'the catalogue keeps weekly opening hours: no start of recurrence',
    timezone: 'opening hours are in Finnish local time',
    until: 'the catalogue keeps weekly opening hours: valid_to bounds them',
    count: 'the catalogue keeps weekly opening hours without a count',
    wkst: 'the catalogue keeps weekly opening hours without a week start',
    interval: 'the catalogue keeps every-week opening hours only',
    byweekno: 'the catalogue keeps weekly opening hours: no week numbers',
    bymonthday: 'the catalogue keeps weekly opening hours: no days of the month',
    byyearday: 'the catalogue keeps weekly opening hours: no days of the year',
    schedule_link: 'the catalogue has no field for a schedule link',
    attending_type: 'the catalogue has no field for the attending type',
    notes: 'the catalogue has no field for schedule notes beyond the description',
  },
  service_areas: {
    description: 'a service area is kept as a code list area, without a description',
    extent: 'the catalogue keeps areas as code list areas, not geometries',
    extent_type: 'the catalogue keeps areas as code list areas, not geometries',
  },
  languages: { note: 'the catalogue keeps language codes only' },
  programs: { '*': 'the catalogue has no programs' },
  funding: { '*': 'the catalogue keeps a PTV funding type, not funding sources' },
  cost_options: { '*': 'the catalogue keeps charge information as text (fees_description), not cost options' },
  required_documents: { '*': 'the catalogue has no required documents' },
  accessibility: { '*': 'the catalogue has no accessibility records' },
  metadata: { '*': 'the catalogue keeps its own audit trail, not HSDS change metadata' },
  meta_table_descriptions: { '*': 'the catalogue keeps no table descriptions' },
};

export interface SkippedField {
  /** table.field, the table singular as HSDS names its objects (service.url). */
  field: string;
  reason: string;
  /** How many values of the field were skipped. */
  count: number;
}

export interface FieldAccount {
  /** Values read (non-empty fields of every row, nested ones included). */
  total: number;
  /** Values the catalogue keeps. */
  kept: number;
  skipped: SkippedField[];
}

const isEmptyValue = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** Counts fields as rows are read and decided on. */
export class FieldLedger {
  private total = 0;
  private kept = 0;
  private readonly skipped = new Map<string, SkippedField>();

  /** The fields of a row worth counting: non-empty, not nested objects (those count as rows of their own). */
  static fieldsOf(row: Record<string, unknown>): string[] {
    return Object.keys(row).filter((k) => !isEmptyValue(row[k]) && (typeof row[k] !== 'object' || row[k] === null));
  }

  private skip(singular: string, field: string, reason: string) {
    const key = `${singular}.${field}\u0000${reason}`;
    const entry = this.skipped.get(key);
    if (entry) entry.count++;
    else this.skipped.set(key, { field: `${singular}.${field}`, reason, count: 1 });
  }

  /**
   * A row the catalogue read: its fields are kept where the mapping reads them, else skipped with
   * the field's reason; `rowReason` skips all of them (the row was skipped, or has no place).
   */
  row(table: string, singular: string, fields: string[], rowReason: string | null, fieldReason?: (field: string) => string | null) {
    for (const field of fields) {
      this.total++;
      const why = rowReason ?? fieldReason?.(field) ?? (KEPT[table]?.includes(field) ? null : (REASONS[table]?.[field] ?? REASONS[table]?.['*'] ?? `the catalogue has no place for ${singular}.${field}`));
      if (why === null) this.kept++;
      else this.skip(singular, field, why);
    }
  }

  /** The fields of a nested object or table the catalogue does not read at all. */
  unread(table: string, singular: string, value: unknown) {
    const reason = (REASONS[table] ?? REASONS[`${table}s`])?.['*'] ?? `the catalogue has no ${table}`;
    const walk = (v: unknown) => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (typeof v !== 'object' || v === null) return;
      for (const [k, x] of Object.entries(v)) {
        if (isEmptyValue(x)) continue;
        if (typeof x === 'object') walk(x);
        else {
          this.total++;
          this.skip(singular, k, reason);
        }
      }
    };
    walk(value);
  }

  account(): FieldAccount {
    return { total: this.total, kept: this.kept, skipped: [...this.skipped.values()].sort((a, b) => b.count - a.count || (a.field < b.field ? -1 : 1)) };
  }
}
