import { defineConfig } from 'vitest/config';

// Two projects: unit tests need nothing; integration tests get a throwaway PostgreSQL cluster
// and a migrated PGlite snapshot from the global setup (test/setup/global.ts).
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'commands/**/*.ts', 'jobs/**/*.ts'],
      exclude: ['src/generated/**'],
    },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/global.ts'],
        },
      },
    ],
  },
});
