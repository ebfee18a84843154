import { loadConfig } from '../../core/config/index.ts';
import { buildAgencyDirectory } from '../../core/directory/index.ts';
import { openDatabase } from '../../core/store/database.ts';
import { createMigration, diffMigrationsToSchema } from '../../core/store/migrations.ts';
import { seedAgencies } from '../../core/store/seed.ts';

export async function runDb(args: string[]): Promise<number> {
  const [sub, name] = args;
  const config = loadConfig();
  // Creating or checking migrations needs only a scratch database: use an in-memory one.
  const scratch = sub === 'new-migration' || sub === 'check';
  const db = await openDatabase(scratch ? { kind: 'pglite', dataDir: ':memory:' } : config.database);
  try {
    switch (sub) {
      case 'migrate': {
        const applied = await db.migrate();
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
        return 0;
      }
      case 'seed': {
        await db.migrate();
        const r = await seedAgencies(db, await buildAgencyDirectory());
        console.log(`agencies: ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged`);
        return 0;
      }
      case 'new-migration': {
        if (!name) {
          console.error('lapor: db new-migration needs a NAME');
          return 2;
        }
        const dir = await createMigration(db.adapterFactory, name);
        console.log(
          dir ? `wrote ${dir}/migration.sql` : 'schema.prisma matches the migrations; nothing to write',
        );
        return 0;
      }
      case 'check': {
        const { drift, sql } = await diffMigrationsToSchema(db.adapterFactory);
        if (drift) {
          console.error(
            'lapor: schema.prisma and prisma/migrations drift; run "lapor db new-migration NAME". Missing SQL:',
          );
          console.error(sql);
          return 1;
        }
        console.log('schema.prisma matches the migrations');
        return 0;
      }
      default:
        console.error('lapor: usage: lapor db migrate | seed | new-migration NAME | check');
        return 2;
    }
  } finally {
    await db.close();
  }
}
