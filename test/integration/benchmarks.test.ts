// Benchmarks on the demo through the real HTTP interface and database: `/kpi show sickness-absence`
// typed in Slack says where Trafford ranks among Greater Manchester and posts the strip of the group's
// values beside the trend; the demo's comparator CSV imported again through the CLI changes nothing;
// a target written "Top quartile" is judged on the period's comparator data, and stays textual (saying
// why) where there is none.
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { slackId, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import { runKpi } from '../support/cli.ts';
import type { RecordedCall } from '../support/fake-slack.ts';

const EMMA = slackId('Emma');
const textOf = (c: RecordedCall) => JSON.stringify(c.args);

describe.each(backends('pglite'))('benchmarks on the demo on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const app = useSlackDemo(backend, clock);
  let db: TestDatabase;
  let s: SlackHarness;
  beforeAll(() => {
    ({ db, s } = app);
  });

  it('/kpi show sickness-absence says where Trafford ranks, with the strip of the group’s values', async () => {
    await s.slash(EMMA, 'show sickness-absence', { channel: 'C0PERF' });
    const post = await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0PERF');
    expect(textOf(post)).toContain('5th of 10 in Greater Manchester · second quartile in 2017/18 Q3');
    await s.fake.waitFor('files.completeUploadExternal', () => s.fake.callsTo('files.getUploadURLExternal').length >= 2);
    expect(s.fake.callsTo('files.getUploadURLExternal').map((c) => String(c.args.filename))).toEqual([expect.stringContaining('sickness'), expect.stringContaining('greater-manchester')]);
  });

  it('imports the demo’s comparator CSV again through the CLI without changing anything', async () => {
    const r = await runKpi(db, ['comparators', 'import', 'examples/comparators-greater-manchester.csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 new, 0 changed, 160 unchanged');
    expect(r.stdout).toContain('Nothing changed: the file had been imported already.');
    const groups = await runKpi(db, ['comparators', 'groups']);
    expect(groups.stdout).toContain('* Greater Manchester (10 areas)');
    expect(groups.stdout).toContain('Our area code: E08000009.');
  });

  it('judges a "Top quartile" target on the period’s comparator data, and says why not without it', async () => {
    const target = (slug: string) => db.prisma.target.updateMany({ where: { indicator: { slug }, periodKey: '2017/18 Q3' }, data: { value: null, text: 'Top quartile' } });
    // residents-in-employment: its published target was TBC; comparator data for 2017/18 Q3 is in.
    await target('residents-in-employment');
    await s.slash(EMMA, 'show residents-in-employment', { channel: 'C0PERF' });
    const judged = textOf(await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0PERF'));
    expect(judged).toMatch(/(Green|Amber|Red): 77\.8% against a target of [\d.]+% \(\\"Top quartile\\": the last place in the top quartile, 3rd of 10 reporting in Greater Manchester for 2017\/18 Q3\)/);
    // social-value-tenders: no comparator data for it at all.
    await target('social-value-tenders');
    s.fake.reset();
    await s.slash(EMMA, 'show social-value-tenders', { channel: 'C0PERF' });
    const textual = textOf(await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0PERF'));
    expect(textual).toContain('No target set (Top quartile: no comparator data has been imported for 2017/18 Q3)');
  });
});
