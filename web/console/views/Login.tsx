import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, InlineAlert, Paragraph, TextInput } from 'suomifi-ui-components';
import { ApiError, consoleApi } from '../api.ts';
import { AppLink, ErrorAlert, PageHeading } from '../components/common.tsx';
import { useSession } from '../session.tsx';

/** Email and password; the verification code too when the account has two-step verification on. */
export function Login({ onLoggedIn }: { onLoggedIn: () => void }) {
  const { t } = useTranslation('console');
  const { setStaff } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [totpNeeded, setTotpNeeded] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    setError(undefined);
    try {
      const { staff } = await consoleApi.logIn({ email: email.trim(), password, ...(totpNeeded && totp ? { totp: totp.trim() } : {}) });
      setStaff(staff);
      onLoggedIn();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401 && e.type?.endsWith('totp-required')) {
        if (totpNeeded && totp) setMessage(t('login.wrongTotp'));
        setTotpNeeded(true);
        setTotp('');
        setTimeout(() => totpRef.current?.focus(), 0);
      } else if (e instanceof ApiError && e.status === 401) {
        setMessage(t('login.wrong'));
      } else {
        setError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title={t('login.title')}>{t('login.title')}</PageHeading>
      <Paragraph mb="l">{t('login.intro')}</Paragraph>
      <form onSubmit={submit} noValidate aria-describedby={message ? 'login-message' : undefined}>
        {message && (
          <InlineAlert status="error" mb="m" id="login-message" role="alert">
            {message}
          </InlineAlert>
        )}
        <ErrorAlert error={error} />
        <TextInput labelText={t('login.email')} type="email" name="email" autoComplete="username" value={email} onChange={(v) => setEmail(String(v ?? ''))} fullWidth mb="m" required />
        <TextInput
          labelText={t('login.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(v) => setPassword(String(v ?? ''))}
          fullWidth
          mb="m"
          required
        />
        {totpNeeded && (
          <>
            <InlineAlert status="neutral" mb="m">
              {t('login.totpNeeded')}
            </InlineAlert>
            <TextInput
              labelText={t('login.totp')}
              hintText={t('login.totpHint')}
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              value={totp}
              onChange={(v) => setTotp(String(v ?? ''))}
              forwardedRef={totpRef}
              mb="m"
            />
          </>
        )}
        <Button type="submit" disabled={busy} mb="l">
          {t('login.submit')}
        </Button>
      </form>
      <Paragraph>
        {t('login.notMember')} <AppLink to="/apply">{t('login.apply')}</AppLink>
      </Paragraph>
    </>
  );
}
