import { useEffect, useState, type DetailedHTMLProps, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, InlineAlert, LoadingSpinner } from 'suomifi-ui-components';
import { currentLanguage } from '../../shared/i18n.ts';
import { PageTitle } from '../components/PageTitle.tsx';
import { Problem } from '../components/Problem.tsx';
import { webConfig } from '../web-config.ts';

/** The chat widget, a web component served by the network itself (src/chatbot, docs/chatbot.md). */
export const WIDGET_URL = '/widget/aurora-chat.js';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'aurora-chat': DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & { bot: string; lang: string; open?: '' };
    }
  }
}

let widget: Promise<unknown> | undefined;
/** The widget's script, loaded once a page load (it defines <aurora-chat>); a failed load is tried again next time. */
function loadWidget() {
  // A URL of the server's, not a module of the app: Vite leaves it as it is.
  widget ??= import(/* @vite-ignore */ WIDGET_URL).catch((error: unknown) => {
    widget = undefined;
    throw error;
  });
  return widget;
}

/**
 * "Chat": the network's bot (AURORA_CITIZEN_BOT, by default the demo's "Aurora") in the app's
 * language. The widget does the talking, and asks before anything the person told it goes to a
 * service; the person key it uses is this app's (the same storage), so the consents are on My data.
 */
export default function ChatPage() {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const [bot, setBot] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [widgetFailed, setWidgetFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    setWidgetFailed(false);
    webConfig()
      .then(async (config) => {
        if (config.chat.bot_id)
          await loadWidget().catch((e: unknown) => {
            if (!cancelled) setWidgetFailed(true);
            throw e;
          });
        if (!cancelled) setBot(config.chat.bot_id);
      })
      .catch((e: Error) => !cancelled && setError(e));
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  return (
    <>
      <PageTitle>{t('chat.title')}</PageTitle>
      <p className="lead">{t('chat.lead')}</p>
      {widgetFailed ? (
        <InlineAlert status="error" className="problem">
          <p>{t('chat.loadFailed')}</p>
          <Button variant="secondary" onClick={() => setAttempt((n) => n + 1)}>
            {t('app.retry')}
          </Button>
        </InlineAlert>
      ) : error ? (
        <Problem error={error} retry={() => setAttempt((n) => n + 1)} />
      ) : bot === undefined ? (
        <LoadingSpinner status="loading" text={t('app.loading')} variant="small" textAlign="right" />
      ) : bot === null ? (
        <InlineAlert status="neutral">{t('chat.none')}</InlineAlert>
      ) : (
        <section className="chat" aria-label={t('chat.title')}>
          {/* Open at once: the person came here to chat; the launcher closes and reopens it. */}
          <aurora-chat bot={bot} lang={language} open="" />
          <p className="chat__privacy">{t('chat.privacy')}</p>
        </section>
      )}
    </>
  );
}
