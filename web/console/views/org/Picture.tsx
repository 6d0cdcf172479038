import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Checkbox, Heading, InlineAlert, Paragraph, Table, TextInput } from 'suomifi-ui-components';
import { consoleApi, downloadFile, localText, type PictureQuery, type PictureView } from '../../api.ts';
import { ErrorAlert, PageHeading, formatDate, formatNumber, useLanguage } from '../../components/common.tsx';
import { NativeSelect } from '../../components/NativeSelect.tsx';
import { useLoad } from '../../../shared/load.ts';
import { METERS, type Meter } from '../../../../src/recommender/meter-names.ts';
import { meterName } from '../../meter-names.ts';
import centres from '../../../../data/geo/municipality-centres.json';

/**
 * The situational picture for a member's staff (a county leader): choose an area, an age band and a
 * period; the meters' means as a chart with the same figures as a table, each labelled with the
 * Stiglitz–Sen–Fitoussi dimensions and OECD Better Life topics it maps to; a dot map of the area's
 * municipalities (their approximate centres: no boundaries are shipped) with a table beside it;
 * service use, context indicators, the privacy budget, CSV; figures to follow and their notices.
 */
const Toolbar = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 0 24px;
  align-items: flex-end;
  margin-bottom: 8px;
`;
const Facts = styled.ul`
  margin: 0 0 24px;
  padding-left: 20px;
  li {
    margin-bottom: 6px;
  }
`;
const Figure = styled.figure`
  margin: 0 0 16px;
  max-width: 760px;
  figcaption {
    font-weight: 600;
    margin-bottom: 8px;
  }
  svg {
    width: 100%;
    height: auto;
    display: block;
  }
`;
const Legend = styled.ul`
  display: flex;
  flex-wrap: wrap;
  gap: 8px 20px;
  list-style: none;
  padding: 0;
  margin: 8px 0 16px;
  li {
    display: flex;
    align-items: center;
    gap: 6px;
  }
`;
const Section = styled.section`
  margin-bottom: 40px;
`;
/** A wide table scrolls sideways on its own (and takes focus, so that a keyboard can scroll it) instead of being cut off. */
const Scroll = styled.div`
  overflow-x: auto;
  margin-bottom: 16px;
  &:focus-visible {
    outline: 3px solid #1a99c7;
  }
`;

type Kind = PictureQuery['area_kind'];
const KINDS: Kind[] = ['county', 'region', 'municipality', 'country'];
const BANDS = ['all', '0-17', '18-29', '30-44', '45-64', '65+'];
/** Sequential blues, light to dark, for means 0–10 (each step passes 3:1 against white at the dot's edge). */
const SHADES = ['#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
const shadeOf = (mean: number) => SHADES[Math.min(SHADES.length - 1, Math.floor(mean / 2))]!;

/** The last eight quarters and three years, newest first; the quarter just ended first. */
export function periodChoices(now = new Date()): string[] {
  const year = now.getFullYear();
  const quarter = Math.floor(now.getMonth() / 3) + 1;
  const quarters: string[] = [];
  let y = year;
  let q = quarter - 1;
  for (let i = 0; i < 8; i++) {
    if (q === 0) {
      q = 4;
      y -= 1;
    }
    quarters.push(`${y}-Q${q}`);
    q -= 1;
  }
  return [...quarters, String(year - 1), String(year - 2), String(year - 3)];
}

export function Picture({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const periods = useMemo(() => periodChoices(), []);
  const [kind, setKind] = useState<Kind>('county');
  const [code, setCode] = useState('');
  const [band, setBand] = useState('all');
  const [period, setPeriod] = useState(periods[0]!);
  const [asked, setAsked] = useState<PictureQuery | null>(null);
  const [view, setView] = useState<PictureView | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);
  const counties = useLoad((signal) => consoleApi.areaList('wellbeing_service_counties', language, { signal }), [language]);
  const regions = useLoad((signal) => consoleApi.areaList('regions', language, { signal }), [language]);
  const municipalities = useLoad((signal) => consoleApi.municipalities(language, { signal }), [language]);
  const follows = useLoad((signal) => consoleApi.pictureFollows(memberId, { signal }), [memberId, reload]);

  const areaOptions = useMemo(() => {
    const items = kind === 'county' ? counties.data?.items : kind === 'region' ? regions.data?.items : kind === 'municipality' ? municipalities.data?.items : [];
    return (items ?? []).map((i) => ({ value: i.code, label: localText(i.name, language) })).sort((a, b) => a.label.localeCompare(b.label, language));
  }, [kind, counties.data, regions.data, municipalities.data, language]);
  const chosenCode = kind === 'country' ? '' : code || areaOptions[0]?.value || '';

  const show = async (event: FormEvent) => {
    event.preventDefault();
    const query: PictureQuery = { area_kind: kind, area_code: chosenCode, age_band: band, period };
    setBusy(true);
    setError(undefined);
    try {
      setView(await consoleApi.picture(memberId, query));
      setAsked(query);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title={t('picture.title')}>{t('picture.title')}</PageHeading>
      <Paragraph mb="m">{t('picture.intro')}</Paragraph>
      <form onSubmit={show} noValidate aria-label={t('picture.choose')}>
        <Toolbar>
          <NativeSelect
            label={t('picture.areaKind')}
            value={kind}
            onChange={(v) => {
              setKind(v as Kind);
              setCode('');
            }}
            options={KINDS.map((k) => ({ value: k, label: t(`picture.kind.${k}`) }))}
          />
          {kind !== 'country' && <NativeSelect label={t('picture.area')} value={chosenCode} onChange={setCode} options={areaOptions} />}
          <NativeSelect label={t('picture.ageBand')} value={band} onChange={setBand} options={BANDS.map((b) => ({ value: b, label: b === 'all' ? t('picture.allAges') : t('picture.years', { band: b }) }))} />
          <NativeSelect label={t('picture.period')} value={period} onChange={setPeriod} options={periods.map((p) => ({ value: p, label: periodLabel(p, t) }))} />
        </Toolbar>
        <Toolbar>
          <Button type="submit" disabled={busy || (kind !== 'country' && !chosenCode)} style={{ marginBottom: 20 }}>
            {t('picture.show')}
          </Button>
          {asked && view && (
            <Button
              variant="secondary"
              style={{ marginBottom: 20 }}
              onClick={() => {
                setError(undefined);
                downloadFile(consoleApi.pictureCsvUrl(memberId, asked, language), `aurora-picture-${asked.period}.csv`).catch(setError);
              }}
            >
              {t('picture.csv')}
            </Button>
          )}
        </Toolbar>
      </form>
      <ErrorAlert error={error} />
      {view && <Report view={view} memberId={memberId} onFollowed={() => setReload((n) => n + 1)} />}
      <Notices memberId={memberId} data={follows.data} onChanged={() => setReload((n) => n + 1)} />
    </>
  );
}

function periodLabel(period: string, t: ReturnType<typeof useTranslation<'console'>>['t']): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(period);
  return m ? t('picture.quarter', { q: m[2]!, year: m[1]! }) : t('picture.year', { year: period });
}

function Report({ view, memberId, onFollowed }: { view: PictureView; memberId: string; onFollowed: () => void }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const areaName = localText(view.area.name, language);
  const bandText = view.age_band === 'all' ? t('picture.allAges') : t('picture.years', { band: view.age_band });
  const heading = `${areaName} · ${bandText} · ${periodLabel(view.period, t)}`;
  const frame = (ids: string[], names: Record<string, Partial<Record<string, string>>>) => ids.map((d) => names[d]?.[language] ?? d).join(', ');
  const figure = (value: number | null, digits = 1) => (value === null ? t('picture.suppressed') : formatNumber(value, language, digits));

  if (view.status !== 'released')
    return (
      <InlineAlert status="neutral" mb="l" aria-live="polite">
        {view.status === 'incomplete' ? t('picture.incomplete') : t('picture.overCap')}
      </InlineAlert>
    );

  return (
    <div aria-live="polite">
      <Heading variant="h2" mb="s">
        {heading}
      </Heading>
      <Facts>
        <li>{t('picture.releasedAt', { date: formatDate(view.released_at!, language), epsilon: formatNumber(view.epsilon!, language, 1) })}</li>
        <li>{t('picture.suppressedNote', { k: view.k_threshold })}</li>
        <li>{t('picture.marginNote')}</li>
        <li>
          {t('picture.budget', { cap: formatNumber(view.budget.epsilon_cap, language, 1) })}{' '}
          {view.budget.quarters.map((q) => t('picture.budgetQuarter', { quarter: periodLabel(q.quarter, t), spent: formatNumber(q.spent, language, 1), left: formatNumber(q.left, language, 1) })).join('; ')}
        </li>
      </Facts>

      <Section aria-labelledby="picture-meters">
        <Heading variant="h3" id="picture-meters" mb="s">
          {t('picture.meters')}
        </Heading>
        <MeanChart view={view} caption={t('picture.chartCaption', { area: heading })} />
        <Scroll tabIndex={0} role="region" aria-label={t('picture.tableCaption', { area: heading })}>
          <Table
            caption={t('picture.tableCaption', { area: heading })}
            condensed
            columns={[
              { key: 'meter', labelText: t('picture.meter') },
              { key: 'mean', labelText: t('picture.mean'), textAlign: 'right' as const },
              { key: 'margin', labelText: t('picture.margin'), textAlign: 'right' as const },
              { key: 'answers', labelText: t('picture.answers'), textAlign: 'right' as const },
              { key: 'ssf', labelText: t('picture.ssf') },
              { key: 'oecd', labelText: t('picture.oecd') },
            ]}
            data={view.meters.map((m) => ({
              id: m.meter,
              meter: meterName(language, m.meter),
              mean: figure(m.mean),
              margin: m.margin === null ? '' : `± ${formatNumber(m.margin, language, 1)}`,
              answers: figure(m.answers, 0),
              ssf: frame(m.ssf, view.frames.ssf),
              oecd: frame(m.oecd, view.frames.oecd),
            }))}
          />
        </Scroll>
        <FollowForm view={view} memberId={memberId} onFollowed={onFollowed} />
      </Section>

      {view.by_municipality.length > 0 && <MunicipalityMap view={view} />}

      <Section aria-labelledby="picture-services">
        <Heading variant="h3" id="picture-services" mb="s">
          {t('picture.serviceUse')}
        </Heading>
        {view.service_use === null ? (
          <Paragraph>{t('picture.serviceUseAllAges')}</Paragraph>
        ) : (
          <Facts>
            <li>{t('picture.recommended', { n: figure(view.service_use.recommended, 0) })}</li>
            <li>{t('picture.transfers', { n: figure(view.service_use.transfers, 0) })}</li>
          </Facts>
        )}
      </Section>

      <Section aria-labelledby="picture-indicators">
        <Heading variant="h3" id="picture-indicators" mb="s">
          {t('picture.indicators')}
        </Heading>
        {view.indicators.length === 0 ? (
          <Paragraph>{t('picture.noIndicators')}</Paragraph>
        ) : (
          <Scroll tabIndex={0} role="region" aria-label={t('picture.indicatorsCaption', { area: areaName })}>
            <Table
              caption={t('picture.indicatorsCaption', { area: areaName })}
              condensed
              columns={[
                { key: 'name', labelText: t('picture.indicator') },
                { key: 'values', labelText: t('picture.values') },
                { key: 'ssf', labelText: t('picture.ssf') },
                { key: 'oecd', labelText: t('picture.oecd') },
              ]}
              data={view.indicators.map((i) => ({
                id: i.indicator,
                name: localText(i.name, language),
                values: i.values.map((v) => `${v.year}: ${formatNumber(v.value, language, 1)}${i.unit === '%' ? ' %' : ''}`).join(', '),
                ssf: frame(i.ssf, view.frames.ssf),
                oecd: frame(i.oecd, view.frames.oecd),
              }))}
            />
          </Scroll>
        )}
        <Paragraph mt="s">{t('picture.indicatorsSource')}</Paragraph>
      </Section>
    </div>
  );
}

const Bars = styled.div`
  .row {
    display: grid;
    grid-template-columns: minmax(140px, 220px) 1fr minmax(56px, max-content);
    align-items: center;
    gap: 4px 12px;
    margin-bottom: 6px;
  }
  .track {
    position: relative;
    height: 20px;
    background: repeating-linear-gradient(to right, #d0d5d8 0 1px, transparent 1px 20%);
  }
  .bar {
    position: absolute;
    inset: 2px auto 2px 0;
    background: #2a6ebb;
  }
  .whisker {
    position: absolute;
    top: 9px;
    height: 2px;
    background: #212121;
  }
  .hatched {
    position: absolute;
    inset: 2px auto 2px 0;
    width: 15%;
    background: repeating-linear-gradient(45deg, #6b7378 0 2px, transparent 2px 6px);
  }
  .value {
    font-variant-numeric: tabular-nums;
  }
  .axis {
    display: flex;
    justify-content: space-between;
    font-size: 13px;
    color: #41403e;
  }
  @media (max-width: 600px) {
    .row {
      grid-template-columns: 1fr minmax(56px, max-content);
    }
    .label {
      grid-column: 1 / -1;
    }
  }
`;

/**
 * The ten means as horizontal bars with their margins, drawn in HTML so that its text keeps its
 * size on a phone; for assistive technology one image with the figures in words (the table follows).
 */
function MeanChart({ view, caption }: { view: PictureView; caption: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const description = view.meters.map((m) => `${meterName(language, m.meter)}: ${m.mean === null ? t('picture.suppressed') : formatNumber(m.mean, language, 1)}`).join('; ');
  return (
    <Figure>
      <figcaption>{caption}</figcaption>
      <Bars role="img" aria-label={`${caption}. ${description}`}>
        {view.meters.map((m) => (
          <div className="row" key={m.meter}>
            <span className="label">{meterName(language, m.meter)}</span>
            <div className="track">
              {m.mean === null ? (
                <div className="hatched" />
              ) : (
                <>
                  <div className="bar" style={{ width: `${m.mean * 10}%` }} />
                  {m.margin !== null && <div className="whisker" style={{ left: `${Math.max(0, m.mean - m.margin) * 10}%`, width: `${(Math.min(10, m.mean + m.margin) - Math.max(0, m.mean - m.margin)) * 10}%` }} />}
                </>
              )}
            </div>
            <span className="value">{m.mean === null ? t('picture.suppressed') : formatNumber(m.mean, language, 1)}</span>
          </div>
        ))}
        <div className="row" aria-hidden="true">
          <span className="label" />
          <div className="axis">
            {[0, 2, 4, 6, 8, 10].map((g) => (
              <span key={g}>{g}</span>
            ))}
          </div>
          <span />
        </div>
      </Bars>
    </Figure>
  );
}

type Centre = [string, number, number, string];
const CENTRES = new Map((centres as unknown as { centres: Centre[] }).centres.map((c) => [c[0], c]));

/** The area's municipalities as dots at their approximate centres, shaded by one meter's mean; the table beside it holds the same figures. */
function MunicipalityMap({ view }: { view: PictureView }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [meter, setMeter] = useState<Meter>('life_satisfaction');
  const index = METERS.indexOf(meter);
  const dots = view.by_municipality.map((m) => ({ ...m, centre: CENTRES.get(m.code), mean: m.means[index] ?? null, answers: m.answers[index] ?? null, margin: m.margins[index] ?? null }));
  const placed = dots.filter((d) => d.centre);
  const lats = placed.map((d) => d.centre![1]);
  const lons = placed.map((d) => d.centre![2]);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  // Equirectangular, longitude shrunk by the cosine of the middle latitude: near enough for dots.
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max(0.5, (maxLon - minLon) * k);
  const spanY = Math.max(0.5, maxLat - minLat);
  const size = 460;
  const pad = 16;
  const unit = (size - 2 * pad) / Math.max(spanX, spanY);
  const w = spanX * unit + 2 * pad;
  const h = spanY * unit + 2 * pad;
  const x = (lon: number) => pad + (lon - minLon) * k * unit;
  const y = (lat: number) => pad + (maxLat - lat) * unit;
  const name = meterName(language, meter);
  const caption = t('picture.mapCaption', { meter: name });
  const labels = view.meters.find((m) => m.meter === meter);
  return (
    <Section aria-labelledby="picture-map">
      <Heading variant="h3" id="picture-map" mb="s">
        {t('picture.byMunicipality')}
      </Heading>
      <NativeSelect label={t('picture.mapMeter')} value={meter} onChange={(v) => setMeter(v as Meter)} options={METERS.map((m) => ({ value: m, label: meterName(language, m) }))} />
      {labels && (
        <Paragraph mb="s">
          {t('picture.ssf')}: {labels.ssf.map((d) => localText(view.frames.ssf[d], language)).join(', ')}. {t('picture.oecd')}: {labels.oecd.map((d) => localText(view.frames.oecd[d], language)).join(', ')}.
        </Paragraph>
      )}
      <Figure>
        <figcaption>{caption}</figcaption>
        <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${caption}. ${t('picture.mapAlt')}`} style={{ maxWidth: 520 }}>
          <rect x={0} y={0} width={w} height={h} fill="#f7f7f8" />
          {placed.map((d) => (
            <circle key={d.code} cx={x(d.centre![2])} cy={y(d.centre![1])} r={placed.length > 60 ? 5 : 9} fill={d.mean === null ? '#ffffff' : shadeOf(d.mean)} stroke={d.mean === null ? '#6b7378' : '#08306b'} strokeWidth={1.5} strokeDasharray={d.mean === null ? '2 2' : undefined}>
              <title>{`${localText(d.name, language)}: ${d.mean === null ? t('picture.suppressed') : formatNumber(d.mean, language, 1)}`}</title>
            </circle>
          ))}
        </svg>
        <Legend aria-label={t('picture.legend')}>
          {SHADES.map((shade, i) => (
            <li key={shade}>
              <svg width="16" height="16" aria-hidden="true">
                <circle cx="8" cy="8" r="6" fill={shade} stroke="#08306b" />
              </svg>
              {`${i * 2}–${i === SHADES.length - 1 ? 10 : i * 2 + 2}`}
            </li>
          ))}
          <li>
            <svg width="16" height="16" aria-hidden="true">
              <circle cx="8" cy="8" r="6" fill="#fff" stroke="#6b7378" strokeDasharray="2 2" />
            </svg>
            {t('picture.suppressed')}
          </li>
        </Legend>
        <Paragraph>{t('picture.mapSource')}</Paragraph>
      </Figure>
      <Table
        caption={t('picture.mapTable', { meter: name })}
        condensed
        columns={[
          { key: 'municipality', labelText: t('picture.municipality') },
          { key: 'mean', labelText: t('picture.mean'), textAlign: 'right' as const },
          { key: 'margin', labelText: t('picture.margin'), textAlign: 'right' as const },
          { key: 'answers', labelText: t('picture.answers'), textAlign: 'right' as const },
        ]}
        data={dots.map((d) => ({
          id: d.code,
          municipality: localText(d.name, language),
          mean: d.mean === null ? t('picture.suppressed') : formatNumber(d.mean, language, 1),
          margin: d.margin === null ? '' : `± ${formatNumber(d.margin, language, 1)}`,
          answers: d.answers === null ? t('picture.suppressed') : formatNumber(d.answers, language),
        }))}
      />
    </Section>
  );
}

function FollowForm({ view, memberId, onFollowed }: { view: PictureView; memberId: string; onFollowed: () => void }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [subject, setSubject] = useState<string>('life_satisfaction');
  const [threshold, setThreshold] = useState('1');
  const [webhooks, setWebhooks] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState(false);
  const follow = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setDone(false);
    try {
      await consoleApi.followPicture(memberId, { area_kind: view.area.kind, area_code: view.area.code, age_band: view.age_band, subject, threshold: Number(threshold.replace(',', '.')), webhooks });
      setDone(true);
      onFollowed();
    } catch (e) {
      setError(e);
    }
  };
  const options = [
    ...METERS.map((m) => ({ value: m, label: meterName(language, m) })),
    ...(view.age_band === 'all' ? view.indicators.map((i) => ({ value: `indicator:${i.indicator}`, label: localText(i.name, language) })) : []),
  ];
  return (
    <form onSubmit={follow} noValidate aria-labelledby="picture-follow">
      <Heading variant="h4" as="h4" id="picture-follow" mb="xs">
        {t('picture.follow')}
      </Heading>
      <Paragraph mb="s">{t('picture.followHint')}</Paragraph>
      <Toolbar>
        <NativeSelect label={t('picture.followWhat')} value={subject} onChange={setSubject} options={options} />
        <div style={{ marginBottom: 20 }}>
          <TextInput labelText={t('picture.threshold')} value={threshold} onChange={(v) => setThreshold(String(v ?? ''))} inputMode="decimal" visualPlaceholder="1" />
        </div>
      </Toolbar>
      {/* Before the button: the choice is made with the follow, and seen before it is sent. */}
      <Checkbox checked={webhooks} onClick={({ checkboxState }) => setWebhooks(checkboxState)} hintText={t('picture.followWebhooksHint')}>
        {t('picture.followWebhooks')}
      </Checkbox>
      <Button type="submit" style={{ marginTop: 16, marginBottom: 20 }}>
        {t('picture.followButton')}
      </Button>
      {done && <p role="status">{t('picture.followed')}</p>}
      <ErrorAlert error={error} />
    </form>
  );
}

function Notices({ memberId, data, onChanged }: { memberId: string; data: { follows: import('../../api.ts').PictureFollow[]; notices: import('../../api.ts').PictureNotice[] } | undefined; onChanged: () => void }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [error, setError] = useState<unknown>(undefined);
  if (!data) return null;
  const describe = (f: { area_kind: string; area_code: string; age_band: string; subject: string }) =>
    `${f.subject.startsWith('indicator:') ? f.subject.slice(10) : meterName(language, f.subject as Meter)} · ${t(`picture.kind.${f.area_kind as Kind}`)} ${f.area_code} · ${f.age_band === 'all' ? t('picture.allAges') : f.age_band}`;
  const byId = new Map(data.follows.map((f) => [f.id, f]));
  return (
    <Section aria-labelledby="picture-notices">
      <Heading variant="h2" id="picture-notices" mb="s">
        {t('picture.notices')}
      </Heading>
      {data.notices.length === 0 ? (
        <Paragraph mb="m">{t('picture.noNotices')}</Paragraph>
      ) : (
        <ul>
          {data.notices.map((n) => {
            const f = byId.get(n.follow_id);
            return (
              <li key={n.id}>
                {t('picture.notice', {
                  what: f ? describe(f) : '',
                  previous: formatNumber(n.previous, language, 1),
                  previousPeriod: periodLabel(n.previous_period, t),
                  current: formatNumber(n.current, language, 1),
                  period: periodLabel(n.period, t),
                })}
              </li>
            );
          })}
        </ul>
      )}
      <Heading variant="h3" mb="s">
        {t('picture.following')}
      </Heading>
      {data.follows.length === 0 ? (
        <Paragraph>{t('picture.noFollows')}</Paragraph>
      ) : (
        <ul>
          {data.follows.map((f) => (
            <li key={f.id}>
              {t(f.webhooks ? 'picture.followItemWebhooks' : 'picture.followItem', { what: describe(f), threshold: formatNumber(f.threshold, language, 1) })}{' '}
              <Button
                variant="secondaryNoBorder"
                aria-label={t('picture.unfollowLabel', { what: describe(f) })}
                onClick={() => {
                  setError(undefined);
                  consoleApi.unfollowPicture(memberId, f.id).then(onChanged, setError);
                }}
              >
                {t('picture.unfollow')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <ErrorAlert error={error} />
      <Paragraph mt="s">{t('picture.webhookNote')}</Paragraph>
    </Section>
  );
}
