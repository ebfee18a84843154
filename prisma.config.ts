// Prisma CLI configuration. Only `prisma generate` runs here (offline); migrations are applied by
// `lapor db migrate` through the WebAssembly schema engine, so no datasource URL is needed.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
