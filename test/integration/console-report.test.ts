// The report, sign-off and import on the local console: files are written under KPI_OUT_DIR and
// their paths printed; the import form asks for a file path.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock, useConsoleDemo, type ConsoleHarness } from '../support/app.ts';

const SAMPLE = path.resolve(import.meta.dirname, '../../examples/register-sample.csv');

describe.each(backends('pglite'))('report and import on the console (%s)', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const app = useConsoleDemo(backend, clock, 'priya.shah@trafford.example');
  let db: TestDatabase;
  let con: ConsoleHarness;
  beforeAll(() => {
    ({ db, con } = app);
  });

  it('says it is preparing the report, then writes the file and prints its path', async () => {
    const out = await con.type('/kpi report 2017/18 Q3 markdown');
    expect(out).toContain('Preparing the 2017/18 Q3 performance report (Markdown)');
    expect(out).toContain('There are 18 Green indicators (on target), 6 Amber and 6 Red.');
    const file = /File: (\S+\.md)/.exec(out)![1]!;
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('| 49 | 33 | 14 | 2 | 18 | 6 | 6 | 3 |');
  });

  it('imports a file named at the form prompt', async () => {
    // The sample has values for 2025/26: import it when those quarters have begun.
    const before = clock.now();
    clock.set('2026-01-15T09:00:00Z');
    let out: string;
    try {
      expect(await con.type('/kpi import')).toContain('Register file (.csv, .xlsx or .json)');
      expect(await con.type(SAMPLE)).toContain('Options');
      expect(await con.type('dry-run')).toContain('Reason');
      out = await con.type('');
    } finally {
      clock.set(before.toISOString());
    }
    expect(out).toContain('Dry run of');
    expect(out).toContain('Indicators: 8 created');
    expect(await db.prisma.indicator.count({ where: { slug: 'council-tax-collection' } })).toBe(0);
  });

  it('asks to confirm a sign-off; button 1 signs the quarter off', async () => {
    expect(await con.type('/kpi close-quarter 2017/18 Q3')).toContain('[1] Sign off 2017/18 Q3');
    expect(await con.type('1')).toContain('2017/18 Q3 is signed off by Priya Shah');
    expect(await db.prisma.periodLock.count()).toBe(1);
  });
});
