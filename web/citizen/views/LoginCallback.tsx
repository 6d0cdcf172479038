import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadingSpinner } from 'suomifi-ui-components';
import { ApiError } from '../../shared/api.ts';
import { AppLink, useRouter } from '../../shared/router.tsx';
import { finishLogin } from '../account.ts';
import { PageTitle } from '../components/PageTitle.tsx';

/** Where the network's login comes back: the code is redeemed and the person key attached, then on to My data. */
export default function LoginCallback() {
  const { t } = useTranslation('citizen');
  const { search, navigate } = useRouter();
  const [failure, setFailure] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    // Once: the code is single-use, and a second render must not redeem it again.
    if (started.current) return;
    started.current = true;
    finishLogin(search).then(
      ({ back, tookOver, merged }) => navigate(`${back}${back.includes('?') ? '&' : '?'}login=${merged ? 'merged' : tookOver ? 'took-over' : 'ok'}`, { replace: true }),
      (error: unknown) => setFailure(error instanceof ApiError && error.status === 409 ? t('account.elsewhere') : t('account.failed')),
    );
  }, [search, navigate, t]);
  return (
    <>
      <PageTitle>{t('account.callbackTitle')}</PageTitle>
      {failure ? (
        <>
          <p role="alert">{failure}</p>
          <p>
            <AppLink to="/my">{t('account.toMy')}</AppLink>
          </p>
        </>
      ) : (
        <LoadingSpinner status="loading" text={t('account.working')} variant="small" textAlign="right" />
      )}
    </>
  );
}
