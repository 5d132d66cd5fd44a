// The Slack bot through its real HTTP interface: signed requests in, Web API calls out to the fake
// Slack, the database checked after. Runs on PGlite and PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { verifySlackRequest } from '@slack/bolt';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { slackId, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import type { RecordedCall } from '../support/fake-slack.ts';
import { buttonPress, checked, selected, textInput as field, viewSubmission } from '../support/slack-payloads.ts';

const LUCY = slackId('Lucy'); // owner of sickness-absence
const GARETH = slackId('Gareth'); // owner of street-cleanliness
const PRIYA = slackId('Priya'); // performance admin
const EMMA = slackId('Emma'); // officer, owns other things

const textOf = (c: RecordedCall) => JSON.stringify(c.args);

describe('Slack request signing', () => {
  it("verifies Slack's published test vector", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const check = (sig: string) =>
      verifySlackRequest({
        signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
        body,
        headers: { 'x-slack-signature': sig, 'x-slack-request-timestamp': 1531420618 },
        nowMilliseconds: 1531420618_000 + 30_000,
      });
    expect(() => check('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503')).not.toThrow();
    expect(() => check('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b504')).toThrow();
  });
});

describe.each(backends('pglite'))('Slack bot on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const app = useSlackDemo(backend, clock);
  let db: TestDatabase;
  let s: SlackHarness;
  beforeAll(() => {
    ({ db, s } = app);
  });

  describe('transport', () => {
    it('answers /healthz and refuses unsigned, forged, replayed or altered requests with 401', async () => {
      const health = await fetch(s.url.replace('/slack/events', '/healthz'));
      expect(health.status).toBe(200);
      const body = 'command=%2Fkpi&text=help&user_id=ULUCY';
      expect((await s.post(body, { sign: false })).status).toBe(401);
      expect((await s.post(body, { headers: { 'x-slack-signature': 'v0=deadbeef' } })).status).toBe(401);
      const old = Math.floor(clock.now().getTime() / 1000) - 6 * 60;
      expect((await s.post(body, { timestamp: old })).status).toBe(401);
      // A signature for one body does not cover another.
      const { signSlackRequest } = await import('../support/slack-signing.ts');
      const headers = signSlackRequest('test-signing-secret-0123456789', body, Math.floor(clock.now().getTime() / 1000));
      const altered = await fetch(s.url, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: body + '&x=1' });
      expect(altered.status).toBe(401);
      // Nothing refused reached Slack (auth.test is the start's own scope check, whenever it lands).
      expect(s.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    });

    it('acknowledges a slash command at once and answers through the response URL', async () => {
      const r = await s.slash(LUCY, 'help');
      expect(r.status).toBe(200);
      const reply = await s.fake.waitFor('response_url');
      expect(reply.args.response_type).toBe('ephemeral');
      expect(textOf(reply)).toContain('/kpi submit');
    });
  });

  describe('/kpi show', () => {
    it('posts value, target, status, direction, a table and the owner, then uploads the chart as a real PNG', async () => {
      await s.slash(EMMA, 'show sickness-absence', { channel: 'C0PERF' });
      const post = await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0PERF');
      const text = textOf(post);
      expect(text).toContain('Red: 10.49 days against a target of 8.5 days (amber up to 9.35 days); declining from 10.18 days in Q2.');
      expect(text).toContain(`<@${LUCY}>`);
      expect(text).toContain('2017/18 Q3');
      const complete = await s.fake.waitFor('files.completeUploadExternal');
      expect(complete.args.channel_id).toBe('C0PERF');
      const getUrl = s.fake.callsTo('files.getUploadURLExternal')[0]!;
      expect(String(getUrl.args.alt_text)).toContain('lower is better');
      const [png] = [...s.fake.uploads.values()];
      expect(png!.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(png!.length).toBeGreaterThan(5000);
    });

    it('offers buttons when several indicators match, and suggestions when none does', async () => {
      await s.slash(EMMA, 'show ks4');
      const choose = await s.fake.waitFor('response_url');
      expect(textOf(choose)).toContain('show:0');
      expect(textOf(choose)).toContain('ks4-attainment-8');
      s.fake.reset();
      await s.slash(EMMA, 'show sicknes-absense');
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('Did you mean');
    });

    it('joins a public channel it is not in, and retries after a 429 with Retry-After', async () => {
      s.fake.failNext('chat.postMessage', { kind: 'error', error: 'not_in_channel' });
      s.fake.failNext('files.completeUploadExternal', { kind: 'ratelimit', retryAfterSeconds: 1 });
      await s.slash(EMMA, 'show recycling-rate', { channel: 'C0NEW' });
      await s.fake.waitFor('conversations.join', (c) => c.args.channel === 'C0NEW');
      await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0NEW');
      await s.fake.waitFor('files.completeUploadExternal', () => true, 8000);
      expect(s.fake.calls.filter((c) => c.method === 'files.completeUploadExternal')).toHaveLength(2);
    });
  });

  describe('/kpi submit', () => {
    it('opens the form at once with the indicator picker', async () => {
      const r = await s.slash(GARETH, 'submit', { triggerId: 'trig-1' });
      expect(r.status).toBe(200);
      const open = await s.fake.waitFor('views.open');
      expect(open.args.trigger_id).toBe('trig-1');
      const view = open.args.view as { callback_id: string; blocks: { block_id: string; element: { type: string } }[] };
      expect(view.callback_id).toBe('submit');
      expect(view.blocks.find((b) => b.block_id === 'indicator')!.element.type).toBe('external_select');
    });

    it('offers only the indicators the person may submit for', async () => {
      const r = await s.interact({ type: 'block_suggestion', user: { id: GARETH }, team: { id: 'T0COUNCIL' }, api_app_id: 'A0KPI', action_id: 'v', block_id: 'indicator', value: '', view: { id: 'V1', type: 'modal', callback_id: 'submit' } });
      const options = (r.json as { options: { value: string; text: { text: string } }[] }).options;
      expect(options.map((o) => o.text.text.split(' — ')[0])).toEqual(['highway-inspections', 'physical-inactivity', 'safest-place', 'street-cleanliness', 'waterside-visitors']);
    });

    const submission = (user: string, values: Record<string, unknown>, callback = 'submit', state = '{}') => viewSubmission(user, callback, values, state);
    const indicatorField = async (slug: string) => selected((await db.prisma.indicator.findUniqueOrThrow({ where: { slug } })).id);

    it('shows each mistake beside its field, and saves nothing', async () => {
      const before = await db.prisma.observation.count();
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [{ period: field('2017/18 Q3'), value: field('lots') }, 'value', /not a number/],
        [{ period: field('Dec 2017'), value: field('80') }, 'period', /is a month .* reported quarterly/],
        [{ period: field('2019/20 Q1'), value: field('80') }, 'period', /has not started yet/],
      ];
      for (const [values, key, message] of cases) {
        const r = await s.interact(submission(GARETH, { indicator: await indicatorField('street-cleanliness'), ...values }));
        expect(r.status).toBe(200);
        const json = r.json as { response_action: string; errors: Record<string, string> };
        expect(json.response_action).toBe('errors');
        expect(json.errors[key]).toMatch(message);
      }
      // A percentage over 100 is not refused but asked about, with the value to keep or change.
      const over = await s.interact(submission(GARETH, { indicator: await indicatorField('street-cleanliness'), period: field('2017/18 Q3'), value: field('120') }));
      const view = (over.json as { response_action: string; view: { callback_id: string; blocks: { text?: { text: string } }[] } });
      expect([view.response_action, view.view.callback_id]).toEqual(['update', 'confirm-value']);
      expect(JSON.stringify(view.view.blocks)).toContain('120% is over 100%');
      expect(await db.prisma.observation.count()).toBe(before);
    });

    it('saves a valid value and confirms privately with the new status and an exception-report button', async () => {
      await db.prisma.target.create({
        data: { indicatorId: (await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'street-cleanliness' } })).id, periodKey: '2017/18 Q4', periodStart: new Date('2018-01-01'), periodEnd: new Date('2018-03-31'), value: 85, amberFloor: 82 },
      });
      const r = await s.interact(submission(GARETH, { indicator: await indicatorField('street-cleanliness'), period: field('2017/18 Q4'), value: field('80.5'), flags: checked('estimated'), note: field('') }));
      expect(r.status).toBe(200);
      expect(r.text).toBe('');
      const saved = await db.prisma.observation.findFirstOrThrow({ where: { periodKey: '2017/18 Q4', indicator: { slug: 'street-cleanliness' } } });
      expect([saved.value.toNumber(), saved.estimated, saved.source, saved.submittedByLabel]).toEqual([80.5, true, 'slack', `slack:${GARETH}`]);
      const dm = await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === GARETH);
      expect(textOf(dm)).toContain('Red: 80.5% (estimated) against a target of 85% (amber down to 82%)');
      expect(textOf(dm)).toContain('open-exception:0');
      const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: 'observation.submit', entityId: String(saved.id) } });
      expect(audit.actorLabel).toBe(`slack:${GARETH}`);
    });

    it('asks to confirm a correction, keeps the old version, and audits it', async () => {
      const r = await s.interact(submission(GARETH, { indicator: await indicatorField('street-cleanliness'), period: field('2017/18 Q3'), value: field('84.1') }));
      const json = r.json as { response_action: string; view: { callback_id: string; private_metadata: string } };
      expect(json.response_action).toBe('update');
      expect(json.view.callback_id).toBe('confirm-correction');
      expect(JSON.stringify(json.view)).toContain('already has *83.8%*');
      const state = (JSON.parse(json.view.private_metadata) as { s: string }).s;
      const confirm = await s.interact(submission(GARETH, { reason: field('re-survey of two wards') }, 'confirm-correction', state));
      expect(confirm.text).toBe('');
      const versions = await db.prisma.observation.findMany({ where: { periodKey: '2017/18 Q3', indicator: { slug: 'street-cleanliness' } }, orderBy: { version: 'asc' } });
      expect(versions.map((v) => [v.value.toNumber(), v.latest, v.correctionReason])).toEqual([
        [83.8, false, null],
        [84.1, true, 're-survey of two wards'],
      ]);
      expect(await db.prisma.auditLog.count({ where: { action: 'observation.correct', actorLabel: `slack:${GARETH}` } })).toBe(1);
    });

    it('says back in the modal a period left blank when a later one has a value, and goes on with the period kept', async () => {
      // On this clock Q3 is the period due, and street-cleanliness already has it, and Q4 too (saved above).
      const r = await s.interact(submission(GARETH, { indicator: await indicatorField('street-cleanliness'), period: field(''), value: field('86') }));
      const json = r.json as { response_action: string; view: { callback_id: string; private_metadata: string } };
      expect([json.response_action, json.view.callback_id]).toEqual(['update', 'confirm-period']);
      expect(JSON.stringify(json.view)).toContain('You gave no period, so I took 2017/18 Q3 (Oct–Dec 2017), the period due; but 2017/18 Q4, a later period, already has 80.5%. Save *86%* for *2017/18 Q3 (Oct–Dec 2017)*?');
      expect(JSON.stringify(json.view)).toContain('"initial_value":"2017/18 Q3"');
      const state = (JSON.parse(json.view.private_metadata) as { s: string }).s;
      const kept = await s.interact(submission(GARETH, { period: field('2017/18 Q3') }, 'confirm-period', state));
      expect((kept.json as { view: { callback_id: string } }).view.callback_id).toBe('confirm-correction');
    });

    it('works inline, with a usage line when it cannot read the command', async () => {
      await s.slash(LUCY, 'submit sickness-absence 2017/18-Q4 9.1 est payroll late');
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('Saved *9.1 days* (estimated) for *sickness-absence*, *2017/18 Q4 (Jan–Mar 2018)*.');
      s.fake.reset();
      await s.slash(LUCY, 'submit sickness-absence soon 9.1');
      const err = textOf(await s.fake.waitFor('response_url'));
      expect(err).toContain('I understood indicator *sickness-absence*');
      expect(err).toContain('Usage: /kpi submit');
    });
  });

  describe('buttons, lists and App Home', () => {
    it('opens the prefilled form from a button', async () => {
      const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'sickness-absence' } });
      await s.interact(buttonPress(LUCY, 'open-submit', JSON.stringify({ indicatorId: ind.id, periodKey: '2017/18 Q4' }), { triggerId: 'trig-3' }));
      const open = await s.fake.waitFor('views.open');
      expect(JSON.stringify(open.args.view)).toContain('"initial_value":"2017/18 Q4"');
    });

    it('lists reds and my indicators', async () => {
      // sickness-absence had a Q4 value submitted above (Q4 has no target), so it is no longer red;
      // third-sector-support is red in the published Q3 report and untouched by these tests.
      await s.slash(PRIYA, 'list red');
      const reds = textOf(await s.fake.waitFor('response_url'));
      expect(reds).toContain('third-sector-support');
      expect(reds).not.toContain('sickness-absence');
      s.fake.reset();
      await s.slash(LUCY, 'mine');
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('Your indicators');
    });

    it('publishes the App Home tab, with the reds in a director’s area', async () => {
      const body = JSON.stringify({ type: 'event_callback', team_id: 'T0COUNCIL', api_app_id: 'A0KPI', event: { type: 'app_home_opened', user: slackId('Tom'), channel: 'DTOM', tab: 'home', event_ts: '1' }, event_id: 'Ev1', event_time: 1 });
      expect((await s.post(body, { contentType: 'application/json' })).status).toBe(200);
      const publish = await s.fake.waitFor('views.publish');
      expect(textOf(publish)).toContain('Reds in your area');
      expect(textOf(publish)).toContain('third-sector-support');
    });

    it('links a first-time Slack user to the register by email', async () => {
      const emmaId = (await db.prisma.person.findFirstOrThrow({ where: { displayName: 'Emma Walsh' } })).id;
      await db.prisma.personIdentity.deleteMany({ where: { personId: emmaId, platform: 'slack' } });
      s.fake.users.set('UNEWEMMA', { email: 'emma.walsh@trafford.example', name: 'Emma Walsh' });
      await s.slash('UNEWEMMA', 'mine');
      expect(textOf(await s.fake.waitFor('response_url'))).toContain('Your indicators');
      expect(await db.prisma.personIdentity.findUnique({ where: { personId_platform: { personId: emmaId, platform: 'slack' } } })).toMatchObject({ platformUserId: 'UNEWEMMA', linkedBy: 'first-contact' });
    });
  });
});
