// Prints the README's table of environment variables from src/config.ts; --write puts it in README.md
// between <!-- config:start --> and <!-- config:end --> (src/config.test.ts fails while they differ).
//   node --import tsx scripts/config-doc.ts [--write]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configTable, readmeWithConfigTable } from '../src/config.ts';

if (process.argv.includes('--write')) {
  const readme = join(import.meta.dirname, '..', 'README.md');
  writeFileSync(readme, readmeWithConfigTable(readFileSync(readme, 'utf8')));
} else {
  process.stdout.write(`${configTable()}\n`);
}
