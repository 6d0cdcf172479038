import { pickText, type Language, type LocalizedText } from '../../catalogue/model.ts';
import type { Db } from '../../db/database.ts';
import { ownedServiceIds } from '../../members/owned-services.ts';
import { presentAnswer, presentRecommendation } from '../../recommender/present.ts';
import { recommend } from '../../recommender/recommend.ts';
import type { Recommender } from '../../recommender/recommender.ts';
import { configuredHelpLines, helpLinesFor, presentHelpLine } from '../../recommender/situations/help-lines.ts';
import { tokenize } from '../../recommender/text/analyzer.ts';
import { receivingTargets } from '../../transfers/receivers.ts';
import type { HelpLineView, Network, ServiceLink } from './engine.ts';

/**
 * What the engine asks of the network, for one bot's member: the recommender's situation layer (its
 * crisis understanding, its recommendations and honest "nothing fits", its help lines) and the
 * catalogue (service names, a service's channels with addresses and hours). `dry` (transcript
 * tests at publish) recommends without keeping a recommendation.
 */
const SHOWN = 5;

export function botNetwork(db: Db, recommender: { ready(): Promise<Recommender> }, memberId: string, options: { dry?: boolean } = {}): Network {
  const line = (l: ReturnType<typeof presentHelpLine>): HelpLineView => ({ name: l.name, phone: l.phone, description: l.description });
  return {
    async isCrisis(text, language) {
      return (await recommender.ready()).situations.understand(text, { language }).crisis;
    },
    crisisLines(language, municipality) {
      return helpLinesFor(configuredHelpLines(), { crisis: true, nothingFits: false, situations: [], municipality: municipality ?? null }).map((l) => line(presentHelpLine(l, language)));
    },
    async recommend(input: Parameters<Network['recommend']>[0]) {
      const request = { ...(input.text ? { text: input.text, textLanguage: input.language } : {}), ...(input.meters ? { meters: input.meters } : {}), ...(input.age !== undefined ? { age: input.age } : {}), limit: SHOWN, language: input.language as Language };
      const filters = input.municipality ? { municipality_codes: [input.municipality] } : {};
      let presented: Omit<ReturnType<typeof presentAnswer>, 'items'> & { items: { service_id: string; name: unknown; open_url?: string }[] };
      if (options.dry) {
        const ready = await recommender.ready();
        presented = presentAnswer(ready.answer({ ...request, filters }), input.language, { municipality: input.municipality ?? null });
      } else {
        const { recommendation, results, answer } = await recommend(db, recommender, { ...request, filters, clientId: null, source: 'api' });
        presented = presentRecommendation(recommendation, results, input.language, answer, { municipality: input.municipality ?? null });
      }
      const receiving = await transferable(db, presented.items.map((item) => item.service_id));
      return {
        services: presented.items.map((item) => ({ service_id: item.service_id, name: typeof item.name === 'string' ? item.name : text((item.name ?? {}) as LocalizedText, input.language), url: item.open_url ?? null, transferable: receiving.has(item.service_id) })),
        nothingFits: presented.nothing_fits,
        understood: presented.understood.situations.length > 0,
        helpLines: presented.help_lines.map(line),
      };
    },
    async serviceNames(ids, language) {
      if (!ids.length) return [];
      const rows = await db.selectFrom('services').select(['id', 'name']).where('id', 'in', [...ids]).execute();
      const receiving = await transferable(db, rows.map((r) => r.id));
      return rows.map((r): ServiceLink => ({ service_id: r.id, name: text(r.name, language), url: null, transferable: receiving.has(r.id) }));
    },
    async serviceContacts(message, language) {
      const services = await db.selectFrom('services').select(['id', 'name']).where('id', 'in', ownedServiceIds(db, memberId)).orderBy('sort_name').limit(50).execute();
      const words = new Set(tokenize(message));
      const named = services.filter((s) => tokenize(text(s.name, language)).some((w) => w.length > 3 && [...words].some((m) => m.startsWith(w.slice(0, Math.max(4, w.length - 2))))));
      const chosen = (named.length ? named : services).slice(0, 3);
      if (!chosen.length) return [];
      const channels = await db
        .selectFrom('service_channel_links as l')
        .innerJoin('service_channels as c', 'c.id', 'l.channel_id')
        .select(['l.service_id', 'c.name', 'c.addresses', 'c.service_hours'])
        .where('l.service_id', 'in', chosen.map((s) => s.id))
        .limit(10)
        .execute();
      return channels.map((c) => {
        const service = chosen.find((s) => s.id === c.service_id)!;
        const addresses = (c.addresses as { street?: LocalizedText; streetNumber?: string | null; postOffice?: LocalizedText; postalCode?: string | null }[])
          .map((a) => [`${text(a.street ?? {}, language)} ${a.streetNumber ?? ''}`.trim(), `${a.postalCode ?? ''} ${text(a.postOffice ?? {}, language)}`.trim()].filter(Boolean).join(', '))
          .filter(Boolean);
        const hours = (c.service_hours as { openingHours?: { dayFrom: string; dayTo: string | null; from: string | null; to: string | null }[] }[])
          .flatMap((h) => h.openingHours ?? [])
          .map((h) => `${day(h.dayFrom, language)}${h.dayTo ? `–${day(h.dayTo, language)}` : ''} ${h.from ?? ''}–${h.to ?? ''}`.trim());
        return [text(service.name, language), text(c.name, language), ...addresses, ...hours].filter(Boolean).join(' · ');
      });
    },
  };
}

/** The services among `ids` with a channel that receives transfers now: the same rule as transferTargets (src/person/transfer-targets.ts), in one query. */
async function transferable(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await receivingTargets(db)
    .innerJoin('service_channel_links as sl', 'sl.channel_id', 't.channel_id')
    .select('sl.service_id')
    .distinct()
    .where('sl.service_id', 'in', [...ids])
    .execute();
  return new Set(rows.map((r) => r.service_id));
}

/** A text in the person's language, else the first of fi, sv, en that there is (pickText), else ''. */
export const text = (value: LocalizedText | Record<string, string | null | undefined>, language: Language) => pickText(value as LocalizedText, [language]) ?? '';

const DAYS: Record<string, Record<Language, string>> = {
  Monday: { fi: 'ma', sv: 'mån', en: 'Mon' },
  Tuesday: { fi: 'ti', sv: 'tis', en: 'Tue' },
  Wednesday: { fi: 'ke', sv: 'ons', en: 'Wed' },
  Thursday: { fi: 'to', sv: 'tors', en: 'Thu' },
  Friday: { fi: 'pe', sv: 'fre', en: 'Fri' },
  Saturday: { fi: 'la', sv: 'lör', en: 'Sat' },
  Sunday: { fi: 'su', sv: 'sön', en: 'Sun' },
};
/** PTV names days in English: the person reads them in their language. */
const day = (name: string, language: Language) => DAYS[name]?.[language] ?? name;
