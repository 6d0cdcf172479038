import type { Meters } from './meters.ts';

/**
 * What the app keeps in this browser: the life-situation checks (never sent anywhere unless the
 * person asks for recommendations or chooses to save one on the server) and the person key, the
 * random secret that is the person's only identity towards the server's /my endpoints.
 */

export interface Check {
  id: string;
  taken_at: string;
  meters: Meters;
  /** The id on the server when the person chose to save it there. */
  server_id?: string;
  /** Whether its answers were shared for the area's picture: true once sent, false when sending failed. */
  shared?: boolean;
}

const CHECKS = 'aurora.checks';
const PERSON_KEY = 'aurora.personKey';
const PREFS = 'aurora.prefs';
const CONSENT_SERVICES = 'aurora.consentServices';
const LOGIN = 'aurora.login';

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}
function write(key: string, value: unknown) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or off: the app still works for this visit.
  }
}

const listeners = new Set<() => void>();
export function onStorageChange(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const changed = () => listeners.forEach((l) => l());

/** Oldest first. */
export function loadChecks(): Check[] {
  const checks = read<Check[]>(CHECKS, []);
  return Array.isArray(checks) ? checks.filter((c) => c && typeof c.id === 'string' && c.meters) : [];
}
export function latestCheck(): Check | undefined {
  return loadChecks().at(-1);
}
export function addCheck(meters: Meters): Check {
  const check: Check = { id: crypto.randomUUID(), taken_at: new Date().toISOString(), meters };
  write(CHECKS, [...loadChecks(), check]);
  changed();
  return check;
}
export function updateCheck(id: string, patch: Partial<Check>) {
  write(CHECKS, loadChecks().map((c) => (c.id === id ? { ...c, ...patch } : c)));
  changed();
}
export function removeCheck(id: string) {
  write(CHECKS, loadChecks().filter((c) => c.id !== id));
  changed();
}

export function personKey(): string | undefined {
  const key = read<string | null>(PERSON_KEY, null);
  return typeof key === 'string' && /^[A-Za-z0-9_-]{43}$/.test(key) ? key : undefined;
}
/** The person key, made on first need: 32 random bytes, base64url. */
export function ensurePersonKey(): string {
  const existing = personKey();
  if (existing) return existing;
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const key = btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  write(PERSON_KEY, key);
  changed();
  return key;
}

/** Takes over the person key the account has (after a login on another device). */
export function setPersonKey(key: string) {
  write(PERSON_KEY, key);
  changed();
}

/**
 * The person's login in this browser: the ID token (only to name the session when logging out)
 * and whether this browser's person key is attached to the account. The access token is used once,
 * to attach, and is not kept.
 */
export interface Login {
  id_token: string;
  attached: boolean;
  at: string;
}
export function loadLogin(): Login | undefined {
  const login = read<Login | null>(LOGIN, null);
  return login && typeof login.id_token === 'string' ? login : undefined;
}
export function saveLogin(login: Login) {
  write(LOGIN, login);
  changed();
}
export function dropLogin() {
  try {
    localStorage.removeItem(LOGIN);
  } catch {
    // nothing kept
  }
  changed();
}

export interface Prefs {
  mode?: 'one' | 'all';
  plain?: boolean;
  municipality?: string;
  /** The age band the person gave for their area's picture (0-17, 18-29, 30-44, 45-64, 65+). */
  ageBand?: string;
  serviceLanguage?: string;
  online?: boolean;
}
export function loadPrefs(): Prefs {
  return read<Prefs>(PREFS, {});
}
export function savePrefs(patch: Partial<Prefs>) {
  write(PREFS, { ...loadPrefs(), ...patch });
}

/**
 * Which service the person was using when they gave each consent, as earlier versions of the app
 * remembered it here (the server then named only a channel's first service). New consents carry
 * their service on the server; entries already kept are still read for the consents they cover.
 */
export function consentServices(): Record<string, { service_id: string; name: string }> {
  const entries = read<unknown>(CONSENT_SERVICES, {});
  if (!entries || typeof entries !== 'object' || Array.isArray(entries)) return {};
  return Object.fromEntries(
    Object.entries(entries).filter((e): e is [string, { service_id: string; name: string }] => {
      const v = e[1] as { service_id?: unknown; name?: unknown } | null;
      return Boolean(v) && typeof v!.service_id === 'string' && typeof v!.name === 'string';
    }),
  );
}

/** Everything this app keeps in this browser, for the person's download. */
export function localData() {
  return { checks: loadChecks(), preferences: loadPrefs(), consent_services: consentServices(), has_person_key: personKey() !== undefined };
}

export function eraseLocal() {
  for (const key of [CHECKS, PERSON_KEY, PREFS, CONSENT_SERVICES, LOGIN]) {
    try {
      localStorage.removeItem(key);
    } catch {
      // nothing to erase
    }
  }
  changed();
}
