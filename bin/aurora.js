#!/usr/bin/env node
// The `aurora` command. The project runs its TypeScript through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
