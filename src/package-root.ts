import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder that holds package.json, data/ and web/dist. Found by walking up from this module, so
 * that one lookup serves both the sources run through tsx (src/package-root.ts) and the compiled
 * build (dist/package-root.js), whose depth below the root may differ from the sources'.
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json in ${from} or any folder above it`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(import.meta.dirname);

/** A path inside the package: fromPackageRoot('data', 'lexicon'). */
export const fromPackageRoot = (...parts: string[]) => join(PACKAGE_ROOT, ...parts);
