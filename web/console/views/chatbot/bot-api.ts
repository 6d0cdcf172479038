import type { Static } from 'typebox';
import { call } from '../../api.ts';
import type { PackDiff } from '../../../../src/chatbot/diff-versions.ts';
import type { PackEvaluation } from '../../../../src/chatbot/evaluate-pack.ts';
import type { BotLanguage, Pack } from '../../../../src/chatbot/pack.ts';
import type { Reply } from '../../../../src/chatbot/conversations/engine.ts';
import type { TryResult, TryStateSchema } from '../../../../src/chatbot/whisperer/try-draft.ts';

/** The chatbot's console API (src/chatbot/routes.ts): the server modules' types are the wire format. */
export type { BotLanguage, Pack, PackDiff, PackEvaluation, Reply, TryResult };
export type TryState = Static<typeof TryStateSchema>;
export const BOT_LANGUAGES: readonly BotLanguage[] = ['fi', 'sv', 'en'];

export interface Bot {
  id: string;
  name: string;
  draft: Pack;
  publish_blockers: string[];
  published_version: number | null;
  retention_days: number;
  versions: { version: number; published_at: string; published_by: string }[];
}
export interface DraftTests {
  passed: number;
  failed: number;
  tests: { name: string; language: BotLanguage; passed: boolean; line?: number; expected?: string; got?: string }[];
}
export interface Unrecognised {
  text: string;
  count: number;
  last_at: string;
  best_confidence: number | null;
  languages: string[];
}

const bots = (memberId: string) => `/api/v1/console/members/${encodeURIComponent(memberId)}/bots`;
const bot = (memberId: string, id: string) => `${bots(memberId)}/${encodeURIComponent(id)}`;
type Abortable = { signal?: AbortSignal };

export const botApi = {
  list: (memberId: string, options: Abortable = {}) => call<{ bots: { id: string; name: string; published_version: number | null }[] }>(bots(memberId), options),
  create: (memberId: string, body: { name: string; languages: BotLanguage[]; pack: Pack; retention_days: number }) => call<Bot>(bots(memberId), { method: 'POST', body }),
  get: (memberId: string, id: string, options: Abortable = {}) => call<Bot>(bot(memberId, id), options),
  save: (memberId: string, id: string, pack: Pack) => call<Bot>(bot(memberId, id), { method: 'PUT', body: { pack } }),
  publish: (memberId: string, id: string, fromVersion?: number) => call<Bot>(`${bot(memberId, id)}/versions`, { method: 'POST', body: fromVersion === undefined ? {} : { from_version: fromVersion } }),
  diff: (memberId: string, id: string, from: number, to: number | 'draft') => call<PackDiff>(`${bot(memberId, id)}/diff`, { query: { from: String(from), to: String(to) } }),
  evaluation: (memberId: string, id: string, options: Abortable = {}) => call<PackEvaluation>(`${bot(memberId, id)}/evaluation`, options),
  tryDraft: (memberId: string, id: string, body: { text: string; language: BotLanguage; state?: TryState }) => call<TryResult>(`${bot(memberId, id)}/draft/try`, { method: 'POST', body }),
  runTests: (memberId: string, id: string) => call<DraftTests>(`${bot(memberId, id)}/draft/tests`, { method: 'POST', body: {} }),
  unrecognised: (memberId: string, id: string, options: Abortable = {}) => call<{ messages: Unrecognised[] }>(`${bot(memberId, id)}/unrecognised`, options),
  dismiss: (memberId: string, id: string, text: string) => call<{ dismissed: number }>(`${bot(memberId, id)}/unrecognised/dismiss`, { method: 'POST', body: { text } }),
};

/** The server's 400 problems for the fields under `prefix` (the field itself or any part of it). */
export function errorsAt(errors: readonly { field: string; message: string }[], prefix: string): string | undefined {
  const found = errors.filter((e) => e.field === prefix || e.field.startsWith(`${prefix}.`));
  return found.length ? found.map((e) => (e.field === prefix ? e.message : `${e.field.slice(prefix.length + 1)}: ${e.message}`)).join('; ') : undefined;
}
