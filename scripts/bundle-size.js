#!/usr/bin/env node
// Prints the compressed (gzip -9) size of the JavaScript a first visit to a web app loads: the
// entry script of its page and every module the page preloads (Vite lists the entry's static
// imports as modulepreload links). Lazy chunks load later and are listed apart.
//   node scripts/bundle-size.js [web/dist/index.html] [--budget KB]
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const budgetAt = args.indexOf('--budget');
const budget = budgetAt >= 0 ? Number(args[budgetAt + 1]) : 300;
const page = args.find((a, i) => !a.startsWith('--') && (budgetAt < 0 || i !== budgetAt + 1)) ?? join(root, 'web', 'dist', 'index.html');
const dist = join(root, 'web', 'dist');
const html = readFileSync(page, 'utf8');

const initial = new Set();
for (const m of html.matchAll(/<(?:script[^>]*type="module"[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)) initial.add(m[1]);
for (const m of html.matchAll(/<link[^>]*href="([^"]+\.js)"[^>]*rel="modulepreload"/g)) initial.add(m[1]);

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1);
let total = 0;
console.log(`First load of ${relative(root, page)} (gzip):`);
for (const src of initial) {
  const file = join(dist, src.replace(/^\//, ''));
  const size = gz(file);
  total += size;
  console.log(`  ${kb(size).padStart(7)} KB  ${src}`);
}
const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
const cssSize = css.reduce((s, href) => s + gz(join(dist, href.replace(/^\//, ''))), 0);
console.log(`  ${kb(total).padStart(7)} KB  JavaScript in all (budget ${budget} KB)`);
if (css.length) console.log(`  ${kb(cssSize).padStart(7)} KB  CSS`);

const lazy = readdirSync(join(dist, 'assets'))
  .filter((f) => f.endsWith('.js') && !initial.has(`/assets/${f}`))
  .map((f) => ({ f, size: gz(join(dist, 'assets', f)) }))
  .sort((a, b) => b.size - a.size);
console.log(`Loaded later, on demand (largest first; includes other pages' chunks):`);
for (const { f, size } of lazy.slice(0, 12)) console.log(`  ${kb(size).padStart(7)} KB  /assets/${f}`);
process.exit(total / 1024 > budget ? 1 : 0);
