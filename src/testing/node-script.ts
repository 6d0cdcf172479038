import { existsSync } from 'node:fs';

/**
 * Node's arguments for running a TypeScript file of the project as a child process, with `flags`
 * before it. In the test build (scripts/test-build.js), where this module runs compiled, the file's
 * compiled twin runs as it is; from the sources it runs through tsx, which compiles every module the
 * child loads once more (about 2 s of CPU a start).
 */
export function nodeScript(file: string, flags: string[] = []): string[] {
  const compiled = file.replace(/\.ts$/, '.js');
  if (import.meta.url.endsWith('.js') && existsSync(compiled)) return [...flags, compiled];
  return ['--import', 'tsx', ...flags, file];
}
