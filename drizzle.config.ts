import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL; the app applies it at start (see src/server/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/server/db/schema/index.ts',
  out: './src/server/db/migrations',
  migrations: { prefix: 'timestamp' },
});
