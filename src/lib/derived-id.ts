import { createHash } from 'node:crypto';

/**
 * A UUID that follows from its parts (a version 8, custom, UUID of RFC 9562 over their SHA-256):
 * the same parts give the same id on every server and every retry, which is how a use case that
 * may be run again (after a crash, by a retried request) writes the same ledger transfer again and
 * finds it written instead of moving money twice. Parts are joined unambiguously (as JSON).
 */
export function derivedId(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}
