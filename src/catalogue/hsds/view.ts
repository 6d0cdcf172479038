import type { Row, TableName, Tables } from './vocabulary.ts';

/**
 * HSDS rows (export.ts, each valid against HSDS's table schemas), indexed, and composed into HSDS's
 * compiled objects: a service with its organization, service_at_locations (each with its location),
 * areas, languages and attributes (each with its taxonomy_term and that term's taxonomy_detail).
 *
 * The API (api.ts) builds one per request from the export of just the records that request shows,
 * so every answer reads the database as it is now, whichever process changed it; the export of the
 * whole catalogue composes the same objects (routes.test.ts compares the two).
 */

type Index = Map<string, Row[]>;
const byField = (rows: Row[], field: string): Index => {
  const m: Index = new Map();
  for (const r of rows) {
    const key = r[field];
    if (typeof key !== 'string') continue;
    let list = m.get(key);
    if (!list) m.set(key, (list = []));
    list.push(r);
  }
  return m;
};
const byId = (rows: Row[]) => new Map(rows.map((r) => [r.id as string, r]));

export class HsdsView {
  readonly services: Row[];
  readonly organizations: Row[];
  readonly taxonomies: Row[];
  readonly terms: Row[];
  readonly serviceAtLocations: Row[];
  private readonly ids: Record<'services' | 'organizations' | 'taxonomies' | 'taxonomy_terms' | 'service_at_locations' | 'locations', Map<string, Row>>;
  private readonly owned: Partial<Record<TableName, Record<string, Index>>> = {};
  private readonly attributesOf: Index;
  constructor(private readonly tables: Tables) {
    this.services = tables.services;
    this.organizations = tables.organizations;
    this.taxonomies = tables.taxonomies;
    this.terms = tables.taxonomy_terms;
    this.serviceAtLocations = tables.service_at_locations;
    this.ids = {
      services: byId(tables.services),
      organizations: byId(tables.organizations),
      taxonomies: byId(tables.taxonomies),
      taxonomy_terms: byId(tables.taxonomy_terms),
      service_at_locations: byId(tables.service_at_locations),
      locations: byId(tables.locations),
    };
    this.attributesOf = byField(tables.attributes, 'link_id');
  }

  get(kind: keyof HsdsView['ids'], id: string): Row | undefined {
    return this.ids[kind].get(id.toLowerCase());
  }

  private children(table: TableName, field: string, id: string): Row[] {
    const byTable = (this.owned[table] ??= {});
    const index = (byTable[field] ??= byField(this.tables[table], field));
    return index.get(id) ?? [];
  }

  /** A taxonomy term with its taxonomy, as nested in attributes and answered by /taxonomy_terms/{id}. */
  term(row: Row): Row {
    const taxonomy = this.ids.taxonomies.get(row.taxonomy_id as string);
    return { ...row, ...(taxonomy ? { taxonomy: taxonomy.name, taxonomy_detail: taxonomy } : {}) };
  }

  private attributes(id: string): Row[] {
    return (this.attributesOf.get(id) ?? []).map((a) => {
      const term = this.ids.taxonomy_terms.get(a.taxonomy_term_id as string);
      return term ? { ...a, taxonomy_term: this.term(term) } : a;
    });
  }

  private withAttributes(row: Row): Row {
    const attributes = this.attributes(row.id as string);
    return attributes.length ? { ...row, attributes } : row;
  }

  private phones(field: string, id: string): Row[] {
    return this.children('phones', field, id).map((p) => ({ ...this.withAttributes(p), languages: this.children('languages', 'phone_id', p.id as string) }));
  }

  location(row: Row): Row {
    const id = row.id as string;
    return {
      ...this.withAttributes(row),
      languages: this.children('languages', 'location_id', id),
      addresses: this.children('addresses', 'location_id', id).map((a) => this.withAttributes(a)),
      contacts: this.children('contacts', 'location_id', id),
      phones: this.phones('location_id', id),
      schedules: this.children('schedules', 'location_id', id).map((s) => this.withAttributes(s)),
    };
  }

  /** A service as /services lists it: its own fields and its organization. */
  serviceSummary(row: Row): Row {
    const organization = this.ids.organizations.get(row.organization_id as string);
    return organization ? { ...row, organization } : row;
  }

  /** A service with everything it links to, as /services/{id} answers. */
  serviceFull(row: Row): Row {
    const id = row.id as string;
    return {
      ...this.serviceSummary(row),
      service_areas: this.children('service_areas', 'service_id', id).map((a) => this.withAttributes(a)),
      service_at_locations: this.children('service_at_locations', 'service_id', id).map((sal) => this.serviceAtLocationFull(sal, false)),
      languages: this.children('languages', 'service_id', id),
      attributes: this.attributes(id),
    };
  }

  /** A service at a location with its location (and service, unless nested in it). */
  serviceAtLocationFull(row: Row, withService = true): Row {
    const location = this.ids.locations.get(row.location_id as string);
    const service = this.ids.services.get(row.service_id as string);
    return {
      ...this.withAttributes(row),
      ...(location ? { location: this.location(location) } : {}),
      ...(withService && service ? { service: this.serviceSummary(service) } : {}),
    };
  }

  serviceAtLocationSummary(row: Row): Row {
    const location = this.ids.locations.get(row.location_id as string);
    const service = this.ids.services.get(row.service_id as string);
    return { ...row, ...(location ? { location } : {}), ...(service ? { service: this.serviceSummary(service) } : {}) };
  }

  /** The services of an organisation: those naming it as theirs. */
  servicesOf(organizationId: string): Row[] {
    return this.children('services', 'organization_id', organizationId);
  }

  organizationFull(row: Row, fullServices: boolean): Row {
    const id = row.id as string;
    return {
      ...this.withAttributes(row),
      organization_identifiers: this.children('organization_identifiers', 'organization_id', id),
      locations: this.children('locations', 'organization_id', id).map((l) => this.location(l)),
      services: this.servicesOf(id).map((s) => (fullServices ? this.serviceFull(s) : this.serviceSummary(s))),
    };
  }

  locationOf(row: Row): Row | undefined {
    return this.ids.locations.get(row.location_id as string);
  }
  addressesOf(locationId: string): Row[] {
    return this.children('addresses', 'location_id', locationId);
  }
}
