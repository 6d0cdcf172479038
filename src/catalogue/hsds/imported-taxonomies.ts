import type { Db } from '../../db/database.ts';
import type { Row } from './vocabulary.ts';

/**
 * The taxonomies and terms HSDS imports brought (imported_taxonomies, imported_taxonomy_terms: the
 * dataset's own, not the catalogue's classifications) as HSDS rows: their own ids and fields as
 * given, an absent value an absent field, except the description HSDS requires (empty where the
 * source gave none). Ordered as the export writes its own: taxonomies by name, terms by their
 * taxonomy's name (else their taxonomy text), code and id. The HSDS API lists them after the
 * catalogue's own (terms.ts), and the export writes them after them (export.ts).
 */
export interface ImportedTaxonomyRows {
  taxonomies: Row[];
  terms: Row[];
}

const present = (row: Record<string, unknown>): Row => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== undefined));
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function importedTaxonomyRows(db: Db): Promise<ImportedTaxonomyRows> {
  const [taxonomies, terms] = await Promise.all([
    db.selectFrom('imported_taxonomies').select(['id', 'name', 'description', 'uri', 'version']).execute(),
    db
      .selectFrom('imported_taxonomy_terms')
      .select(['id', 'code', 'name', 'description', 'parent_id', 'taxonomy', 'taxonomy_id', 'language', 'term_uri'])
      .execute(),
  ]);
  const names = new Map(taxonomies.map((t) => [t.id, t.name]));
  const key = (t: (typeof terms)[number]) => `${(t.taxonomy_id && names.get(t.taxonomy_id)) ?? t.taxonomy ?? ''}\u0000${t.code ?? ''}\u0000${t.id}`;
  return {
    taxonomies: taxonomies
      .sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id))
      .map((t) => present({ ...t, description: t.description ?? '' })),
    terms: terms.sort((a, b) => compare(key(a), key(b))).map((t) => present({ ...t, description: t.description ?? '' })),
  };
}
