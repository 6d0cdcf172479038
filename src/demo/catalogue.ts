import type { Db } from '../db/database.ts';
import { importPtvFiles } from '../operations.ts';
import { fromPackageRoot } from '../package-root.ts';

/**
 * The demo catalogue shipped in data/demo (PTV open data, CC BY 4.0; see data/SOURCES.md): 1,790
 * real services of the national catalogue and of Turku, Oulu and Mikkeli, and PTV API samples.
 */
export const DEMO_FILES = ['services.ptv.json', 'services-by-id.json', 'service-etalukio.json', 'service-channel-otava.json'].map((f) =>
  fromPackageRoot('data', 'demo', f),
);

/** Loads the demo on a first start: when nothing has ever been imported and no service exists. */
export async function loadDemoIfFirstStart(db: Db) {
  const imported = await db.selectFrom('import_runs').select('id').limit(1).executeTakeFirst();
  const anyService = await db.selectFrom('services').select('id').limit(1).executeTakeFirst();
  if (imported || anyService) return undefined;
  return importPtvFiles(db, DEMO_FILES, { actor: 'demo' });
}
