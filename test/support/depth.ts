// How hard a run tries: `npm test` gives property and fuzz tests a small budget and leaves the slowest
// end-to-end cases (a compiled build, backups through child processes) to `npm run test:deep`, which sets
// KPI_TEST_DEEP=1 and runs everything with the full budget (docs/contributing.md, "Tests").

/** True in `npm run test:deep` (KPI_TEST_DEEP=1). */
export const DEEP = process.env.KPI_TEST_DEEP === '1';

/** How many cases a property or fuzz test runs: `fast` in `npm test`, `deep` in test:deep; KPI_FUZZ_RUNS overrides both. */
export function runs(fast: number, deep: number): number {
  const given = process.env.KPI_FUZZ_RUNS;
  return given ? Number(given) : DEEP ? deep : fast;
}
