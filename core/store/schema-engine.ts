/**
 * Prisma's schema engine compiled to WebAssembly, driven through a driver adapter.
 *
 * Why by hand: the Prisma CLI downloads a native schema-engine binary at start, which cannot
 * happen on offline machines. The same engine ships as `@prisma/schema-engine-wasm`; its
 * package `exports` hide the `.wasm` from Node's ESM loader, so we instantiate it ourselves.
 * It keeps the standard `_prisma_migrations` table, so `prisma migrate deploy` run elsewhere
 * sees the same history.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const require = createRequire(import.meta.url);

// Node has WebAssembly, but the project's `lib` (ES2023, no DOM) does not declare it.
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> };
}
const { Module: WasmModule, Instance: WasmInstance } = (globalThis as unknown as { WebAssembly: Wasm })
  .WebAssembly;

export const NO_FILTERS = { externalTables: [] as string[], externalEnums: [] as string[] };

// The engine's own TypeScript types (kept loose here: the wasm package is an internal API).
export interface SchemaEngineHandle {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

let bgModule: Promise<Record<string, unknown>> | undefined;

async function loadWasm(): Promise<Record<string, unknown>> {
  bgModule ??= (async () => {
    // The package only exports its JS entry points; its folder is the one holding that entry.
    const pkgDir = dirname(require.resolve('@prisma/schema-engine-wasm'));
    const bg = (await import(join(pkgDir, 'schema_engine_bg.js'))) as Record<string, unknown> & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const module = new WasmModule(readFileSync(join(pkgDir, 'schema_engine_bg.wasm')));
    const instance = new WasmInstance(module, { './schema_engine_bg.js': bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return bgModule;
}

/** Opens the schema engine over a database reached through a Prisma driver adapter factory. */
export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schema: { path: string; content: string },
  log: (line: string) => void = () => {},
): Promise<SchemaEngineHandle> {
  const bg = await loadWasm();
  const SchemaEngine = bg.SchemaEngine as {
    new: (
      options: { datamodels: [string, string][] },
      callback: (line: string) => void,
      adapter: unknown,
    ) => Promise<SchemaEngineHandle>;
  };
  return SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    log,
    bindMigrationAwareSqlAdapterFactory(factory),
  );
}
