// Which databases a test run uses, from KPI_TEST_BACKENDS: read by vitest.config.ts (which files to run)
// and the global set-up (which databases to prepare). `npm test` is PGlite only; `npm run test:postgres`
// PostgreSQL only; `npm run test:deep` both (docs/contributing.md, "Tests").

export type TestBackend = 'pglite' | 'postgres';

/** KPI_TEST_BACKENDS: `pglite` (the default), `postgres`, or both, comma-separated; anything else is refused. */
export function testBackends(value: string | undefined): TestBackend[] {
  const named = (value ?? 'pglite').split(',').map((x) => x.trim()).filter(Boolean);
  const unknown = named.filter((x) => x !== 'pglite' && x !== 'postgres');
  if (unknown.length || !named.length) throw new Error(`KPI_TEST_BACKENDS="${value ?? ''}": name pglite, postgres, or both as pglite,postgres`);
  return (['pglite', 'postgres'] as const).filter((b) => named.includes(b));
}
