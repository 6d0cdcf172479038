import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Heading, Paragraph } from 'suomifi-ui-components';
import { consoleApi, localText, type VoucherProgramme } from '../../api.ts';
import { ConfirmDialog, LoadState, PageHeading, SuccessAlert, formatDate, useLanguage } from '../../components/common.tsx';
import { StateCard } from '../../components/StateCard.tsx';
import { useLoad } from '../../../shared/load.ts';
import type { Language } from '../../../shared/i18n.ts';
import { VoucherProgrammeForm } from './VoucherProgrammeForm.tsx';

const Card = styled(StateCard)`
  &.open {
    border-left-color: #2a6ebb;
  }
  &.closed {
    border-left-color: #c8cdd0;
  }
  .state {
    font-weight: 600;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
  }
  .funded {
    display: block;
  }
  .funded b {
    font-weight: 600;
  }
  .blockers {
    background: #fff1d6;
    border: 1px solid #c65c00;
    padding: 8px 16px;
    margin: 0 0 16px;
  }
  .blockers ul {
    margin: 4px 0;
  }
`;

const Where = styled.div`
  margin-top: 16px;
  ul {
    margin: 0;
    padding-left: 20px;
  }
  li {
    margin-bottom: 8px;
  }
  .facts {
    display: block;
    color: #5f686d;
    font-size: 14px;
  }
`;

const euros = (cents: number, language: Language) =>
  new Intl.NumberFormat(language === 'en' ? 'en-IE' : `${language}-FI`, { style: 'currency', currency: 'EUR', minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(cents / 100);

/** "Where it can be used", loaded when asked for: the services the programme resolves to, with provider and channels. */
function WhereUsable({ memberId, programme }: { memberId: string; programme: VoucherProgramme }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const where = useLoad((signal) => consoleApi.voucherWhereUsable(memberId, programme.id, { signal }), [memberId, programme.id, programme.updated_at]);
  return (
    <Where>
      <Heading variant="h4" as="h4" mb="xs">
        {t('vouchers.where')}
      </Heading>
      <LoadState loaded={where}>
        {({ services, truncated }) =>
          services.length === 0 ? (
            <Paragraph>{t('vouchers.whereNone')}</Paragraph>
          ) : (
            <>
              <ul>
                {services.map((s) => (
                  <li key={s.id}>
                    {localText(s.name, language)}
                    <span className="facts">{s.provider ? t('vouchers.whereProvider', { name: s.provider.name }) : t('vouchers.whereNoProvider')}</span>
                    <span className="facts">
                      {s.channels.length > 0 ? t('vouchers.whereChannels', { channels: s.channels.map((c) => `${localText(c.name, language)} (${t(`channelTypes.${c.type}` as 'channelTypes.EChannel', { defaultValue: c.type })})`).join(', ') }) : t('vouchers.whereNoChannels')}
                    </span>
                  </li>
                ))}
              </ul>
              {truncated && <Paragraph>{t('vouchers.whereTruncated')}</Paragraph>}
            </>
          )
        }
      </LoadState>
    </Where>
  );
}

/** One programme: its state, value, who it is for, who pays what, limits, what keeps a draft from opening, and its actions. */
function ProgrammeCard(props: { memberId: string; programme: VoucherProgramme; onEdit: () => void; onOpen: () => void; onClose: () => void }) {
  const { programme: p } = props;
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [showWhere, setShowWhere] = useState(false);
  const name = localText(p.name, language) || t('vouchers.untitled');
  const unit = t(`vouchers.form.units.${p.unit}`);
  const headingId = `programme-${p.id}`;
  return (
    <Card className={p.status} aria-labelledby={headingId} data-testid="voucher-programme">
      <Heading variant="h3" as="h3" id={headingId} mb="xs">
        {name}
      </Heading>
      <Paragraph>
        <span className="state">{t(`vouchers.state.${p.status}`)}</span>
        {' – '}
        {t(`vouchers.stateHint.${p.status}`, { date: formatDate(p.status === 'closed' ? p.closed_at : p.opened_at, language) })}
      </Paragraph>
      <dl>
        <dt>{t('vouchers.value')}</dt>
        <dd>{t('vouchers.valueText', { value: euros(p.value_per_unit_cents, language), unit, amount: t(`vouchers.unitCount.${p.unit}`, { count: p.units_per_voucher }) })}</dd>
        <dt>{t('vouchers.whoPays')}</dt>
        <dd lang={language}>{p.co_payment_explained[language]}</dd>
        <dt>{t('vouchers.forWhom')}</dt>
        <dd>{p.eligibility_explained[language]}</dd>
        <dt>{t('vouchers.validity')}</dt>
        <dd>{p.valid_from && p.valid_until ? t('vouchers.validityText', { from: formatDate(p.valid_from, language), until: formatDate(p.valid_until, language), days: p.voucher_validity_days }) : t('vouchers.noValidity')}</dd>
        <dt>{t('vouchers.budget')}</dt>
        <dd>{p.budget_cap_cents === null ? t('vouchers.noBudget') : euros(p.budget_cap_cents, language)}</dd>
        <dt>{t('vouchers.perPerson')}</dt>
        <dd>{t('vouchers.perPersonText', { count: p.per_person_limit.vouchers, period: t(`vouchers.periodText.${p.per_person_limit.period}`) })}</dd>
        <dt>{t('vouchers.funds')}</dt>
        <dd>
          {(
            [
              [t('vouchers.form.services'), p.funds_named.services.map((s) => localText(s.name, language) || s.id)],
              [t('vouchers.form.classes'), p.funds_named.service_classes.map((c) => `${c.code} ${localText(c.name, language)}`.trim())],
              [t('vouchers.form.providers'), p.funds_named.providers.map((m) => m.name)],
            ] as [string, string[]][]
          )
            .filter(([, names]) => names.length > 0)
            .map(([label, names]) => (
              <span key={label} className="funded">
                <b>{label}:</b> {names.join(', ')}
              </span>
            ))}
          {p.funds_named.services.length + p.funds_named.service_classes.length + p.funds_named.providers.length === 0 && '–'}
        </dd>
      </dl>
      {p.open_blockers.length > 0 && (
        <div className="blockers">
          <strong>{t('vouchers.blockersTitle')}</strong>
          <ul>
            {p.open_blockers.map((b) => (
              <li key={b}>{t(`vouchers.blockers.${b}` as 'vouchers.blockers.names', { defaultValue: b })}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="actions">
        {p.status === 'draft' && (
          <Button variant="secondary" onClick={props.onEdit} aria-label={`${t('vouchers.edit')}: ${name}`}>
            {t('vouchers.edit')}
          </Button>
        )}
        {p.status === 'draft' && p.open_blockers.length === 0 && (
          <Button onClick={props.onOpen} aria-label={`${t('vouchers.open')}: ${name}`}>
            {t('vouchers.open')}
          </Button>
        )}
        {p.status !== 'closed' && (
          <Button variant="secondary" onClick={props.onClose} aria-label={`${t('vouchers.close')}: ${name}`}>
            {t('vouchers.close')}
          </Button>
        )}
        <Button variant="secondaryNoBorder" aria-expanded={showWhere} onClick={() => setShowWhere(!showWhere)} aria-label={t(showWhere ? 'vouchers.whereHide' : 'vouchers.whereShow', { name })}>
          {t(showWhere ? 'vouchers.whereHideShort' : 'vouchers.whereShowShort')}
        </Button>
      </div>
      {showWhere && <WhereUsable memberId={props.memberId} programme={p} />}
    </Card>
  );
}

/**
 * Service vouchers for a payer member's staff: the programmes (draft, open, closed) with their value,
 * who pays what and who they are for in words, a draft made and edited, opened once complete, and
 * closed; where each can be used.
 */
export function VoucherProgrammes({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const programmes = useLoad((signal) => consoleApi.voucherProgrammes(memberId, { signal }), [memberId]);
  const [editing, setEditing] = useState<VoucherProgramme | 'new' | null>(null);
  const [confirm, setConfirm] = useState<{ action: 'open' | 'close'; programme: VoucherProgramme } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const nameOf = (p: VoucherProgramme) => localText(p.name, language) || t('vouchers.untitled');
  const listHeading = useRef<HTMLHeadingElement>(null);
  const [backFromForm, setBackFromForm] = useState(false);
  // Back from the form (saved or cancelled), the focus goes to the list rather than to the page's start.
  useEffect(() => {
    if (!editing && backFromForm) listHeading.current?.focus();
  }, [editing, backFromForm]);

  if (editing)
    return (
      <>
        <PageHeading title={t('vouchers.title')}>{t('vouchers.title')}</PageHeading>
        <VoucherProgrammeForm
          memberId={memberId}
          programme={editing === 'new' ? null : editing}
          onSaved={(saved) => {
            setBackFromForm(true);
            setEditing(null);
            setDone(t('vouchers.saved', { name: nameOf(saved) }));
            programmes.reload();
          }}
          onCancel={() => {
            setBackFromForm(true);
            setEditing(null);
          }}
        />
      </>
    );

  return (
    <>
      <PageHeading title={t('vouchers.title')}>{t('vouchers.title')}</PageHeading>
      <Paragraph mb="s">{t('vouchers.intro')}</Paragraph>
      <Paragraph mb="l">{t('vouchers.draftRule')}</Paragraph>
      <SuccessAlert>{done}</SuccessAlert>
      <Button onClick={() => setEditing('new')} style={{ marginBottom: 24 }}>
        {t('vouchers.new')}
      </Button>
      <Heading variant="h2" mb="s" tabIndex={-1} ref={listHeading}>
        {t('vouchers.listTitle')}
      </Heading>
      <LoadState loaded={programmes}>
        {({ programmes: list }) =>
          list.length === 0 ? (
            <Paragraph mb="l">{t('vouchers.none')}</Paragraph>
          ) : (
            <>
              {list.map((p) => (
                <ProgrammeCard
                  key={p.id}
                  memberId={memberId}
                  programme={p}
                  onEdit={() => {
                    setDone(null);
                    setEditing(p);
                  }}
                  onOpen={() => setConfirm({ action: 'open', programme: p })}
                  onClose={() => setConfirm({ action: 'close', programme: p })}
                />
              ))}
            </>
          )
        }
      </LoadState>
      <ConfirmDialog
        visible={confirm !== null}
        title={confirm ? t(confirm.action === 'open' ? 'vouchers.openTitle' : 'vouchers.closeTitle', { name: nameOf(confirm.programme) }) : ''}
        text={confirm ? t(confirm.action === 'open' ? 'vouchers.openConfirm' : 'vouchers.closeConfirm') : ''}
        confirmText={confirm ? t(confirm.action === 'open' ? 'vouchers.open' : 'vouchers.close') : ''}
        onConfirm={async () => {
          if (!confirm) return;
          const { action, programme } = confirm;
          setDone(null);
          if (action === 'open') await consoleApi.openVoucherProgramme(memberId, programme.id);
          else await consoleApi.closeVoucherProgramme(memberId, programme.id);
          setDone(t(action === 'open' ? 'vouchers.opened' : 'vouchers.closed', { name: nameOf(programme) }));
          programmes.reload();
        }}
        onClose={() => setConfirm(null)}
      />
    </>
  );
}
