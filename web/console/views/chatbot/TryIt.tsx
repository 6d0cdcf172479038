import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Heading, Paragraph, TextInput, VisuallyHidden } from 'suomifi-ui-components';
import { ErrorAlert, formatNumber, useLanguage } from '../../components/common.tsx';
import { NativeSelect } from '../../components/NativeSelect.tsx';
import type { SectionProps } from './Bot.tsx';
import { botApi, type BotLanguage, type TryResult, type TryState } from './bot-api.ts';
import { useIntentName } from './Bots.tsx';

const Log = styled.ol`
  list-style: none;
  padding: 0;
  margin: 0 0 16px;
  max-height: 520px;
  overflow-y: auto;
  > li {
    margin: 0 0 12px;
    padding: 10px 14px;
    border-radius: 4px;
    max-width: 46rem;
    white-space: pre-line;
  }
  > li.me {
    background: #eaf2fa;
    margin-left: auto;
  }
  > li.bot {
    background: #f7f7f8;
    border: 1px solid #c8cdd0;
  }
  ul {
    margin: 6px 0 0;
  }
  .why {
    font-size: 14px;
    color: #41484c;
    margin-top: 8px;
  }
`;

type Turn = { who: 'me'; text: string } | { who: 'bot'; result: TryResult };

/** Talking with the draft as a person would, unpublished: each reply with the intent it recognised, how sure, and the runners-up. */
export function TryIt({ memberId, bot, draft }: SectionProps) {
  const { t } = useTranslation('console');
  const uiLanguage = useLanguage();
  const [language, setLanguage] = useState<BotLanguage>(draft.languages.includes(uiLanguage) ? uiLanguage : draft.languages[0]!);
  const [text, setText] = useState('');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [state, setState] = useState<TryState | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const pct = (x: number) => `${formatNumber(x * 100, uiLanguage)} %`;
  const nameOf = useIntentName();
  const intentName = (id: string | null) => (id === null ? t('chatbot.try.noIntent') : id.startsWith('form:') ? id.slice('form:'.length) : nameOf(id));
  const send = async (event: FormEvent) => {
    event.preventDefault();
    const message = text.trim();
    if (!message) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await botApi.tryDraft(memberId, bot.id, { text: message, language, ...(state ? { state } : {}) });
      setTurns((old) => [...old, { who: 'me', text: result.masked_text }, { who: 'bot', result }]);
      setState(result.state);
      setText('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="try-heading">
      <Heading variant="h2" id="try-heading" mb="s">
        {t('chatbot.try.title')}
      </Heading>
      <Paragraph mb="m">{t('chatbot.try.intro')}</Paragraph>
      <NativeSelect
        label={t('chatbot.try.language')}
        value={language}
        onChange={(v) => {
          setLanguage(v as BotLanguage);
          setState(undefined);
          setTurns([]);
        }}
        options={draft.languages.map((l) => ({ value: l, label: t(`chatbot.language.${l}`) }))}
      />
      <Log aria-label={t('chatbot.try.log')} aria-live="polite">
        {turns.map((turn, i) =>
          turn.who === 'me' ? (
            <li key={i} className="me">
              <VisuallyHidden>{t('chatbot.try.you')}: </VisuallyHidden>
              {turn.text}
            </li>
          ) : (
            <li key={i} className="bot" lang={turn.result.reply.language}>
              <VisuallyHidden>{t('chatbot.try.bot')}: </VisuallyHidden>
              {turn.result.reply.text}
              {turn.result.reply.services.length > 0 && (
                <ul>
                  {turn.result.reply.services.map((s) => (
                    <li key={s.service_id}>{s.name}</li>
                  ))}
                </ul>
              )}
              <div className="why" lang={uiLanguage}>
                <strong>
                  {t('chatbot.try.recognised', { intent: intentName(turn.result.reply.intent), sure: pct(turn.result.reply.confidence), threshold: pct(turn.result.threshold) })}
                </strong>
                {turn.result.intents.length > 0 && (
                  <ul aria-label={t('chatbot.try.nearest')}>
                    {turn.result.intents.map((c) => (
                      <li key={c.intent}>{t('chatbot.try.candidate', { intent: intentName(c.intent), score: pct(c.score), because: c.because.join(', ') || '–' })}</li>
                    ))}
                  </ul>
                )}
              </div>
            </li>
          ),
        )}
      </Log>
      <form onSubmit={(e) => void send(e)} aria-busy={busy}>
        <TextInput labelText={t('chatbot.try.message')} value={text} onChange={(v) => setText(String(v ?? ''))} maxLength={1000} fullWidth mb="s" autoComplete="off" />
        <ErrorAlert error={error} />
        <Button type="submit" disabled={busy}>
          {t('chatbot.try.send')}
        </Button>{' '}
        <Button
          variant="secondary"
          onClick={() => {
            setTurns([]);
            setState(undefined);
          }}
        >
          {t('chatbot.try.restart')}
        </Button>
      </form>
    </section>
  );
}
