// The admin CLI runs on the organisation's own date, as chat and `kpi job` do: on the demo (15 January
// 2018) `import`, `report`, `close-quarter` and the audit of `settings` read "today" as the demo's date,
// whatever the machine's clock says; `--now` still says otherwise.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { runKpi } from '../support/cli.ts';

describe.each(backends('pglite'))('the CLI on the demo’s own date (%s)', (backend) => {
  // The machine's clock: years after the demo's date.
  const machine = new TestClock(new Date('2026-03-02T10:00:00Z'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-cli-date-'));
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await withDemo(db);
  });
  afterAll(() => db?.close());

  const kpi = (...argv: string[]) => runKpi(db, argv, {}, machine);

  it('import: a value for a period after the demo’s date has not begun; one before it is written, given on the demo’s date', async () => {
    const file = path.join(dir, 'values.csv');
    // A council's values sheet: an estimate for a quarter already over, and one for next year's Q1.
    writeFileSync(file, 'Indicator,Period,Actual,Estimated,Note\nnew-volunteers,2017/18 Q2,44,yes,Thrive portal figures\nnew-volunteers,2018/19 Q1,12,,\n');
    const refused = await kpi('import', file);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('2018/19 Q1 has not started yet');

    writeFileSync(file, 'Indicator,Period,Actual,Estimated,Note\nnew-volunteers,2017/18 Q2,44,yes,Thrive portal figures\n');
    const ok = await kpi('import', file);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const saved = await db.prisma.observation.findFirstOrThrow({ where: { periodKey: '2017/18 Q2', indicator: { slug: 'new-volunteers' } } });
    expect(saved.submittedAt.toISOString().slice(0, 10)).toBe('2018-01-15');
  });

  it('report: "last quarter" is the demo’s last quarter, and the report is dated on the demo’s date', async () => {
    const out = path.join(dir, 'report.md');
    const r = await kpi('report', '--period', 'last quarter', '--format', 'md', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('2017/18 Q3: 49 indicators');
    expect(readFileSync(out, 'utf8')).toContain('15 January 2018');
  });

  it('close-quarter: the demo’s current quarter has not ended; the last one is signed off on the demo’s date; --now still rules', async () => {
    const open = await kpi('close-quarter', '2017/18 Q4', '--by', 'priya.shah@trafford.example');
    expect(open.code).toBe(1);
    expect(open.stderr).toContain('2017/18 Q4 has not ended yet (it ends on 2018-03-31)');

    const later = await kpi('close-quarter', '2017/18 Q4', '--by', 'priya.shah@trafford.example', '--now', '2018-04-20T09:00');
    expect(later.code, later.stderr).toBe(0);

    const signed = await kpi('close-quarter', '2017/18 Q3', '--by', 'priya.shah@trafford.example');
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stdout).toContain('2017/18 Q3 is signed off by Priya Shah');
    const lock = await db.prisma.periodLock.findFirstOrThrow({ where: { periodKey: '2017/18 Q3' } });
    expect(lock.closedAt.toISOString().slice(0, 10)).toBe('2018-01-15');
  });

  it('settings: a change is audited on the demo’s date', async () => {
    const r = await kpi('settings', 'escalate-after', '4', '--by', 'priya.shah@trafford.example');
    expect(r.code, r.stderr).toBe(0);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: 'settings.change' }, orderBy: { id: 'desc' } });
    expect(audit.at.toISOString().slice(0, 10)).toBe('2018-01-15');
  });
});
