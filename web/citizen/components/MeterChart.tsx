import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../shared/i18n.ts';
import { METERS, METER_TEXTS, type Meter, type Meters } from '../meters.ts';

/**
 * The person's picture: one bar per area (0–10), with the previous check's answer as a dashed
 * mark. The SVG is an image with a title and description; the same numbers follow as a table.
 */
export function MeterChart({ now, before, language, description, rows = METERS }: { now: Meters; before?: Meters | undefined; language: Language; /** What the dashed mark is, where it is not the previous check. */ description?: string; /** The areas to show (a questionnaire's own), else all ten. */ rows?: readonly Meter[] }) {
  const { t } = useTranslation('citizen');
  const id = useId();
  const names = METER_TEXTS[language];
  const rowHeight = 46;
  const left = 8;
  const width = 600;
  const barWidth = width - left - 44;
  const x = (v: number) => left + (barWidth * v) / 10;
  const height = rows.length * rowHeight + 24;
  return (
    <figure className="meter-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`} className="meter-chart__svg">
        <title id={`${id}-t`}>{t('check.chartTitle')}</title>
        <desc id={`${id}-d`}>{description ?? t('check.chartDesc')}</desc>
        {[0, 2, 4, 6, 8, 10].map((g) => (
          <g key={g}>
            <line x1={x(g)} x2={x(g)} y1={0} y2={height - 18} className="meter-chart__grid" />
            <text x={x(g)} y={height - 4} textAnchor="middle" className="meter-chart__axis">
              {g}
            </text>
          </g>
        ))}
        {rows.map((m, i) => {
          const y = i * rowHeight;
          const v = now[m];
          const b = before?.[m];
          return (
            <g key={m}>
              <text x={left} y={y + 15} className="meter-chart__label">
                {names[m].name}
              </text>
              <rect x={left} y={y + 22} width={barWidth} height={16} className="meter-chart__track" rx={3} />
              {v !== undefined && <rect x={left} y={y + 22} width={Math.max(2, x(v) - left)} height={16} className={`meter-chart__bar meter-chart__bar--${v <= 3 ? 'low' : v <= 6 ? 'mid' : 'high'}`} rx={3} />}
              {v !== undefined ? (
                <text x={x(v) + 6} y={y + 35} className="meter-chart__value">
                  {v}
                </text>
              ) : (
                <text x={left + 6} y={y + 35} className="meter-chart__value meter-chart__value--none">
                  {t('check.notAnswered')}
                </text>
              )}
              {b !== undefined && <line x1={x(b)} x2={x(b)} y1={y + 18} y2={y + 42} className="meter-chart__before" />}
            </g>
          );
        })}
      </svg>
      <figcaption className="visually-hidden">{t('check.chartTitle')}</figcaption>
    </figure>
  );
}

export function MeterTable({ now, before, language, beforeLabel, nowLabel, rows = METERS }: { now: Meters; before?: Meters | undefined; language: Language; /** The columns of `now` and `before`, where they are not this and the previous check. */ beforeLabel?: string; nowLabel?: string; rows?: readonly Meter[] }) {
  const { t } = useTranslation('citizen');
  const names = METER_TEXTS[language];
  const change = (a: number | undefined, b: number | undefined) => {
    if (a === undefined || b === undefined) return t('check.noValue');
    if (a > b) return t('check.changeUp', { n: a - b });
    if (a < b) return t('check.changeDown', { n: b - a });
    return t('check.changeSame');
  };
  return (
    <table className="data-table">
      <caption>{t('check.table')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('check.colArea')}</th>
          <th scope="col">{nowLabel ?? t('check.colNow')}</th>
          {before && <th scope="col">{beforeLabel ?? t('check.colBefore')}</th>}
          {before && !beforeLabel && <th scope="col">{t('check.colChange')}</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((m) => (
          <tr key={m}>
            <th scope="row">{names[m].name}</th>
            <td>{now[m] ?? t('check.noValue')}</td>
            {before && <td>{before[m] ?? t('check.noValue')}</td>}
            {before && !beforeLabel && <td>{change(now[m], before[m])}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
