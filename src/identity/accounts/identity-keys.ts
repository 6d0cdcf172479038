import { createHmac } from 'node:crypto';

/**
 * The keyed hashes the identity domain makes, all under the network's subject key
 * (AURORA_SUBJECT_KEY, or the one generated into the database: it must never change), each with its
 * own label so that no hash of one kind can stand for another:
 *
 * - the identity key of an account: HMAC-SHA256 of the personal identity code (or, for a person
 *   identified through eIDAS without one, of their eIDAS PersonIdentifier). The same person always
 *   maps to the same account; a copy of the database cannot be turned back into identity codes
 *   without the key (the codes are few enough to enumerate, so the key is what protects them).
 * - the pairwise subject a service sees: HMAC-SHA256 of (sector identifier, account id). Services
 *   in different sectors get unrelated identifiers for the same person, and cannot compute another's.
 */

/** The identity code as the hash takes it: trimmed, upper case (the check letter and century sign). */
export function normaliseIdentityCode(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * The account's identity key: of the Finnish identity code when the eID gave one (so that a person
 * reaches the same account through any eID), else of the eIDAS PersonIdentifier, under its own label
 * and exactly as given (eIDAS identifiers are case-sensitive).
 */
export function identityKeyOf(subjectKey: Buffer, identity: string | { identityCode?: string | undefined; eidasIdentifier?: string | undefined }): string {
  const { identityCode, eidasIdentifier } = typeof identity === 'string' ? { identityCode: identity, eidasIdentifier: undefined } : identity;
  const code = identityCode ? normaliseIdentityCode(identityCode) : '';
  const input = code ? `aurora-identity:${code}` : eidasIdentifier ? `aurora-identity-eidas:${eidasIdentifier}` : undefined;
  if (!input) throw new Error('an identity has an identity code or an eIDAS identifier');
  return createHmac('sha256', subjectKey).update(input, 'utf8').digest('base64url');
}

export function pairwiseSubject(subjectKey: Buffer, sectorIdentifier: string, accountId: string): string {
  return createHmac('sha256', subjectKey).update(`aurora-pairwise:${sectorIdentifier.toLowerCase()}:${accountId}`, 'utf8').digest('base64url');
}
