import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { audit } from '../audit/audit.ts';
import type { LocalizedText } from '../catalogue/model.ts';
import { codeLists } from '../catalogue/codelists.ts';
import type { Db } from '../db/database.ts';
import { badRequest } from '../http/problem.ts';
import { fromPackageRoot } from '../package-root.ts';
import { METERS } from '../recommender/meter-names.ts';
import { figuresOf, K_THRESHOLD, keptCells, keptRelease, type MeterFigure } from './area-figures.ts';
import { AGE_BANDS, findArea, isAgeBand, type AgeBand, type AreaKind } from './areas.ts';
import { frames } from './frames.ts';
import { parsePeriod, quartersOf } from './periods.ts';
import { epsilonCap, epsilonPerRelease, releasePeriod, spentOnQuarters } from './release-period.ts';

/**
 * One view of the situational picture: an area (municipality, wellbeing services county, region or
 * the country), an age band (or all) and a period (quarter or year). Its figures come from the
 * period's kept release (released by this read if the period is complete and was never released);
 * each meter is labelled with the SSF dimensions and OECD topics it maps to; service use is by
 * municipality only (service events carry no age band); context indicators are the imported
 * values for the area, the period's year and the one before.
 */
export interface PictureQuery {
  areaKind: AreaKind;
  areaCode: string;
  ageBand: string;
  period: string;
}

export interface IndicatorInfo {
  name: LocalizedText;
  unit: string;
  ssf: string[];
  oecd: string[];
}

let indicatorInfo: Record<string, IndicatorInfo> | undefined;
export function knownIndicators(): Record<string, IndicatorInfo> {
  return (indicatorInfo ??= (JSON.parse(readFileSync(fromPackageRoot('data', 'situational-picture', 'indicators.json'), 'utf8')) as { indicators: Record<string, IndicatorInfo> }).indicators);
}

export interface PictureView {
  area: { kind: AreaKind; code: string; name: LocalizedText };
  age_band: AgeBand | 'all';
  period: string;
  /** released: figures below; incomplete: the period has weeks still going on; over-cap: its release would pass the privacy budget. */
  status: 'released' | 'incomplete' | 'over-cap';
  released_at: string | null;
  epsilon: number | null;
  k_threshold: number;
  meters: (MeterFigure & { ssf: string[]; oecd: string[] })[];
  /** People recommended services and transfers received, in the area; null for one age band (not known by age). */
  service_use: { recommended: number | null; transfers: number | null } | null;
  /** The area's municipalities (none for a municipality), per meter in METERS order: mean, answers and margin (null: suppressed). */
  by_municipality: { code: string; name: LocalizedText; means: (number | null)[]; answers: (number | null)[]; margins: (number | null)[] }[];
  indicators: { indicator: string; name: LocalizedText; unit: string; ssf: string[]; oecd: string[]; values: { year: number; value: number }[] }[];
  budget: { epsilon_per_release: number; epsilon_cap: number; quarters: { quarter: string; spent: number; left: number }[] };
  frames: { ssf: Record<string, LocalizedText>; oecd: Record<string, LocalizedText> };
}

export function checkQuery(query: PictureQuery) {
  const span = parsePeriod(query.period);
  if (!span) throw badRequest('a period is a quarter (2026-Q3) or a year (2026), from 2020', [{ field: 'period', message: 'is not a period' }]);
  const area = findArea(query.areaKind, query.areaCode);
  if (!area) throw badRequest(`no ${query.areaKind} ${query.areaCode}`, [{ field: 'area', message: 'is not an area of the code list' }]);
  if (query.ageBand !== 'all' && !isAgeBand(query.ageBand)) throw badRequest(`an age band is all or one of ${AGE_BANDS.join(', ')}`, [{ field: 'age_band', message: 'is not an age band' }]);
  return { span, area, ageBand: query.ageBand as AgeBand | 'all' };
}

export async function readPicture(db: Db, query: PictureQuery, now = new Date()): Promise<PictureView> {
  const { span, area, ageBand } = checkQuery(query);
  const outcome = await releasePeriod(db, span.period, { now });
  const release = await keptRelease(db, span.period);
  const f = frames();
  const quarters = quartersOf(span);
  const spent = await spentOnQuarters(db, quarters);
  const cap = epsilonCap();
  const view: PictureView = {
    area: { kind: area.kind, code: area.code, name: area.name },
    age_band: ageBand,
    period: span.period,
    status: release ? 'released' : outcome.status === 'over-cap' ? 'over-cap' : 'incomplete',
    released_at: release?.released_at ?? null,
    epsilon: release?.epsilon ?? null,
    k_threshold: K_THRESHOLD,
    meters: [],
    service_use: null,
    by_municipality: [],
    indicators: [],
    budget: { epsilon_per_release: epsilonPerRelease(), epsilon_cap: cap, quarters: quarters.map((q) => ({ quarter: q, spent: spent.get(q) ?? 0, left: Math.max(0, Math.round((cap - (spent.get(q) ?? 0)) * 1e9) / 1e9) })) },
    frames: { ssf: f.ssf_dimensions, oecd: f.oecd_topics },
  };
  const indicators = await sql<{ indicator: string; year: number; value: number }>`
    select indicator, year, value from picture_indicators
     where area = ${area.indicatorArea} and year between ${span.year - 1} and ${span.year} order by indicator, year`.execute(db);
  const known = knownIndicators();
  for (const row of indicators.rows) {
    let entry = view.indicators.find((i) => i.indicator === row.indicator);
    if (!entry) {
      const info = known[row.indicator];
      entry = { indicator: row.indicator, name: info?.name ?? { fi: row.indicator, sv: row.indicator, en: row.indicator }, unit: info?.unit ?? '', ssf: info?.ssf ?? [], oecd: info?.oecd ?? [], values: [] };
      view.indicators.push(entry);
    }
    entry.values.push({ year: Number(row.year), value: Number(row.value) });
  }
  const label = (figure: MeterFigure) => ({ ...figure, ssf: f.meters[figure.meter].ssf, oecd: f.meters[figure.meter].oecd });
  if (!release) {
    view.meters = METERS.map((meter) => label({ meter, answers: null, mean: null, margin: null, suppressed: true }));
    return view;
  }
  const cells = await keptCells(db, release.period, area.municipalities, ageBand);
  view.meters = figuresOf(cells, release).map(label);
  if (area.kind !== 'municipality') {
    const byMunicipality = new Map<string, typeof cells>();
    for (const c of cells) byMunicipality.set(c.municipality, [...(byMunicipality.get(c.municipality) ?? []), c]);
    const names = new Map(codeLists().municipalities.map((m) => [m.code, m.name]));
    view.by_municipality = area.municipalities.map((code) => {
      const figures = figuresOf(byMunicipality.get(code) ?? [], release);
      return { code, name: names.get(code) ?? {}, means: figures.map((x) => x.mean), answers: figures.map((x) => x.answers), margins: figures.map((x) => x.margin) };
    });
  }
  if (ageBand === 'all') {
    const use = await sql<{ recommended: number; transfers: number }>`
      select coalesce(sum(recommended), 0)::int as recommended, coalesce(sum(transfers), 0)::int as transfers
        from picture_service_use where period = ${release.period} and municipality = any(${area.municipalities}::text[])`.execute(db);
    const r = use.rows[0]!;
    const shown = (n: number) => (n >= K_THRESHOLD ? n : null);
    view.service_use = { recommended: shown(Number(r.recommended)), transfers: shown(Number(r.transfers)) };
  }
  return view;
}


/** A member's staff read a view: audited with what they asked and in which form it left. */
export async function readMemberPicture(db: Db, memberId: string, query: PictureQuery, actor: string, format: 'json' | 'csv'): Promise<PictureView> {
  const view = await readPicture(db, query);
  await audit(db, { actor, action: 'member.picture.read', target: `${view.area.kind}:${view.area.code}`, memberId, details: { age_band: view.age_band, period: view.period, format, status: view.status } });
  return view;
}
