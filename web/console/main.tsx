import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createGlobalStyle } from 'styled-components';
import { initI18n } from '../shared/i18n.ts';
import { App } from './App.tsx';
import { en } from './locales/en.ts';
import { fi } from './locales/fi.ts';
import { sv } from './locales/sv.ts';
import { RouterProvider } from '../shared/router.tsx';
import { SessionProvider } from './session.tsx';

// suomifi-ui-components is set in Source Sans Pro; the network serves no fonts, so the system's sans-serif stands in.
const GlobalStyle = createGlobalStyle`
  html { -webkit-text-size-adjust: 100%; }
  body {
    margin: 0;
    font-family: 'Source Sans Pro', 'Source Sans 3', 'Helvetica Neue', Arial, sans-serif;
    color: #1f2a33;
    background: #fff;
    line-height: 1.5;
  }
  main:focus { outline: none; }
  code { font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; }
`;

const i18n = await initI18n('console', { fi, sv, en });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <GlobalStyle />
      <RouterProvider base="/console" scrollToTop>
        <SessionProvider>
          <App />
        </SessionProvider>
      </RouterProvider>
    </I18nextProvider>
  </StrictMode>,
);
