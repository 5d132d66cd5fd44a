// An oversize file shared with the bot in Slack is refused with the answer that names the limit,
// through the real path: the file_share event over HTTP, the download from Slack, the import thread.
// The limits are set small through the environment (KPI_IMPORT_MAX_*), as an operator would.
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { slackId, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import type { RecordedCall } from '../support/fake-slack.ts';
import { csv, xlsx } from '../support/workbooks.ts';

const PRIYA = slackId('Priya'); // performance admin
const textOf = (c: RecordedCall) => JSON.stringify(c.args);

describe.each(backends('pglite'))('import limits in Slack on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const app = useSlackDemo(backend, clock, { env: { KPI_IMPORT_MAX_ROWS: '3', KPI_IMPORT_THREAD: 'on' } });
  let db: TestDatabase;
  let s: SlackHarness;
  beforeAll(() => {
    ({ db, s } = app);
  });

  const share = async (name: string, bytes: Uint8Array, id: string) => {
    const upload = s.fake.hostFile(name, bytes);
    const event = { type: 'message', subtype: 'file_share', channel: 'DPRIYA', channel_type: 'im', user: PRIYA, text: '', files: [upload], ts: `1700000100.0001${id}`, event_ts: `1700000100.0001${id}` };
    const r = await s.post(JSON.stringify({ type: 'event_callback', team_id: 'T0COUNCIL', api_app_id: 'A0KPI', event, event_id: `EvLIMIT${id}`, event_time: 1700000100 }), { contentType: 'application/json' });
    expect(r.status).toBe(200);
  };

  it('refuses a workbook with more rows in a sheet than the limit, naming the sheet and the limit, and writes nothing', async () => {
    const before = await db.prisma.observation.count();
    const rows = Array.from({ length: 5 }, (_, i) => ['sickness-absence', `2016/17 Q${(i % 4) + 1}`, 9 + i / 10]);
    await share('history.xlsx', await xlsx({ Values: [['Indicator', 'Period', 'Actual'], ...rows] }), '1');
    const answer = await s.fake.waitFor('chat.postMessage', (c) => textOf(c).includes('history.xlsx has more than'), 10_000);
    expect(textOf(answer)).toContain('history.xlsx has more than 3 rows in sheet Values; the most I import is 3 rows per sheet.');
    expect(textOf(answer)).not.toMatch(/something went wrong/i);
    expect(await db.prisma.observation.count()).toBe(before);
  });

  it('imports a file within the limit, and says a CSV was read as Windows-1252', async () => {
    const text = csv([['Indicator', 'Period', 'Actual', 'Note'], ['missed-bins', '2017/18 Q2', '61', 'Caf\u00e9 figures']]);
    // The same rows in Windows-1252: é is one byte, 0xE9.
    const bytes = Uint8Array.from([...new TextDecoder().decode(text)].map((ch) => (ch === '\u00e9' ? 0xe9 : ch.charCodeAt(0))));
    await share('history.csv', bytes, '2');
    const answer = await s.fake.waitFor('chat.postMessage', (c) => textOf(c).includes('Windows-1252') || textOf(c).includes('Nothing was written'), 10_000);
    expect(textOf(answer)).toContain('read it as Windows-1252');
  });
});
