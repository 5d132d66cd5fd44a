// The quarterly report, quarter sign-off and register import through Slack's real HTTP interface:
// signed requests in, Web API calls and file uploads out to the fake Slack, the database checked
// after. Runs on PGlite and PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { slackId, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import type { RecordedCall } from '../support/fake-slack.ts';
import { csv } from '../support/workbooks.ts';

const PRIYA = slackId('Priya'); // performance admin
const EMMA = slackId('Emma'); // officer
const GARETH = slackId('Gareth'); // owner of street-cleanliness
const textOf = (c: RecordedCall) => JSON.stringify(c.args);

describe.each(backends('pglite'))('reports, sign-off and import in Slack on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const app = useSlackDemo(backend, clock);
  let db: TestDatabase;
  let s: SlackHarness;
  beforeAll(() => {
    ({ db, s } = app);
  });

  /** The bytes and name of the file uploaded to a channel. */
  async function uploadedTo(channel: string) {
    const complete = await s.fake.waitFor('files.completeUploadExternal', (c) => c.args.channel_id === channel, 20_000);
    const id = (complete.args.files as { id: string }[])[0]!.id;
    const get = s.fake.callsTo('files.getUploadURLExternal').find((c) => s.fake.uploads.has(id) && c.args.filename)!;
    return { bytes: s.fake.uploads.get(id)!, filename: String(get.args.filename) };
  }

  /** Slack gives every interaction its own trigger id (the same signed request twice is a replay). */
  let triggers = 0;
  const viewSubmission = (user: string, callback: string, values: Record<string, unknown>, state = '{}') => ({
    type: 'view_submission',
    user: { id: user, team_id: 'T0COUNCIL' },
    team: { id: 'T0COUNCIL' },
    api_app_id: 'A0KPI',
    trigger_id: `trig-${++triggers}`,
    view: { id: 'V9', type: 'modal', callback_id: callback, private_metadata: JSON.stringify({ s: state }), state: { values } },
  });
  const button = (user: string, actionId: string, value: string, channel = 'C0PERF') => ({
    type: 'block_actions',
    user: { id: user },
    team: { id: 'T0COUNCIL' },
    api_app_id: 'A0KPI',
    trigger_id: `trig-${++triggers}`,
    channel: { id: channel },
    response_url: s.fake.responseUrl(`button-${actionId}`),
    container: { type: 'message' },
    actions: [{ type: 'button', action_id: `${actionId}:0`, block_id: 'actions-0', value, action_ts: '1' }],
  });

  describe('/kpi report', () => {
    it('answers at once, then posts the Q3 summary and uploads the PDF to the channel', async () => {
      const r = await s.slash(PRIYA, 'report 2017/18 Q3', { channel: 'C0PERF' });
      expect(r.status).toBe(200);
      const first = await s.fake.waitFor('response_url');
      expect(textOf(first)).toContain('Preparing the *2017/18 Q3* performance report (PDF)');
      const post = await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0PERF', 20_000);
      expect(textOf(post)).toContain('There are 18 Green indicators (on target), 6 Amber and 6 Red. 3 indicators have no target');
      expect(textOf(post)).toContain('Not signed off');
      const { bytes, filename } = await uploadedTo('C0PERF');
      expect(filename).toBe('trafford-council-demo-performance-report-2017-18-q3.pdf');
      expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    });

    it('sends a workbook or Markdown when asked, for one theme', async () => {
      await s.slash(PRIYA, 'report Q3 xlsx theme education', { channel: 'C0PERF' });
      const { bytes, filename } = await uploadedTo('C0PERF');
      expect(filename).toBe('trafford-council-demo-performance-report-2017-18-q3-developing-a-wider-education.xlsx');
      expect(bytes.subarray(0, 2).toString()).toBe('PK');
      s.fake.reset();
      await s.slash(PRIYA, 'report 2017/18 Q3 md', { channel: 'C0PERF' });
      const md = await uploadedTo('C0PERF');
      expect(md.bytes.toString()).toContain('| 49 | 33 | 14 | 2 | 18 | 6 | 6 | 3 |');
    });

    it('is for performance admins only, and says what it could not read', async () => {
      await s.slash(EMMA, 'report 2017/18 Q3', { channel: 'C0PERF' });
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('only performance admins can report');
      s.fake.reset();
      await s.slash(PRIYA, 'report 2019/20 Q1');
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('2019/20 Q1 has not started yet');
      s.fake.reset();
      await s.slash(PRIYA, 'report Q3 theme nonsense');
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('No theme matches \\"nonsense\\"');
      expect(s.fake.callsTo('files.completeUploadExternal')).toEqual([]);
    });
  });

  describe('/kpi import', () => {
    it('opens a form with a file field for performance admins, and refuses officers', async () => {
      await s.slash(PRIYA, 'import', { triggerId: 'trig-import' });
      const open = await s.fake.waitFor('views.open');
      const view = open.args.view as { callback_id: string; blocks: { block_id?: string; element?: { type: string; max_files?: number } }[] };
      expect(view.callback_id).toBe('import');
      expect(view.blocks.find((b) => b.block_id === 'file')!.element).toMatchObject({ type: 'file_input', max_files: 1 });
      s.fake.reset();
      await s.slash(EMMA, 'import', { triggerId: 'trig-import-2' });
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('only performance admins can import');
      expect(s.fake.callsTo('views.open')).toEqual([]);
    });

    it('downloads the uploaded file with the bot token, imports it and sends the validation report', async () => {
      const bytes = csv([
        ['Slug', 'Name', 'Theme', 'Owner', 'Unit', 'Polarity', 'Frequency', 'Target 2017/18 Q3', 'Actual 2017/18 Q2', 'Actual 2017/18 Q3'],
        ['missed-bins', 'Missed bin collections per 100,000', 'Building Strong Communities', 'lucy.chambers@trafford.example', 'number', 'lower', 'Q', '50', '61', '48'],
        ['fly-tipping-cleared', 'Fly-tipping cleared within 2 working days', 'Building Strong Communities', 'someone.new@trafford.example', '%', 'higher', 'Q', '90', '88', '91.5*'],
      ]);
      const upload = s.fake.hostFile('new-indicators.csv', bytes);
      const r = await s.interact(viewSubmission(PRIYA, 'import', { file: { v: { type: 'file_input', files: [upload] } }, options: { v: { type: 'checkboxes', selected_options: [] } }, reason: { v: { type: 'plain_text_input', value: '' } } }));
      expect(r.status).toBe(200);
      expect(r.text).toBe('');
      const report = await s.fake.waitFor('chat.postMessage', (c) => textOf(c).includes('Imported'), 10_000);
      expect(textOf(report)).toContain('Indicators: 2 created');
      expect(textOf(report)).toContain('someone.new@trafford.example — owner of fly-tipping-cleared (new-indicators.csv row 3)');
      expect(s.fake.callsTo('file_download')[0]!.args.authorised).toBe(true);
      const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'fly-tipping-cleared' }, include: { observations: true } });
      expect(ind.observations.find((o) => o.periodKey === '2017/18 Q3')).toMatchObject({ provisional: true, submittedByLabel: `slack:${PRIYA}` });
    });

    it('lists every broken row and writes nothing', async () => {
      const before = await db.prisma.indicator.count();
      const bytes = csv([
        ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Actual 2017/18 Q3'],
        ['ok-row', 'Fine', '%', 'higher', 'Q', '50'],
        ['bad-row', 'Bad polarity', '%', 'upwards', 'Q', '50'],
        ['bad-value', 'Bad value', '%', 'higher', 'Q', 'lots'],
      ]);
      const upload = s.fake.hostFile('broken.csv', bytes);
      await s.interact(viewSubmission(PRIYA, 'import', { file: { v: { type: 'file_input', files: [upload] } } }));
      const report = await s.fake.waitFor('chat.postMessage', (c) => textOf(c).includes('Nothing was written'), 10_000);
      expect(textOf(report)).toContain('broken.csv row 3, column Polarity: expected higher, lower or none');
      expect(textOf(report)).toContain('broken.csv row 4, column Actual 2017/18 Q3: expected a number');
      expect(await db.prisma.indicator.count()).toBe(before);
    });

    it('asks for the file when the form has none', async () => {
      const r = await s.interact(viewSubmission(PRIYA, 'import', { file: { v: { type: 'file_input', files: [] } } }));
      expect(r.json).toEqual({ response_action: 'errors', errors: { file: 'Choose the file to import.' } });
    });

    it('imports a file shared in a direct message (a dry run when the message says so)', async () => {
      const bytes = csv([['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Actual 2017/18 Q3'], ['missed-bins', 'Missed bin collections per 100,000', 'number', 'lower', 'Q', '47']]);
      const upload = s.fake.hostFile('correction.csv', bytes);
      const event = { type: 'message', subtype: 'file_share', channel: 'DPRIYA', channel_type: 'im', user: PRIYA, text: 'dry run please', files: [upload], ts: '1700000000.000100', event_ts: '1700000000.000100' };
      const body = JSON.stringify({ type: 'event_callback', team_id: 'T0COUNCIL', api_app_id: 'A0KPI', event, event_id: 'EvFILE1', event_time: 1700000000 });
      expect((await s.post(body, { contentType: 'application/json' })).status).toBe(200);
      const report = await s.fake.waitFor('chat.postMessage', (c) => textOf(c).includes('Dry run'), 10_000);
      expect(textOf(report)).toContain('Values: 1 corrected');
      const latest = await db.prisma.observation.findFirstOrThrow({ where: { latest: true, periodKey: '2017/18 Q3', indicator: { slug: 'missed-bins' } } });
      expect(latest.value.toNumber()).toBe(48);
    });

    it('ignores its own uploads in a direct message, and says which files it imports', async () => {
      const share = (user: string, file: ReturnType<typeof s.fake.hostFile>, id: string) =>
        s.post(
          JSON.stringify({ type: 'event_callback', team_id: 'T0COUNCIL', api_app_id: 'A0KPI', event: { type: 'message', subtype: 'file_share', channel: 'DPRIYA', channel_type: 'im', user, text: '', files: [file], ts: `1700000002.0001${id}`, event_ts: `1700000002.0001${id}` }, event_id: `EvFILE3${id}`, event_time: 1700000002 }),
          { contentType: 'application/json' },
        );
      await share('UBOT', s.fake.hostFile('report.pdf', new Uint8Array([37, 80, 68, 70])), '1');
      await share(PRIYA, s.fake.hostFile('screenshot.png', new Uint8Array([0x89, 0x50])), '2');
      const answer = await s.fake.waitFor('chat.postMessage', (c) => textOf(c).includes('screenshot.png'));
      expect(textOf(answer)).toContain('I import registers from .csv, .xlsx or .json files');
      expect(s.fake.callsTo('chat.postMessage')).toHaveLength(1);
      expect(s.fake.callsTo('file_download')).toEqual([]);
    });

    it('answers an officer who shares a file that only performance admins import', async () => {
      const upload = s.fake.hostFile('mine.csv', csv([['Name', 'Polarity', 'Frequency'], ['X', 'higher', 'Q']]));
      const event = { type: 'message', subtype: 'file_share', channel: 'DEMMA', channel_type: 'im', user: EMMA, text: '', files: [upload], ts: '1700000001.000100', event_ts: '1700000001.000100' };
      await s.post(JSON.stringify({ type: 'event_callback', team_id: 'T0COUNCIL', api_app_id: 'A0KPI', event, event_id: 'EvFILE2', event_time: 1700000001 }), { contentType: 'application/json' });
      expect(textOf(await s.fake.waitFor('chat.postMessage', (c) => textOf(c).includes('only performance admins can import')))).toBeTruthy();
      expect(s.fake.callsTo('file_download')).toEqual([]);
    });
  });

  describe('/kpi close-quarter and corrections to a signed-off quarter', () => {
    it('is for performance admins only', async () => {
      await s.slash(EMMA, 'close-quarter 2017/18 Q3');
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('only performance admins can close quarter');
      s.fake.reset();
      await s.slash(PRIYA, 'close-quarter 2017/18 Q4');
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('2017/18 Q4 has not ended yet');
      expect(await db.prisma.periodLock.count()).toBe(0);
    });

    it('asks to confirm, saying what is missing, then locks the quarter and audits it', async () => {
      await s.slash(PRIYA, 'close-quarter 2017/18 Q3', { channel: 'C0PERF' });
      const ask = textOf(await s.fake.waitFor('response_url'));
      expect(ask).toContain('Sign off 2017/18 Q3?');
      expect(ask).toContain('have no value yet: `falls-injuries`, `benefit-claimants`');
      expect(ask).toContain('confirm-close-quarter:0');
      expect(await db.prisma.periodLock.count()).toBe(0);
      s.fake.reset();
      await s.interact(button(PRIYA, 'confirm-close-quarter', '2017/18 Q3'));
      expect(textOf(await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0PERF'))).toContain('2017/18 Q3 is signed off');
      const lock = await db.prisma.periodLock.findUniqueOrThrow({ where: { periodKey: '2017/18 Q3' }, include: { closedBy: true } });
      expect(lock.closedBy?.displayName).toBe('Priya Shah');
      expect(await db.prisma.auditLog.count({ where: { action: 'period.close', entityId: '2017/18 Q3', actorLabel: `slack:${PRIYA}` } })).toBe(1);
      s.fake.reset();
      await s.interact(button(PRIYA, 'confirm-close-quarter', '2017/18 Q3'));
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('already signed off');
      expect(await db.prisma.auditLog.count({ where: { action: 'period.close' } })).toBe(1);
    });

    it('refuses an officer’s correction to the signed-off quarter', async () => {
      await s.slash(GARETH, 'submit street-cleanliness 2017/18 Q3 84.5');
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('2017/18 Q3 was signed off on 5 Feb 2018 by Priya Shah: its values are locked. Only a performance admin (Priya Shah) can give or change its value now');
      const form = await s.interact(viewSubmission(GARETH, 'submit', { indicator: { v: { type: 'external_select', selected_option: { value: String((await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'street-cleanliness' } })).id) } } }, period: { v: { type: 'plain_text_input', value: '2017/18 Q3' } }, value: { v: { type: 'plain_text_input', value: '84.5' } } }));
      expect((form.json as { errors: Record<string, string> }).errors.period).toMatch(/signed off/);
      expect(await db.prisma.observation.count({ where: { periodKey: '2017/18 Q3', indicator: { slug: 'street-cleanliness' } } })).toBe(1);
    });

    it('lets a performance admin correct it only with a reason, audited', async () => {
      await s.slash(PRIYA, 'submit sickness-absence 2017/18 Q3 10.52');
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('is signed off: add a note after the value — for a signed-off period it is the reason for the correction');
      s.fake.reset();
      await s.slash(PRIYA, 'submit sickness-absence 2017/18 Q3 10.52 payroll recount after year-end');
      const ask = await s.fake.waitFor('response_url');
      const value = JSON.stringify((ask.args.blocks as { elements?: { action_id: string; value: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'confirm-correction:0')!.value);
      s.fake.reset();
      await s.interact(button(PRIYA, 'confirm-correction', JSON.parse(value) as string));
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('Corrected *sickness-absence* for *2017/18 Q3 (Oct–Dec 2017)*: 10.49 days → *10.52 days*');
      const v = await db.prisma.observation.findFirstOrThrow({ where: { latest: true, periodKey: '2017/18 Q3', indicator: { slug: 'sickness-absence' } } });
      expect([v.value.toNumber(), v.version, v.correctionReason]).toEqual([10.52, 2, 'payroll recount after year-end']);
      const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: 'observation.correct-locked', entityId: String(v.id) } });
      expect(audit.details).toMatchObject({ reason: 'payroll recount after year-end', lock: '2017/18 Q3' });
    });

    it('marks the report as signed off', async () => {
      await s.slash(PRIYA, 'report 2017/18 Q3 md', { channel: 'C0PERF' });
      const post = await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0PERF', 20_000);
      expect(textOf(post)).toContain('Signed off on 5 February 2018 by Priya Shah');
      const md = await uploadedTo('C0PERF');
      expect(md.bytes.toString()).toContain('> Signed off on 5 February 2018 by Priya Shah');
    });

    it('refuses values for the signed-off quarter in an import without a reason', async () => {
      const bytes = csv([['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Actual 2017/18 Q3'], ['missed-bins', 'Missed bin collections per 100,000', 'number', 'lower', 'Q', '46']]);
      const upload = s.fake.hostFile('late.csv', bytes);
      await s.interact(viewSubmission(PRIYA, 'import', { file: { v: { type: 'file_input', files: [upload] } } }));
      const report = await s.fake.waitFor('chat.postMessage', (c) => textOf(c).includes('Nothing was written'), 10_000);
      expect(textOf(report)).toContain('missed-bins 2017/18 Q3: the value differs from the one signed off in 2017/18 Q3');
      s.fake.reset();
      await s.interact(viewSubmission(PRIYA, 'import', { file: { v: { type: 'file_input', files: [upload] } }, reason: { v: { type: 'plain_text_input', value: 'Contractor data corrected' } } }));
      expect(textOf(await s.fake.waitFor('chat.postMessage', (c) => textOf(c).includes('Imported'), 10_000))).toContain('1 value in signed-off periods');
      expect(await db.prisma.auditLog.count({ where: { action: 'observation.correct-locked', actorLabel: `slack:${PRIYA}` } })).toBe(2);
    });
  });
});
