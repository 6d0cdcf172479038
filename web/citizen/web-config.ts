import { api } from '../shared/api.ts';

/** The network's settings for the web apps (GET /api/v1/web/config): the map's tiles, the chat's bot. */
export interface WebConfig {
  map: { tiles: string | null; attribution: string; max_zoom: number };
  chat: { bot_id: string | null };
}

let config: Promise<WebConfig> | undefined;

/** Read once a page load; a failed read is tried again next time. */
export function webConfig(): Promise<WebConfig> {
  config ??= api<WebConfig>('/api/v1/web/config').catch((error: unknown) => {
    config = undefined;
    throw error;
  });
  return config;
}
