import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';
import { LANGUAGES, type Language, type LocalizedText } from './model.ts';
import { iso, summaryOf, text } from './present.ts';
import { getService } from './query.ts';
import { webPagesOnly } from './web-url.ts';

/** One service with its channels, texts in one language when asked. */
export async function serviceDetail(db: Db, id: string, lang: Language | undefined) {
  const found = await getService(db, id.toLowerCase());
  if (!found) throw notFound(`no service has the id ${id}`);
  const { service: s, channels, lifeEvents, collections } = found;
  return {
    ...summaryOf(s, lang),
    // Most of the catalogue is in Finnish only: an app says so, and marks the text's language.
    text_languages: LANGUAGES.filter((l) => Boolean((s.name as LocalizedText)[l])),
    description: text(s.description, lang),
    user_instruction: text(s.user_instruction, lang),
    requirements: text(s.requirements, lang),
    charge_info: text(s.charge_info, lang),
    keywords: lang ? { [lang]: s.keywords[lang] ?? [] } : s.keywords,
    areas: s.areas as object[],
    life_events: s.life_events.map((code) => ({ code, name: text(lifeEvents.find((e) => e.code === code)?.name ?? {}, lang) })),
    service_collections: s.service_collections.map((code) => ({
      code,
      name: text(collections.find((c) => c.code === code)?.name ?? {}, lang),
    })),
    ontology_terms: (s.ontology_terms as { uri: string; name: LocalizedText }[]).map((t) => ({ uri: t.uri, name: text(t.name, lang) })),
    general_description_id: s.general_description_id,
    channels: channels.map((c) => ({
      id: c.channel_id,
      type: c.type,
      name: c.name ? text(c.name, lang) : c.channel_name,
      summary: text(c.summary ?? {}, lang),
      description: text(c.description ?? {}, lang),
      link_description: text(c.link_description, lang),
      languages: c.languages ?? [],
      area_type: c.area_type,
      municipalities: c.municipalities ?? [],
      web_pages: webPagesOnly<object>(c.web_pages),
      phones: (c.phones ?? []) as object[],
      emails: (c.emails ?? []) as object[],
      addresses: (c.addresses ?? []) as object[],
      service_hours: (c.service_hours ?? []) as object[],
      modified: iso(c.modified),
    })),
  };
}
