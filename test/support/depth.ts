// How hard a run tries: `npm test` gives property and fuzz tests a small budget; `npm run test:deep` sets
// KPI_TEST_DEEP=1 and runs the same files with the full one (docs/contributing.md, "Deep runs").

/** True in `npm run test:deep` (KPI_TEST_DEEP=1). */
export function deep(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.KPI_TEST_DEEP === '1';
}

/** How many cases a property or fuzz test runs: `fast` in `npm test`, `deep` in test:deep; KPI_FUZZ_RUNS overrides both. */
export function runs(fast: number, full: number, env: NodeJS.ProcessEnv = process.env): number {
  const given = env.KPI_FUZZ_RUNS;
  return given ? Number(given) : deep(env) ? full : fast;
}
