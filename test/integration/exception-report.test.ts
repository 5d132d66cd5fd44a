// An exception report from start to finish through Slack's HTTP interface: the owner of a red
// indicator opens the form from a button, is told a one-word answer is not enough, saves a draft,
// submits; the performance admin is asked to review, returns it with a comment; the owner sees the
// comment, resubmits; the admin approves; the owner is told each time, and chasing stops.
// Runs on PGlite and PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { slackId, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import { buttonPress, buttonValue, checked, textInput, viewSubmission } from '../support/slack-payloads.ts';
import type { RecordedCall } from '../support/fake-slack.ts';
import { periodFromKey } from '../../src/domain/periods.ts';

const GARETH = slackId('Gareth'); // owner of street-cleanliness
const PRIYA = slackId('Priya'); // performance admin
const EMMA = slackId('Emma'); // an officer who owns other indicators
const textOf = (c: RecordedCall) => JSON.stringify(c.args);

const ANSWERS = {
  q0: 'Two crews were off sick through November and the leaf-fall season was heavier than planned.',
  q1: 'Residents in three wards see litter for longer; the corporate priority on clean streets slips.',
  q2: 'Agency cover from January and a revised round for the autumn; back on target by Q1.',
};

describe.each(backends('pglite'))('exception report lifecycle on %s', (backend) => {
  const clock = new TestClock(new Date('2018-04-20T09:00:00Z'));
  const app = useSlackDemo(backend, clock);
  let db: TestDatabase;
  let s: SlackHarness;
  let ref: string;
  let indicatorId: number;

  const drain = async () => {
    const r = await s.app.runner.run('drain-outbox', clock.now());
    expect(r.outcome).toBe('ok');
  };
  const dmsTo = (user: string) => s.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === user);
  const report = () => db.prisma.exceptionReport.findUniqueOrThrow({ where: { indicatorId_periodKey: { indicatorId, periodKey: '2017/18 Q4' } } });
  const openForm = async (user: string, value = ref) => {
    s.fake.reset();
    await s.interact(buttonPress(user, 'open-exception', value));
  };
  const submitForm = (user: string, values: Record<string, unknown>) => s.interact(viewSubmission(user, 'exception', values, ref));

  beforeAll(async () => {
    ({ db, s } = app);
    // street-cleanliness turns red in 2017/18 Q4: 78% against the 85% target (amber down to 82%).
    const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'street-cleanliness' } });
    indicatorId = ind.id;
    const p = periodFromKey('2017/18 Q4');
    await db.prisma.target.create({ data: { indicatorId, periodKey: p.key, periodStart: new Date(p.start), periodEnd: new Date(p.end), value: 85, amberFloor: 82 } });
    await s.slash(GARETH, 'submit street-cleanliness 2017/18 Q4 78');
    await s.app.idle();
    ref = JSON.stringify({ indicatorId, periodKey: '2017/18 Q4' });
  });

  it('opens the form with the template header and the organisation’s questions', async () => {
    await openForm(GARETH);
    const view = textOf(await s.fake.waitFor('views.open'));
    for (const label of ['Baseline', 'Target and timescale', 'Actual and timescale', 'Why is performance at the current level?', 'How can we make sure things get better?']) {
      expect(view).toContain(label);
    }
    expect(view).toContain('78%');
    // Each question must be answered to submit: Slack shows it as required, not "(optional)"; the draft box is a choice.
    const inputs = ((await s.fake.waitFor('views.open')).args.view as { blocks: { type: string; block_id?: string; optional?: boolean }[] }).blocks.filter((b) => b.type === 'input');
    expect(inputs.map((b) => [b.block_id, b.optional])).toEqual([['q0', false], ['q1', false], ['q2', false], ['draft', true]]);
  });

  it('refuses someone who is not the owner, deputy or an admin', async () => {
    await openForm(EMMA);
    expect(textOf(await s.fake.waitFor('chat.postMessage'))).toContain('only the owner (Gareth Lloyd), their deputy or a performance admin');
    expect(s.fake.callsTo('views.open')).toHaveLength(0);
  });

  it('rejects empty and one-word answers beside their questions, and saves nothing', async () => {
    const r = await submitForm(GARETH, { q0: textInput('Staffing'), q1: textInput(''), q2: textInput(ANSWERS.q2) });
    const json = r.json as { response_action: string; errors: Record<string, string> };
    expect(json.response_action).toBe('errors');
    expect(json.errors.q0).toMatch(/too short/);
    expect(json.errors.q1).toMatch(/Please answer “What difference does this make/);
    expect(json.errors.q2).toBeUndefined();
    expect(await db.prisma.exceptionReport.count({ where: { indicatorId, periodKey: '2017/18 Q4' } })).toBe(0);
  });

  it('keeps a draft, incomplete as it is, and fills the form with it next time', async () => {
    const r = await submitForm(GARETH, { q0: textInput(ANSWERS.q0), q1: textInput(''), q2: textInput(''), draft: checked('draft') });
    expect(r.text).toBe('');
    expect(await report()).toMatchObject({ state: 'draft', answers: [ANSWERS.q0, '', ''] });
    await openForm(GARETH);
    expect(textOf(await s.fake.waitFor('views.open'))).toContain(ANSWERS.q0);
  });

  it('submits a complete report and asks the performance admins to review it', async () => {
    const r = await submitForm(GARETH, { q0: textInput(ANSWERS.q0), q1: textInput(ANSWERS.q1), q2: textInput(ANSWERS.q2) });
    expect(r.text).toBe('');
    expect(await report()).toMatchObject({ state: 'submitted', answers: [ANSWERS.q0, ANSWERS.q1, ANSWERS.q2] });
    s.fake.reset();
    await drain();
    const toPriya = dmsTo(PRIYA);
    expect(toPriya).toHaveLength(1);
    expect(textOf(toPriya[0]!)).toContain(ANSWERS.q1);
    expect(buttonValue(toPriya[0]!.args.blocks, 'approve-exception')).toBeDefined();
    expect(buttonValue(toPriya[0]!.args.blocks, 'return-exception')).toBeDefined();
    expect(await db.prisma.auditLog.count({ where: { action: 'exception.submit' } })).toBe(1);
  });

  it('lets only an admin review; the admin returns it with a comment, and the owner is told', async () => {
    // The review buttons name the version they showed (as the review request's do).
    const { id, version } = await report();
    const review = JSON.stringify({ exceptionReportId: id, version });
    s.fake.reset();
    await s.interact(buttonPress(GARETH, 'approve-exception', review));
    expect(textOf(await s.fake.waitFor('chat.postMessage'))).toContain('only performance admins');
    expect((await report()).state).toBe('submitted');

    await s.interact(buttonPress(PRIYA, 'return-exception', review));
    expect((await s.fake.waitFor('views.open')).args.view).toMatchObject({ callback_id: 'return-exception' });
    const short = await s.interact(viewSubmission(PRIYA, 'return-exception', { comment: textInput('Redo') }, review));
    expect((short.json as { errors: Record<string, string> }).errors.comment).toMatch(/what to change/);
    const comment = 'Please add the cost of the agency cover and when it starts.';
    await s.interact(viewSubmission(PRIYA, 'return-exception', { comment: textInput(comment) }, review));
    expect(await report()).toMatchObject({ state: 'returned', reviewComment: comment });

    s.fake.reset();
    await drain();
    const told = dmsTo(GARETH);
    expect(told).toHaveLength(1);
    expect(textOf(told[0]!)).toContain(comment);
    expect(buttonValue(told[0]!.args.blocks, 'open-exception')).toBe(ref);
  });

  it('shows the comment when the owner reopens it; the resubmitted report is approved once', async () => {
    await openForm(GARETH);
    expect(textOf(await s.fake.waitFor('views.open'))).toContain('Please add the cost of the agency cover');
    await submitForm(GARETH, { q0: textInput(ANSWERS.q0), q1: textInput(ANSWERS.q1), q2: textInput(`${ANSWERS.q2} Agency cover costs £18,000 from 8 January.`) });
    expect((await report()).state).toBe('submitted');
    const review = JSON.stringify({ exceptionReportId: (await report()).id, version: (await report()).version });

    s.fake.reset();
    await s.interact(buttonPress(PRIYA, 'approve-exception', review));
    await s.app.idle();
    expect(await report()).toMatchObject({ state: 'approved' });
    await s.interact(buttonPress(PRIYA, 'approve-exception', review));
    await s.app.idle();
    expect(textOf(s.fake.callsTo('chat.postMessage').at(-1)!)).toContain('already approved');

    s.fake.reset();
    await drain();
    expect(dmsTo(GARETH).map(textOf).filter((t) => t.includes('was approved'))).toHaveLength(1);
    expect(await db.prisma.auditLog.count({ where: { action: { in: ['exception.submit', 'exception.return', 'exception.approve'] } } })).toBe(4);
  });

  it('stops chasing once the report is approved, and an approved report can no longer be changed', async () => {
    s.fake.reset();
    await s.app.runner.run('chase-exceptions', clock.now());
    expect(dmsTo(GARETH).filter((c) => textOf(c).includes('street-cleanliness'))).toHaveLength(0);
    const r = await submitForm(GARETH, { q0: textInput('Changed after approval, which must not happen.'), q1: textInput(ANSWERS.q1), q2: textInput(ANSWERS.q2) });
    expect((r.json as { errors: Record<string, string> }).errors.q0).toMatch(/approved/);
    expect((await report()).answers).not.toContain('Changed after approval, which must not happen.');
  });
});
