import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The chat widget as one ES module (library mode) in web/dist/widget/aurora-chat.js, built after the
 * apps by scripts/build-web.js: no React, no hashed name (other sites link to it; the server sends
 * it with a short cache and CORS, src/http/web.ts).
 */
const root = import.meta.dirname;

export default defineConfig({
  root,
  publicDir: false,
  build: {
    outDir: resolve(root, '..', 'dist', 'widget'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    minify: true,
    // Library mode keeps an ES module's whitespace (for bundlers downstream); this file goes straight to browsers.
    rolldownOptions: { output: { minify: true } },
    lib: { entry: resolve(root, 'aurora-chat.ts'), formats: ['es'], fileName: () => 'aurora-chat.js' },
  },
});
