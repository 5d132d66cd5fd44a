// `kpi evaluate` on the fixtures: the options for tolerance, direction basis and maintained band, and
// a file whose published columns hold labels nobody taught it evaluates exactly as the original.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKpi } from '../../support/cli.ts';
import { FIXTURES_DIR } from '../../support/published.ts';

const TRAFFORD = path.join(FIXTURES_DIR, 'trafford-2017-18-q3.json');
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
      expect(relabelled.stderr).toBe('');
      expect(relabelled.code).toBe(0);
      expect(relabelled.stdout).toBe(original.stdout);
    }
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
