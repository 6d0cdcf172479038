import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from 'suomifi-ui-components';
import { currentLanguage } from '../../shared/i18n.ts';
import { forgetDevice, logout, startLogin } from '../account.ts';
import { loadLogin, onStorageChange } from '../storage.ts';

/** My data's login part: log in (optional), log out, forget this device (with a warning when nothing is attached to an account). */
export function Account({ onMessage }: { onMessage: (message: string) => void }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const login = JSON.parse(useSyncExternalStore(onStorageChange, () => JSON.stringify(loadLogin() ?? null))) as ReturnType<typeof loadLogin> | null;
  const [confirmForget, setConfirmForget] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (confirmForget) confirmRef.current?.focus();
  }, [confirmForget]);
  const attached = Boolean(login?.attached);
  return (
    <section aria-labelledby="account" className="panel">
      <h2 id="account">{t('account.title')}</h2>
      {login ? (
        <>
          <p>{t('account.loggedIn')}</p>
          <p className="hint">{t('account.logoutHint')}</p>
          <Button onClick={() => logout(language)}>{t('account.logout')}</Button>
        </>
      ) : (
        <>
          <p>{t('account.anonymous')}</p>
          <Button variant="secondary" onClick={() => void startLogin(language)}>
            {t('account.login')}
          </Button>
        </>
      )}
      <h3>{t('account.forget')}</h3>
      <p className="hint">{t('account.forgetHint')}</p>
      {confirmForget ? (
        <div role="alertdialog" aria-labelledby="forget-confirm" aria-describedby={attached ? undefined : 'forget-warn'} className="confirm" tabIndex={-1} ref={confirmRef}>
          <p id="forget-confirm">{t('account.forgetConfirm')}</p>
          {!attached && (
            <p id="forget-warn" className="panel panel--danger">
              {t('account.forgetWarn')}
            </p>
          )}
          <div className="actions">
            <Button
              onClick={() => {
                forgetDevice();
                setConfirmForget(false);
                onMessage(t('account.forgotten'));
              }}
            >
              {t('account.forgetYes')}
            </Button>
            <Button variant="secondary" onClick={() => setConfirmForget(false)}>
              {t('app.cancel')}
            </Button>
          </div>
        </div>
      ) : (
        <Button variant="secondary" onClick={() => setConfirmForget(true)}>
          {t('account.forget')}
        </Button>
      )}
    </section>
  );
}
