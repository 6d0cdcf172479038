import { useTranslation } from 'react-i18next';
import { Button, InlineAlert } from 'suomifi-ui-components';
import type { ApiError } from '../../shared/api.ts';

/** Whole minutes to wait after a 429 (its Retry-After), at least one. */
export const waitMinutes = (error: ApiError | Error) => Math.max(1, Math.ceil((('retryAfter' in error ? error.retryAfter : undefined) ?? 60) / 60));

/** An API failure in words, with a way to try again. */
export function Problem({ error, retry }: { error: ApiError | Error; retry?: () => void }) {
  const { t } = useTranslation('citizen');
  const status = 'status' in error ? error.status : 0;
  const detail = 'detail' in error ? (error.detail ?? error.title) : error.message;
  return (
    <InlineAlert status="error" className="problem">
      <p>{status === 0 ? t('app.offline') : status === 429 ? t('app.busy', { minutes: waitMinutes(error) }) : t('app.error', { detail })}</p>
      {retry && (
        <Button variant="secondary" onClick={retry}>
          {t('app.retry')}
        </Button>
      )}
    </InlineAlert>
  );
}
