// Prisma CLI configuration. Only `prisma generate` uses it here: migrations are made and
// applied offline by `npm run db:diff` / `npm run db:migrate` (src/db/migrate.ts).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
