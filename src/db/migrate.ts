import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { catalogueMigrations } from '../catalogue/migrations.ts';
import { consentAuditMigrations } from '../consent/audit-migrations.ts';
import { consentMigrations } from '../consent/migrations.ts';
import { transferCodeMigrations } from '../consent/code-migrations.ts';
import { personConsentMigrations } from '../consent/person-migrations.ts';
import { recipientServiceMigrations } from '../consent/recipient-service-migrations.ts';
import { networkMigrations } from '../network/migrations.ts';
import { membershipMigrations } from '../network/membership-migrations.ts';
import { recommenderMigrations } from '../recommender/migrations.ts';
import { statisticsMigrations } from '../network/statistics/migrations.ts';

/** Every domain owns its migrations; names sort by date so their order is global. */
export const allMigrations: Record<string, Migration> = { ...catalogueMigrations, ...networkMigrations, ...recommenderMigrations, ...consentMigrations, ...consentAuditMigrations, ...transferCodeMigrations, ...personConsentMigrations, ...recipientServiceMigrations, ...membershipMigrations, ...statisticsMigrations };

const provider: MigrationProvider = { getMigrations: async () => allMigrations };

export async function migrateToLatest(db: Kysely<any>) {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`, { cause: error });
  }
}

/** True when every known migration has been applied (the /ready check). */
export async function migrationsApplied(db: Kysely<any>) {
  const migrations = await new Migrator({ db, provider }).getMigrations();
  return migrations.every((m) => m.executedAt !== undefined);
}
