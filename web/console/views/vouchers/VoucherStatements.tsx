import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Heading, Paragraph, Table } from 'suomifi-ui-components';
import { localText } from '../../api.ts';
import { LoadState, PageHeading, Small, WrappingTable, formatDate, useLanguage } from '../../components/common.tsx';
import { StateCard } from '../../components/StateCard.tsx';
import { settlementApi, type Statement } from '../../settlement-api.ts';
import { useLoad } from '../../../shared/load.ts';
import { euros } from './VoucherReview.tsx';

/** One statement's deliveries, loaded when asked for. */
function Lines({ memberId, statement, name }: { memberId: string; statement: Statement; name: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const detail = useLoad((signal) => settlementApi.statement(memberId, statement.settlement_id, statement.programme.id, { signal }), [memberId, statement.settlement_id, statement.programme.id]);
  return (
    <LoadState loaded={detail}>
      {({ lines }) => (
        <WrappingTable>
          <Table
            caption={t('statements.linesCaption', { name, number: statement.settlement_number })}
            condensed
            mt="s"
            columns={[
              { key: 'service', labelText: t('statements.service') },
              { key: 'delivered', labelText: t('statements.delivered') },
              { key: 'units', labelText: t('statements.units') },
              { key: 'price', labelText: t('statements.price') },
              { key: 'coPayment', labelText: t('statements.coPayment') },
              { key: 'payerShare', labelText: t('statements.payerShare') },
              { key: 'amount', labelText: t('statements.lineAmount') },
            ]}
            data={lines.map((l) => ({
              id: l.order_id,
              service: localText(l.service.name, language) || l.service.id,
              delivered: formatDate(l.delivered_at, language),
              units: l.delivered_units === l.units ? String(l.units) : `${l.delivered_units} / ${l.units}`,
              price: euros(l.price_per_unit_cents, language),
              coPayment: euros(l.co_payment_per_unit_cents, language),
              payerShare: euros(l.payer_per_unit_cents, language),
              amount: euros(l.amount_cents, language),
            }))}
          />
        </WrappingTable>
      )}
    </LoadState>
  );
}

function StatementCard({ memberId, statement: s }: { memberId: string; statement: Statement }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [open, setOpen] = useState(false);
  const name = `${s.payer.name}: ${localText(s.programme.name, language)}`;
  const headingId = `statement-${s.settlement_id}-${s.programme.id}`;
  return (
    <StateCard aria-labelledby={headingId} data-testid="statement">
      <Heading variant="h3" as="h3" id={headingId} mb="xs">
        {name}
      </Heading>
      <dl>
        <dt>{t('statements.settlement')}</dt>
        <dd>
          {t('statements.settlementText', { number: s.settlement_number, date: formatDate(s.settled_at, language) })}
          <Small>{t('statements.throughText', { date: formatDate(s.through, language) })}</Small>
        </dd>
        <dt>{t('settlement.amount')}</dt>
        <dd data-testid="statement-amount">{euros(s.total_cents, language)}</dd>
        <dt>{t('settlement.ordersCount')}</dt>
        <dd>{s.orders}</dd>
        <dt>{t('settlement.reference')}</dt>
        <dd>{s.end_to_end_id}</dd>
        <dt>{t('settlement.account')}</dt>
        <dd>
          {s.creditor.iban}
          {s.creditor.bic ? ` (${s.creditor.bic})` : ''}
          <Small>{s.creditor.name}</Small>
        </dd>
      </dl>
      <Button
        variant="secondary"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        aria-label={t(open ? 'statements.hideLabel' : 'statements.showLabel', { name, number: s.settlement_number })}
      >
        {t(open ? 'statements.hide' : 'statements.show')}
      </Button>
      {open && <Lines memberId={memberId} statement={s} name={name} />}
    </StateCard>
  );
}

/** "Statements": a provider's settlement statements from every payer, the newest first. */
export function VoucherStatements({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const statements = useLoad((signal) => settlementApi.statements(memberId, { signal }), [memberId]);
  return (
    <>
      <PageHeading title={t('statements.title')}>{t('statements.title')}</PageHeading>
      <Paragraph mb="l">{t('statements.intro')}</Paragraph>
      <LoadState loaded={statements}>
        {({ statements: list }) =>
          list.length === 0 ? <Paragraph>{t('statements.none')}</Paragraph> : list.map((s) => <StatementCard key={`${s.settlement_id}-${s.programme.id}`} memberId={memberId} statement={s} />)
        }
      </LoadState>
    </>
  );
}
