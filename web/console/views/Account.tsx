import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Heading, InlineAlert, Paragraph, TextInput } from 'suomifi-ui-components';
import { ApiError, consoleApi } from '../api.ts';
import { ErrorAlert, PageHeading, SuccessAlert } from '../components/common.tsx';
import { useSession } from '../session.tsx';

const Qr = styled.img`
  display: block;
  width: 220px;
  height: 220px;
  margin: 0 0 16px;
  border: 1px solid #c8cdd0;
  background: #fff;
`;
const Secret = styled.code`
  display: inline-block;
  font-size: 18px;
  letter-spacing: 2px;
  word-break: break-all;
  padding: 4px 8px;
  background: #f7f7f8;
  margin-bottom: 16px;
`;

/** One's own password: the current one, then a new one; the other sessions end. */
function PasswordChange() {
  const { t } = useTranslation('console');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [wrong, setWrong] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const short = next.length < 12;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (short || !current) return;
    setBusy(true);
    setError(undefined);
    setWrong(false);
    setDone(null);
    try {
      await consoleApi.changePassword({ current_password: current, new_password: next });
      setDone(t('totp.passwordChanged'));
      setCurrent('');
      setNext('');
      setSubmitted(false);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) setWrong(true);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Heading variant="h2" mb="s">
        {t('totp.passwordTitle')}
      </Heading>
      <Paragraph mb="m">{t('totp.passwordIntro')}</Paragraph>
      <SuccessAlert>{done}</SuccessAlert>
      <ErrorAlert error={error} />
      <TextInput
        labelText={t('totp.currentPassword')}
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={(v) => setCurrent(String(v ?? ''))}
        status={wrong ? 'error' : 'default'}
        statusText={wrong ? t('totp.passwordWrong') : undefined}
        mb="m"
      />
      <TextInput
        labelText={t('totp.newPassword')}
        hintText={t('totp.newPasswordHint')}
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={(v) => setNext(String(v ?? ''))}
        status={submitted && short ? 'error' : 'default'}
        statusText={submitted && short ? t('totp.passwordShort') : undefined}
        mb="m"
      />
      <Button type="submit" disabled={busy}>
        {t('totp.changePassword')}
      </Button>
    </form>
  );
}

const Spacer = styled.div`
  height: 40px;
`;

/** Two-step verification (TOTP): set up with a QR code and a confirming code, or turn off; and one's password. */
export function Account() {
  const { t } = useTranslation('console');
  const { staff, refresh } = useSession();
  const [setup, setSetup] = useState<{ secret: string; qr_svg: string } | null>(null);
  const [code, setCode] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [wrong, setWrong] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  if (!staff) return null;

  const run = async (action: () => Promise<unknown>, success: string) => {
    setBusy(true);
    setError(undefined);
    setWrong(false);
    setDone(null);
    try {
      await action();
      setDone(success);
      setSetup(null);
      setCode('');
      await refresh();
    } catch (e) {
      if (e instanceof ApiError && (e.status === 400 || e.status === 422)) setWrong(true);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const start = async () => {
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      const answer = await consoleApi.totpSetup();
      setSetup({ secret: answer.secret, qr_svg: answer.qr_svg });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void run(() => consoleApi.totpConfirm(code.trim()), t('totp.enabled'));
  };
  const disable = (event: FormEvent) => {
    event.preventDefault();
    void run(() => consoleApi.totpDisable(code.trim()), t('totp.disabled'));
  };
  const codeInput = (
    <TextInput
      labelText={t('totp.code')}
      hintText={staff.totp_enabled ? t('totp.disableHint') : undefined}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      value={code}
      onChange={(v) => setCode(String(v ?? ''))}
      status={wrong ? 'error' : 'default'}
      statusText={wrong ? t('totp.wrongCode') : undefined}
      mb="m"
    />
  );

  return (
    <>
      <PageHeading title={t('totp.title')}>{t('totp.title')}</PageHeading>
      <Paragraph mb="m">{t('totp.intro')}</Paragraph>
      <SuccessAlert>{done}</SuccessAlert>
      <ErrorAlert error={error} />
      <InlineAlert status={staff.totp_enabled ? 'neutral' : 'warning'} mb="l">
        {staff.totp_enabled ? t('totp.on') : t('totp.off')}
      </InlineAlert>
      {staff.totp_enabled ? (
        <form onSubmit={disable} noValidate>
          <Heading variant="h2" mb="s">
            {t('totp.disable')}
          </Heading>
          {codeInput}
          <Button type="submit" variant="secondary" disabled={busy}>
            {t('totp.disable')}
          </Button>
        </form>
      ) : setup ? (
        <form onSubmit={confirm} noValidate>
          <Paragraph mb="m">{t('totp.scan')}</Paragraph>
          <Qr src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(setup.qr_svg)}`} alt={t('totp.qrAlt')} />
          <Paragraph mb="xs">{t('totp.manual')}</Paragraph>
          <Secret>{setup.secret}</Secret>
          {codeInput}
          <Button type="submit" disabled={busy}>
            {t('totp.confirm')}
          </Button>
        </form>
      ) : (
        <Button onClick={() => void start()} disabled={busy}>
          {t('totp.start')}
        </Button>
      )}
      <Spacer />
      <PasswordChange />
    </>
  );
}
