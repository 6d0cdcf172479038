import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * One Vite project for the network's web apps: the citizen app at / (index.html) and the staff
 * console at /console/ (console/index.html). The server serves dist/ (src/http/web.ts).
 */
const root = import.meta.dirname;
const pages: Record<string, string> = { main: resolve(root, 'index.html') };
// The console page joins once both its page and its entry exist (it is built alongside).
if (existsSync(resolve(root, 'console/index.html')) && existsSync(resolve(root, 'console/main.tsx'))) pages.console = resolve(root, 'console/index.html');

// Paths the server answers itself: never the app shell, online or from the service worker.
const SERVER_PATHS = [/^\/api\//, /^\/service-recommender\//, /^\/console(\/|$)/, /^\/docs(\/|$)/, /^\/r\//, /^\/openapi\.json$/, /^\/health$/, /^\/ready$/, /^\/metrics$/, /^\/\.well-known\//];

export default defineConfig({
  root,
  base: '/',
  publicDir: resolve(root, 'public'),
  plugins: [
    react(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false, // the citizen app registers it; the console has no service worker of its own
      includeAssets: ['icons/icon.svg', 'icons/apple-touch-icon.png'],
      manifest: {
        id: '/',
        name: 'Aurora – palvelut elämäntilanteeseesi',
        short_name: 'Aurora',
        description: 'Elämäntilanteen tarkistus ja siihen sopivat palvelut / Livssituation och tjänster / Your life situation and services that fit',
        lang: 'fi',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#00347a',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        navigateFallback: '/index.html',
        navigateFallbackDenylist: SERVER_PATHS,
        // The console is staff-only and online-only: not precached for every citizen.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // survey-core (about 1.4 MB) runs a questionnaire's conditions; it loads only for one that has
        // them, and answering is online anyway: not precached for every citizen either.
        globIgnores: ['console/**', 'assets/console-*', 'assets/console/**', 'assets/survey-core-*'],
        cleanupOutdatedCaches: true,
      },
    }),
    // vite-plugin-pwa links the citizen app's manifest into every page; the console is not that app.
    {
      name: 'aurora-console-without-citizen-manifest',
      enforce: 'post',
      generateBundle(_options, bundle) {
        const page = bundle['console/index.html'];
        if (page?.type === 'asset' && typeof page.source === 'string') page.source = page.source.replace(/\s*<link rel="manifest"[^>]*>/g, '');
      },
    },
  ],
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    rollupOptions: { input: pages },
  },
});
