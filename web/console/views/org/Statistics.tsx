import type { ParseKeys } from 'i18next';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Details, Dropdown, DropdownItem, Heading, InlineAlert, Paragraph, Table } from 'suomifi-ui-components';
import { consoleApi, downloadFile, localText, type Statistics as Result, type StatisticsWeek } from '../../api.ts';
import { BarChart } from '../../components/BarChart.tsx';
import { ErrorAlert, PageHeading, formatDate, formatNumber, useLanguage } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import { METERS } from '../../../../src/recommender/meter-names.ts';
import { meterName } from '../../meter-names.ts';
import type { Meter } from '../../../../src/recommender/meter-names.ts';

const Charts = styled.div`
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
  gap: 24px 32px;
  margin-bottom: 24px;
`;
const Facts = styled.ul`
  margin: 0 0 24px;
  padding-left: 20px;
  li {
    margin-bottom: 6px;
  }
`;
const Toolbar = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: 16px;
  align-items: flex-end;
  margin-bottom: 16px;
`;

const PERIODS = [4, 12, 26, 52] as const;
const COUNTS = ['recommended', 'opened', 'transfers_received', 'feedback_useful', 'feedback_not_useful', 'people'] as const;
const COUNT_TEXT = {
  recommended: 'statistics.recommended',
  opened: 'statistics.opened',
  transfers_received: 'statistics.transfers',
  feedback_useful: 'statistics.useful',
  feedback_not_useful: 'statistics.notUseful',
  people: 'statistics.people',
} as const satisfies Record<(typeof COUNTS)[number], ParseKeys<'console'>>;

const isoDate = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
function monday(d: Date): Date {
  const m = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  m.setDate(m.getDate() - ((m.getDay() + 6) % 7));
  return m;
}
/**
 * The last n weeks up to this one, as Mondays. The server shows each completed week as released once
 * and kept; this week, still going on, is pending.
 */
export function periodOf(weeks: number, now = new Date()): { from: string; to: string } {
  const last = monday(now);
  const first = new Date(last);
  first.setDate(first.getDate() - 7 * (weeks - 1));
  return { from: isoDate(first), to: isoDate(last) };
}
function mondaysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00`);
  const end = new Date(`${to}T00:00:00`);
  while (d <= end && out.length < 200) {
    out.push(isoDate(d));
    d.setDate(d.getDate() + 7);
  }
  return out;
}

/** The member's privacy-protected statistics on its own services: charts, tables, meter distributions, CSV. */
export function Statistics({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [weeks, setWeeks] = useState<string>('12');
  const [asked, setAsked] = useState<{ from: string; to: string } | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const municipalities = useLoad((signal) => consoleApi.municipalities(language, { signal }), [language]);
  const member = useLoad((signal) => consoleApi.member(memberId, { signal }), [memberId]);

  const show = async (event: FormEvent) => {
    event.preventDefault();
    const period = periodOf(Number(weeks));
    setBusy(true);
    setError(undefined);
    try {
      setResult(await consoleApi.statistics(memberId, period.from, period.to));
      setAsked(period);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title={t('statistics.title')}>{t('statistics.title')}</PageHeading>
      <Paragraph mb="m">{t('statistics.intro')}</Paragraph>
      <InlineAlert status="neutral" mb="l">
        {t('statistics.budgetNote')}
      </InlineAlert>
      <form onSubmit={show} noValidate>
        <Toolbar>
          <Dropdown labelText={t('statistics.period')} value={weeks} onChange={setWeeks} id="statistics-period">
            {PERIODS.map((n) => (
              <DropdownItem key={n} value={String(n)}>
                {t('statistics.weeks', { count: n })}
              </DropdownItem>
            ))}
          </Dropdown>
          <Button type="submit" disabled={busy}>
            {t('statistics.show')}
          </Button>
          {asked && result && (
            <Button
              variant="secondary"
              onClick={() => {
                setError(undefined);
                downloadFile(consoleApi.statisticsCsvUrl(memberId, asked.from, asked.to, language), `aurora-statistics-${asked.from}-${asked.to}.csv`).catch(setError);
              }}
            >
              {t('statistics.csv')}
            </Button>
          )}
        </Toolbar>
      </form>
      <ErrorAlert error={error} />
      {result && asked && (
        <StatisticsReport
          result={result}
          joined={member.data ? (member.data.decided_at ?? member.data.created_at) : null}
          from={result.from ?? asked.from}
          to={result.to ?? asked.to}
          municipalityName={(code) => {
            const found = municipalities.data?.items.find((m) => m.code === code);
            return found ? localText(found.name, language) : code;
          }}
        />
      )}
    </>
  );
}

/**
 * The Monday on which a member's first full week since joining ends, when that is still to come;
 * null when a full week has passed. Weeks before joining are computed too (the member's services
 * existed), but a new member reading "11 weeks computed for the first time" learns nothing true.
 */
export function firstWeekStillToCome(joined: string, now = new Date()): string | null {
  const start = monday(new Date(joined));
  // A week that began before joining is not a full week of membership: the first one starts the next Monday.
  const firstFull = new Date(start);
  if (new Date(joined) > start) firstFull.setDate(firstFull.getDate() + 7);
  const ends = new Date(firstFull);
  ends.setDate(ends.getDate() + 7);
  return ends > now ? isoDate(ends) : null;
}

function StatisticsReport({ result, joined, from, to, municipalityName }: { result: Result; joined: string | null; from: string; to: string; municipalityName: (code: string) => string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const mondays = useMemo(() => mondaysBetween(from, to), [from, to]);
  const totals = useMemo(() => new Map(result.weeks.filter((w) => w.municipality === null).map((w) => [w.week, w])), [result]);
  const short = (week: string) => {
    const d = new Date(`${week}T00:00:00`);
    return `${d.getDate()}.${d.getMonth() + 1}.`;
  };
  const unavailable = useMemo(() => new Set(result.week_releases.filter((r) => r.unavailable).map((r) => r.week)), [result]);
  // Why a week has no figures: still going on, its privacy budget used, or fewer than 10 people.
  const missing = (week: string) => (week === result.pending_week ? t('statistics.pending') : unavailable.has(week) ? t('statistics.unavailable') : t('statistics.hidden'));
  const missingLong = (week: string) => (week === result.pending_week || unavailable.has(week) ? missing(week) : t('statistics.hiddenLong'));
  const cell = (week: string, value: number | undefined) => (value === undefined ? missing(week) : formatNumber(value, language));

  const chart = (key: 'recommended' | 'opened' | 'transfers_received') => {
    const bars = mondays.map((week) => {
      const w = totals.get(week);
      const value = w ? w[key] : null;
      if (value === null) return { label: short(week), value, title: formatDate(week, language), hiddenLabel: missingLong(week) };
      return { label: short(week), value, title: `${formatDate(week, language)}: ${formatNumber(value, language)}` };
    });
    const shown = bars.filter((b) => b.value !== null);
    const sum = shown.reduce((s, b) => s + (b.value ?? 0), 0);
    const description =
      mondays.length <= 13
        ? bars.map((b) => (b.value === null ? `${b.title}: ${b.hiddenLabel}` : b.title)).join('; ')
        : t('statistics.chartSummary', { weeks: mondays.length, shown: shown.length, sum: formatNumber(sum, language) });
    return (
      <BarChart
        key={key}
        caption={t(COUNT_TEXT[key])}
        subcaption={t('statistics.total', { sum: formatNumber(sum, language) })}
        description={description}
        bars={bars}
        hiddenLabel={t('statistics.hiddenLong')}
      />
    );
  };

  // Meter answers over the whole period: the weeks' noisy histograms summed, the mean taken from the sum.
  const meters = useMemo(() => {
    const sums = new Map<string, number[]>();
    for (const w of result.weeks) {
      if (w.municipality !== null) continue;
      for (const [meter, dist] of Object.entries(w.meters)) {
        if (!dist) continue;
        const sum = sums.get(meter) ?? Array.from({ length: 11 }, () => 0);
        dist.histogram.forEach((v, i) => (sum[i] = (sum[i] ?? 0) + v));
        sums.set(meter, sum);
      }
    }
    return METERS.filter((m) => sums.has(m)).map((m) => {
      const histogram = sums.get(m)!;
      const people = histogram.reduce((a, b) => a + b, 0);
      const mean = people > 0 ? histogram.reduce((a, v, i) => a + v * i, 0) / people : null;
      return { meter: m, histogram, mean };
    });
  }, [result]);

  const byMunicipality = useMemo(() => {
    const rows = new Map<string, Record<(typeof COUNTS)[number], number>>();
    for (const w of result.weeks) {
      if (w.municipality === null) continue;
      const row = rows.get(w.municipality) ?? { recommended: 0, opened: 0, transfers_received: 0, feedback_useful: 0, feedback_not_useful: 0, people: 0 };
      for (const k of COUNTS) row[k] += w[k];
      rows.set(w.municipality, row);
    }
    return [...rows.entries()].sort((a, b) => b[1].recommended - a[1].recommended);
  }, [result]);

  const firstWeek = joined ? firstWeekStillToCome(joined) : null;
  const weekRows = mondays.map((week) => ({ week, row: totals.get(week) as StatisticsWeek | undefined }));
  const empty = result.weeks.length === 0;

  return (
    <section aria-labelledby="statistics-result">
      <Heading variant="h2" id="statistics-result" mb="s">
        {t('statistics.weekly')}
      </Heading>
      <Heading variant="h3" as="h3" mb="xs">
        {t('statistics.privacy')}
      </Heading>
      <Facts>
        {firstWeek && joined && <li>{t('statistics.noCompletedWeek', { joined: formatDate(joined, language), first: formatDate(firstWeek, language) })}</li>}
        {result.week_releases.length > 0 &&
          !firstWeek &&
          (result.new_releases > 0 ? <li>{t('statistics.releasedNow', { count: result.new_releases })}</li> : <li>{t('statistics.releasedBefore')}</li>)}
        {result.pending_week && <li>{t('statistics.pendingNote', { week: formatDate(result.pending_week, language) })}</li>}
        {unavailable.size > 0 && <li>{t('statistics.unavailableNote', { count: unavailable.size })}</li>}
        <li>{t('statistics.underTen')}</li>
        <li>{t('statistics.noise')}</li>
      </Facts>
      {empty && <Paragraph mb="m">{t('statistics.empty')}</Paragraph>}
      <Charts>{(['recommended', 'opened', 'transfers_received'] as const).map(chart)}</Charts>
      <Details summaryLabel={t('statistics.asTable')} mb="xl">
        <Table
          caption={t('statistics.weekly')}
          condensed
          columns={[{ key: 'week', labelText: t('statistics.week') }, ...COUNTS.map((k) => ({ key: k, labelText: t(COUNT_TEXT[k]), textAlign: 'right' as const }))]}
          data={weekRows.map(({ week, row }) => ({
            id: week,
            week: formatDate(week, language),
            ...Object.fromEntries(COUNTS.map((k) => [k, cell(week, row?.[k])])),
          }))}
        />
      </Details>

      <Heading variant="h2" mb="s">
        {t('statistics.meters')}
      </Heading>
      <Paragraph mb="m">{t('statistics.metersIntro')}</Paragraph>
      {meters.length === 0 ? (
        <Paragraph mb="l">{t('statistics.noMeters')}</Paragraph>
      ) : (
        <>
          <Charts>
            {meters.map(({ meter, histogram, mean }) => {
              const name = meterName(language, meter as Meter);
              const values = histogram.map((v, i) => `${i}: ${formatNumber(v, language)}`).join(', ');
              return (
                <BarChart
                  key={meter}
                  caption={name}
                  subcaption={mean === null ? undefined : t('statistics.mean', { value: formatNumber(mean, language, 1) })}
                  description={t('statistics.histogramDesc', { meter: name, values })}
                  bars={histogram.map((v, i) => ({ label: String(i), value: v, title: `${name} ${i}: ${formatNumber(v, language)}` }))}
                  hiddenLabel={t('statistics.hidden')}
                  height={140}
                  color="#1a7a4c"
                  labelEvery={1}
                />
              );
            })}
          </Charts>
          <Details summaryLabel={t('statistics.asTable')} mb="xl">
            <Table
              caption={t('statistics.meters')}
              condensed
              columns={[
                { key: 'meter', labelText: t('statistics.meter') },
                { key: 'mean', labelText: t('statistics.meanColumn'), textAlign: 'right' as const },
                ...Array.from({ length: 11 }, (_, i) => ({ key: `v${i}`, labelText: String(i), textAlign: 'right' as const })),
              ]}
              data={meters.map(({ meter, histogram, mean }) => ({
                id: meter,
                meter: meterName(language, meter as Meter),
                mean: mean === null ? '' : formatNumber(mean, language, 1),
                ...Object.fromEntries(histogram.map((v, i) => [`v${i}`, formatNumber(v, language)])),
              }))}
            />
          </Details>
        </>
      )}

      <Heading variant="h2" mb="s">
        {t('statistics.byMunicipality')}
      </Heading>
      {byMunicipality.length === 0 ? (
        <Paragraph>{t('statistics.noMunicipalities')}</Paragraph>
      ) : (
        <Table
          caption={t('statistics.byMunicipality')}
          condensed
          columns={[{ key: 'municipality', labelText: t('statistics.municipality') }, ...COUNTS.map((k) => ({ key: k, labelText: t(COUNT_TEXT[k]), textAlign: 'right' as const }))]}
          data={byMunicipality.map(([code, row]) => ({
            id: code,
            municipality: municipalityName(code),
            ...Object.fromEntries(COUNTS.map((k) => [k, formatNumber(row[k], language)])),
          }))}
        />
      )}
    </section>
  );
}
