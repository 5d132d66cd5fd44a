// Numbers people can trust, on the demo through the console (the same handlers as Slack and Teams):
// an unusual value is asked about before it is saved, every version is visible by name and en-GB
// date, `show` marks corrections and gives the year-end forecast, a value corrected after sign-off is
// noted in the quarterly report, and a submit without a period takes the period due.
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock, useConsoleDemo, type ConsoleHarness } from '../support/app.ts';
import { buildQuarterReport } from '../../src/report/model.ts';
import { reportMarkdown } from '../../src/report/markdown.ts';

describe.each(backends('both'))('numbers people can trust, on %s', (backend) => {
  // The demo's own date.
  const clock = new TestClock(new Date('2018-01-15T10:00:00Z'));
  const app = useConsoleDemo(backend, clock);
  let db: TestDatabase;
  let con: ConsoleHarness;
  beforeAll(() => {
    ({ db, con } = app);
  });
  const values = async (slug: string, periodKey: string) =>
    (await db.prisma.observation.findMany({ where: { indicator: { slug }, periodKey }, orderBy: { version: 'asc' } })).map((o) => o.value.toNumber());

  it('asks before saving 84 days of sickness absence, and saves what was chosen', async () => {
    await con.type('as Lucy Chambers');
    const asked = await con.type('/kpi submit sickness-absence 2017/18 Q4 84');
    expect(asked).toContain('84 days is 8× anything sickness-absence has had (7.84–10.49 days). Did you mean 8.4 days? Save 84 days anyway, or change it?');
    expect(asked).toContain('[1] Save 84 days anyway   [2] Save 8.4 days instead   [3] Change it');
    expect(await values('sickness-absence', '2017/18 Q4')).toEqual([]);
    const saved = await con.type('2');
    expect(saved).toContain('Saved 8.4 days for sickness-absence, 2017/18 Q4 (Jan–Mar 2018).');
    expect(await values('sickness-absence', '2017/18 Q4')).toEqual([8.4]);
  });

  it('asks about a slipped decimal point in a correction too, then asks to confirm the correction', async () => {
    await con.type('as Lucy Chambers');
    expect(await con.type('/kpi submit sickness-absence 2017/18 Q4 0.95 payroll rerun')).toContain('Save 0.95 days anyway, or change it?');
    const confirm = await con.type('1');
    expect(confirm).toMatch(/2017\/18 Q4 already has 8\.4 days for sickness-absence \(version 1, given 15 Jan 2018, 10:00 by Lucy Chambers\)\. Replace it with 0\.95 days\?/);
    expect(await con.type('1')).toContain('Corrected sickness-absence for 2017/18 Q4 (Jan–Mar 2018): 8.4 days → 0.95 days');
    expect(await values('sickness-absence', '2017/18 Q4')).toEqual([8.4, 0.95]);
  });

  it('lists every version with the person, the en-GB date and time, the way in and the reason', async () => {
    const out = await con.type('/kpi history sickness-absence');
    expect(out).toContain('sickness-absence: 6 versions of 5 values, 1 corrected.');
    // The words after the value are its note, and — for a correction — its reason, said once.
    expect(out).toContain('• v2 (current) · 0.95 days · Lucy Chambers, 15 Jan 2018, 10:00, the console · reason: payroll rerun');
    expect(out).toContain('• v1 · 8.4 days · Lucy Chambers, 15 Jan 2018, 10:00, the console');
    expect(out).toContain('• v1 (current) · 7.84 days · the demo data, 12 Jan 2018, 09:00');
    expect(out).not.toMatch(/\d{4}-\d{2}-\d{2}|U0[A-Z]/);
    expect(await con.type('/kpi history sickness-absence 2017/18 Q4')).toContain('sickness-absence for 2017/18 Q4: 2 versions of 1 value, 1 corrected.');
  });

  it('marks a corrected value in show, and gives the year-end forecast for an indicator with an annual target', async () => {
    expect(await con.type('/kpi show sickness-absence')).toMatch(/2017\/18 Q4\s+0\.95 days †/);
    const recycling = await con.type('/kpi show recycling-rate');
    expect(recycling).toContain('Year end 2017/18: on course to meet the year-end target of 59.5%: forecast 59.8% (the trend of the last 2 quarters, damped and bounded).');
    const housing = await con.type('/kpi show housing-completions');
    expect(housing).toContain('Year end 2017/18: on course to meet the year-end target of 400: forecast 413 (the year to date at its run rate: 310 in 3 of 4 quarters).');
  });

  it('takes the period due when none is given — the one /kpi mine lists — for a council collecting from Q2', async () => {
    await con.type('as Gareth Lloyd');
    // On 15 January 2018 Q3's values are not due until 30 January (a 30-day lag): Q2 is the period due (since 30 October),
    // for a council collecting from Q2, when no later value supersedes it.
    await db.prisma.organisation.update({ where: { id: 1 }, data: { collectFrom: '2017/18 Q2' } });
    await db.prisma.observation.deleteMany({ where: { indicator: { slug: 'street-cleanliness' }, periodKey: { in: ['2017/18 Q2', '2017/18 Q3'] } } });
    expect(await con.type('/kpi mine')).toContain('street-cleanliness 2017/18 Q2 — ⏰ overdue by 77 day(s)');
    // The period due, nothing later holding a value: saved without a question, the period said in full.
    expect(await con.type('/kpi submit street-cleanliness 86')).toContain('Saved 86% for street-cleanliness, 2017/18 Q2 (Jul–Sep 2017).');
    expect(await values('street-cleanliness', '2017/18 Q2')).toEqual([86]);
    // Back to the demo's own go-live for the tests below.
    await db.prisma.organisation.update({ where: { id: 1 }, data: { collectFrom: '2017/18 Q3' } });
  });

  it('says back the two demo submissions that went to periods nobody meant, before saving, and saves for the one chosen', async () => {
    await con.type('as Priya Shah');
    // "Q4": this year's has begun (1 January) but is not being collected; last year's is offered too.
    const q4 = await con.type('/kpi submit new-volunteers Q4 12');
    expect(q4).toContain('"Q4" reads as 2017/18 Q4 (Jan–Mar 2018), which has not ended yet; the period being collected now is 2017/18 Q3 (Oct–Dec 2017). Save 12 for 2017/18 Q4 (Jan–Mar 2018)?');
    expect(q4).toContain('[1] Save for 2017/18 Q4   [2] Save for 2016/17 Q4   [3] Change period');
    // No period: the demo collects from 2017/18 Q3, so Q2 (due since 30 October, never chased) is not what it means;
    // Q3 already has 51, so 12 would correct it, and that is asked first.
    const none = await con.type('/kpi submit new-volunteers 12');
    expect(none).toContain('2017/18 Q3 already has 51 for new-volunteers');
    expect(none).not.toContain('2017/18 Q2');
    expect([await values('new-volunteers', '2016/17 Q4'), await values('new-volunteers', '2017/18 Q4'), await values('new-volunteers', '2017/18 Q2')]).toEqual([[], [], []]);
    expect(await con.type('2')).not.toContain('Saved');
    expect(await values('new-volunteers', '2017/18 Q3')).toEqual([51]);
    // An earlier gap is filled by naming its period.
    expect(await con.type('/kpi submit new-volunteers 2017/18 Q2 12')).toContain('Saved 12 for new-volunteers, 2017/18 Q2 (Jul–Sep 2017).');
    expect(await values('new-volunteers', '2017/18 Q2')).toEqual([12]);
  });

  it('notes in the quarterly report a value corrected after sign-off', async () => {
    await con.type('as Priya Shah');
    expect(await con.type('/kpi close-quarter 2017/18 Q3')).toContain('Sign off');
    await con.type('1');
    clock.advance(60 * 60 * 1000);
    expect(await con.type('/kpi submit recycling-rate 2017/18 Q3 61.2 DEFRA validated figure')).toContain('already has');
    expect(await con.type('1')).toContain('Corrected recycling-rate for 2017/18 Q3 (Oct–Dec 2017): 60.9% → 61.2%');
    const md = reportMarkdown(await buildQuarterReport(con.app.deps.repo, '2017/18 Q3', clock.now()));
    expect(md).toContain('1 value was corrected after its period was signed off (noted with each indicator).');
    expect(md).toContain('- **recycling-rate**: Corrected after sign-off: 60.9% → 61.2% on 15 Jan 2018, 11:00 by Priya Shah (reason: DEFRA validated figure).');
  });
});
