import { parsePtvV11, type PtvParsed } from './v11.ts';

/**
 * The shapes a PTV file comes in: an array of records, a page of the API ({ itemList: [...] }), an
 * object of records keyed by id, or one record. Returns the records found, in order.
 */
export function ptvRecordsOf(document: unknown): unknown[] {
  if (Array.isArray(document)) return document;
  if (typeof document !== 'object' || document === null) return [document];
  const d = document as Record<string, unknown>;
  if (Array.isArray(d.itemList)) return d.itemList;
  if ('id' in d && ('serviceNames' in d || 'serviceChannelNames' in d || 'serviceChannelType' in d || 'type' in d)) return [d];
  const values = Object.values(d);
  if (values.length > 0 && values.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) return values;
  return [d];
}

/**
 * PTV's API versions differ in shape; each version has its own adapter. v12 (beta) puts content under
 * `contentId` and language versions: it is recognised and reported, not misread as v11.
 */
export function parsePtvRecord(record: unknown): PtvParsed {
  if (typeof record === 'object' && record !== null && 'contentId' in record)
    return { kind: 'invalid', id: String((record as { contentId: unknown }).contentId), reason: 'PTV API v12 records are not supported yet; export v11' };
  return parsePtvV11(record);
}
