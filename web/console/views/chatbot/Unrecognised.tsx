import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Heading, Paragraph, Text } from 'suomifi-ui-components';
import { ErrorAlert, LoadState, SuccessAlert, formatDateTime, useLanguage } from '../../components/common.tsx';
import { NativeSelect } from '../../components/NativeSelect.tsx';
import { useLoad } from '../../../shared/load.ts';
import type { SectionProps } from './Bot.tsx';
import { botApi, type BotLanguage, type Unrecognised as Message } from './bot-api.ts';
import { tidy } from './Content.tsx';

const List = styled.ul`
  list-style: none;
  padding: 0;
  margin: 0;
  li {
    border-bottom: 1px solid #c8cdd0;
    padding: 12px 0;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
    align-items: flex-end;
  }
  .actions > div {
    margin-bottom: 0;
  }
`;

/** What people wrote that the published bot did not recognise: each added as an example to an intent of the draft, or dismissed; the list shrinks as the whisperer works. */
export function Unrecognised({ memberId, bot, draft, save }: SectionProps) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const loaded = useLoad((signal) => botApi.unrecognised(memberId, bot.id, { signal }), [memberId, bot.id]);
  const [done, setDone] = useState<Set<string>>(new Set());
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [said, setSaid] = useState('');
  const [busy, setBusy] = useState(false);
  const dismiss = async (text: string) => {
    await botApi.dismiss(memberId, bot.id, text);
    setDone((old) => new Set(old).add(text));
  };
  const act = async (what: () => Promise<void>, message: string) => {
    setBusy(true);
    setError(undefined);
    setSaid('');
    try {
      await what();
      setSaid(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const addAsExample = (m: Message) =>
    act(async () => {
      const target = chosen[m.text] ?? draft.intents[0]?.id;
      const l = (m.languages.find((x) => draft.languages.includes(x as BotLanguage)) ?? draft.languages[0]) as BotLanguage;
      const pack = tidy({ ...draft, intents: draft.intents.map((i) => (i.id === target ? { ...i, examples: { ...i.examples, [l]: [...(i.examples[l] ?? []).filter((e) => e !== m.text), m.text] } } : i)) });
      if (!(await save(pack))) throw t('chatbot.unrecognised.saveFailed');
      await dismiss(m.text);
    }, t('chatbot.unrecognised.added', { intent: chosen[m.text] ?? draft.intents[0]?.id }));
  return (
    <section aria-labelledby="unrecognised-heading">
      <Heading variant="h2" id="unrecognised-heading" mb="s">
        {t('chatbot.unrecognised.title')}
      </Heading>
      <Paragraph mb="m">{t('chatbot.unrecognised.intro', { days: bot.retention_days })}</Paragraph>
      <ErrorAlert error={error} />
      <SuccessAlert>{said}</SuccessAlert>
      <LoadState loaded={loaded}>
        {({ messages }) => {
          const left = messages.filter((m) => !done.has(m.text));
          if (left.length === 0) return <Paragraph>{t('chatbot.unrecognised.none')}</Paragraph>;
          return (
            <List aria-label={t('chatbot.unrecognised.title')}>
              {left.map((m, i) => (
                <li key={m.text}>
                  <Text variant="bold" lang={m.languages[0]}>
                    “{m.text}”
                  </Text>
                  <Paragraph mb="s">{t('chatbot.unrecognised.seen', { count: m.count, at: formatDateTime(m.last_at, language) })}</Paragraph>
                  <div className="actions">
                    {draft.intents.length > 0 && (
                      <>
                        <NativeSelect
                          label={t('chatbot.unrecognised.intent', { n: i + 1 })}
                          value={chosen[m.text] ?? draft.intents[0]!.id}
                          onChange={(v) => setChosen({ ...chosen, [m.text]: v })}
                          options={draft.intents.map((x) => ({ value: x.id, label: x.id }))}
                        />
                        <Button disabled={busy} onClick={() => void addAsExample(m)} aria-label={t('chatbot.unrecognised.addLabel', { text: m.text })}>
                          {t('chatbot.unrecognised.add')}
                        </Button>
                      </>
                    )}
                    <Button variant="secondary" disabled={busy} onClick={() => void act(() => dismiss(m.text), t('chatbot.unrecognised.dismissed'))} aria-label={t('chatbot.unrecognised.dismissLabel', { text: m.text })}>
                      {t('chatbot.unrecognised.dismiss')}
                    </Button>
                  </div>
                </li>
              ))}
            </List>
          );
        }}
      </LoadState>
    </section>
  );
}
