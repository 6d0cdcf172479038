import type { Language } from '../catalogue/model.ts';
import { METERS, METER_NAMES } from '../recommender/meter-names.ts';
import type { PictureView } from './read-picture.ts';

/**
 * A view of the picture as CSV: one row per meter for the area, then per municipality of the area.
 * A suppressed figure is -1, as Statistics Finland marks suppressed cells in its open data. Headers
 * in the asked language; `;` and a decimal comma for fi and sv, `,` and a point for en (what each
 * language's spreadsheet programs open as they are); CRLF lines and a byte order mark.
 */
const HEADERS: Record<Language, string[]> = {
  fi: ['kausi', 'alue', 'aluekoodi', 'ikäryhmä', 'mittari', 'vastauksia', 'keskiarvo', 'virhemarginaali (±, 90 %)', 'Stiglitz–Sen–Fitoussi', 'OECD Better Life'],
  sv: ['period', 'område', 'områdeskod', 'åldersgrupp', 'mätare', 'svar', 'medelvärde', 'felmarginal (±, 90 %)', 'Stiglitz–Sen–Fitoussi', 'OECD Better Life'],
  en: ['period', 'area', 'area code', 'age band', 'meter', 'answers', 'mean', 'margin (±, 90 %)', 'Stiglitz–Sen–Fitoussi', 'OECD Better Life'],
};
const ALL: Record<Language, string> = { fi: 'kaikki', sv: 'alla', en: 'all' };
export const SUPPRESSED = -1;

export function pictureCsv(view: PictureView, language: Language): string {
  const separator = language === 'en' ? ',' : ';';
  const number = (n: number | null) => (n === null ? String(SUPPRESSED) : language === 'en' ? String(n) : String(n).replace('.', ','));
  const field = (value: string) => (value.includes(separator) || /["\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const name = (text: Partial<Record<Language, string>>) => text[language] ?? text.en ?? '';
  const band = view.age_band === 'all' ? ALL[language] : view.age_band;
  const rows: string[][] = [HEADERS[language]];
  for (const m of view.meters)
    rows.push([
      view.period,
      name(view.area.name),
      view.area.code,
      band,
      METER_NAMES[m.meter][language],
      number(m.answers),
      number(m.mean),
      number(m.margin),
      m.ssf.map((d) => name(view.frames.ssf[d] ?? {})).join(' / '),
      m.oecd.map((d) => name(view.frames.oecd[d] ?? {})).join(' / '),
    ]);
  for (const municipality of view.by_municipality)
    METERS.forEach((meter, i) =>
      rows.push([view.period, name(municipality.name), municipality.code, band, METER_NAMES[meter][language], number(municipality.answers[i] ?? null), number(municipality.means[i] ?? null), number(municipality.margins[i] ?? null), '', '']),
    );
  return '\ufeff' + rows.map((r) => r.map(field).join(separator)).join('\r\n') + '\r\n';
}
