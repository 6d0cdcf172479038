#!/usr/bin/env -S node --max-semi-space-size=64
// The `aurora` command. The project runs its TypeScript through tsx, so no build step is needed.
// The V8 flag on the first line (as in package.json's start): a young generation large enough that
// a request's short-lived objects are not promoted, which at 100,000 services otherwise caused
// second-long full collections (bench/lib.ts SERVER_NODE_FLAGS).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
