import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Heading, Paragraph, TextInput } from 'suomifi-ui-components';
import { consoleApi, localText, type ProviderMove, type ProviderOrder } from '../../api.ts';
import { ConfirmDialog, ErrorAlert, LoadState, PageHeading, SuccessAlert, formatDate, formatDateTime, useLanguage } from '../../components/common.tsx';
import { StateCard } from '../../components/StateCard.tsx';
import { formatEuros, parseWhole } from '../../voucher-fields.ts';
import { useLoad } from '../../../shared/load.ts';
import { BankAccount } from './BankAccount.tsx';
import { VoucherDesk } from './VoucherDesk.tsx';
import { VoucherPrices } from './VoucherPrices.tsx';

const WAITING = new Set(['requested', 'accepted']);

const Card = styled(StateCard)`
  &.requested {
    border-left-color: #c65c00;
  }
  &.accepted {
    border-left-color: #2a6ebb;
  }
  &.delivered,
  &.confirmed,
  &.approved,
  &.settled {
    border-left-color: #1a7f37;
  }
  .state {
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 8px 12px;
  }
  details {
    margin-top: 12px;
  }
  summary {
    cursor: pointer;
  }
  ol {
    margin: 8px 0 0;
    padding-left: 20px;
  }
`;

const OnThisPage = styled.nav`
  margin-bottom: 24px;
  ul {
    margin: 4px 0 0;
    padding-left: 20px;
  }
`;

type Asked = { move: Exclude<ProviderMove, 'accept' | 'deliver'>; order: ProviderOrder; key: string };

/** One order: what was booked, at what price and shares, its history, and the provider's moves now open. */
function OrderCard({ order: o, busy, onAccept, onAsk, onDeliver }: { order: ProviderOrder; busy: boolean; onAccept: () => void; onAsk: (move: Asked['move']) => void; onDeliver: (units: number) => Promise<void> }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [units, setUnits] = useState(String(o.units));
  const [unitsError, setUnitsError] = useState(false);
  const title = t('voucherOrders.orders.reference', { reference: o.reference });
  const headingId = `order-${o.id}`;
  const units_ = o.delivered_units ?? o.units;
  const deliver = async (event: FormEvent) => {
    event.preventDefault();
    const n = parseWhole(units, 1, o.units);
    setUnitsError(n === undefined);
    if (n !== undefined) await onDeliver(n);
  };
  return (
    <Card className={o.status} aria-labelledby={headingId} data-testid="voucher-order">
      <Heading variant="h4" as="h4" id={headingId} mb="xs">
        {title}
      </Heading>
      <Paragraph>
        <span className="state">{t(`voucherOrders.orders.status.${o.status}`)}</span> – {t(`voucherOrders.orders.via.${o.via}`)}, {formatDateTime(o.created_at, language)}
      </Paragraph>
      <dl>
        <dt>{t('voucherOrders.orders.service')}</dt>
        <dd>{localText(o.service.name, language)}</dd>
        <dt>{t('voucherOrders.orders.programme')}</dt>
        <dd>{localText(o.programme.name, language)}</dd>
        <dt>{t('voucherOrders.orders.units')}</dt>
        <dd>{o.delivered_units === null ? t(`vouchers.unitCount.${o.programme.unit}`, { count: o.units }) : t('voucherOrders.orders.delivered', { delivered: o.delivered_units, units: o.units })}</dd>
        {o.wanted_on && (
          <>
            <dt>{t('voucherOrders.orders.wanted')}</dt>
            <dd>{formatDate(o.wanted_on, language)}</dd>
          </>
        )}
        {o.note && (
          <>
            <dt>{t('voucherOrders.orders.note')}</dt>
            <dd>{o.note}</dd>
          </>
        )}
        <dt>{t('voucherOrders.orders.price')}</dt>
        <dd>{t('voucherOrders.orders.priceText', { price: formatEuros(o.price_per_unit_cents, language), unit: t(`vouchers.form.units.${o.programme.unit}`), payer: formatEuros(o.payer_per_unit_cents, language), person: formatEuros(o.person_per_unit_cents, language) })}</dd>
        <dt>{t('voucherOrders.orders.total')}</dt>
        <dd>{t('voucherOrders.orders.totalText', { total: formatEuros(o.price_per_unit_cents * units_, language), payer: formatEuros(o.payer_per_unit_cents * units_, language), person: formatEuros(o.person_per_unit_cents * units_, language) })}</dd>
      </dl>
      {o.status === 'delivered' && o.confirm_by && <Paragraph mb="s">{t('voucherOrders.orders.confirmBy', { date: formatDate(o.confirm_by, language) })}</Paragraph>}
      {o.moves.length > 0 && (
        <div className="actions">
          {o.moves.includes('accept') && (
            <Button disabled={busy} onClick={onAccept} aria-label={`${t('voucherOrders.orders.moves.accept')}: ${title}`}>
              {t('voucherOrders.orders.moves.accept')}
            </Button>
          )}
          {o.moves.includes('deliver') && (
            <form onSubmit={deliver} noValidate className="actions">
              <TextInput
                labelText={t('voucherOrders.orders.deliveredUnits')}
                value={units}
                onChange={(v) => setUnits(String(v ?? ''))}
                inputMode="numeric"
                autoComplete="off"
                status={unitsError ? 'error' : 'default'}
                statusText={unitsError ? t('voucherOrders.desk.unitsError', { max: o.units }) : undefined}
              />
              <Button type="submit" disabled={busy} aria-label={`${t('voucherOrders.orders.moves.deliver')}: ${title}`}>
                {t('voucherOrders.orders.moves.deliver')}
              </Button>
            </form>
          )}
          {(['decline', 'cancel', 'no_show', 'refund'] as const)
            .filter((m) => o.moves.includes(m))
            .map((m) => (
              <Button key={m} variant="secondary" disabled={busy} onClick={() => onAsk(m)} aria-label={`${t(`voucherOrders.orders.moves.${m}`)}: ${title}`}>
                {t(`voucherOrders.orders.moves.${m}`)}
              </Button>
            ))}
        </div>
      )}
      <details>
        <summary>{t('voucherOrders.orders.history')}</summary>
        <ol>
          {o.history.map((h, i) => (
            <li key={i}>
              {t('voucherOrders.orders.historyLine', { at: formatDateTime(h.at, language), to: t(`voucherOrders.orders.status.${h.to}`), by: t(`voucherOrders.orders.by.${h.by}`) })}
              {h.note ? `: ${h.note}` : ''}
            </li>
          ))}
        </ol>
      </details>
    </Card>
  );
}

/**
 * A provider's voucher orders: the desk where a person's code is redeemed, the orders waiting for
 * the provider and the earlier ones, its prices in the programmes that pay for its services, and the
 * bank account it is paid to. Every move that moves money is sent with an Idempotency-Key.
 */
export function VoucherOrders({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const orders = useLoad((signal) => consoleApi.providerOrders(memberId, { signal }), [memberId]);
  const [asked, setAsked] = useState<Asked | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | null>(null);

  const move = async (order: ProviderOrder, name: ProviderMove, body: { delivered_units?: number; note?: string } = {}, key: string = crypto.randomUUID()) => {
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      const moved = await consoleApi.moveVoucherOrder(memberId, order.id, name, body, key);
      setDone(t(`voucherOrders.orders.done.${name}`, { reference: moved.reference }));
      orders.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const sections = [
    ['desk', t('voucherOrders.desk.title')],
    ['orders', t('voucherOrders.orders.title')],
    ['prices', t('voucherOrders.prices.title')],
    ['bank', t('voucherOrders.bank.title')],
  ] as const;

  const list = (items: ProviderOrder[]) =>
    items.map((o) => (
      <OrderCard
        key={o.id}
        order={o}
        busy={busy}
        onAccept={() => void move(o, 'accept')}
        onAsk={(m) => setAsked({ move: m, order: o, key: crypto.randomUUID() })}
        onDeliver={(units) => move(o, 'deliver', units < o.units ? { delivered_units: units } : {})}
      />
    ));

  return (
    <>
      <PageHeading title={t('voucherOrders.title')}>{t('voucherOrders.title')}</PageHeading>
      <Paragraph mb="s">{t('voucherOrders.intro')}</Paragraph>
      <Paragraph mb="m">{t('voucherOrders.noNames')}</Paragraph>
      <OnThisPage aria-labelledby="on-this-page">
        <strong id="on-this-page">{t('voucherOrders.onThisPage')}</strong>
        <ul>
          {sections.map(([id, title]) => (
            <li key={id}>
              <a href={`#voucher-${id}`}>{title}</a>
            </li>
          ))}
        </ul>
      </OnThisPage>
      <VoucherDesk memberId={memberId} headingId="voucher-desk" onBooked={() => orders.reload()} />
      <section aria-labelledby="voucher-orders">
        <Heading variant="h2" id="voucher-orders" mb="s" style={{ marginTop: 32 }}>
          {t('voucherOrders.orders.title')}
        </Heading>
        <SuccessAlert>{done}</SuccessAlert>
        <ErrorAlert error={error} />
        <LoadState loaded={orders}>
          {({ orders: all }) => {
            const waiting = all.filter((o) => WAITING.has(o.status));
            const others = all.filter((o) => !WAITING.has(o.status));
            return all.length === 0 ? (
              <Paragraph mb="l">{t('voucherOrders.orders.none')}</Paragraph>
            ) : (
              <>
                <Heading variant="h3" mb="s">
                  {t('voucherOrders.orders.waiting')}
                </Heading>
                {waiting.length === 0 ? <Paragraph mb="m">{t('voucherOrders.orders.noneWaiting')}</Paragraph> : list(waiting)}
                {others.length > 0 && (
                  <>
                    <Heading variant="h3" mb="s">
                      {t('voucherOrders.orders.others')}
                    </Heading>
                    {list(others)}
                  </>
                )}
              </>
            );
          }}
        </LoadState>
      </section>
      <div style={{ marginTop: 32 }}>
        <VoucherPrices memberId={memberId} headingId="voucher-prices" />
      </div>
      <div style={{ marginTop: 32 }}>
        <BankAccount memberId={memberId} headingId="voucher-bank" />
      </div>
      <ConfirmDialog
        visible={asked !== null}
        title={asked ? t(`voucherOrders.orders.confirmTitle.${asked.move}`, { reference: asked.order.reference }) : ''}
        text={asked ? t(`voucherOrders.orders.confirmText.${asked.move}`, { units: asked.order.units }) : ''}
        {...(asked?.move === 'refund' ? { reasonLabel: t('voucherOrders.orders.reason'), reasonHint: t('voucherOrders.orders.reasonHint') } : {})}
        confirmText={asked ? t(`voucherOrders.orders.moves.${asked.move}`) : ''}
        onConfirm={async (reason) => {
          if (!asked) return;
          setError(undefined);
          setDone(null);
          const moved = await consoleApi.moveVoucherOrder(memberId, asked.order.id, asked.move, reason ? { note: reason } : {}, asked.key);
          setDone(t(`voucherOrders.orders.done.${asked.move}`, { reference: moved.reference }));
          orders.reload();
        }}
        onClose={() => setAsked(null)}
      />
    </>
  );
}
