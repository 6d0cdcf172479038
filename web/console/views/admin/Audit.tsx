import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Paragraph, Table } from 'suomifi-ui-components';
import { styled } from 'styled-components';
import { consoleApi, localText, type AuditEntry } from '../../api.ts';
import { ErrorAlert, PageHeading, WrappingTable, actorText, formatDateTime, useLanguage } from '../../components/common.tsx';
import type { Language } from '../../../shared/i18n.ts';
import type { TFunction } from 'i18next';

const Record = styled.details`
  summary {
    cursor: pointer;
    color: #2a6ebb;
  }
  pre {
    margin: 4px 0 0;
    font-size: 13px;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
`;

/** The audit action's sentence key: "member.service.claim" → member_service_claim; an import's format does not matter. */
const actionKey = (action: string) => (action.startsWith('catalogue.import.') ? 'catalogue_import' : action.replace(/\./g, '_'));

/**
 * A row as a sentence: who did what to what ("outi@otava.fi claimed the service Lukiokoulutus.").
 * An action this console has no words for yet still reads as a sentence, with its code.
 */
export function auditSentence(entry: AuditEntry, t: TFunction<'console'>, exists: (key: string) => boolean, language: Language): string {
  const who = entry.actor === 'system' || entry.actor === 'demo' ? t('audit.someone') : actorText(entry.actor);
  const target = localText(entry.target_name, language) || entry.target || '';
  const key = `audit.actions.${actionKey(entry.action)}`;
  const what = exists(key)
    ? (t as unknown as (k: string, o: object) => string)(key, { target, interpolation: { escapeValue: false } })
    : target
      ? t('audit.unknown', { action: entry.action, target, interpolation: { escapeValue: false } })
      : t('audit.unknownNoTarget', { action: entry.action, interpolation: { escapeValue: false } });
  return t('audit.sentence', { who, what, interpolation: { escapeValue: false } });
}

const PAGE = 50;

/** The console's audit log, newest first, a page at a time. */
export function Audit() {
  const { t, i18n } = useTranslation('console');
  const language = useLanguage();
  const exists = (key: string) => i18n.exists(key, { ns: 'console' });
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
        <WrappingTable>
          <Table
            caption={t('audit.caption')}
            condensed
            mb="m"
            columns={[
              { key: 'at', labelText: t('audit.when') },
              { key: 'what', labelText: t('audit.action') },
            ]}
            data={entries.map((e) => ({
              id: String(e.id),
              at: formatDateTime(e.at, language),
              what: (
                <>
                  <span className="audit-sentence">{auditSentence(e, t, exists, language)}</span>
                  {/* The stored row, exactly: for whoever needs the codes and ids. */}
                  <Record>
                    <summary>{t('audit.record')}</summary>
                    <pre lang="en">{JSON.stringify({ actor: e.actor, action: e.action, target: e.target, details: e.details }, null, 2)}</pre>
                  </Record>
                </>
              ),
            }))}
          />
        </WrappingTable>
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
