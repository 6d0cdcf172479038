import type { ChannelRecord, OrganizationRecord, ServiceRecord } from '../model.ts';
import type { ImportBatch, SkippedRecord } from '../import-run.ts';
import { parsePtvRecord, ptvRecordsOf } from './read.ts';

export interface PtvDocument {
  /** Where it came from, for the summary: a file path or "request". */
  source: string;
  content: unknown;
}

/** Turns PTV documents into one import batch; invalid records become skipped entries with a reason. */
export function ptvImportBatch(documents: PtvDocument[]): ImportBatch {
  const services: ServiceRecord[] = [];
  const channels: ChannelRecord[] = [];
  const organizations: OrganizationRecord[] = [];
  const skipped: SkippedRecord[] = [];
  for (const doc of documents) {
    ptvRecordsOf(doc.content).forEach((record, index) => {
      const parsed = parsePtvRecord(record);
      if (parsed.kind !== 'invalid' && !storable(parsed))
        skipped.push({ source: doc.source, index, id: parsed.kind === 'service' ? parsed.service.id : parsed.channel.id, reason: UNSTORABLE });
      else if (parsed.kind === 'service') {
        services.push(parsed.service);
        organizations.push(...parsed.organizations);
      } else if (parsed.kind === 'channel') channels.push(parsed.channel);
      else skipped.push({ source: doc.source, index, id: parsed.id === null ? null : storableText(parsed.id), reason: storableText(parsed.reason) });
    });
  }
  return { format: 'ptv', sources: documents.map((d) => d.source), services, channels, organizations, skipped };
}

const UNSTORABLE = 'a text holds U+0000 or a lone UTF-16 surrogate, which the database cannot store';
const BAD_CHARACTER = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BAD_CHARACTERS = new RegExp(BAD_CHARACTER.source, 'g');

/**
 * Whether PostgreSQL can hold every string of a parsed record: text rejects U+0000, and jsonb rejects
 * both it and the `\udXXX` escape JSON.stringify writes for a lone surrogate; either fails the whole run.
 */
function storable(value: unknown): boolean {
  if (typeof value === 'string') return !BAD_CHARACTER.test(value);
  if (Array.isArray(value)) return value.every(storable);
  if (typeof value === 'object' && value !== null) return Object.entries(value).every(([k, v]) => storable(k) && storable(v));
  return true;
}

/** A skipped record's id and reason are stored with the run: what the database cannot hold becomes U+FFFD. */
const storableText = (text: string) => text.replace(BAD_CHARACTERS, '\ufffd');
