import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, InlineAlert } from 'suomifi-ui-components';

/**
 * "Download everything" and "erase me everywhere": asks every service the person logged in to
 * through the network (POST /api/v1/accounts/me/everywhere) and shows who answered what, checking
 * again every few seconds until all have. `accessToken` is the access token the citizen app received
 * at the person's login at the network's OpenID Provider (a first-party client).
 */

type Status = 'pending' | 'exported' | 'erased' | 'nothing' | 'refused' | 'unreachable' | 'failed' | 'no-endpoint';
interface Answer {
  client_id: string;
  service: string;
  status: Status;
  reason: { errors?: { code?: string; message?: string | Record<string, string> }[] } | null;
  data?: unknown;
}
interface Report {
  id: string;
  kind: 'export' | 'erase';
  finished_at: string | null;
  services: Answer[];
}

const STATUS_KEYS = {
  pending: 'everywhere.s_pending',
  exported: 'everywhere.s_exported',
  erased: 'everywhere.s_erased',
  nothing: 'everywhere.s_nothing',
  refused: 'everywhere.s_refused',
  unreachable: 'everywhere.s_unreachable',
  failed: 'everywhere.s_failed',
  'no-endpoint': 'everywhere.s_noEndpoint',
} as const;
const POLL_MS = 5000;

export function Everywhere({ accessToken }: { accessToken: string }) {
  const { t, i18n } = useTranslation('citizen');
  const [report, setReport] = useState<Report | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const call = useCallback(
    async (path: string, init: RequestInit = {}) => {
      const response = await fetch(path, { ...init, headers: { authorization: `Bearer ${accessToken}`, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error(body?.detail ?? body?.title ?? String(response.status));
      return body;
    },
    [accessToken],
  );
  const load = useCallback(async (id: string) => setReport(await call(`/api/v1/accounts/me/everywhere/${id}`)), [call]);

  useEffect(() => {
    if (!report || report.finished_at) return;
    const timer = setTimeout(() => void load(report.id).catch((e: Error) => setError(e.message)), POLL_MS);
    return () => clearTimeout(timer);
  }, [report, load]);

  const start = async (kind: 'export' | 'erase') => {
    setBusy(true);
    setError(null);
    setConfirming(false);
    try {
      const { id } = await call('/api/v1/accounts/me/everywhere', { method: 'POST', body: JSON.stringify({ kind }) });
      await load(id);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const reasonOf = (answer: Answer) => {
    const message = answer.reason?.errors?.[0]?.message;
    if (typeof message === 'string') return message;
    return message?.[i18n.language] ?? message?.en ?? message?.fi ?? answer.reason?.errors?.[0]?.code ?? '';
  };
  const saveFile = () => {
    if (!report) return;
    const data = Object.fromEntries(report.services.filter((s) => s.data !== undefined).map((s) => [s.service, s.data]));
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    link.download = `aurora-${report.id}.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  return (
    <section aria-labelledby="everywhere-title">
      <h2 id="everywhere-title">{t('everywhere.title')}</h2>
      <p>{t('everywhere.intro')}</p>
      <div className="actions">
        <Button disabled={busy} onClick={() => void start('export')}>
          {t('everywhere.download')}
        </Button>
        <Button variant="secondary" disabled={busy} onClick={() => setConfirming(true)}>
          {t('everywhere.erase')}
        </Button>
      </div>
      {confirming && (
        <div role="alertdialog" aria-labelledby="everywhere-confirm">
          <p id="everywhere-confirm">{t('everywhere.eraseConfirm')}</p>
          <Button onClick={() => void start('erase')}>{t('everywhere.confirm')}</Button>
          <Button variant="secondaryNoBorder" onClick={() => setConfirming(false)}>
            {t('everywhere.cancel')}
          </Button>
        </div>
      )}
      {error && <InlineAlert status="error">{error}</InlineAlert>}
      {report && (
        <>
          <p role="status" aria-live="polite">
            {report.services.length === 0 ? t('everywhere.none') : report.finished_at ? t('everywhere.done') : t('everywhere.waiting')}
          </p>
          {report.services.length > 0 && (
            <div className="table-scroll">
            <table className="data-table">
              <caption>{t('everywhere.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('everywhere.service')}</th>
                  <th scope="col">{t('everywhere.answer')}</th>
                </tr>
              </thead>
              <tbody>
                {report.services.map((s) => (
                  <tr key={s.client_id}>
                    <th scope="row">{s.service}</th>
                    <td>{t(STATUS_KEYS[s.status], { reason: reasonOf(s) })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          )}
          {report.kind === 'export' && report.services.some((s) => s.data !== undefined) && (
            <Button variant="secondary" onClick={saveFile}>
              {t('everywhere.saveFile')}
            </Button>
          )}
        </>
      )}
    </section>
  );
}
