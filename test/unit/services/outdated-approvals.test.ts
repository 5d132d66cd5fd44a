// An approved exception report whose value or status changes goes back to "needs update", on the
// memory repository: the correction's answer says so, the owner is told once, chase-exceptions chases
// it again (a new round, not an escalation), the form says what it was written for, and a change of
// target alone (an import) is caught by evaluate-statuses.
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, buttons, formOf, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { confirmCorrection } from '../../../commands/submit.ts';
import { approveException, openExceptionForm, submitExceptionForm } from '../../../commands/exception-report.ts';
import { chaseExceptions } from '../../../jobs/chase-exceptions.ts';
import { evaluateStatuses } from '../../../jobs/evaluate-statuses.ts';
import { reopenOutdatedApprovals } from '../../../src/services/outdated-approvals.ts';
import { loadPortfolio } from '../../../src/services/portfolio.ts';
import { buildQuarterReport } from '../../../src/report/model.ts';
import { exceptionText } from '../../../src/report/text.ts';

const ANSWERS = { q0: 'Winter flu hit the depot in November', q1: 'Fewer bins emptied on time', q2: 'Agency cover from next month' };

describe('an approved exception report whose value changes', () => {
  let b: TestBot;
  let ref: string;
  const report = () => b.repo.exceptionReport(b.council.absence.id, '2017/18 Q3');
  beforeEach(async () => {
    b = await aBot();
    ref = JSON.stringify({ indicatorId: b.council.absence.id, periodKey: '2017/18 Q3' });
    // Written by the owner for 10.49 days (Red against 8.5), approved by the performance team.
    await submitExceptionForm(b.deps, b.as(b.council.owner), ref, ANSWERS);
    const r = (await report())!;
    await approveException(b.deps, b.as(b.council.admin), JSON.stringify({ exceptionReportId: r.id, version: r.version }));
  });

  it('is approved for the value and status it explains, and owed no more', async () => {
    expect(await report()).toMatchObject({ state: 'approved', approvedValue: 10.49, approvedStatus: 'red' });
    expect(await chaseExceptions(b.deps, b.clock.now())).toMatchObject({ owed: 0 });
  });

  it('goes back to needs update on a correction: the answer says so, the owner is told once, chased in a new round', async () => {
    const { admin, owner, deputy, absence } = b.council;
    // Collecting since the start of the year (so this is not the owner's first chase), and chased four
    // times before it was written: enough to escalate, had they counted.
    await b.repo.updateOrg({ collectFrom: '2017/18 Q1', collectingSince: '2017-04-03' });
    await b.repo.recordReminders(['2018-01-08', '2018-01-11', '2018-01-17', '2018-01-24'].map((sentOn) => ({ kind: 'exception', indicatorId: absence.id, periodKey: '2017/18 Q3', personId: owner.id, level: 0, sentOn, messageKey: null })));
    const ask = await runSlashCommand(b.deps, b.as(admin), `/kpi submit ${absence.slug} 2017/18 Q3 9.9 payroll was re-run`);
    const done = await confirmCorrection(b.deps, b.as(admin), buttons(ask)[0]!.value, null, 'button');
    expect(said(done)).toContain(`📝 The approved **exception report** for 2017/18 Q3 was written for 10.49 days (Red): it now needs updating, and ${owner.displayName} has been asked to.`);
    expect(buttons(done).map((x) => x.id)).toContain('open-exception');
    expect(await report()).toMatchObject({ state: 'needs_update', approvedValue: 10.49, approvedStatus: 'red' });
    expect(b.repo.auditLog().filter((a) => a.action === 'exception.needs-update')).toMatchObject([{ actorId: null, details: { was: { value: 10.49, status: 'red' }, now: { value: 9.9, status: 'red' } } }]);

    const told = b.outbox.messages('exception-needs-update');
    expect(told.map((m) => m.personId)).toEqual([owner.id]);
    expect(said({ kind: 'message', visibility: 'private', message: told[0]!.message })).toContain(
      `the approved exception report for **${absence.slug}**, 2017/18 Q3 needs updating: it was written for **10.49 days (Red)**, and the period now has **9.9 days (Red)**.`,
    );
    // Once: again by the same hand, and by the scheduled job.
    expect(await reopenOutdatedApprovals(b.deps, b.clock.now(), { indicatorIds: [absence.id], actorLabel: 'test' })).toEqual([]);
    await evaluateStatuses(b.deps, b.clock.now());
    expect(b.outbox.messages('exception-needs-update')).toHaveLength(1);

    expect(await chaseExceptions(b.deps, b.clock.now())).toMatchObject({ owed: 1, people: 1, reminders: 1 });
    const [chase] = b.outbox.messages('chase-exceptions');
    // The owner, not the deputy: the reminders before it was approved do not count.
    expect(chase?.personId).toBe(owner.id);
    expect(chase?.personId).not.toBe(deputy.id);
    const text = said({ kind: 'message', visibility: 'private', message: chase!.message });
    expect(text).toContain(`**${absence.slug}** — 🔴 Red for 2017/18 Q3 since 5 Feb 2018; report approved for an earlier value: needs updating`);
    expect(text).not.toContain('reminder 5');
    expect(buttons({ kind: 'message', visibility: 'private', message: chase!.message }).map((x) => x.label)).toEqual([`Update report: ${absence.slug}`]);
  });

  it('is not messaged to the owner who made the correction: the answer says it is theirs to update', async () => {
    const { owner, absence } = b.council;
    const ask = await runSlashCommand(b.deps, b.as(owner), `/kpi submit ${absence.slug} 2017/18 Q3 9.9`);
    const done = await confirmCorrection(b.deps, b.as(owner), buttons(ask)[0]!.value, 'payroll was re-run', 'button');
    expect(said(done)).toContain('was written for 10.49 days (Red): it now needs updating: it is yours to update.');
    expect(await report()).toMatchObject({ state: 'needs_update' });
    expect(b.outbox.messages('exception-needs-update')).toEqual([]);
  });

  it('opens for its owner saying what it was written for, and is owed no more once submitted again', async () => {
    const { admin, owner, absence } = b.council;
    const ask = await runSlashCommand(b.deps, b.as(admin), `/kpi submit ${absence.slug} 2017/18 Q3 9.9 payroll was re-run`);
    await confirmCorrection(b.deps, b.as(admin), buttons(ask)[0]!.value, null, 'button');
    const form = formOf(await openExceptionForm(b.deps, b.as(owner), ref));
    expect(said({ kind: 'form', form })).toContain('**Needs updating:** this report was approved for 10.49 days (Red); 2017/18 Q3 now has 9.9 days (Red). Update the answers for the new figure and submit it again.');
    expect(form.fields[0]?.initial).toBe(ANSWERS.q0);
    expect(said(await submitExceptionForm(b.deps, b.as(owner), ref, { ...ANSWERS, q0: 'Payroll re-run: 9.9 days, flu still the main cause' }))).toContain('Exception report submitted');
    expect(await report()).toMatchObject({ state: 'submitted' });
    expect((await loadPortfolio(b.repo, b.clock.now())).states.find((s) => s.indicator.id === absence.id)?.exceptionOwed).toBe(false);
  });

  it('goes back to needs update when a new target changes its status (an import), caught by evaluate-statuses; not chased once no report is needed', async () => {
    const { owner, absence } = b.council;
    await evaluateStatuses(b.deps, b.clock.now());
    await b.load({ values: [{ slug: absence.slug, targets: [{ periodKey: '2017/18 Q3', value: 11 }] }] });
    // Before the job: already shown as needing an update, not as a tick.
    const row = (await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now())).themes[0]!.rows.find((r) => r.indicator.id === absence.id)!;
    expect([row.evaluation.status, exceptionText(row), row.exceptionOwed]).toEqual(['green', 'Needs update', false]);
    expect(await evaluateStatuses(b.deps, b.clock.now())).toMatchObject({ exceptionReportsReopened: 1 });
    expect(await report()).toMatchObject({ state: 'needs_update' });
    expect(b.outbox.messages('exception-needs-update').map((m) => m.personId)).toEqual([owner.id]);
    expect(await chaseExceptions(b.deps, b.clock.now())).toMatchObject({ owed: 0 });
  });
});
