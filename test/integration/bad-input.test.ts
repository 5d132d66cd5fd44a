// Bad input through the real app (Slack HTTP, a Teams card's call to the dispatcher) and the admin CLI,
// on both databases: a message that says what is wrong, a non-zero exit from the CLI — never "Sorry,
// something went wrong", a stack trace or an error in the log — and nothing written. Numbers beyond
// NUMERIC(20, 6) and ids beyond the 32-bit columns used to reach the database and overflow there.
import { beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { slackId, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import { buttonPress, viewSubmission } from '../support/slack-payloads.ts';
import { runKpi } from '../support/cli.ts';
import { createLogger } from '../../src/log.ts';

const LUCY = slackId('Lucy'); // owner of sickness-absence (quarterly)
const PRIYA = slackId('Priya'); // performance admin
const RANGE = 'a value must be between -99,999,999,999,999 and 99,999,999,999,999';
const STALE = 'That button or form is out of date. Open it again from /kpi mine.';

describe.each(backends('both'))('bad input on %s', (backend) => {
  let db: TestDatabase;
  let s: SlackHarness;
  const clock = new TestClock(new Date('2018-04-20T09:00:00Z'));
  /** Error-level log lines: a crash a handler swallowed. */
  const problems: string[] = [];
  const logSink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) if ((JSON.parse(line) as { level: number }).level >= 50) problems.push(line.slice(0, 500));
      done();
    },
  });
  const app = useSlackDemo(backend, clock, { log: createLogger('warn', logSink) });
  beforeAll(() => {
    ({ db, s } = app);
  });
  const said = async () => {
    await s.app.idle();
    const text = JSON.stringify(s.fake.calls.filter((c) => c.method === 'response_url' || c.method === 'chat.postMessage').map((c) => c.args));
    s.fake.reset();
    return text;
  };
  const rows = async () => ({ observations: await db.prisma.observation.count(), notCollected: await db.prisma.notCollected.count(), locks: await db.prisma.periodLock.count(), snoozes: await db.prisma.snooze.count() });

  it('refuses numbers beyond the range, inline, in the form, in a Teams card and in forged confirmations, with the range', async () => {
    const before = await rows();
    const ind = (await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'sickness-absence' } })).id;
    await s.slash(LUCY, 'submit sickness-absence 2017/18 Q4 1000000000000000');
    expect(await said()).toContain(RANGE);
    const form = await s.interact(viewSubmission(LUCY, 'submit', { indicator: { v: { type: 'external_select', selected_option: { value: String(ind) } } }, period: { v: { type: 'plain_text_input', value: '2017/18 Q4' } }, value: { v: { type: 'plain_text_input', value: '100000000000000' } } }));
    expect(JSON.stringify(form.json)).toContain(RANGE);
    const lucy = await db.prisma.person.findFirstOrThrow({ where: { identities: { some: { platform: 'slack', platformUserId: LUCY } } } });
    const person = (await s.app.deps.repo.person(lucy.id))!;
    expect(await s.app.dispatcher.submitForm({ platform: 'teams', userId: 'aad-lucy', person }, 'submit', '{}', { indicator: String(ind), period: '2017/18 Q4', value: '-100000000000000' })).toEqual({
      kind: 'form-errors',
      errors: { value: `"-100000000000000" is too large a number to keep: ${RANGE}.` },
    });
    const forged = JSON.stringify({ indicatorId: ind, periodKey: '2017/18 Q3', value: 1e15, estimated: false, provisional: false, note: 'payroll rerun', replacesVersion: 1 });
    for (const action of ['confirm-correction', 'confirm-value', 'confirm-period']) {
      await s.interact(buttonPress(LUCY, action, forged));
      expect(await said(), action).toContain(`1,000,000,000,000,000 is too large a number to keep: ${RANGE}.`);
    }
    expect(await rows()).toEqual(before);
    expect(problems).toEqual([]);
  });

  it('takes ids and versions beyond the 32-bit columns, from buttons and forms, as out of date', async () => {
    const report = await db.prisma.exceptionReport.findFirstOrThrow();
    for (const [who, action, value] of [
      [LUCY, 'open-submit', { indicatorId: 1e15 }],
      [LUCY, 'open-exception', { indicatorId: 1e15, periodKey: '2017/18 Q3' }],
      [LUCY, 'snooze', { indicatorId: 1e15, days: 7 }],
      [PRIYA, 'approve-exception', { exceptionReportId: 1e15 }],
      [PRIYA, 'approve-exception', { exceptionReportId: report.id, version: 1e15 }],
      [PRIYA, 'return-exception', { exceptionReportId: 1e15 }],
    ] as const) {
      await s.interact(buttonPress(who, action, JSON.stringify(value)));
      expect(await said(), `${action} ${JSON.stringify(value)}`).toContain(STALE);
    }
    const form = await s.interact(viewSubmission(LUCY, 'submit', { indicator: { v: { type: 'external_select', selected_option: { value: '1000000000000000' } } }, period: { v: { type: 'plain_text_input', value: '2017/18 Q4' } }, value: { v: { type: 'plain_text_input', value: '8' } } }));
    expect(JSON.stringify(form.json)).toContain('No single indicator matches');
    expect(problems).toEqual([]);
  });

  it('refuses periods outside 1900–2999 and quarters beyond Q4 in chat, and forged keys in buttons', async () => {
    const before = await rows();
    const outside = (p: string) => `\\"${p}\\" is not a period I can keep: periods run from 1900 to 2999.`;
    for (const [who, text, answer] of [
      [LUCY, 'submit sickness-absence 0000/01 Q3 8', outside('0000/01 Q3')],
      [LUCY, 'history sickness-absence 0000/01 Q3', outside('0000/01 Q3')],
      [LUCY, 'exception sickness-absence 0000/01 Q3', outside('0000/01 Q3')],
      [PRIYA, 'close-quarter 0000/01 Q1', outside('0000/01 Q1')],
      [PRIYA, 'report 9999/00 Q4', outside('9999/00 Q4')],
      [PRIYA, 'not-collected sickness-absence 2017/18 Q5 survey not run', '\\"2017/18 Q5\\": a financial year has quarters Q1–Q4 only.'],
    ] as const) {
      await s.slash(who, text);
      expect(await said(), text).toContain(answer);
    }
    await s.interact(buttonPress(PRIYA, 'confirm-close-quarter', '9999/00 Q4'));
    expect(await said()).toContain('That button is out of date. Run /kpi close-quarter again.');
    expect(await rows()).toEqual(before);
    expect(problems).toEqual([]);
  });

  it('answers bad input to the admin CLI with a message and exit 1, never a stack trace', async () => {
    const before = await rows();
    for (const [argv, answer] of [
      [['settings', 'tolerance', '100000000000000 units'], 'a tolerance in units must be between -99,999,999,999,999 and 99,999,999,999,999'],
      [['job', 'evaluate-statuses', '--no-send', '--now', '0000-01-01'], '--now "0000-01-01" is not a date I can run as: the year must be between 1900 and 2999.'],
      [['job', 'chase-data', '--no-send', '--now', '2018-02-31T09:00'], '--now "2018-02-31T09:00" is not a date: February 2018 has 28 days.'],
      [['job', 'chase-data', '--no-send', '--now', '99999-01-01'], '--now "99999-01-01" is not a date and time.'],
      [['close-quarter', '0000/01 Q1'], '"0000/01 Q1" is not a period I can keep: periods run from 1900 to 2999.'],
      [['not-collected', 'sickness-absence', '0000/01 Q3', 'survey', 'not', 'run'], '"0000/01 Q3" is not a period I can keep: periods run from 1900 to 2999.'],
      [['not-collected', 'sickness-absence', '2017/18', 'Q5', 'survey', 'not', 'run'], '"2017/18 Q5": a financial year has quarters Q1–Q4 only.'],
      [['report', '--period', '2017/18 Q5', '--format', 'md'], '"2017/18 Q5": a financial year has quarters Q1–Q4 only.'],
      [['people', 'edit', 'priya.shah@trafford.example', '--email', `${'a'.repeat(300)}@trafford.example`], '--email: expected an e-mail address (at most 254 characters)'],
      [['people', 'edit', 'priya.shah@trafford.example', '--name', 'N'.repeat(5000)], '--name: expected the person’s name (at most 200 characters) — got 5,000 characters.'],
    ] as const) {
      const r = await runKpi(db, [...argv], {}, clock);
      expect(r.stderr, argv.join(' ')).toContain(answer);
      expect(r.stderr, argv.join(' ')).not.toContain('unexpected error');
      expect(r.code, argv.join(' ')).toBe(1);
    }
    expect(await rows()).toEqual(before);
    expect((await db.prisma.organisation.findFirst())?.toleranceValue?.toString()).toBe('10');
    expect(await db.prisma.person.count({ where: { email: 'priya.shah@trafford.example', displayName: 'Priya Shah' } })).toBe(1);
    // Control characters typed into an argument (a terminal's escape sequence) are not kept.
    const named = await runKpi(db, ['settings', 'name', 'Trafford \u001b[31mCouncil\u0007'], {}, clock);
    expect(named.code, named.stderr).toBe(0);
    expect((await db.prisma.organisation.findFirst())?.name).toBe('Trafford [31mCouncil');
  });
});
