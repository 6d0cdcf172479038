// The dependencies in package.json are true to the code: everything the code imports is declared,
// and everything declared is imported, or is here with the reason it is needed all the same.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { CHECKOUT } from '../src/testing/checkout.ts';

/** Declared but never imported by name in our code, and why they stay. */
const NEEDED_WITHOUT_IMPORT: Record<string, string> = {
  tslib: 'suomifi-ui-components imports it from its build but lists it only as a devDependency',
  typescript: 'tsc type-checks the project (npm test); this test uses its parser',
  'axe-core': 'the browser tests inject its script file into pages (require.resolve)',
  'workbox-build': 'a peer dependency of vite-plugin-pwa, which builds the service worker',
  'workbox-window': 'a peer dependency of vite-plugin-pwa (its virtual register module)',
  '@types/warning': "a peer dependency of suomifi-ui-components, whose type declarations refer to it",
};

function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || specifier.startsWith('virtual:')) return undefined;
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  return builtinModules.includes(name) ? undefined : name;
}

function importedPackages(): Map<string, string> {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'web', 'test', 'bench', 'scripts', 'bin'], { cwd: CHECKOUT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\.(ts|tsx|js|mjs)$/.test(f));
  const used = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(join(CHECKOUT, file), 'utf8');
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const resolved = [...text.matchAll(/require\.resolve\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    for (const specifier of [...importedFiles.map((f) => f.fileName), ...resolved]) {
      const name = packageOf(specifier);
      if (name && !used.has(name)) used.set(name, file);
    }
  }
  return used;
}

const pkg = JSON.parse(readFileSync(join(CHECKOUT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);

test('every package the code imports is declared in package.json', () => {
  const undeclared = [...importedPackages()].filter(([name]) => !declared.has(name)).map(([name, file]) => `${name} (${file})`);
  assert.deepEqual(undeclared, []);
});

test('every declared package is imported, or needed for a stated reason', () => {
  const used = importedPackages();
  const unused = [...declared].filter((name) => {
    if (used.has(name) || name in NEEDED_WITHOUT_IMPORT) return false;
    // Type packages serve their package (or Node itself).
    const typed = name.startsWith('@types/') ? name.slice('@types/'.length).replace(/^(.+)__(.+)$/, '@$1/$2') : undefined;
    return !(typed && (typed === 'node' || used.has(typed) || declared.has(typed)));
  });
  assert.deepEqual(unused, []);
});

test('the reasons list names only declared packages', () => {
  assert.deepEqual(Object.keys(NEEDED_WITHOUT_IMPORT).filter((name) => !declared.has(name)), []);
});
