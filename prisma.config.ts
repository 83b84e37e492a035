import { defineConfig } from 'prisma/config';

// The CLI only needs a URL for `migrate status/deploy` against a real PostgreSQL; the app
// itself connects through driver adapters (src/db/client.ts) and applies migrations itself.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/cinegraph' },
});
