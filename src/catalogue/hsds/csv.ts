import { parse } from 'csv-parse/sync';

/**
 * RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, a byte order mark) into rows of cells,
 * through csv-parse. Strict: a quote inside an unquoted cell or an unclosed quote is an error, not a
 * guess; rows may differ in length (the HSDS tabular files leave trailing cells out).
 */
export function parseCsv(text: string): string[][] {
  try {
    return parse(text, { bom: true, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/quote not closed/i.test(message)) throw new Error(`a quoted cell is not closed (${message})`);
    if (/invalid (opening|closing) quote/i.test(message)) throw new Error(`a quote inside an unquoted cell (${message})`);
    throw new Error(message);
  }
}
