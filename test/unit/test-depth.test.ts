// The test budget (test/support/depth.ts): small in `npm test`, full in `npm run test:deep`, KPI_FUZZ_RUNS over both.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { deep, runs } from '../support/depth.ts';

describe('how hard a test run tries', () => {
  it('gives the small budget by default, the full one with KPI_TEST_DEEP=1, and KPI_FUZZ_RUNS over both', () => {
    expect(deep({})).toBe(false);
    expect(runs(3, 12, {})).toBe(3);
    expect(runs(3, 12, { KPI_TEST_DEEP: '1' })).toBe(12);
    expect(runs(3, 12, { KPI_TEST_DEEP: '0' })).toBe(3);
    expect(runs(3, 12, { KPI_FUZZ_RUNS: '500' })).toBe(500);
    expect(runs(3, 12, { KPI_FUZZ_RUNS: '500', KPI_TEST_DEEP: '1' })).toBe(500);
  });

  it('npm run test:deep sets KPI_TEST_DEEP=1, and CI runs it when CI_DEEP=1', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['test:deep']).toBe('KPI_TEST_DEEP=1 vitest run');
    expect(pkg.scripts.test).toBe('vitest run');
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/if \[ "\$\{CI_DEEP:-\}" = 1 \]; then\n\s+npm run test:deep\n/);
  });
});
