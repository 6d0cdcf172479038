import { useEffect, useState, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, LanguageMenu, LanguageMenuItem, RouterLink, ServiceNavigation, ServiceNavigationItem, SkipLink, Text } from 'suomifi-ui-components';
import { LANGUAGES, LANGUAGE_NAMES, setLanguage } from '../../shared/i18n.ts';
import { useRouter } from '../../shared/router.tsx';
import { useSession } from '../session.tsx';
import { useLanguage } from './common.tsx';

const Header = styled.header`
  border-top: 4px solid #003479;
  border-bottom: 1px solid #c8cdd0;
  background: #fff;
  .bar {
    max-width: 1280px;
    margin: 0 auto;
    padding: 12px 20px;
    display: flex;
    flex-wrap: wrap;
    gap: 12px 24px;
    align-items: center;
    justify-content: space-between;
  }
  .brand {
    display: flex;
    flex-direction: column;
    text-decoration: none;
    color: #003479;
  }
  .brand strong {
    font-size: 22px;
    line-height: 28px;
  }
  .brand span {
    color: #41403e;
    font-size: 14px;
  }
  .tools {
    display: flex;
    flex-wrap: wrap;
    gap: 12px 20px;
    align-items: center;
  }
`;

const Body = styled.div`
  max-width: 1280px;
  margin: 0 auto;
  padding: 0 20px 48px;
  display: grid;
  /* Wide enough for the longest single words of the menu ("Palveluilmoitukset"). */
  grid-template-columns: 224px minmax(0, 1fr);
  gap: 24px;
  @media (max-width: 800px) {
    grid-template-columns: minmax(0, 1fr);
  }
  &.no-nav {
    grid-template-columns: minmax(0, 1fr);
    max-width: 800px;
  }
  main {
    padding-top: 24px;
    min-width: 0;
  }
  nav {
    padding-top: 24px;
  }
  nav a {
    hyphens: auto;
  }
`;

/** Whether a media query matches, following changes (a phone turned, a window resized). */
function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

export interface NavItem {
  to: string;
  label: string;
}

/** The frame of every view: skip link, header with language and session, navigation, main. */
export function Layout({ nav, children }: { nav: NavItem[]; children: ReactNode }) {
  const { t, i18n } = useTranslation('console');
  const language = useLanguage();
  const { staff, logOut } = useSession();
  const { path, navigate, href } = useRouter();
  // On a phone the menu folds into one button that names the current view.
  const small = useMedia('(max-width: 800px)');
  const current = nav.find((item) => path === item.to || path.startsWith(`${item.to}/`));
  const go = (to: string) => (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <>
      <SkipLink href="#main">{t('app.skip')}</SkipLink>
      <Header>
        <div className="bar">
          <a className="brand" href={href('/')} onClick={go('/')}>
            <strong>{t('app.name')}</strong>
            <span>{t('app.tagline')}</span>
          </a>
          <div className="tools">
            <LanguageMenu buttonText={`${LANGUAGE_NAMES[language]} (${language.toUpperCase()})`} aria-label={`${t('app.language')}: ${LANGUAGE_NAMES[language]} (${language.toUpperCase()})`}>
              {LANGUAGES.map((l) => (
                <LanguageMenuItem key={l} lang={l} selected={l === language} onSelect={() => void setLanguage(i18n, l)}>
                  {`${LANGUAGE_NAMES[l]} (${l.toUpperCase()})`}
                </LanguageMenuItem>
              ))}
            </LanguageMenu>
            {staff && (
              <>
                <Text>{t('app.loggedInAs', { name: staff.name || staff.email, role: t(`roles.${staff.role}`) })}</Text>
                <Button
                  variant="secondary"
                  onClick={() => {
                    void logOut().then(() => navigate('/login', { replace: true }));
                  }}
                >
                  {t('app.logOut')}
                </Button>
              </>
            )}
          </div>
        </div>
      </Header>
      <Body className={nav.length ? '' : 'no-nav'}>
        {nav.length > 0 && (
          <ServiceNavigation
            key={small ? 'small' : 'wide'}
            aria-label={t('app.mainNav')}
            variant={small ? 'smallScreen' : 'default'}
            initiallyExpanded={!small}
            smallScreenExpandButtonText={current?.label ?? t('app.mainNav')}
          >
            {nav.map((item) => {
              const selected = path === item.to || path.startsWith(`${item.to}/`);
              return (
                <ServiceNavigationItem key={item.to} selected={selected}>
                  <RouterLink href={href(item.to)} onClick={go(item.to)} aria-current={selected ? 'page' : undefined}>
                    {item.label}
                  </RouterLink>
                </ServiceNavigationItem>
              );
            })}
          </ServiceNavigation>
        )}
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </Body>
    </>
  );
}
