import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Heading, Paragraph, TextInput } from 'suomifi-ui-components';
import { ApiError, consoleApi, type BankAccount as Account } from '../../api.ts';
import { ErrorAlert, SuccessAlert } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import { useSession } from '../../session.tsx';

/**
 * The member's bank account for voucher payments: shown grouped by four to everyone, changed only
 * by the organisation's administrators (the server checks the IBAN again and says which field is wrong).
 */
export function BankAccount({ memberId, headingId }: { memberId: string; headingId: string }) {
  const { t } = useTranslation('console');
  const { staff } = useSession();
  const admin = staff?.role === 'org_admin' || staff?.role === 'network_admin';
  // None set is a 404: shown as "none yet", not as an error.
  const account = useLoad(
    (signal) =>
      consoleApi.bankAccount(memberId, { signal }).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
    [memberId],
  );
  const [holder, setHolder] = useState('');
  const [iban, setIban] = useState('');
  const [bic, setBic] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const current = account.data;
    if (!current) return;
    setHolder(current.holder);
    setIban(current.iban_grouped);
    setBic(current.bic ?? '');
  }, [account.data]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!holder.trim()) missing.holder = t('voucherOrders.bank.holderMissing');
    if (iban.replace(/\s/g, '').length < 15) missing.iban = t('voucherOrders.bank.ibanInvalid');
    setFieldErrors(missing);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      await consoleApi.setBankAccount(memberId, { holder: holder.trim(), iban: iban.trim(), bic: bic.trim() || null });
      setDone(t('voucherOrders.bank.saved'));
      account.reload();
    } catch (e) {
      const fields = e instanceof ApiError && e.status === 400 ? e.errors.map((f) => f.field) : [];
      if (fields.length > 0) {
        setFieldErrors(Object.fromEntries(fields.map((f) => [f, t(f === 'bic' ? 'voucherOrders.bank.bicInvalid' : f === 'holder' ? 'voucherOrders.bank.holderMissing' : 'voucherOrders.bank.ibanInvalid')])));
      } else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const status = (field: string) => (fieldErrors[field] ? { status: 'error' as const, statusText: fieldErrors[field] } : {});

  return (
    <section aria-labelledby={headingId}>
      <Heading variant="h2" id={headingId} mb="s">
        {t('voucherOrders.bank.title')}
      </Heading>
      <Paragraph mb="m">{t('voucherOrders.bank.intro')}</Paragraph>
      {account.error ? <ErrorAlert error={account.error} /> : null}
      {account.data === null && <Paragraph mb="m">{t('voucherOrders.bank.none')}</Paragraph>}
      {account.data && (
        <Paragraph mb="m" data-testid="bank-account">
          <strong>{t('voucherOrders.bank.current')}:</strong> {account.data.holder}, <span style={{ whiteSpace: 'nowrap' }}>{account.data.iban_grouped}</span>
          {account.data.bic ? `, ${account.data.bic}` : ''}
        </Paragraph>
      )}
      <SuccessAlert>{done}</SuccessAlert>
      {admin ? (
        <form onSubmit={save} noValidate>
          <TextInput labelText={t('voucherOrders.bank.holder')} value={holder} onChange={(v) => setHolder(String(v ?? ''))} maxLength={70} autoComplete="organization" fullWidth mb="m" {...status('holder')} />
          <TextInput labelText={t('voucherOrders.bank.iban')} value={iban} onChange={(v) => setIban(String(v ?? ''))} maxLength={50} autoComplete="off" spellCheck={false} fullWidth mb="m" {...status('iban')} />
          <TextInput labelText={t('voucherOrders.bank.bic')} value={bic} onChange={(v) => setBic(String(v ?? ''))} maxLength={14} autoComplete="off" spellCheck={false} mb="m" {...status('bic')} />
          <ErrorAlert error={error} />
          <Button type="submit" disabled={busy}>
            {t('voucherOrders.bank.save')}
          </Button>
        </form>
      ) : (
        <Paragraph>{t('voucherOrders.bank.onlyAdmins')}</Paragraph>
      )}
    </section>
  );
}
