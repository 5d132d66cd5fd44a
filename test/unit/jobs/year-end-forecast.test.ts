// The year-end forecast of the sample register as a council would first see it: imported from
// examples/register-sample.xlsx, then read in `/kpi show` and every director's weekly digest. Council
// tax collected (a percentage to date the register calls a snapshot) is on course when it follows last
// year's shape, and forecast to miss only when it is really behind.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSlashCommand } from '../../../commands/router.ts';
import { weeklyDigest } from '../../../jobs/weekly-digest.ts';
import { importFile } from '../../../src/import/import.ts';
import { backtestLines, backtestRegister } from '../../../src/services/backtest.ts';
import { forecastIndicator } from '../../../src/services/evaluation.ts';
import { saveValue } from '../../support/builders.ts';
import { aBot, said, type TestBot } from '../../support/bot.ts';

const SAMPLE = path.resolve(import.meta.dirname, '../../../examples/register-sample.xlsx');

/** A bot on Monday 3 November 2025 (2025/26 Q2 is in) with the sample register imported. */
async function sampleCouncil(): Promise<TestBot> {
  const b = await aBot({ now: '2025-11-03T08:00:00Z' });
  const outcome = await importFile(b.repo, { name: 'register-sample.xlsx', bytes: readFileSync(SAMPLE) }, {
    dryRun: false,
    reason: null,
    actor: { personId: b.council.admin.id, label: 'cli', isAdmin: true },
    at: b.clock.now(),
    readOn: 'this-thread',
  });
  expect(outcome.issues).toEqual([]);
  return b;
}

/** What each director and admin reads under "On course to miss the year end". */
async function onCourseToMiss(b: TestBot): Promise<string[]> {
  await weeklyDigest(b.deps, b.clock.now());
  const digests = b.outbox.messages('weekly-digest').map((m) => JSON.stringify(m.message.blocks));
  expect(digests.length).toBeGreaterThan(0);
  return digests.flatMap((d) => [...d.matchAll(/\*\*([a-z0-9-]+)\*\* [^"]*?on course to miss the year-end target/g)].map((m) => m[1]!));
}

describe('the year-end forecast of the sample register', () => {
  it('does not say council tax collected (56.9% against a profile of 56.8%) is on course to miss', async () => {
    const b = await sampleCouncil();
    const ind = (await b.repo.indicatorBySlug('council-tax-collection'))!;
    const f = forecastIndicator(ind, await b.repo.history(ind.id), await b.repo.org())!;
    expect(f).toMatchObject({ status: 'green', method: 'seasonal' });
    expect(f.sentence).toBe('on course to meet the year-end target of 97%: forecast 97.2%');

    const shown = said(await runSlashCommand(b.deps, b.as(b.council.admin), '/kpi show council-tax-collection'));
    expect(shown).toContain('Green: 56.9% so far this year (provisional) against a target of 56.8%; improving: 56.9% so far against 56.6% at this point last year (2024/25 Q2).');
    expect(shown).toContain('on course to meet the year-end target of 97%: forecast 97.2% (56.9% by Q2, plus the 40.3 points that 2024/25 added after Q2, from 56.6% to 96.9%; read as a percentage to date, as its targets rise through 2025/26)');
    expect(shown).not.toContain('on course to miss');

    expect(await onCourseToMiss(b)).not.toContain('council-tax-collection');
  });

  it('back-tests council tax on its profile, as a percentage to date (`kpi forecast --backtest`)', async () => {
    const b = await sampleCouncil();
    const indicators = await b.repo.indicators({ activeOnly: true });
    const { cases, summary } = backtestRegister(indicators, await b.repo.histories(indicators.map((i) => i.id)), await b.repo.org());
    expect(cases.filter((c) => c.name === 'council-tax-collection').map((c) => [c.asOf.key, c.method, Number(c.forecast.toFixed(2)), c.actual])).toEqual([
      ['2024/25 Q1', 'profile', 96.7, 96.9],
      ['2024/25 Q2', 'profile', 96.8, 96.9],
      ['2024/25 Q3', 'profile', 96.66, 96.9],
    ]);
    expect(backtestLines(summary).join('\n')).toContain("Methods used: run rate 0, last year's seasonal profile 0, target profile 3, bounded trend 3.");
  });

  it('does say so when collection is genuinely behind the profile', async () => {
    const b = await sampleCouncil();
    await saveValue(b.repo, b.clock.now(), 'council-tax-collection', '2025/26 Q2', 50.2);
    const shown = said(await runSlashCommand(b.deps, b.as(b.council.admin), '/kpi show council-tax-collection'));
    expect(shown).toContain('Red: 50.2% so far this year against a target of 56.8%');
    expect(shown).toContain('on course to miss the year-end target of 97%: forecast 90.5%');
    // Red today, it is in the digests' reds rather than their forecasts; amber today (56.3%), it is forecast to miss.
    await saveValue(b.repo, b.clock.now(), 'council-tax-collection', '2025/26 Q2', 56.3);
    const amber = said(await runSlashCommand(b.deps, b.as(b.council.admin), '/kpi show council-tax-collection'));
    expect(amber).toContain('Amber: 56.3% so far this year against a target of 56.8%');
    expect(amber).toContain('on course to miss the year-end target of 97%: forecast 96.6% (within the tolerance)');
    expect(await onCourseToMiss(b)).toContain('council-tax-collection');
  });
});
