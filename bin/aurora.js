#!/usr/bin/env -S node --max-semi-space-size=64 --no-allocation-site-pretenuring
// The `aurora` command. From a checkout it runs the TypeScript sources through tsx, so no build
// step is needed; where the sources are absent (the container image ships the compiled build only,
// `npm run build`), it runs dist/ and loads no TypeScript compiler.
// The V8 flag on the first line (as in package.json's start): a young generation large enough that
// a request's short-lived objects are not promoted, which at 100,000 services otherwise caused
// second-long full collections (bench/lib.ts SERVER_NODE_FLAGS).
import { existsSync } from 'node:fs';

if (existsSync(new URL('../src/cli.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
} else {
  await import('../dist/cli.js');
}
