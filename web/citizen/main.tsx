import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { initI18n } from '../shared/i18n.ts';
import { RouterProvider } from '../shared/router.tsx';
import { App } from './App.tsx';
import en from './locales/en.ts';
import fi from './locales/fi.ts';
import sv from './locales/sv.ts';
import './app.css';

const i18n = await initI18n('citizen', { fi, sv, en });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <RouterProvider>
        <App />
      </RouterProvider>
    </I18nextProvider>
  </StrictMode>,
);

// Installable and usable offline (the app shell; the API needs the network). Registered after the
// first render so it never delays it.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    import('virtual:pwa-register')
      .then(({ registerSW }) => registerSW({ immediate: true }))
      .catch(() => {
        // No service worker (blocked, unsupported): the app works online as before.
      });
  });
}
