import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Heading, Paragraph, Textarea, TextInput } from 'suomifi-ui-components';
import { ErrorAlert } from '../../components/common.tsx';
import { NativeSelect } from '../../components/NativeSelect.tsx';
import type { SectionProps } from './Bot.tsx';
import { botApi, errorsAt, type BotLanguage, type DraftTests } from './bot-api.ts';
import { tidy } from './Content.tsx';

const Card = styled.section`
  border: 1px solid #c8cdd0;
  padding: 16px 20px;
  margin-bottom: 24px;
  .passed {
    color: #0b6a3f;
    font-weight: 600;
  }
  .failed {
    color: #c3153a;
    font-weight: 600;
  }
`;

/** The transcript tests, edited as text (`#me` / `#bot` turns), saved with the draft and run without publishing. */
export function Tests({ memberId, bot, draft, setDraft, save, fieldErrors }: SectionProps) {
  const { t } = useTranslation('console');
  const [results, setResults] = useState<DraftTests | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const tests = draft.tests;
  const change = (i: number, over: Partial<(typeof tests)[number]>) => setDraft({ ...draft, tests: tests.map((x, k) => (k === i ? { ...x, ...over } : x)) });
  const run = async () => {
    setBusy(true);
    setError(undefined);
    setResults(undefined);
    try {
      if (await save(tidy(draft))) setResults(await botApi.runTests(memberId, bot.id));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const status = (field: string) => (errorsAt(fieldErrors, field) ? { status: 'error' as const, statusText: t('chatbot.refusedField', { message: errorsAt(fieldErrors, field) }) } : {});
  return (
    <section aria-labelledby="tests-heading">
      <Heading variant="h2" id="tests-heading" mb="s">
        {t('chatbot.tests.title')}
      </Heading>
      <Paragraph mb="m">{t('chatbot.tests.intro')}</Paragraph>
      {tests.length === 0 && <Paragraph mb="m">{t('chatbot.tests.none')}</Paragraph>}
      {tests.map((test, i) => {
        const result = results?.tests[i];
        const headingId = `test-${i}`;
        return (
          <Card key={i} aria-labelledby={headingId}>
            <Heading variant="h3" id={headingId} mb="s">
              {t('chatbot.tests.testN', { n: i + 1, name: test.name })}
            </Heading>
            <TextInput labelText={t('chatbot.tests.name')} value={test.name} onChange={(v) => change(i, { name: String(v ?? '') })} maxLength={120} mb="m" {...status(`tests.${i}.name`)} />
            <NativeSelect label={t('chatbot.tests.language')} value={test.language} onChange={(v) => change(i, { language: v as BotLanguage })} options={draft.languages.map((l) => ({ value: l, label: t(`chatbot.language.${l}`) }))} />
            <Textarea
              labelText={t('chatbot.tests.transcript')}
              hintText={t('chatbot.tests.transcriptHint')}
              value={test.transcript}
              onChange={(e) => change(i, { transcript: e.target.value })}
              rows={8}
              fullWidth
              mb="m"
              style={{ fontFamily: 'monospace' }}
              {...status(`tests.${i}.transcript`)}
            />
            {result && result.name === test.name && (
              <div role="status">
                {result.passed ? (
                  <p className="passed">{t('chatbot.tests.passed')}</p>
                ) : (
                  <>
                    <p className="failed">{t('chatbot.tests.failedAt', { line: result.line })}</p>
                    <p>{t('chatbot.tests.expected', { text: result.expected })}</p>
                    <p>{t('chatbot.tests.got', { text: result.got })}</p>
                  </>
                )}
              </div>
            )}
            <Button variant="secondary" onClick={() => setDraft({ ...draft, tests: tests.filter((_, k) => k !== i) })} aria-label={`${t('chatbot.tests.remove')}: ${test.name}`}>
              {t('chatbot.tests.remove')}
            </Button>
          </Card>
        );
      })}
      <Button variant="secondary" onClick={() => setDraft({ ...draft, tests: [...tests, { name: t('chatbot.tests.newName', { n: tests.length + 1 }), language: draft.languages[0]!, transcript: '#me\n\n#bot\n' }] })}>
        {t('chatbot.tests.add')}
      </Button>{' '}
      <Button onClick={() => void run()} disabled={busy}>
        {t('chatbot.tests.run')}
      </Button>
      <ErrorAlert error={error} />
      {fieldErrors.length > 0 && <Paragraph role="alert">{t('chatbot.saveRefused', { n: fieldErrors.length })}</Paragraph>}
      <div role="status" aria-live="polite">
        {results && <Paragraph mt="m">{t('chatbot.tests.summary', { passed: results.passed, failed: results.failed })}</Paragraph>}
      </div>
    </section>
  );
}
