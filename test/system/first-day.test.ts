// The first day on a real Slack workspace, as docs/operating.md's "First day on Slack" tells it, with the
// admin CLI and chat side by side on one database: load the register (the demo), find everyone by
// e-mail, subscribe the performance channel in chat, and let the jobs run — the alert reaches the
// channel and every director gets their digest, though none of them has ever written to the bot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { demoWorkspace, SIGNING_SECRET, slackId, startSlackApp, type SlackHarness } from '../support/slack-app.ts';
import { runKpi } from '../support/cli.ts';
import type { RecordedCall } from '../support/fake-slack.ts';
import { buttonPress, buttonValue } from '../support/slack-payloads.ts';

const textOf = (c: RecordedCall) => JSON.stringify(c.args);
const DIRECTORS = ['Helen', 'Richard', 'Sarah', 'Tom', 'Aisha', 'David'];

describe.each(backends('pglite'))('first day on Slack on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T10:00:00Z'));
  let db: TestDatabase;
  let s: SlackHarness;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    s = await startSlackApp(db, clock);
    env = { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: s.fake.apiUrl, SLACK_BOT_USER_ID: 'UBOT', SLACK_BOT_ID: 'BBOT' };
  });
  afterAll(async () => {
    await s?.stop();
    await db?.close();
  });

  it('demo --reset, people sync, /kpi subscribe, a red value: the alert is posted in the channel and all six directors get their digest', async () => {
    const demo = await runKpi(db, ['demo', '--reset'], env);
    expect(demo.code, demo.stderr).toBe(0);
    // Every register e-mail is a member of the workspace; nobody has written to the bot.
    await demoWorkspace(db, s.fake);
    s.fake.channels.set('C0PERF', { name: 'performance' });

    // Go live: the first period collected (the demo's is set already), and a period that will not be.
    const live = await runKpi(db, ['settings', 'collect-from', '2017/18', 'Q3'], env);
    expect(live.stdout).toContain('Values collected from (go-live) is already 2017/18 Q3 on (since 15 Jan 2018)');
    const mark = await runKpi(db, ['not-collected', 'physical-inactivity', '2017/18', 'survey', 'not', 'run', 'this', 'year', '--by', 'priya.shah@trafford.example'], env);
    expect(mark.stdout, mark.stderr).toContain('✅ 2017/18 for physical-inactivity is marked not collected: survey not run this year.');
    expect((await runKpi(db, ['not-collected'], env)).stdout).toContain('• 2017/18 — physical-inactivity: survey not run this year (Priya Shah, 15 Jan 2018)');

    const sync = await runKpi(db, ['people', 'sync'], env);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toContain('Slack: 19 of 19 reachable — 19 found now, 0 already linked, 0 not found.');

    await s.slash(slackId('Priya'), 'subscribe', { channel: 'C0PERF' });
    await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0PERF' && textOf(c).includes('will get alerts'));

    // A correction that turns the indicator red: the bot asks to confirm, and the button saves it.
    await s.slash(slackId('Gareth'), 'submit street-cleanliness 2017/18 Q3 80.5 recount');
    const ask = await s.fake.waitFor('response_url', (c) => textOf(c).includes('confirm-correction'));
    await s.interact(buttonPress(slackId('Gareth'), 'confirm-correction', buttonValue(ask.args.blocks, 'confirm-correction')!));
    const dm = await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === slackId('Gareth'));
    expect(textOf(dm)).toContain('Corrected');

    s.fake.reset();
    const evaluate = await runKpi(db, ['job', 'evaluate-statuses', '--now', '2018-02-05T10:15'], env);
    expect(evaluate.code, evaluate.stderr).toBe(0);
    const alerts = s.fake.callsTo('chat.postMessage');
    expect(alerts.map((c) => c.args.channel)).toEqual(['C0PERF']);
    expect(textOf(alerts[0]!)).toContain('Turned red');
    expect(textOf(alerts[0]!)).toContain('street-cleanliness');

    s.fake.reset();
    const digest = await runKpi(db, ['job', 'weekly-digest', '--now', '2018-02-12T08:00'], env);
    expect(digest.code, digest.stderr).toBe(0);
    for (const d of DIRECTORS) expect(s.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === slackId(d) && textOf(c).includes('Weekly performance digest')), d).toHaveLength(1);
    // Everyone was found once, by the sync: the jobs looked nobody up again.
    expect(s.fake.callsTo('users.lookupByEmail')).toHaveLength(0);

    const people = await runKpi(db, ['people'], env);
    expect(people.stdout).toContain('19 people; 0 the bot cannot reach.');
  });
});
