import type { Language } from '../catalogue/model.ts';
import { METERS, METER_TEXTS } from '../recommender/meters.ts';
import { BINS } from './aggregate.ts';
import type { StatisticsResult } from './provider-statistics.ts';

/**
 * A statistics result as CSV for spreadsheets, headers in the asked language: one row per week and
 * municipality, then each meter's mean and its histogram (people per answer 0..10); a meter left out
 * of a row (fewer than 10 answered) is empty there.
 *
 * Finnish and Swedish spreadsheet programs read ';' as the separator and ',' as the decimal mark,
 * English ones ',' and '.': each language gets what its users' programs open without an import
 * dialog. Lines end in CRLF (RFC 4180); a byte order mark tells Excel the text is UTF-8.
 */
const HEADERS: Record<Language, { fixed: string[]; all: string; mean: string }> = {
  fi: {
    fixed: ['viikko (maanantai)', 'kunta', 'ihmisiä', 'suositeltu', 'avattu', 'siirtoja vastaanotettu', 'palaute: hyödyllinen', 'palaute: ei hyödyllinen'],
    all: 'kaikki',
    mean: 'keskiarvo',
  },
  sv: {
    fixed: ['vecka (måndag)', 'kommun', 'personer', 'rekommenderad', 'öppnad', 'mottagna överföringar', 'respons: nyttig', 'respons: inte nyttig'],
    all: 'alla',
    mean: 'medelvärde',
  },
  en: {
    fixed: ['week (Monday)', 'municipality', 'people', 'recommended', 'opened', 'transfers received', 'feedback: useful', 'feedback: not useful'],
    all: 'all',
    mean: 'mean',
  },
};

export function statisticsCsv(result: StatisticsResult, language: Language): string {
  const h = HEADERS[language] ?? HEADERS.en;
  const separator = language === 'en' ? ',' : ';';
  const decimal = (n: number) => (language === 'en' ? String(n) : String(n).replace('.', ','));
  const field = (value: string) => (value.includes(separator) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const header = [
    ...h.fixed,
    ...METERS.flatMap((m) => {
      const name = METER_TEXTS[m].name[language] ?? METER_TEXTS[m].name.en;
      return [`${name}: ${h.mean}`, ...Array.from({ length: BINS }, (_, v) => `${name}: ${v}`)];
    }),
  ];
  const rows = result.weeks.map((w) => [
    w.week,
    w.municipality ?? h.all,
    String(w.people),
    String(w.recommended),
    String(w.opened),
    String(w.transfers_received),
    String(w.feedback_useful),
    String(w.feedback_not_useful),
    ...METERS.flatMap((m) => {
      const s = w.meters[m];
      if (!s) return Array.from({ length: BINS + 1 }, () => '');
      return [s.mean === null ? '' : decimal(s.mean), ...s.histogram.map(String)];
    }),
  ]);
  return '\ufeff' + [header, ...rows].map((r) => r.map(field).join(separator)).join('\r\n') + '\r\n';
}
