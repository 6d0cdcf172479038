/**
 * The person key: the random secret that is a person's only identity towards the network's /my
 * endpoints. Kept as the citizen app keeps it (web/citizen/storage.ts, the same localStorage name and
 * JSON form), so on the network's own pages the widget and the app share it; on another site's page
 * it lives in that site's storage, made the same way.
 */
const PERSON_KEY = 'aurora.personKey';

export function ensurePersonKey(): string {
  try {
    const stored = JSON.parse(localStorage.getItem(PERSON_KEY) ?? 'null') as unknown;
    if (typeof stored === 'string' && /^[A-Za-z0-9_-]{43}$/.test(stored)) return stored;
  } catch {
    // Unreadable: a new key below.
  }
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const key = btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  try {
    localStorage.setItem(PERSON_KEY, JSON.stringify(key));
  } catch {
    // Storage off: the key serves this visit only.
  }
  return key;
}
