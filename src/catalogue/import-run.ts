import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { notifyCatalogueChanged } from './changes.ts';
import type { ChannelRecord, OrganizationRecord, ServiceRecord, TaxonomyRecord, TaxonomyTermRecord } from './model.ts';
import { upsertChannels, upsertOrganizations, upsertServices, upsertTaxonomies, upsertTaxonomyTerms, type Outcome } from './store.ts';
import { forbidden } from '../http/problem.ts';
import { audit } from '../audit/audit.ts';
import { requireOwnRecords } from './ownership.ts';
import { isWebUrl } from './web-url.ts';
import type { FieldAccount } from './hsds/fields.ts';

export interface SkippedRecord {
  source: string;
  index: number;
  id: string | null;
  reason: string;
}

export interface ImportBatch {
  format: 'ptv' | 'hsds';
  sources: string[];
  services: ServiceRecord[];
  channels: ChannelRecord[];
  organizations: OrganizationRecord[];
  skipped: SkippedRecord[];
  /** HSDS: the dataset's own taxonomies and terms (not the catalogue's classifications), kept as HSDS has them. */
  taxonomies?: TaxonomyRecord[];
  taxonomyTerms?: TaxonomyTermRecord[];
  /** Formats that map field by field (HSDS): how many values were read and kept, and what was skipped and why. */
  fields?: FieldAccount;
}

export interface ImportCounts {
  added: number;
  updated: number;
  unchanged: number;
}

export interface ImportSummary extends ImportCounts {
  format: string;
  sources: string[];
  skipped: number;
  services: ImportCounts;
  channels: ImportCounts;
  /** HSDS imports: the dataset's own taxonomies and terms (not counted in added/updated/unchanged, which count services and channels). */
  taxonomies?: ImportCounts;
  taxonomy_terms?: ImportCounts;
  skipped_records: SkippedRecord[];
  /** Parts left out of records that were imported: web pages whose address is not http(s). */
  notes: SkippedRecord[];
  /** Values read / kept and the fields skipped with their reasons (HSDS imports). */
  fields?: FieldAccount;
  duration_ms: number;
}

export interface ImportProgress {
  done: number;
  total: number;
}

export interface ImportOptions {
  actor: string;
  /**
   * The member whose client imports: it may write only its own records (ownership.ts), all or
   * nothing, and what it creates is its own. Absent or null: the operator, who writes anything.
   */
  memberId?: string | null;
  onProgress?: (progress: ImportProgress) => void;
  /** Aborting rolls the whole run back. */
  signal?: AbortSignal;
}

const CHUNK = 1000;
/** Imports that change at least this many records refresh the planner's statistics. */
const ANALYZE_AFTER = 200;

/**
 * The largest text a record may carry, in characters, all its texts together. PTV's own limits are
 * far lower (a description is at most 4,000); the search index of PostgreSQL refuses about 1 MB.
 */
export const MAX_RECORD_TEXT = 100_000;

function withinLimits(record: { id: string }, skipped: SkippedRecord[]): boolean {
  const size = JSON.stringify(record).length;
  if (size <= MAX_RECORD_TEXT) return true;
  skipped.push({ source: 'catalogue', index: -1, id: record.id, reason: `the record's texts are ${size} characters, more than ${MAX_RECORD_TEXT}` });
  return false;
}

/**
 * Keeps a channel but drops each web page whose address is not http(s): the rest of the channel (its
 * phones, addresses, other pages) is good data, while a javascript: or data: address would be handed
 * out by the catalogue API and the /r/ redirects under the network's name.
 */
function withWebUrlsOnly(channel: ChannelRecord, notes: SkippedRecord[]): ChannelRecord {
  const pages = channel.webPages.filter((p) => isWebUrl(p.url));
  if (pages.length === channel.webPages.length) return channel;
  for (const p of channel.webPages.filter((p) => !isWebUrl(p.url)))
    notes.push({ source: 'catalogue', index: -1, id: channel.id, reason: `a web page was left out: its address ${JSON.stringify(String(p.url).slice(0, 100))} is not an http or https URL` });
  return { ...channel, webPages: pages };
}

/** Later records with the same id replace earlier ones within one run, as a later file would. */
function lastById<T extends { id: string }>(records: T[]): T[] {
  return [...new Map(records.map((r) => [r.id, r])).values()];
}

function count(outcomes: Outcome[]): ImportCounts {
  const c = { added: 0, updated: 0, unchanged: 0 };
  for (const o of outcomes) c[o]++;
  return c;
}

/**
 * Writes one import run in a single transaction: either every valid record lands, or (on an error,
 * an abort or a killed process) none does. Records that failed validation are reported, not written.
 */
export async function runImport(db: Db, batch: ImportBatch, options: ImportOptions): Promise<ImportSummary> {
  const started = new Date();
  const skipped = [...batch.skipped];
  const services = lastById(batch.services).filter((r) => withinLimits(r, skipped));
  const notes: SkippedRecord[] = [];
  const channels = lastById(batch.channels)
    .filter((r) => withinLimits(r, skipped))
    .map((r) => withWebUrlsOnly(r, notes));
  const total = services.length + channels.length;
  let done = 0;
  options.onProgress?.({ done, total });

  const taxonomies = lastById(batch.taxonomies ?? []);
  const taxonomyTerms = lastById(batch.taxonomyTerms ?? []);

  const { serviceOutcomes, channelOutcomes, taxonomyOutcomes, termOutcomes } = await db.transaction().execute(async (tx) => {
    const owner = options.memberId ?? null;
    // Taxonomies are the network's, like code lists: only the operator brings them (members import PTV records, which have none).
    if (owner !== null && taxonomies.length + taxonomyTerms.length > 0) throw forbidden("a member's import may not bring taxonomies or taxonomy terms");
    await requireOwnRecords(tx, owner, { services, channels });
    await upsertOrganizations(tx, batch.organizations, owner);
    const serviceOutcomes: Outcome[] = [];
    const channelOutcomes: Outcome[] = [];
    for (let i = 0; i < services.length; i += CHUNK) {
      options.signal?.throwIfAborted();
      serviceOutcomes.push(...(await upsertServices(tx, services.slice(i, i + CHUNK), owner)));
      done += Math.min(CHUNK, services.length - i);
      options.onProgress?.({ done, total });
    }
    for (let i = 0; i < channels.length; i += CHUNK) {
      options.signal?.throwIfAborted();
      channelOutcomes.push(...(await upsertChannels(tx, channels.slice(i, i + CHUNK), owner)));
      done += Math.min(CHUNK, channels.length - i);
      options.onProgress?.({ done, total });
    }
    options.signal?.throwIfAborted();
    const taxonomyOutcomes = await upsertTaxonomies(tx, taxonomies);
    const termOutcomes = await upsertTaxonomyTerms(tx, taxonomyTerms);
    options.signal?.throwIfAborted();
    const s = count(serviceOutcomes);
    const c = count(channelOutcomes);
    await tx
      .insertInto('import_runs')
      .values({
        format: batch.format,
        actor: options.actor,
        started_at: started,
        finished_at: new Date(),
        sources: JSON.stringify(batch.sources),
        added: s.added + c.added,
        updated: s.updated + c.updated,
        unchanged: s.unchanged + c.unchanged,
        skipped: skipped.length,
        skipped_records: JSON.stringify(skipped.slice(0, 1000)),
      })
      .execute();
    // A member's overwrites are named one by one: who replaced what is the question after an abuse.
    const replaced =
      owner === null
        ? {}
        : {
            updated_services: services.filter((_, i) => serviceOutcomes[i] === 'updated').map((r) => r.id).slice(0, 1000),
            updated_channels: channels.filter((_, i) => channelOutcomes[i] === 'updated').map((r) => r.id).slice(0, 1000),
          };
    await audit(tx, {
      actor: options.actor,
      action: `catalogue.import.${batch.format}`,
      memberId: owner,
      details: {
        sources: batch.sources,
        services: s,
        channels: c,
        ...(batch.taxonomies ? { taxonomies: count(taxonomyOutcomes), taxonomy_terms: count(termOutcomes) } : {}),
        skipped: skipped.length,
        notes: notes.length,
        ...replaced,
      },
    });
    return { serviceOutcomes, channelOutcomes, taxonomyOutcomes, termOutcomes };
  });

  const s = count(serviceOutcomes);
  const c = count(channelOutcomes);
  const t = count(taxonomyOutcomes);
  const tt = count(termOutcomes);
  if (s.added + s.updated + c.added + c.updated > 0) {
    // PGlite runs no autovacuum: without fresh statistics the planner scans where an index would do.
    if (s.added + s.updated + c.added + c.updated >= ANALYZE_AFTER) await sql`analyze services, service_channels, service_channel_links`.execute(db);
    notifyCatalogueChanged();
  }
  return {
    format: batch.format,
    sources: batch.sources,
    added: s.added + c.added,
    updated: s.updated + c.updated,
    unchanged: s.unchanged + c.unchanged,
    skipped: skipped.length,
    services: s,
    channels: c,
    ...(batch.taxonomies ? { taxonomies: t, taxonomy_terms: tt } : {}),
    skipped_records: skipped,
    notes,
    ...(batch.fields ? { fields: batch.fields } : {}),
    duration_ms: Date.now() - started.getTime(),
  };
}
