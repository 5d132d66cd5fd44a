// The test budget (test/support/depth.ts): small in `npm test`, full in `npm run test:deep`, KPI_FUZZ_RUNS over both;
// the databases a run uses (test/support/test-backends.ts): PGlite in `npm test`, PostgreSQL in CI's second pass;
// and the tiers each command runs: every tier vitest.config.ts names is run by CI.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { deep, runs } from '../support/depth.ts';
import { testBackends } from '../support/test-backends.ts';

const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

describe('how hard a test run tries', () => {
  it('gives the small budget by default, the full one with KPI_TEST_DEEP=1, and KPI_FUZZ_RUNS over both', () => {
    expect(deep({})).toBe(false);
    expect(runs(3, 12, {})).toBe(3);
    expect(runs(3, 12, { KPI_TEST_DEEP: '1' })).toBe(12);
    expect(runs(3, 12, { KPI_TEST_DEEP: '0' })).toBe(3);
    expect(runs(3, 12, { KPI_FUZZ_RUNS: '500' })).toBe(500);
    expect(runs(3, 12, { KPI_FUZZ_RUNS: '500', KPI_TEST_DEEP: '1' })).toBe(500);
  });

  it('npm run test:deep sets KPI_TEST_DEEP=1 on both databases, and CI runs it when CI_DEEP=1', () => {
    expect(scripts['test:deep']).toBe('KPI_TEST_DEEP=1 KPI_TEST_BACKENDS=pglite,postgres vitest run');
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/if \[ "\$\{CI_DEEP:-\}" = 1 \]; then\n\s+npm run test:deep\n/);
  });

  it('npm test uses PGlite; CI runs every suite with a PostgreSQL case again on PostgreSQL', () => {
    expect(testBackends(undefined)).toEqual(['pglite']);
    expect(testBackends('postgres')).toEqual(['postgres']);
    expect(testBackends('postgres, pglite')).toEqual(['pglite', 'postgres']);
    expect(() => testBackends('postgresql')).toThrow(/KPI_TEST_BACKENDS="postgresql": name pglite, postgres/);
    expect(() => testBackends('')).toThrow(/KPI_TEST_BACKENDS/);
    expect(scripts['test:postgres']).toBe('KPI_TEST_BACKENDS=postgres vitest run --project contract --project integration --project system');
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/\nnpm test\nnpm run test:system\nnpm run test:postgres\n/);
  });

  it('npm test runs unit, contract and integration; test:system the rest; so CI runs every tier vitest.config.ts names', () => {
    const projects = (script: string) => [...script.matchAll(/--project (\S+)/g)].map((m) => m[1]);
    expect(projects(scripts.test!)).toEqual(['unit', 'contract', 'integration']);
    expect(projects(scripts['test:system']!)).toEqual(['system']);
    const tiers = [...readFileSync('vitest.config.ts', 'utf8').matchAll(/name: '([a-z]+)'/g)].map((m) => m[1]);
    expect(tiers.sort()).toEqual(['contract', 'integration', 'system', 'unit']);
  });
});
