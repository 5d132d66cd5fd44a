// When a job's cron expression fires across the 2026 clock changes in London — Sunday 29 March
// (01:00 GMT → 02:00 BST: the hour 01:00–01:59 does not exist) and Sunday 25 October (02:00 BST →
// 01:00 GMT: the hour 01:00–01:59 happens twice): a skipped time runs once at the first minute after
// the gap, a repeated time runs once, and every-N-minutes jobs keep their cadence in real time. The
// times the timers fire at (next) and the times catch-up looks back to (previous) are the same.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cronSchedule } from '../../../src/schedule.ts';
import { previousTick } from '../../../src/scheduler.ts';

const LONDON = 'Europe/London';

/** Every time `expression` fires in [from, to). */
function fires(expression: string, from: string, to: string, timeZone = LONDON): Date[] {
  const s = cronSchedule(expression, timeZone);
  const out: Date[] = [];
  for (let t = s.next(new Date(new Date(from).getTime() - 1)); t < new Date(to); t = s.next(t)) out.push(t);
  return out;
}

const iso = (ds: Date[]) => ds.map((d) => d.toISOString().replace(':00.000Z', 'Z'));
const local = (d: Date, timeZone = LONDON) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(d);
const gapsInMinutes = (ds: Date[]) => [...new Set(ds.slice(1).map((d, i) => (d.getTime() - ds[i]!.getTime()) / 60_000))];

describe('schedules across the spring clock change (29 March 2026)', () => {
  it('runs a time the clocks skip once, at the first minute after the gap (02:00 BST)', () => {
    const daily = fires('30 1 * * *', '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z');
    expect(iso(daily)).toEqual(['2026-03-28T01:30Z', '2026-03-29T01:00Z', '2026-03-30T00:30Z']);
    expect(daily.map((d) => local(d))).toEqual(['01:30 GMT', '02:00 BST', '01:30 BST']);
    expect(iso(fires('0 1 * * *', '2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z'))).toEqual(['2026-03-29T01:00Z']);
    expect(iso(fires('59 1 * * 0', '2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z'))).toEqual(['2026-03-29T01:00Z']);
  });

  it('runs once when a skipped time and a real one fall on the same minute', () => {
    // 01:00 (skipped: runs at 02:00 BST) and 02:00 BST are the same minute: one run, not two.
    expect(iso(fires('0 1,2 * * *', '2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z'))).toEqual(['2026-03-29T01:00Z']);
    expect(iso(fires('30 1,2 * * *', '2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z'))).toEqual(['2026-03-29T01:00Z', '2026-03-29T01:30Z']);
  });

  it('keeps every-15-minutes and every-minute jobs to their cadence: 92 quarter-hours on the 23-hour day', () => {
    const day = ['2026-03-29T00:00:00Z', '2026-03-29T23:00:00Z'] as const; // midnight GMT to midnight BST
    const quarters = fires('*/15 * * * *', ...day);
    expect(quarters).toHaveLength(92);
    expect(gapsInMinutes(quarters)).toEqual([15]);
    expect(iso(quarters.slice(3, 6))).toEqual(['2026-03-29T00:45Z', '2026-03-29T01:00Z', '2026-03-29T01:15Z']);
    const minutes = fires('* * * * *', ...day);
    expect(minutes).toHaveLength(23 * 60);
    expect(gapsInMinutes(minutes)).toEqual([1]);
    expect(fires('0 * * * *', ...day)).toHaveLength(23);
  });
});

describe('schedules across the autumn clock change (25 October 2026)', () => {
  it('runs a time the clocks repeat once, the first time (01:30 BST, not again at 01:30 GMT)', () => {
    const daily = fires('30 1 * * *', '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z');
    expect(iso(daily)).toEqual(['2026-10-24T00:30Z', '2026-10-25T00:30Z', '2026-10-26T01:30Z']);
    expect(daily.map((d) => local(d))).toEqual(['01:30 BST', '01:30 BST', '01:30 GMT']);
    expect(iso(fires('0 1 * * 0', '2026-10-25T00:00:00Z', '2026-10-26T00:00:00Z'))).toEqual(['2026-10-25T00:00Z']);
    expect(iso(fires('59 1 * * *', '2026-10-25T00:00:00Z', '2026-10-26T00:00:00Z'))).toEqual(['2026-10-25T00:59Z']);
  });

  it('keeps every-15-minutes and every-minute jobs to their cadence: 100 quarter-hours on the 25-hour day', () => {
    const day = ['2026-10-24T23:00:00Z', '2026-10-26T00:00:00Z'] as const; // midnight BST to midnight GMT
    const quarters = fires('*/15 * * * *', ...day);
    expect(quarters).toHaveLength(100);
    expect(gapsInMinutes(quarters)).toEqual([15]);
    // Both 01:15s: BST, then GMT.
    expect(quarters.filter((d) => local(d).startsWith('01:15')).map((d) => local(d))).toEqual(['01:15 BST', '01:15 GMT']);
    const minutes = fires('* * * * *', ...day);
    expect(minutes).toHaveLength(25 * 60);
    expect(gapsInMinutes(minutes)).toEqual([1]);
    expect(fires('0 * * * *', ...day)).toHaveLength(25);
  });
});

describe('the times catch-up looks back to', () => {
  it('are the times the timers fire at, on both change days', () => {
    for (const expression of ['30 1 * * *', '0 1,2 * * *', '*/15 * * * *', '0 9 * * 1-5', '0 8 * * 1', '59 0-2 * * 0']) {
      for (const [from, to] of [
        ['2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z'],
        ['2026-10-23T00:00:00Z', '2026-10-27T00:00:00Z'],
      ] as const) {
        const s = cronSchedule(expression, LONDON);
        const all = fires(expression, from, to);
        for (const [i, f] of all.entries()) {
          expect(s.previous(f), `${expression} at ${f.toISOString()}`).toEqual(f);
          if (i > 0) expect(s.previous(new Date(f.getTime() - 1000)), `${expression} just before ${f.toISOString()}`).toEqual(all[i - 1]);
        }
      }
    }
  });

  it('agree with the timers at any moment around either change: previous ≤ now < next, nothing between', () => {
    const expressions = ['30 1 * * *', '*/15 * * * *', '* * * * *', '0 1,2 * * *', '45 0-2 * * *', '0 */2 * * *', '30 30 1 * * *'];
    const around = (iso: string) => fc.integer({ min: -4 * 3600, max: 4 * 3600 }).map((s) => new Date(new Date(iso).getTime() + s * 1000));
    fc.assert(
      fc.property(fc.constantFrom(...expressions), fc.oneof(around('2026-03-29T01:00:00Z'), around('2026-10-25T01:00:00Z')), (expression, now) => {
        const s = cronSchedule(expression, LONDON);
        const [p, n] = [s.previous(now), s.next(now)];
        expect(p.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(n.getTime()).toBeGreaterThan(now.getTime());
        expect(s.next(p)).toEqual(n);
        expect(s.previous(new Date(n.getTime() - 1000))).toEqual(p);
      }),
      { seed: 20260329, numRuns: 300 },
    );
  });

  it('name the repeated hour’s run by its first time, and do not skip the spring Sunday', () => {
    // A process started at 01:40 GMT on 25 October, after the 01:30 BST run: nothing new is due.
    expect(previousTick('30 1 * * *', new Date('2026-10-25T01:40:00Z'), LONDON)).toEqual(new Date('2026-10-25T00:30:00Z'));
    // A bot down over the spring night catches up the run at 02:00 BST, not Saturday's.
    expect(previousTick('30 1 * * *', new Date('2026-03-29T03:00:00Z'), LONDON)).toEqual(new Date('2026-03-29T01:00:00Z'));
  });
});

describe('ordinary days and other time zones', () => {
  it('runs working-day jobs at their local time in winter and in summer', () => {
    expect(iso(fires('0 9 * * 1-5', '2026-03-27T00:00:00Z', '2026-04-01T00:00:00Z'))).toEqual(['2026-03-27T09:00Z', '2026-03-30T08:00Z', '2026-03-31T08:00Z']);
  });

  it('applies the same rules wherever the organisation is (New York, 8 March and 1 November 2026)', () => {
    const ny = 'America/New_York';
    // 02:30 does not exist on 8 March: 03:00 EDT. 01:30 happens twice on 1 November: the first, EDT.
    expect(iso(fires('30 2 * * *', '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z', ny))).toEqual(['2026-03-08T07:00Z']);
    expect(iso(fires('30 1 * * *', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', ny))).toEqual(['2026-11-01T05:30Z']);
    expect(fires('*/15 * * * *', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', ny)).toHaveLength(100);
  });
});
