import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Details, Heading, Table } from 'suomifi-ui-components';
import { consoleApi } from '../../api.ts';
import { BarChart } from '../../components/BarChart.tsx';
import { AppLink, LoadState, PageHeading, formatDate, formatNumber, useLanguage } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';

const Cards = styled.ul`
  list-style: none;
  padding: 0;
  margin: 0 0 32px;
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(170px, 1fr));
  gap: 16px;
  li {
    border: 1px solid #c8cdd0;
    padding: 12px 16px;
    display: flex;
    flex-direction: column-reverse;
  }
  li.attention {
    border-color: #c65c00;
    background: #fff1d6;
  }
  .n {
    font-size: 32px;
    line-height: 40px;
    font-weight: 600;
    color: #003479;
  }
`;
const Charts = styled.div`
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
  gap: 24px 32px;
  margin-bottom: 16px;
`;

/** The whole network at a glance, for its administrators. */
export function Overview() {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const overview = useLoad((signal) => consoleApi.overview({ signal }), []);
  const n = (v: number) => formatNumber(v, language);
  const short = (week: string) => {
    const d = new Date(`${week}T00:00:00`);
    return `${d.getDate()}.${d.getMonth() + 1}.`;
  };
  return (
    <>
      <PageHeading title={t('overview.title')}>{t('overview.title')}</PageHeading>
      <LoadState loaded={overview}>
        {(o) => (
          <>
            <Heading variant="h2" mb="s">
              {t('overview.members')}
            </Heading>
            <Cards>
              {(['pending', 'approved', 'suspended', 'rejected'] as const).map((s) => (
                <li key={s}>
                  <span>{t(`status.${s}`)}</span>
                  <span className="n">{n(o.members[s] ?? 0)}</span>
                </li>
              ))}
            </Cards>
            <Heading variant="h2" mb="s">
              {t('overview.totals')}
            </Heading>
            <Cards>
              <li>
                <span>{t('overview.services')}</span>
                <span className="n">{n(o.services.linked)}</span>
              </li>
              <li className={o.services.pending_claims > 0 ? 'attention' : undefined}>
                <AppLink to="/admin/claims">{t('overview.pendingClaims')}</AppLink>
                <span className="n">{n(o.services.pending_claims)}</span>
              </li>
              <li>
                <span>{t('overview.catalogue')}</span>
                <span className="n">{n(o.services.catalogue)}</span>
              </li>
              <li>
                <span>{t('overview.clients')}</span>
                <span className="n">{n(o.clients.active)}</span>
              </li>
              <li>
                <span>{t('overview.clientsSuspended')}</span>
                <span className="n">{n(o.clients.suspended)}</span>
              </li>
              <li>
                <span>{t('overview.staff')}</span>
                <span className="n">{n(o.staff)}</span>
              </li>
            </Cards>
            <Heading variant="h2" mb="s">
              {t('overview.weekly')}
            </Heading>
            <Charts>
              {(['recommendations', 'transfers'] as const).map((key) => (
                <BarChart
                  key={key}
                  caption={t(`overview.${key}`)}
                  description={o.weeks.map((w) => `${formatDate(w.week, language)}: ${n(w[key])}`).join('; ')}
                  bars={o.weeks.map((w) => ({ label: short(w.week), value: w[key], title: `${formatDate(w.week, language)}: ${n(w[key])}` }))}
                  hiddenLabel=""
                  labelEvery={2}
                />
              ))}
            </Charts>
            <Details summaryLabel={t('statistics.asTable')}>
              <Table
                caption={t('overview.weekly')}
                condensed
                columns={[
                  { key: 'week', labelText: t('overview.week') },
                  { key: 'recommendations', labelText: t('overview.recommendations'), textAlign: 'right' },
                  { key: 'transfers', labelText: t('overview.transfers'), textAlign: 'right' },
                ]}
                data={o.weeks.map((w) => ({ id: w.week, week: formatDate(w.week, language), recommendations: n(w.recommendations), transfers: n(w.transfers) }))}
              />
            </Details>
          </>
        )}
      </LoadState>
    </>
  );
}
