import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Heading, Paragraph, RadioButton, RadioButtonGroup, TextInput } from 'suomifi-ui-components';
import { ApiError, consoleApi, localText, type DeskVoucher, type ProviderOrder } from '../../api.ts';
import { ErrorAlert, SuccessAlert, formatDate, useLanguage } from '../../components/common.tsx';
import { StateCard } from '../../components/StateCard.tsx';
import { formatEuros, parseWhole } from '../../voucher-fields.ts';

const Found = styled(StateCard)`
  border-left-color: #2a6ebb;
`;

const CodeForm = styled.form`
  display: flex;
  flex-wrap: wrap;
  align-items: flex-end;
  gap: 8px 16px;
  margin-bottom: 16px;
`;

/**
 * The desk: the provider types the code a person shows, sees the voucher (programme, payer, units
 * left, validity) and books units of one of its priced services there, accepted at once. A wrong
 * code is said in words; too many wrong ones are refused for a while (the server's limit).
 */
export function VoucherDesk({ memberId, headingId, onBooked }: { memberId: string; headingId: string; onBooked: (order: ProviderOrder) => void }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>(undefined);
  const [voucher, setVoucher] = useState<DeskVoucher | null>(null);
  const [serviceId, setServiceId] = useState('');
  const [units, setUnits] = useState('1');
  const [unitsError, setUnitsError] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per booking: a retry after a lost answer books once.
  const [bookingKey, setBookingKey] = useState(() => crypto.randomUUID());

  const lookUp = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    setError(undefined);
    setVoucher(null);
    if (!code.trim()) {
      setCodeError(t('voucherOrders.desk.codeMissing'));
      return;
    }
    setBusy(true);
    try {
      const found = await consoleApi.lookUpVoucherCode(memberId, code);
      setCodeError(undefined);
      setVoucher(found);
      setServiceId(found.services[0]?.service_id ?? '');
      setUnits('1');
      setNote('');
      setBookingKey(crypto.randomUUID());
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setCodeError(t('voucherOrders.desk.unknown'));
      else if (e instanceof ApiError && e.status === 422) setCodeError(t('voucherOrders.desk.notUsable'));
      else if (e instanceof ApiError && e.status === 400) setCodeError(t('voucherOrders.desk.unknown'));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const book = async (event: FormEvent) => {
    event.preventDefault();
    if (!voucher) return;
    const n = parseWhole(units, 1, Math.max(1, voucher.units_left));
    setUnitsError(n === undefined);
    if (n === undefined || !serviceId) return;
    setBusy(true);
    setError(undefined);
    try {
      const order = await consoleApi.redeemVoucherCode(memberId, { code, service_id: serviceId, units: n, ...(note.trim() ? { note: note.trim() } : {}) }, bookingKey);
      setDone(t('voucherOrders.desk.booked', { reference: order.reference }));
      setVoucher(null);
      setCode('');
      onBooked(order);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={headingId}>
      <Heading variant="h2" id={headingId} mb="s">
        {t('voucherOrders.desk.title')}
      </Heading>
      <Paragraph mb="m">{t('voucherOrders.desk.intro')}</Paragraph>
      <SuccessAlert>{done}</SuccessAlert>
      <CodeForm onSubmit={lookUp} noValidate>
        <TextInput
          labelText={t('voucherOrders.desk.code')}
          hintText={t('voucherOrders.desk.codeHint')}
          value={code}
          onChange={(v) => setCode(String(v ?? ''))}
          maxLength={20}
          autoComplete="off"
          spellCheck={false}
          status={codeError ? 'error' : 'default'}
          statusText={codeError}
        />
        <Button type="submit" disabled={busy}>
          {t('voucherOrders.desk.lookUp')}
        </Button>
      </CodeForm>
      {!voucher && <ErrorAlert error={error} />}
      {voucher && (
        <Found aria-labelledby="desk-voucher" data-testid="desk-voucher">
          <Heading variant="h3" as="h3" id="desk-voucher" mb="xs">
            {localText(voucher.programme.name, language)}
          </Heading>
          <dl>
            <dt>{t('voucherOrders.desk.payer')}</dt>
            <dd>{voucher.programme.payer}</dd>
            <dt>{t('voucherOrders.desk.unitsLeft')}</dt>
            <dd>{t('voucherOrders.desk.unitsLeftText', { left: voucher.units_left, total: voucher.units })}</dd>
            <dt>{t('voucherOrders.desk.validUntil')}</dt>
            <dd>{formatDate(voucher.valid_until, language)}</dd>
          </dl>
          <Paragraph mb="m">{t('voucherOrders.desk.codeValid', { time: new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : `${language}-FI`, { timeStyle: 'short' }).format(new Date(voucher.code_expires_at)) })}</Paragraph>
          {voucher.units_left < 1 ? (
            <Paragraph>{t('voucherOrders.desk.nothingLeft')}</Paragraph>
          ) : (
            <form onSubmit={book} noValidate>
              <RadioButtonGroup labelText={t('voucherOrders.desk.service')} name="desk-service" value={serviceId} onChange={setServiceId} mb="m">
                {voucher.services.map((s) => (
                  <RadioButton key={s.service_id} value={s.service_id}>
                    {`${localText(s.name, language)}: ${t('voucherOrders.orders.priceText', { price: formatEuros(s.price_per_unit_cents!, language), unit: t(`vouchers.form.units.${voucher.programme.unit}`), payer: formatEuros(s.payer_per_unit_cents!, language), person: formatEuros(s.person_per_unit_cents!, language) })}`}
                  </RadioButton>
                ))}
              </RadioButtonGroup>
              <TextInput
                labelText={t('voucherOrders.desk.units')}
                value={units}
                onChange={(v) => setUnits(String(v ?? ''))}
                inputMode="numeric"
                autoComplete="off"
                mb="m"
                status={unitsError ? 'error' : 'default'}
                statusText={unitsError ? t('voucherOrders.desk.unitsError', { max: voucher.units_left }) : undefined}
              />
              <TextInput labelText={t('voucherOrders.desk.note')} value={note} onChange={(v) => setNote(String(v ?? ''))} maxLength={1000} autoComplete="off" fullWidth mb="m" />
              <ErrorAlert error={error} />
              <Button type="submit" disabled={busy}>
                {t('voucherOrders.desk.book')}
              </Button>{' '}
              <Button
                variant="secondaryNoBorder"
                onClick={() => {
                  setVoucher(null);
                  setCode('');
                }}
              >
                {t('voucherOrders.desk.another')}
              </Button>
            </form>
          )}
        </Found>
      )}
    </section>
  );
}
