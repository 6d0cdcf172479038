import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Paragraph, Table } from 'suomifi-ui-components';
import { consoleApi, type AuditEntry } from '../../api.ts';
import { ErrorAlert, PageHeading, Small, actorText, formatDateTime, useLanguage } from '../../components/common.tsx';

const PAGE = 50;

/** The console's audit log, newest first, a page at a time. */
export function Audit() {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const load = async (before?: number) => {
    setBusy(true);
    setError(undefined);
    try {
      const page = await consoleApi.audit(before, PAGE);
      setEntries((list) => (before === undefined ? page.entries : [...list, ...page.entries]));
      setNext(page.next_before);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  return (
    <>
      <PageHeading title={t('audit.title')}>{t('audit.title')}</PageHeading>
      <Paragraph mb="m">{t('audit.intro')}</Paragraph>
      <ErrorAlert error={error} />
      {next !== undefined && entries.length === 0 && <Paragraph>{t('audit.empty')}</Paragraph>}
      {entries.length > 0 && (
        <Table
          caption={t('audit.caption')}
          condensed
          mb="m"
          columns={[
            { key: 'at', labelText: t('audit.when') },
            { key: 'actor', labelText: t('audit.actor') },
            { key: 'action', labelText: t('audit.action') },
            { key: 'details', labelText: t('audit.details') },
          ]}
          data={entries.map((e) => ({
            id: String(e.id),
            at: formatDateTime(e.at, language),
            actor: actorText(e.actor),
            action: <code>{e.action}</code>,
            details: (
              <>
                {e.target && <Small>{`${t('audit.target')}: ${e.target}`}</Small>}
                {Object.keys(e.details ?? {}).length > 0 && (
                  <Small>
                    <code>{JSON.stringify(e.details)}</code>
                  </Small>
                )}
              </>
            ),
          }))}
        />
      )}
      <div aria-live="polite">
        {next !== undefined && next !== null && (
          <Button variant="secondary" disabled={busy} onClick={() => void load(next)}>
            {t('audit.more')}
          </Button>
        )}
        {next === null && entries.length > 0 && <Paragraph>{t('audit.end')}</Paragraph>}
      </div>
    </>
  );
}
