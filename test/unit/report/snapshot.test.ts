// A signed-off quarter's report is the one kept at sign-off, on the memory repository: values given
// later for the periods it covers (a correction of the quarter, a month, the year of an annual
// indicator) leave its figures as signed off and are listed apart, in every format; one theme's report
// is narrowed from the kept one; a quarter signed off before reports were kept is reported live.
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, buttons, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { confirmCloseQuarter } from '../../../commands/close-quarter.ts';
import { confirmCorrection } from '../../../commands/submit.ts';
import { approveException, submitExceptionForm } from '../../../commands/exception-report.ts';
import { quarterReport, readSnapshot, snapshotJson } from '../../../src/report/snapshot.ts';
import { buildQuarterReport } from '../../../src/report/model.ts';
import { renderReport } from '../../../src/report/render.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';

describe('a signed-off quarter’s report', () => {
  let b: TestBot;
  let survey: number;
  beforeEach(async () => {
    // The council's register, with an indicator reported annually ("Reported annually" until its 2017/18 value is in).
    b = await aBot({
      register: (tag) => ({
        indicators: [
          {
            slug: `survey-${tag}`, name: `Residents satisfied with their area ${tag}`, theme: `Theme ${tag}`, ownerEmail: `owner-${tag}@council.example`,
            unit: '%', polarity: 'higher', frequency: 'annual', targets: [{ periodKey: '2017/18', value: 70 }, { periodKey: '2016/17', value: 68 }], observations: [{ periodKey: '2016/17', value: 66.2 }],
          },
        ],
      }),
    });
    survey = (await b.repo.indicatorBySlug(`survey-${b.council.tag}`))!.id;
    // Sickness absence is Red (10.49 days against 8.5): its exception report is written and approved before the sign-off.
    const ref = JSON.stringify({ indicatorId: b.council.absence.id, periodKey: '2017/18 Q3' });
    await submitExceptionForm(b.deps, b.as(b.council.owner), ref, { q0: 'Winter flu hit the depots in November', q1: 'Fewer bins emptied on time', q2: 'Agency cover from next month' });
    const er = (await b.repo.exceptionReport(b.council.absence.id, '2017/18 Q3'))!;
    await approveException(b.deps, b.as(b.council.admin), JSON.stringify({ exceptionReportId: er.id, version: er.version }));
    await confirmCloseQuarter(b.deps, b.as(b.council.admin), '2017/18 Q3');
  });
  const correct = async (args: string) => {
    const ask = await runSlashCommand(b.deps, b.as(b.council.admin), `/kpi submit ${args}`);
    return buttons(ask)[0]?.id === 'confirm-correction' ? confirmCorrection(b.deps, b.as(b.council.admin), buttons(ask)[0]!.value, null, 'button') : ask;
  };

  it('keeps its figures as signed off, and lists apart what was entered later for the periods it covers', async () => {
    const { owner, absence, visits } = b.council;
    const signed = await quarterReport(b.repo, '2017/18 Q3', b.clock.now());
    expect(signed.snapshot).toEqual({ takenAt: b.clock.now() });
    expect(signed.counts).toMatchObject({ indicators: 4, reported: 2, annual: 1, missing: 1, red: 1, exceptionsAttached: 1 });

    // The owner cannot give the year's value while the year runs; a performance admin can, with the reason.
    const refused = await runSlashCommand(b.deps, b.as(owner), `/kpi submit survey-${b.council.tag} 2017/18 72`);
    expect(said(refused)).toContain('2017/18 is covered by the 2017/18 Q3 report, signed off on 5 Feb 2018');
    b.clock.advance(60_000);
    expect(said(await correct(`survey-${b.council.tag} 2017/18 72 survey results came early`))).toContain('Saved 72%');
    expect(said(await correct(`${absence.slug} 2017/18 Q3 9.9 payroll was re-run`))).toContain('Corrected');
    expect(said(await correct(`${visits.slug} Dec 2017 1095 turnstile recount`))).toContain('Corrected');

    const after = await quarterReport(b.repo, '2017/18 Q3', b.clock.now());
    expect(after.counts).toEqual(signed.counts);
    expect(after.themes).toEqual(signed.themes);
    expect(after.afterSignOff.map((a) => [a.indicator.id, a.period.key, a.what, a.from, a.to, a.by, a.reason])).toEqual([
      [survey, '2017/18', 'value', 'Reported annually', '72%', b.council.admin.displayName, 'survey results came early'],
      [absence.id, '2017/18 Q3', 'value', '10.49 days', '9.9 days', b.council.admin.displayName, 'payroll was re-run'],
      [visits.id, '2017-12', 'value', '1,080', '1,095', b.council.admin.displayName, 'turnstile recount'],
      [absence.id, '2017/18 Q3', 'exception report', 'approved', 'needs updating', 'the bot', 'it was approved for 10.49 days (Red), and the value changed'],
    ]);
    // Worked out now, the same quarter would read differently: that is what the kept report is for.
    expect((await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now())).counts).toMatchObject({ reported: 3, annual: 0 });

    // Every format prints it as signed off, and the changes in a section of their own.
    const md = new TextDecoder().decode((await renderReport(after, 'md', b.deps)).bytes);
    expect(md).toContain('this is the report as signed off. 4 changes entered since are listed apart in section 5, "Changed after sign-off".');
    // Its exception report as signed off (with its tick), and a word on what became of it.
    expect(md).toMatch(/\| 10\.49 days \| ↓ \| R Red \| ✓ \|/);
    expect(md).toContain('> ⚠️ Since sign-off (5 Feb 2018, 09:01) this exception report is needs updating: it was approved for 10.49 days (Red), and the value changed — see section 5.');
    expect(md).toContain(`| survey-${b.council.tag} | 2017/18 | value | Reported annually | 72% | 5 Feb 2018, 09:01 | ${b.council.admin.displayName} | survey results came early |`);
    const html = new TextDecoder().decode((await renderReport(after, 'html', b.deps)).bytes);
    expect(html).toContain('<h2>5. Changed after sign-off</h2>');
    expect(html).toContain('<td>10.49 days</td><td>9.9 days</td>');
    await renderReport(after, 'pdf', b.deps);
    expect(b.documents.pages.at(-1)?.html).toContain('<section class="after">');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderReport(after, 'xlsx', b.deps)).bytes as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Changed after sign-off')!;
    expect(sheet.getRow(2).values).toEqual([undefined, 'Indicator', 'Period', 'What', 'As signed off', 'Now', 'When', 'By', 'Reason']);
    expect(sheet.getRow(4).values).toEqual([undefined, absence.ref, '2017/18 Q3', 'value', '10.49 days', '9.9 days', '5 Feb 2018, 09:01', b.council.admin.displayName, 'payroll was re-run']);
  });

  it('narrows to a theme from the kept report', async () => {
    const { absence } = b.council;
    await correct(`${absence.slug} 2017/18 Q3 9.9 payroll was re-run`);
    const theme = await quarterReport(b.repo, '2017/18 Q3', b.clock.now(), { themeId: b.council.theme.id });
    expect(theme.themeFilter).toBe(`Theme ${b.council.tag}`);
    expect(theme.counts).toMatchObject({ indicators: 4, reported: 2, red: 1 });
    expect(theme.afterSignOff.map((a) => [a.indicator.id, a.what])).toEqual([
      [absence.id, 'value'],
      [absence.id, 'exception report'],
    ]);
    expect((await quarterReport(b.repo, '2017/18 Q3', b.clock.now(), { themeId: -1 })).counts.indicators).toBe(0);
  });

  it('keeps its dates as dates through the database, and a quarter signed off before reports were kept is reported live', async () => {
    const live = await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now());
    const back = readSnapshot(JSON.parse(JSON.stringify(snapshotJson(live, [null]))))!;
    expect(back.report.generatedAt).toEqual(live.generatedAt);
    expect(back.report).toEqual(live);
    expect(readSnapshot({ format: 99, report: {} })).toBeNull();
    const q2 = periodFromKey('2017/18 Q2');
    await b.repo.closePeriod({ periodKey: q2.key, periodStart: q2.start, periodEnd: q2.end, closedById: null, actorLabel: 'test', at: b.clock.now() });
    const old = await quarterReport(b.repo, q2.key, b.clock.now());
    expect([old.snapshot, old.signOff?.at]).toEqual([null, b.clock.now()]);
  });
});
