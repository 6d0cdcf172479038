import { Suspense, lazy, useEffect, useState, type ReactNode } from 'react';
import { PageTitle } from './components/PageTitle.tsx';
import { useTranslation } from 'react-i18next';
import { LoadingSpinner } from 'suomifi-ui-components';
import { LANGUAGES, LANGUAGE_NAMES, currentLanguage, setLanguage } from '../shared/i18n.ts';
import { AppLink, useRouter } from '../shared/router.tsx';
import { SearchProvider } from './search.tsx';
import { webConfig } from './web-config.ts';
import { Home } from './views/Home.tsx';
import { CheckPage } from './views/Check.tsx';

// Heavier views load when first opened: the first load stays small.
const FindPage = lazy(() => import('./views/Find.tsx'));
const ServicePage = lazy(() => import('./views/Service.tsx'));
const TransferPage = lazy(() => import('./views/Transfer.tsx'));
const MyPage = lazy(() => import('./views/My.tsx'));
const LoginCallback = lazy(() => import('./views/LoginCallback.tsx'));
const VouchersPage = lazy(() => import('./views/Vouchers.tsx'));
const QuestionnairePage = lazy(() => import('./views/Questionnaire.tsx'));
const ChatPage = lazy(() => import('./views/Chat.tsx'));
const FindQuestionnairePage = lazy(() => import('./views/Questionnaire.tsx').then((m) => ({ default: m.FindQuestionnairePage })));

function route(path: string): { key: string; view: ReactNode } {
  const service = /^\/services\/([0-9a-fA-F-]{36})(\/transfer)?\/?$/.exec(path);
  if (service) return service[2] ? { key: 'transfer', view: <TransferPage serviceId={service[1]!} /> } : { key: 'service', view: <ServicePage serviceId={service[1]!} /> };
  const run = /^\/q\/([0-9a-fA-F-]{36})\/?$/.exec(path);
  if (run) return { key: 'questionnaire', view: <QuestionnairePage runId={run[1]!} /> };
  switch (path.replace(/\/$/, '') || '/') {
    case '/':
      return { key: 'home', view: <Home /> };
    case '/check':
      return { key: 'check', view: <CheckPage phase="answer" /> };
    case '/check/result':
      return { key: 'check-result', view: <CheckPage phase="result" /> };
    case '/find':
      return { key: 'find', view: <FindPage /> };
    case '/q':
      return { key: 'questionnaire-code', view: <FindQuestionnairePage /> };
    case '/chat':
      return { key: 'chat', view: <ChatPage /> };
    case '/my':
      return { key: 'my', view: <MyPage /> };
    case '/vouchers':
      return { key: 'vouchers', view: <VouchersPage /> };
    case '/login/callback':
      return { key: 'login', view: <LoginCallback /> };
    default:
      return { key: 'not-found', view: <NotFound /> };
  }
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle>{t('app.notFound')}</PageTitle>
      <p>
        <AppLink to="/">{t('app.nav.home')}</AppLink>
      </p>
    </>
  );
}

const NAV = [
  { to: '/', key: 'home', match: (p: string) => p === '/' },
  { to: '/check', key: 'check', match: (p: string) => p.startsWith('/check') },
  { to: '/find', key: 'find', match: (p: string) => p.startsWith('/find') || p.startsWith('/services') },
  { to: '/chat', key: 'chat', match: (p: string) => p.startsWith('/chat') },
  { to: '/vouchers', key: 'vouchers', match: (p: string) => p.startsWith('/vouchers') },
  { to: '/my', key: 'my', match: (p: string) => p.startsWith('/my') },
] as const;

/** Whether the network has a bot for the app's chat: the menu offers "Chat" only then. */
function useChat() {
  const [chat, setChat] = useState(false);
  useEffect(() => {
    let cancelled = false;
    webConfig()
      .then((config) => !cancelled && setChat(config.chat.bot_id !== null))
      // Without the setting the menu has no chat; /chat itself says why.
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, []);
  return chat;
}

export function App() {
  const { t, i18n } = useTranslation();
  const { path } = useRouter();
  const language = currentLanguage(i18n);
  const { key, view } = route(path);
  const chat = useChat();
  return (
    <SearchProvider>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <AppLink to="/" className="brand">
            <img src="/icons/icon.svg" alt="" width="36" height="36" />
            <span>
              <span className="brand__name">{t('app.name')}</span>
              <span className="brand__tagline">{t('app.tagline')}</span>
            </span>
          </AppLink>
          <div className="languages" role="group" aria-label={t('app.language')}>
            {LANGUAGES.map((l) => (
              <button
                key={l}
                type="button"
                lang={l}
                className="language"
                aria-pressed={l === language}
                onClick={() => void setLanguage(i18n, l)}
              >
                {LANGUAGE_NAMES[l]}
              </button>
            ))}
          </div>
        </div>
        <nav className="site-nav" aria-label={t('app.nav.label')}>
          <ul>
            {NAV.filter((item) => item.key !== 'chat' || chat).map((item) => (
              <li key={item.key}>
                <AppLink to={item.to} aria-current={item.match(path) ? 'page' : undefined}>
                  {t(`app.nav.${item.key}`)}
                </AppLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="site-main" data-view={key}>
        <Suspense fallback={<LoadingSpinner status="loading" text={t('app.loading')} variant="small" textAlign="right" />}>{view}</Suspense>
      </main>
      <footer className="site-footer">
        <p>{t('app.footer')}</p>
        <p>
          <a href="/docs">{t('app.apiDocs')}</a>
        </p>
      </footer>
    </SearchProvider>
  );
}
