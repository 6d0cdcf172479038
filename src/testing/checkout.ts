import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { fromPackageRoot } from '../package-root.ts';

/**
 * The checkout's own folder, where git's history is. The suite runs from a test build
 * (scripts/test-build.js), a mirror of the checkout in which package.json is a link to the
 * checkout's; tests that ask git about the project (its files, its past releases) ask it here.
 */
export const CHECKOUT = dirname(realpathSync(fromPackageRoot('package.json')));
