import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Heading, InlineAlert, Paragraph, Table, TextInput } from 'suomifi-ui-components';
import { ApiError, downloadFile, localText } from '../../api.ts';
import { ConfirmDialog, ErrorAlert, LoadState, PageHeading, Small, SuccessAlert, WrappingTable, formatDate, formatDateTime, useLanguage } from '../../components/common.tsx';
import { StateCard } from '../../components/StateCard.tsx';
import { settlementApi, type ReviewOrder, type Settlement } from '../../settlement-api.ts';
import { dateText, parseDate } from '../../voucher-fields.ts';
import { useLoad } from '../../../shared/load.ts';
import type { Language } from '../../../shared/i18n.ts';

export const euros = (cents: number, language: Language) =>
  new Intl.NumberFormat(language === 'en' ? 'en-IE' : `${language}-FI`, { style: 'currency', currency: 'EUR', minimumFractionDigits: 2 }).format(cents / 100);

const Section = styled.section`
  margin-bottom: 40px;
`;
const Numbers = styled.div`
  & td.number,
  & th.number {
    text-align: right;
    white-space: nowrap;
  }
`;
const Actions = styled.div`
  display: flex;
  flex-direction: column;
  align-items: flex-start;
  gap: 8px;
`;
const Selectable = styled.div`
  & input.select {
    width: 24px;
    height: 24px;
    margin: 4px 0 0;
    accent-color: #2a6ebb;
    cursor: pointer;
  }
`;
const History = styled.details`
  margin-top: 4px;
  font-size: 14px;
  summary {
    cursor: pointer;
  }
  ol {
    margin: 4px 0 0;
    padding-left: 20px;
  }
`;
const RunForm = styled.form`
  display: flex;
  flex-wrap: wrap;
  align-items: flex-end;
  gap: 16px;
  margin-bottom: 16px;
`;

const todayInFinland = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

/** Budgets of the payer's programmes, as the ledger has them. */
function Budgets({ memberId, round }: { memberId: string; round: number }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const budgets = useLoad((signal) => settlementApi.budgets(memberId, { signal }), [memberId, round]);
  const money = (cents: number) => euros(cents, language);
  return (
    <Section aria-labelledby="budgets-heading">
      <Heading variant="h2" id="budgets-heading" mb="s">
        {t('settlement.budgetTitle')}
      </Heading>
      <LoadState loaded={budgets}>
        {({ programmes }) =>
          programmes.length === 0 ? (
            <Paragraph>{t('settlement.budgetNone')}</Paragraph>
          ) : (
            <Numbers>
              <WrappingTable>
                <Table
                  caption={t('settlement.budgetCaption')}
                  condensed
                  mb="s"
                  columns={[
                    { key: 'programme', labelText: t('settlement.programme') },
                    ...(['cap', 'issued', 'returned', 'reserved', 'payable', 'settled', 'left'] as const).map((key) => ({ key, labelText: t(`settlement.${key}`), className: 'number' })),
                  ]}
                  data={programmes.map((p) => ({
                    id: p.programme_id,
                    programme: localText(p.name, language),
                    cap: money(p.cap_cents),
                    issued: money(p.issued_cents),
                    returned: money(p.returned_cents),
                    reserved: money(p.reserved_cents),
                    payable: money(p.payable_cents),
                    settled: money(p.settled_cents),
                    left: money(p.left_cents),
                  }))}
                />
              </WrappingTable>
              <Small>{t('settlement.budgetHelp')}</Small>
            </Numbers>
          )
        }
      </LoadState>
    </Section>
  );
}

type Decision = { kind: 'dispute' | 'refund'; order: ReviewOrder; key: string };

/** The review queue: each delivery with what was delivered, who pays what, its history, and the payer's moves. */
function Review({ memberId, round, onChanged }: { memberId: string; round: number; onChanged: () => void }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const queue = useLoad((signal) => settlementApi.review(memberId, { signal }), [memberId, round]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [decision, setDecision] = useState<Decision | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const nameOf = (o: ReviewOrder) => `${localText(o.service.name, language) || o.service.id}, ${o.provider.name}, ${formatDate(o.delivered_at, language)}`;
  const refresh = onChanged;

  const approve = async (ids: string[], one?: ReviewOrder) => {
    setBusy(true);
    setDone(null);
    setError(undefined);
    try {
      if (one) {
        await settlementApi.approve(memberId, one.id);
        setDone(t('settlement.approved', { name: nameOf(one) }));
      } else {
        const { results } = await settlementApi.approveMany(memberId, ids);
        const failed = results.filter((r) => r.problem !== null).length;
        setDone(failed === 0 ? t('settlement.approvedMany', { count: results.length }) : t('settlement.approvedSomeFailed', { count: results.length - failed, failed }));
      }
      setSelected(new Set());
      refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section aria-labelledby="review-heading">
      <Heading variant="h2" id="review-heading" mb="s">
        {t('settlement.reviewTitle')}
      </Heading>
      <Paragraph mb="m">{t('settlement.reviewIntro')}</Paragraph>
      <SuccessAlert>{done}</SuccessAlert>
      <ErrorAlert error={error} />
      <LoadState loaded={queue}>
        {({ orders, truncated }) => {
          const approvable = orders.filter((o) => o.moves.includes('approve'));
          const chosen = approvable.filter((o) => selected.has(o.id)).map((o) => o.id);
          return orders.length === 0 ? (
            <Paragraph role="status">{t('settlement.reviewNone')}</Paragraph>
          ) : (
            <>
              {approvable.length > 0 && (
                <Button variant="secondary" disabled={busy || chosen.length === 0} onClick={() => void approve(chosen)} style={{ marginBottom: 16 }}>
                  {t('settlement.approveSelected', { count: chosen.length })}
                </Button>
              )}
              <Selectable>
                <WrappingTable>
                  <Table
                    caption={t('settlement.reviewCaption')}
                    condensed
                    mb="s"
                    columns={[
                      { key: 'select', labelText: t('settlement.selectColumn') },
                      { key: 'order', labelText: t('settlement.order') },
                      { key: 'delivery', labelText: t('settlement.delivery') },
                      { key: 'amounts', labelText: t('settlement.amounts') },
                      { key: 'status', labelText: t('settlement.status') },
                      { key: 'actions', labelText: t('settlement.actions') },
                    ]}
                    data={orders.map((o) => ({
                      id: o.id,
                      select: o.moves.includes('approve') ? (
                        <input
                          type="checkbox"
                          className="select"
                          aria-label={t('settlement.select', { name: nameOf(o) })}
                          // Left to the browser: the table re-renders its cells, and the selection is kept beside it.
                          defaultChecked={selected.has(o.id)}
                          onChange={(event) => {
                            const checked = event.currentTarget.checked;
                            setSelected((s) => {
                              const next = new Set(s);
                              if (checked) next.add(o.id);
                              else next.delete(o.id);
                              return next;
                            });
                          }}
                        />
                      ) : null,
                      order: (
                        <>
                          {localText(o.service.name, language) || o.service.id}
                          <Small>{o.provider.name}</Small>
                          <Small>{localText(o.programme.name, language)}</Small>
                        </>
                      ),
                      delivery: (
                        <>
                          {t('settlement.units', { delivered: o.delivered_units ?? o.units, units: o.units })}
                          <Small>{t('settlement.deliveredOn', { date: formatDate(o.delivered_at, language) })}</Small>
                          {o.status === 'delivered' && o.confirm_by && <Small>{t('settlement.confirmBy', { date: formatDate(o.confirm_by, language) })}</Small>}
                        </>
                      ),
                      amounts: (
                        <>
                          <span data-testid="payer-amount">{t('settlement.payerTotal', { amount: euros(o.payer_cents, language) })}</span>
                          <Small>{t('settlement.price', { price: euros(o.price_per_unit_cents, language) })}</Small>
                          <Small>{t('settlement.shares', { payer: euros(o.payer_per_unit_cents, language), person: euros(o.co_payment_per_unit_cents, language) })}</Small>
                        </>
                      ),
                      status: (
                        <>
                          <span data-testid="review-status">{t(`settlement.states.${o.status as 'confirmed'}`)}</span>
                          <History>
                            <summary>{t('settlement.history')}</summary>
                            <ol>
                              {o.history.map((h, i) => (
                                <li key={i}>
                                  {t('settlement.historyItem', { when: formatDateTime(h.at, language), state: t(`settlement.historyStates.${h.to as 'delivered'}`), by: t(`settlement.by.${h.by as 'person'}`) })}
                                  {h.note && <Small>{h.note}</Small>}
                                </li>
                              ))}
                            </ol>
                          </History>
                        </>
                      ),
                      actions: (
                        <Actions>
                          {o.moves.includes('approve') && (
                            <Button disabled={busy} onClick={() => void approve([o.id], o)} aria-label={t('settlement.actionLabel', { action: t('settlement.approve'), name: nameOf(o) })}>
                              {t('settlement.approve')}
                            </Button>
                          )}
                          {o.moves.includes('dispute') && (
                            <Button variant="secondary" disabled={busy} onClick={() => setDecision({ kind: 'dispute', order: o, key: crypto.randomUUID() })} aria-label={t('settlement.actionLabel', { action: t('settlement.dispute'), name: nameOf(o) })}>
                              {t('settlement.dispute')}
                            </Button>
                          )}
                          {o.moves.includes('refund') && (
                            <Button variant="secondary" disabled={busy} onClick={() => setDecision({ kind: 'refund', order: o, key: crypto.randomUUID() })} aria-label={t('settlement.actionLabel', { action: t('settlement.refund'), name: nameOf(o) })}>
                              {t('settlement.refund')}
                            </Button>
                          )}
                        </Actions>
                      ),
                    }))}
                  />
                </WrappingTable>
              </Selectable>
              {truncated && <Small>{t('settlement.reviewTruncated')}</Small>}
            </>
          );
        }}
      </LoadState>
      <ConfirmDialog
        visible={decision !== null}
        title={decision ? t(decision.kind === 'dispute' ? 'settlement.disputeTitle' : 'settlement.refundTitle', { name: nameOf(decision.order) }) : ''}
        text={decision ? t(decision.kind === 'dispute' ? 'settlement.disputeText' : 'settlement.refundText') : ''}
        reasonLabel={decision ? t(decision.kind === 'dispute' ? 'settlement.disputeReason' : 'settlement.refundReason') : ''}
        reasonHint={t('settlement.reasonHint')}
        confirmText={decision ? t(decision.kind === 'dispute' ? 'settlement.dispute' : 'settlement.refund') : ''}
        onConfirm={async (reason) => {
          if (!decision) return;
          setDone(null);
          if (decision.kind === 'dispute') await settlementApi.dispute(memberId, decision.order.id, reason);
          else await settlementApi.refund(memberId, decision.order.id, reason, decision.key);
          setDone(t(decision.kind === 'dispute' ? 'settlement.disputed' : 'settlement.refunded', { name: nameOf(decision.order) }));
          refresh();
        }}
        onClose={() => setDecision(null)}
      />
    </Section>
  );
}

/** The settlement run: a day, a confirmation, and what came of it. */
function Run({ memberId, onSettled }: { memberId: string; onSettled: () => void }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  // Typed as the programme form takes dates ("31.12.2026" or "2026-12-31"); the run is for the day it reads as.
  const [typed, setTyped] = useState(() => dateText(todayInFinland()));
  const [through, setThrough] = useState('');
  const [asking, setAsking] = useState(false);
  const [invalid, setInvalid] = useState(false);
  // One key per intended run: a retry after a lost answer is the same run.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [result, setResult] = useState<{ text: string; warnings: string[] } | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const day = parseDate(typed);
    setInvalid(!day);
    if (day) {
      setThrough(day);
      setAsking(true);
    }
  };
  return (
    <Section aria-labelledby="run-heading">
      <Heading variant="h2" id="run-heading" mb="s">
        {t('settlement.runTitle')}
      </Heading>
      <Paragraph mb="m">{t('settlement.runIntro')}</Paragraph>
      <RunForm onSubmit={submit} noValidate>
        <TextInput
          labelText={t('settlement.through')}
          hintText={t('settlement.throughHint')}
          value={typed}
          onChange={(v) => setTyped(String(v ?? ''))}
          status={invalid ? 'error' : 'default'}
          statusText={invalid ? t('settlement.throughInvalid') : undefined}
        />
        <Button type="submit">{t('settlement.run')}</Button>
      </RunForm>
      {result && (
        <InlineAlert status="neutral" mb="m" role="status" aria-live="polite">
          {result.text}
          {result.warnings.map((w) => (
            <Paragraph key={w} mt="xs">
              {w}
            </Paragraph>
          ))}
        </InlineAlert>
      )}
      <ErrorAlert error={error} />
      <ConfirmDialog
        visible={asking}
        title={t('settlement.runConfirmTitle', { date: formatDate(through, language) })}
        text={t('settlement.runConfirmText')}
        confirmText={t('settlement.run')}
        onConfirm={async () => {
          setResult(null);
          setError(undefined);
          try {
            const run = await settlementApi.settle(memberId, through, key);
            setKey(crypto.randomUUID());
            const warnings = [
              ...(run.left_out.length > 0 ? [t('settlement.leftOut', { names: run.left_out.map((l) => l.provider_name).join(', ') })] : []),
              ...(run.truncated ? [t('settlement.truncated')] : []),
            ];
            setResult({ text: t('settlement.runDone', { number: run.settlement.number, count: run.settlement.orders, total: euros(run.settlement.total_cents, language) }), warnings });
            onSettled();
          } catch (e) {
            // A refusal is an answer to this run: the next try is a new one.
            setKey(crypto.randomUUID());
            const kind = e instanceof ApiError ? e.type?.split('/').pop() : undefined;
            if (kind === 'nothing-to-settle') setError(t('settlement.nothingToSettle'));
            else if (kind === 'payer-bank-account-missing') setError(t('settlement.payerAccountMissing'));
            else setError(e);
          }
        }}
        onClose={() => setAsking(false)}
      />
    </Section>
  );
}

/** The settlements made, each with its statements and its payment file. */
function Settlements({ memberId, round }: { memberId: string; round: number }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const settlements = useLoad((signal) => settlementApi.settlements(memberId, { signal }), [memberId, round]);
  const [error, setError] = useState<unknown>(undefined);
  const download = (s: Settlement) => downloadFile(settlementApi.paymentFileUrl(memberId, s.id), `aurora-settlement-${s.number}-pain001.xml`).catch(setError);
  return (
    <Section aria-labelledby="settlements-heading">
      <Heading variant="h2" id="settlements-heading" mb="s">
        {t('settlement.settlementsTitle')}
      </Heading>
      <Paragraph mb="m">{t('settlement.downloadHint')}</Paragraph>
      <ErrorAlert error={error} />
      <LoadState loaded={settlements}>
        {({ settlements: list }) =>
          list.length === 0 ? (
            <Paragraph>{t('settlement.settlementsNone')}</Paragraph>
          ) : (
            <>
              {list.map((s) => (
                <StateCard key={s.id} aria-labelledby={`settlement-${s.id}`} data-testid="settlement">
                  <Heading variant="h3" as="h3" id={`settlement-${s.id}`} mb="xs">
                    {t('settlement.settlementHeading', { number: s.number })}
                  </Heading>
                  <Paragraph mb="s">
                    {t('settlement.settlementFacts', { through: formatDate(s.through, language), when: formatDateTime(s.created_at, language), count: s.orders, total: euros(s.total_cents, language) })}
                  </Paragraph>
                  <Numbers>
                    <WrappingTable>
                      <Table
                        caption={t('settlement.statementsCaption', { number: s.number })}
                        condensed
                        mb="s"
                        columns={[
                          { key: 'provider', labelText: t('settlement.provider') },
                          { key: 'programme', labelText: t('settlement.programme') },
                          { key: 'orders', labelText: t('settlement.ordersCount'), className: 'number' },
                          { key: 'amount', labelText: t('settlement.amount'), className: 'number' },
                          { key: 'reference', labelText: t('settlement.reference') },
                          { key: 'account', labelText: t('settlement.account') },
                        ]}
                        data={s.statements.map((st) => ({
                          id: `${st.provider.id}-${st.programme.id}`,
                          provider: st.provider.name,
                          programme: localText(st.programme.name, language),
                          orders: String(st.orders),
                          amount: euros(st.total_cents, language),
                          reference: st.end_to_end_id,
                          account: (
                            <>
                              {st.creditor.iban}
                              <Small>{st.creditor.name}</Small>
                            </>
                          ),
                        }))}
                      />
                    </WrappingTable>
                  </Numbers>
                  <Button variant="secondary" onClick={() => void download(s)} aria-label={t('settlement.downloadLabel', { number: s.number })}>
                    {t('settlement.download')}
                  </Button>
                </StateCard>
              ))}
            </>
          )
        }
      </LoadState>
    </Section>
  );
}

/** "Review and settlement": a payer's budgets, the deliveries to review, the settlement run and the settlements made. */
export function VoucherReview({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const [round, setRound] = useState(0);
  const bump = useMemo(() => () => setRound((r) => r + 1), []);
  return (
    <>
      <PageHeading title={t('settlement.title')}>{t('settlement.title')}</PageHeading>
      <Paragraph mb="l">{t('settlement.intro')}</Paragraph>
      <Budgets memberId={memberId} round={round} />
      <Review memberId={memberId} round={round} onChanged={bump} />
      <Run memberId={memberId} onSettled={bump} />
      <Settlements memberId={memberId} round={round} />
    </>
  );
}
