import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { buildAgencyDirectory } from '../../core/directory/index.ts';
import { openDatabase } from '../../core/store/database.ts';
import { diffMigrationsToSchema, migrationNames } from '../../core/store/migrations.ts';
import { seedAgencies } from '../../core/store/seed.ts';

describe('migrations', () => {
  it('describe exactly what schema.prisma models (no drift)', async () => {
    const db = await openDatabase({ kind: 'pglite', dataDir: ':memory:' });
    try {
      const { drift, sql } = await diffMigrationsToSchema(db.adapterFactory);
      expect(sql, 'run "npm run db:new-migration -- NAME" after changing schema.prisma').toBe('');
      expect(drift).toBe(false);
    } finally {
      await db.close();
    }
  });

  it('are applied once, keeping the standard _prisma_migrations history', async () => {
    const pglite = new PGlite();
    const db = await openDatabase({ kind: 'pglite' }, { pglite });
    try {
      expect(await db.migrate()).toEqual(migrationNames());
      expect(await db.migrate()).toEqual([]);
      const { rows } = await pglite.query<{ migration_name: string }>(
        'select migration_name from _prisma_migrations order by 1',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(migrationNames());
    } finally {
      await db.close();
      await pglite.close();
    }
  });
});

describe('agency seed', () => {
  it('loads every province and kabupaten/kota and changes nothing when run twice', async () => {
    const db = await openDatabase({ kind: 'pglite', dataDir: ':memory:' });
    try {
      await db.migrate();
      const directory = await buildAgencyDirectory();
      const first = await seedAgencies(db, directory);
      expect(first.inserted).toBe(directory.length);
      await db.prisma.agency.update({
        where: { code: 'PEMDA-33.03' },
        data: { officerChannel: 'C-PURBALINGGA' },
      });
      const second = await seedAgencies(db, directory);
      expect(second).toEqual({ inserted: 0, updated: 0, unchanged: directory.length });
      // What operators edit survives a re-seed.
      expect(
        (await db.prisma.agency.findUniqueOrThrow({ where: { code: 'PEMDA-33.03' } })).officerChannel,
      ).toBe('C-PURBALINGGA');
      const pemda = await db.prisma.agency.findMany({
        where: { kind: 'pemda', unit: null },
        select: { level: true },
      });
      expect(pemda.filter((a) => a.level === 'province')).toHaveLength(38);
      expect(pemda.filter((a) => a.level === 'regency')).toHaveLength(514);
      for (const code of [
        'ADMIN',
        'BPJS-KES',
        'BPJS-TK',
        'BUMN-PLN',
        'BUMN-PERTAMINA',
        'BUMN-TELKOM',
        'BUMN-POS',
        'BUMN-KAI',
        'KL-IMIGRASI',
        'BUMD-PDAM-33.03',
      ]) {
        expect(await db.prisma.agency.count({ where: { code } }), code).toBe(1);
      }
    } finally {
      await db.close();
    }
  });
});
