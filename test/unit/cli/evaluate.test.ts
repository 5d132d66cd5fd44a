// `kpi evaluate` on the fixtures: the options for tolerance, direction basis and maintained band, and
// a file whose published columns hold labels nobody taught it evaluates exactly as the original.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKpi } from '../../support/cli.ts';
import { FIXTURES_DIR } from '../../support/published.ts';

const TRAFFORD = path.join(FIXTURES_DIR, 'trafford-2017-18-q3.json');
/** A register shaped like issue 30's problem: only Q1 in, last year's outturn as the baseline, targets in words. */
const REGISTER = path.join(FIXTURES_DIR, 'registers', 'latest-and-outturn.json');
const dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-evaluate-'));
const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const bySlugName = (rows: Record<string, unknown>[], name: RegExp) => rows.find((r) => name.test(String(r.name)))!;

describe('kpi evaluate', () => {
  it('prints one JSON line per indicator, against the previous period by default', async () => {
    const r = await runKpi(null, ['evaluate', TRAFFORD]);
    expect(r.code).toBe(0);
    const rows = lines(r.stdout);
    expect(rows).toHaveLength(49);
    expect(bySlugName(rows, /^Reduce the level of sickness absence/)).toMatchObject({ status: 'red', direction: 'declining', basis: 'previous' });
    expect(bySlugName(rows, /^The percentage of relevant land/)).toMatchObject({ direction: 'declining' });
  });

  it('compares with the baseline, with a maintained band, when asked', async () => {
    const r = await runKpi(null, ['evaluate', TRAFFORD, '--direction-basis', 'baseline', '--maintained-band', '2%']);
    expect(r.code).toBe(0);
    const rows = lines(r.stdout);
    expect(bySlugName(rows, /^The percentage of relevant land/)).toMatchObject({
      basis: 'baseline',
      direction: 'maintained',
      explanation: 'Amber: 83.8% against a target of 85% (amber down to 76.5%); maintained at 83.8% (baseline 83.1% in 2016/17, within 2%).',
    });
    expect(bySlugName(rows, /^The number of housing completions/)).toMatchObject({ direction: 'improving' });
    expect(String(bySlugName(rows, /^The number of housing completions/).explanation)).toContain("310 so far against 132 at this point on last year's pace");
    expect(bySlugName(rows, /^Maintain the low level of 16-17 year olds/)).toMatchObject({ direction: null, directionNote: 'no baseline' });
  });

  it('compares with the same period last year (where the fixture has no such value, it says so)', async () => {
    const rows = lines((await runKpi(null, ['evaluate', TRAFFORD, '--direction-basis', 'same-last-year'])).stdout);
    expect(bySlugName(rows, /^Reduce the level of sickness absence/)).toMatchObject({ basis: 'same-last-year', direction: null, directionNote: 'no value for 2016/17 Q3 to compare with' });
  });

  it('reads no published column: unknown labels, or garbage, evaluate as any other file', async () => {
    const json = JSON.parse(readFileSync(TRAFFORD, 'utf8')) as { indicators: Record<string, unknown>[] };
    const labels = ['in-measurement', 'maintained', 'Improved', 'Declining performance', 'M', 42];
    json.indicators.forEach((ind, i) => {
      ind.published = i % 3 === 0 ? 'G' : { status: labels[i % labels.length], direction: labels[(i + 1) % labels.length], statusDeduced: 'in-measurement', exceptionReport: 'yes' };
    });
    const odd = path.join(dir, 'odd-labels.json');
    writeFileSync(odd, JSON.stringify(json));
    for (const args of [[], ['--direction-basis', 'baseline', '--maintained-band', '2%']]) {
      const original = await runKpi(null, ['evaluate', TRAFFORD, ...args]);
      const relabelled = await runKpi(null, ['evaluate', odd, ...args]);
      // Only the closing summary on stderr, the same as the original's but for the file's name.
      expect(relabelled.stderr.replace(/^odd-labels\.json: /, '')).toBe(original.stderr.replace(/^trafford-2017-18-q3\.json: /, ''));
      expect(relabelled.code).toBe(0);
      expect(relabelled.stdout).toBe(original.stdout);
    }
  });

  it('closes with a summary on stderr: rows with a status and a direction, and the reasons for the rest, counted', async () => {
    const r = await runKpi(null, ['evaluate', TRAFFORD, '--direction-basis', 'baseline']);
    expect(r.stderr.trim().split('\n')).toEqual([
      'trafford-2017-18-q3.json: 49 indicators: 30 with a status, 16 with a direction.',
      'No status (19): 14 annual, its year-end figure not in yet; 2 no value this year; 2 target is text (TBC ×2); 1 no target.',
      'No direction (33): 16 no baseline; 16 no value to judge; 1 the year to date is incomplete.',
    ]);
    const rows = lines(r.stdout);
    for (const row of rows) {
      if (!['green', 'amber', 'red'].includes(String(row.status))) expect(row.statusReason, String(row.name)).toEqual(expect.any(String));
      if (row.direction === null) expect(row.directionReasonCode, String(row.name)).toEqual(expect.any(String));
    }
    expect(bySlugName(rows, /^Percentage of tender exercises/)).toMatchObject({ statusReason: 'the target is text ("TBC"): no figure is set yet', statusReasonCode: 'target-is-text' });
  });

  it('on a register with only Q1 in and last year\'s outturn as the baseline, answers where the council would and says what it compared', async () => {
    const r = await runKpi(null, ['evaluate', REGISTER, '--direction-basis', 'baseline', '--tolerance', '5%']);
    expect(r.code).toBe(0);
    const rows = Object.fromEntries(lines(r.stdout).map((row) => [String(row.ref), row]));
    expect(rows['HC 01']).toMatchObject({
      status: 'green',
      direction: 'improving',
      latestAvailable: '2017/18 Q1',
      explanation: 'Green: 71% at Q1 (Q2 not yet in) against a target of 70%; improving from the baseline of 68.2% (2016/17 Q4).',
    });
    expect(rows['HC 02']).toMatchObject({ status: 'in-measurement', statusReasonCode: 'no-value-this-year' });
    expect(rows['HS 04']).toMatchObject({ status: 'green', direction: 'improving' });
    expect(rows['HS 04']!.explanation).toContain("250 so far against 220 at this point on last year's pace (2016/17 outturn 440, pro rata 2 of 4 quarters)");
    expect(rows['HS 05']).toMatchObject({ status: 'green', direction: 'improving', latestAvailable: '2017/18 Q1' });
    expect(rows['EC 02']).toMatchObject({ status: 'green', direction: 'improving' });
    expect(rows['EC 03']).toMatchObject({ status: 'no-target', direction: 'declining', statusReasonCode: 'target-is-text' });
    expect(rows['EC 03']!.explanation).toContain('(2016/17 outturn 610, pro rata 2 of 4 quarters)');
    expect(rows['CS 07']).toMatchObject({ status: 'green' });
    expect(rows['HS 09']).toMatchObject({ status: 'amber' });
    expect(rows['CU 03']).toMatchObject({ status: 'amber' });
    expect(rows['AS 02']).toMatchObject({ status: 'green' });
    expect(rows['PH 01']).toMatchObject({ status: 'no-target', direction: 'improving', latestAvailable: '2017/18 Q1' });
    expect(rows['RS 02']).toMatchObject({ status: 'no-target', statusReason: 'the target is text ("No more then 10%")' });
    expect(rows['CS 09']).toMatchObject({ status: 'in-measurement', statusReasonCode: 'reported-annually' });
    expect(r.stderr.trim().split('\n')).toEqual([
      'latest-and-outturn.json: 14 indicators: 8 with a status, 10 with a direction (3 on the latest value available this year).',
      'No status (6): 4 target is text (National average ×1; No more then 10% ×1; TBC ×1; Top quartile ×1); 1 annual, its year-end figure not in yet; 1 no value this year.',
      'No direction (4): 2 no value to judge; 1 baseline not a number; 1 no baseline.',
    ]);
  });

  it('says what is wrong with an option', async () => {
    const basis = await runKpi(null, ['evaluate', TRAFFORD, '--direction-basis', 'sideways']);
    expect(basis.code).toBe(1);
    expect(basis.stderr).toContain('--direction-basis: expected previous, same period last year or baseline — got "sideways".');
    const band = await runKpi(null, ['evaluate', TRAFFORD, '--maintained-band', '2']);
    expect(band.code).toBe(1);
    expect(band.stderr).toContain('--maintained-band: expected a percentage such as 2%');
    expect((await runKpi(null, ['evaluate', TRAFFORD, '--maintained-band', '150%'])).stderr).toContain('at most 100%');
  });
});
