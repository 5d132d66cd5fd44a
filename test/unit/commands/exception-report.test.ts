// Exception reports on the memory repository: the owner writes (drafts kept), a performance admin
// approves or returns it, and whoever comes second is told who changed it first.
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, formOf, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { approveException, openExceptionForm, openReturnForm, submitExceptionForm, submitReturnForm } from '../../../commands/exception-report.ts';

const ANSWERS = { q0: 'Winter flu hit the depot', q1: 'Fewer bins emptied on time', q2: 'Agency cover from next month' };

describe('exception reports', () => {
  let b: TestBot;
  let ref: string;
  beforeEach(async () => {
    b = await aBot();
    ref = JSON.stringify({ indicatorId: b.council.absence.id, periodKey: '2017/18 Q3' });
  });
  const report = () => b.repo.exceptionReport(b.council.absence.id, '2017/18 Q3');
  const review = async () => {
    const r = (await report())!;
    return JSON.stringify({ exceptionReportId: r.id, version: r.version });
  };

  it('says, for a period that does not fit, how the indicator is reported', async () => {
    const { absence, owner } = b.council;
    const r = await runSlashCommand(b.deps, b.as(owner), `/kpi exception ${absence.slug} Dec 2017`);
    expect(said(r)).toContain(`"Dec 2017" is a month (Dec 2017), but ${absence.slug} is reported quarterly: type a quarter such as 2017/18 Q3, Q2 or last quarter.`);
  });

  it('opens the organisation’s questions with the figures, for the owner only', async () => {
    const form = formOf(await runSlashCommand(b.deps, b.as(b.council.owner), `/kpi exception ${b.council.absence.slug}`));
    expect(form.id).toBe('exception');
    expect(said({ kind: 'form', form })).toContain('Actual and timescale: 10.49 days · 2017/18 Q3');
    expect(form.fields.map((f) => f.label)).toEqual([...(await b.repo.org()).exceptionQuestions, 'Draft']);
    // Every question must be answered to submit: shown as required on every platform; the draft box is a choice.
    expect(form.fields.map((f) => Boolean(f.required))).toEqual([true, true, true, false]);
    await expect(openExceptionForm(b.deps, b.as(b.council.officer), ref)).rejects.toThrow(/only the owner/);
    await expect(openExceptionForm(b.deps, b.as(b.council.owner), JSON.stringify({ indicatorId: b.council.absence.id, periodKey: '2018/19 Q1' }))).rejects.toThrow('2018/19 Q1 has not started yet (today is 5 Feb 2018).');
    await expect(openExceptionForm(b.deps, b.as(b.council.owner), '{"indicatorId":"x"}')).rejects.toThrow('That button or form is out of date.');
  });

  it('keeps a draft as it is, and refuses answers too short to explain anything', async () => {
    const { owner } = b.council;
    const short = await submitExceptionForm(b.deps, b.as(owner), ref, { q0: 'flu', q1: '', q2: 'x' });
    expect(short).toEqual({
      kind: 'form-errors',
      errors: {
        q0: '“flu” is too short to explain anything: say what, why and when in a sentence or two.',
        q1: 'Please answer “What difference does this make – the implications of not meeting target?”.',
        q2: '“x” is too short to explain anything: say what, why and when in a sentence or two.',
      },
    });
    expect(await report()).toBeNull();
    expect(said(await submitExceptionForm(b.deps, b.as(owner), ref, { q0: 'flu', draft: ['draft'] }))).toContain('📝 Draft saved');
    expect(await report()).toMatchObject({ state: 'draft', answers: ['flu', '', ''], version: 1 });
    expect(formOf(await openExceptionForm(b.deps, b.as(owner), ref)).fields[0]?.initial).toBe('flu');
  });

  it('refuses an answer or a return comment longer than the form allows (a platform or a forged submission that ignores it), saving nothing', async () => {
    const { owner, admin } = b.council;
    const long = `Winter flu ${'and more '.repeat(400)}`.trim();
    for (const draft of [[], ['draft']]) {
      expect(await submitExceptionForm(b.deps, b.as(owner), ref, { ...ANSWERS, q1: long, draft })).toEqual({
        kind: 'form-errors',
        errors: { q1: `Keep each answer under 3,000 characters: this one has ${long.length.toLocaleString('en-GB')}.` },
      });
    }
    expect(await report()).toBeNull();
    await submitExceptionForm(b.deps, b.as(owner), ref, ANSWERS);
    expect(await submitReturnForm(b.deps, b.as(admin), await review(), { comment: long })).toEqual({
      kind: 'form-errors',
      errors: { comment: `Keep the comment under 2,000 characters: it has ${long.length.toLocaleString('en-GB')}.` },
    });
    expect(await report()).toMatchObject({ state: 'submitted' });
  });

  it('submits, asks each performance admin to review it (once), and the admin approves it', async () => {
    const { owner, admin } = b.council;
    expect(said(await submitExceptionForm(b.deps, b.as(owner), ref, ANSWERS))).toContain('The performance team has been asked to review it.');
    expect(await submitExceptionForm(b.deps, b.as(owner), ref, ANSWERS)).toMatchObject({ kind: 'form-done' });
    const asked = b.outbox.messages('exception-review');
    expect(asked.map((m) => [m.personId, m.platform, m.channel, m.state])).toEqual([[admin.id, 'slack', `U${admin.id}`, 'pending']]);
    expect(asked[0]?.message.blocks.flatMap((x) => (x.type === 'actions' ? x.actions.map((a) => a.id) : []))).toEqual(['approve-exception', 'return-exception']);
    await expect(approveException(b.deps, b.as(owner), await review())).rejects.toThrow(/only performance admins/);
    expect(said(await approveException(b.deps, b.as(admin), await review()))).toContain('✅ Approved the exception report');
    expect(await report()).toMatchObject({ state: 'approved', reviewerId: admin.id, reviewedAt: b.clock.now(), version: 2 });
    expect(b.outbox.messages('exception-approved').map((m) => m.personId)).toEqual([owner.id]);
    expect(b.repo.auditLog().filter((a) => a.entity === 'exception_report').map((a) => a.action)).toEqual(['exception.submit', 'exception.approve']);
    expect(said(await submitExceptionForm(b.deps, b.as(owner), ref, ANSWERS))).toContain('An approved report can no longer be changed.');
  });

  it('returns a report with a comment the owner sees, and tells a reviewer whose button is stale who changed it', async () => {
    const { owner, admin } = b.council;
    await submitExceptionForm(b.deps, b.as(owner), ref, ANSWERS);
    const shown = await review();
    expect(formOf(await openReturnForm(b.deps, b.as(admin), shown)).id).toBe('return-exception');
    expect(said(await submitReturnForm(b.deps, b.as(admin), shown, { comment: 'Say what agency cover costs.' }))).toContain('to its author with your comment');
    expect((await report())?.state).toBe('returned');
    b.clock.advance(30_000);
    expect(said(await approveException(b.deps, b.as(admin), shown))).toContain(`${admin.displayName} returned this to its author 30 seconds ago — reopen to see it. Nothing you sent was saved.`);
    expect(said(await openExceptionForm(b.deps, b.as(owner), ref))).toContain('**Returned by the performance team:** Say what agency cover costs.');
    expect((await report())?.state).toBe('returned');
  });

  it('needs no report for an indicator that is not red or amber', async () => {
    const green = JSON.stringify({ indicatorId: b.council.absence.id, periodKey: '2017/18 Q1' });
    expect(said(await openExceptionForm(b.deps, b.as(b.council.owner), green))).toContain('is green for 2017/18 Q1: no exception report is needed.');
  });
});
