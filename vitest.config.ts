import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { testBackends } from './test/support/test-backends.ts';

// Which databases the contract, integration and system tiers run on: `npm test` PGlite (and memory), `npm run
// test:postgres` PostgreSQL, `npm run test:deep` both (KPI_TEST_BACKENDS; test/setup/global.ts reads it too).
const backends = testBackends(process.env.KPI_TEST_BACKENDS);
/** A tier's files; without PGlite, only those with a suite on both databases have anything to run. */
const tierFiles = (dir: string): string[] =>
  backends.includes('pglite')
    ? [`${dir}/**/*.test.ts`]
    : readdirSync(dir)
        .filter((f) => f.endsWith('.test.ts') && readFileSync(`${dir}/${f}`, 'utf8').includes("backends('both')"))
        .map((f) => `${dir}/${f}`);

/** How the integration and system tiers run: alike but for their files. */
const endToEnd = {
  // The migrated snapshot and PostgreSQL (test/setup/global.ts), and the compiled build every child process runs (test/setup/build.ts).
  globalSetup: ['test/setup/global.ts', 'test/setup/build.ts'],
  // A deadline for a test that hangs, not a budget: files side by side on 2 cores take longer each.
  testTimeout: 60_000,
  // Files in one worker share the app's module graph (importing it costs seconds per file): each
  // file has its own database, servers and clock and stops them, and no module keeps per-run state.
  isolate: false,
};

// Every temporary file of the run — a test's scratch directory, a child process's, the out directory — goes
// under one directory, removed when the run ends: test workers and their children inherit TMPDIR.
if (!process.env.KPI_TEST_TMP) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kpi-test-run-'));
  // Searchable by others, as /tmp is: the throwaway PostgreSQL cluster runs as the postgres user.
  chmodSync(root, 0o755);
  process.env.KPI_TEST_TMP = root;
  process.env.TMPDIR = root;
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
}

// Four tiers (docs/contributing.md, "Tests"): unit tests need nothing — handlers and jobs run on the memory
// repository; contract tests hold the memory and Prisma repositories to the same cases; integration
// tests go through real HTTP and a real database. `npm test` runs those three. The system tier
// (`npm run test:system`, run by CI beside it) proves the install as a whole: the compiled build as
// processes, databases on disk and across migrations, backup and restore, the README as typed, and the
// test databases' own isolation. Contract, integration and system tests get a throwaway PostgreSQL
// cluster and a migrated PGlite snapshot from the global setup (test/setup/global.ts).
export default defineConfig({
  test: {
    testTimeout: 30_000,
    // Integration files spend most of their time waiting — on HTTP round trips, PostgreSQL in its own
    // processes, the PGlite thread, bot processes and real timeouts — so three files run at once even
    // on 2 cores (vitest's default there is one: cores − 1). Each file has its own database, ports and
    // output directory (test/support/app.ts).
    maxWorkers: 3,
    hookTimeout: 120_000,
    // TypeScript transformed once and kept between runs (node_modules/.experimental-vitest-cache), keyed by
    // content: a second `npm test` skips most of the transform's CPU (vitest 4.1's experimental.fsModuleCache).
    experimental: { fsModuleCache: true },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'commands/**/*.ts', 'jobs/**/*.ts'],
      exclude: ['src/generated/**'],
    },
    projects: [
      {
        extends: true,
        // Nothing in a unit test holds a database, a server or module state: files share one module graph per worker.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        // Like the integration files: each file opens and closes its own databases; none keeps module state.
        test: { name: 'contract', include: ['test/contract/**/*.test.ts'], globalSetup: ['test/setup/global.ts'], isolate: false },
      },
      { extends: true, test: { name: 'integration', include: tierFiles('test/integration'), ...endToEnd } },
      // As the integration tier, for the files whose cost is processes, disks and whole-install runs.
      { extends: true, test: { name: 'system', include: tierFiles('test/system'), ...endToEnd } },
    ],
  },
});
