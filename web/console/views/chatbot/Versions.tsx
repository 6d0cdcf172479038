import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Heading, Paragraph, Table } from 'suomifi-ui-components';
import { ApiError } from '../../api.ts';
import { AppLink, ErrorAlert, SuccessAlert, WrappingTable, formatDateTime, useLanguage } from '../../components/common.tsx';
import { NativeSelect } from '../../components/NativeSelect.tsx';
import type { SectionProps } from './Bot.tsx';
import { botApi, type BotLanguage, type PackDiff } from './bot-api.ts';
import { useBlockerText } from './Content.tsx';

/** Publishing the draft (blocked, with the test and line, while a transcript test fails), the versions, rolling back, and what changed between two. */
export function Versions({ memberId, bot, reload }: SectionProps) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const blockerText = useBlockerText();
  const [error, setError] = useState<unknown>(undefined);
  const [failures, setFailures] = useState<{ test: string; line: string; expected: string | null; got: string | null; message: string }[]>([]);
  const [said, setSaid] = useState('');
  const [busy, setBusy] = useState(false);
  const latest = bot.versions.at(-1)?.version;
  const [from, setFrom] = useState(String(latest ?? ''));
  const [to, setTo] = useState('draft');
  const [diff, setDiff] = useState<PackDiff | undefined>(undefined);
  const publish = async (fromVersion?: number) => {
    setBusy(true);
    setError(undefined);
    setFailures([]);
    setSaid('');
    try {
      const published = await botApi.publish(memberId, bot.id, fromVersion);
      reload(published);
      setSaid(fromVersion === undefined ? t('chatbot.versions.published', { n: published.published_version }) : t('chatbot.versions.rolledBack', { n: published.published_version, from: fromVersion }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && e.type?.endsWith('chatbot-transcript-failed'))
        setFailures(e.errors.map((x) => {
          const m = /^tests\.(.+)\.line (\d+)$/.exec(x.field);
          // The server says it in English for developers (expected "…", the bot said "…"): the two quotes are what the whisperer needs, in their language.
          const said = /^expected "([\s\S]*)", the bot said "([\s\S]*)"$/.exec(x.message);
          return { test: m?.[1] ?? x.field, line: m?.[2] ?? '', expected: said?.[1] ?? null, got: said?.[2] ?? null, message: x.message };
        }));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const compare = async () => {
    setError(undefined);
    try {
      setDiff(await botApi.diff(memberId, bot.id, Number(from), to === 'draft' ? 'draft' : Number(to)));
    } catch (e) {
      setError(e);
    }
  };
  const versionOptions = [...bot.versions].reverse().map((v) => ({ value: String(v.version), label: t('chatbot.versionN', { n: v.version }) }));
  return (
    <>
      <section aria-labelledby="publish-heading">
        <Heading variant="h2" id="publish-heading" mb="s">
          {t('chatbot.versions.publishTitle')}
        </Heading>
        <Paragraph mb="m">{bot.published_version === null ? t('chatbot.versions.none') : t('chatbot.versions.current', { n: bot.published_version })}</Paragraph>
        {bot.publish_blockers.length > 0 && (
          <div role="note">
            <Paragraph>{t('chatbot.blockers')}</Paragraph>
            <ul>
              {bot.publish_blockers.map((b) => (
                <li key={b}>{blockerText(bot.draft, b)}</li>
              ))}
            </ul>
          </div>
        )}
        {failures.length > 0 && (
          <div role="alert">
            <Heading variant="h3" mb="xs">
              {t('chatbot.versions.blocked')}
            </Heading>
            <ul>
              {failures.map((f) => (
                <li key={`${f.test}-${f.line}`}>
                  {t('chatbot.versions.failedTest', { test: f.test, line: f.line })}
                  {f.expected !== null && f.got !== null ? (
                    <ul>
                      <li>{t('chatbot.tests.expected', { text: f.expected })}</li>
                      <li>{t('chatbot.tests.got', { text: f.got })}</li>
                    </ul>
                  ) : (
                    <span lang="en"> ({f.message})</span>
                  )}
                </li>
              ))}
            </ul>
            <Paragraph mb="m">
              {t('chatbot.versions.fixUnderTests')} <AppLink to={`/org/bots/${bot.id}/tests`}>{t('chatbot.section.tests')}</AppLink>
            </Paragraph>
          </div>
        )}
        <ErrorAlert error={error} />
        <SuccessAlert>{said}</SuccessAlert>
        <Button onClick={() => void publish()} disabled={busy}>
          {t('chatbot.versions.publish')}
        </Button>
      </section>
      {bot.versions.length > 0 && (
        <section aria-labelledby="versions-heading" style={{ marginTop: 32 }}>
          <Heading variant="h2" id="versions-heading" mb="s">
            {t('chatbot.versions.title')}
          </Heading>
          <WrappingTable style={{ marginBottom: 24 }}>
            <Table
              caption={t('chatbot.versions.caption')}
              columns={[
                { key: 'version', labelText: t('chatbot.versions.version') },
                { key: 'at', labelText: t('chatbot.versions.at') },
                { key: 'by', labelText: t('chatbot.versions.by') },
                { key: 'action', labelText: t('chatbot.versions.action') },
              ]}
              data={[...bot.versions].reverse().map((v) => ({
                id: String(v.version),
                version: v.version === bot.published_version ? t('chatbot.versions.answering', { n: v.version }) : String(v.version),
                at: formatDateTime(v.published_at, language),
                by: v.published_by.replace(/^staff:/, ''),
                action:
                  v.version === bot.published_version ? (
                    ''
                  ) : (
                    <Button variant="secondary" disabled={busy} onClick={() => void publish(v.version)} aria-label={t('chatbot.versions.rollBackTo', { n: v.version })}>
                      {t('chatbot.versions.rollBack')}
                    </Button>
                  ),
              }))}
            />
          </WrappingTable>
          <Heading variant="h3" mb="s">
            {t('chatbot.versions.diffTitle')}
          </Heading>
          <NativeSelect label={t('chatbot.versions.from')} value={from} onChange={setFrom} options={versionOptions} />
          <NativeSelect label={t('chatbot.versions.to')} value={to} onChange={setTo} options={[{ value: 'draft', label: t('chatbot.versions.draft') }, ...versionOptions]} />
          <Button variant="secondary" onClick={() => void compare()}>
            {t('chatbot.versions.compare')}
          </Button>
          {diff && <DiffView diff={diff} />}
        </section>
      )}
    </>
  );
}

function DiffView({ diff }: { diff: PackDiff }) {
  const { t } = useTranslation('console');
  const items: string[] = [
    ...diff.intents.added.map((id) => t('chatbot.diff.intentAdded', { id })),
    ...diff.intents.removed.map((id) => t('chatbot.diff.intentRemoved', { id })),
    ...diff.intents.changed.flatMap((c) => [
      ...Object.entries(c.examples).flatMap(([l, d]) => [
        ...d.added.map((text) => t('chatbot.diff.exampleAdded', { id: c.id, language: t(`chatbot.languageIn.${l as BotLanguage}`), text })),
        ...d.removed.map((text) => t('chatbot.diff.exampleRemoved', { id: c.id, language: t(`chatbot.languageIn.${l as BotLanguage}`), text })),
      ]),
      ...Object.entries(c.answer).map(([l, a]) => t('chatbot.diff.answerChanged', { id: c.id, language: t(`chatbot.languageIn.${l as BotLanguage}`), from: a.from ?? '–', to: a.to ?? '–' })),
      ...(c.services.added.length || c.services.removed.length ? [t('chatbot.diff.servicesChanged', { id: c.id })] : []),
    ]),
    ...diff.shared.added.map((id) => t('chatbot.diff.sharedAdded', { id })),
    ...diff.shared.removed.map((id) => t('chatbot.diff.sharedRemoved', { id })),
    ...[...diff.tests.added, ...diff.tests.changed].map((name) => t('chatbot.diff.testChanged', { name })),
    ...diff.tests.removed.map((name) => t('chatbot.diff.testRemoved', { name })),
    ...[...diff.forms.added, ...diff.forms.removed, ...diff.forms.changed].map((id) => t('chatbot.diff.formChanged', { id })),
    ...diff.settings.map((name) => t('chatbot.diff.settingChanged', { name })),
  ];
  return (
    <div role="status" aria-live="polite" style={{ marginTop: 16 }}>
      {items.length === 0 ? (
        <Paragraph>{t('chatbot.diff.same')}</Paragraph>
      ) : (
        <ul aria-label={t('chatbot.versions.diffTitle')}>
          {items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
