// The scheduled monitor end to end: jobs run against a real database with a test clock, their
// messages go out through the outbox to the fake Slack Web API, and every run is repeated to prove
// nothing is posted twice. Runs on PGlite and PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { slackId, subscribeOnly, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import type { RecordedCall } from '../support/fake-slack.ts';
import { buttonValue } from '../support/slack-payloads.ts';
import { periodFromKey } from '../../src/domain/periods.ts';
import { saveValue } from '../support/builders.ts';
import { JobRunner } from '../../src/runner.ts';
import { missedRuns, previousTick, Scheduler } from '../../src/scheduler.ts';
import { TestTimers } from '../support/timers.ts';
import { silentLogger } from '../../src/log.ts';
import { evaluateIndicator, forecastIndicator, historyWindow, YEAR_TO_DATE_WINDOW } from '../../src/services/evaluation.ts';
import { HISTORY_WINDOW } from '../../jobs/evaluate-statuses.ts';

const textOf = (c: RecordedCall) => JSON.stringify(c.args);
const CHANNEL = 'C0PERF';

describe.each(backends('both'))('scheduled monitor on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const app = useSlackDemo(backend, clock, { prepare: (db) => subscribeOnly(db, CHANNEL, 'street-cleanliness') });
  let db: TestDatabase;
  let s: SlackHarness;
  beforeAll(() => {
    ({ db, s } = app);
  });

  /** Save a value as the given person would (a new version when the period has one). */
  async function save(slug: string, periodKey: string, value: number, by = 'Gareth Lloyd') {
    const person = await db.prisma.person.findFirstOrThrow({ where: { displayName: by } });
    await saveValue(s.app.deps.repo, clock.now(), slug, periodKey, value, { id: person.id, label: by });
  }
  const run = async (job: Parameters<JobRunner['run']>[0]) => {
    const r = await s.app.runner.run(job, clock.now());
    if (r.outcome !== 'ok') throw new Error(`${job}: ${JSON.stringify(r)}`);
    return r;
  };
  const posts = (pred: (c: RecordedCall) => boolean = () => true) => s.fake.callsTo('chat.postMessage').filter(pred);


  describe('evaluate-statuses', () => {
    it('reads a window of recent values that evaluates exactly as the full history does', async () => {
      const repo = s.app.deps.repo;
      // Beside the demo's quarterly values: three years of a monthly cumulative indicator (year-to-date
      // against an annual target), one compared as the year to date with the same point last year, and
      // a monthly snapshot one compared with the same month last year.
      const monthly = [['ytd-monthly', 'cumulative', 'previous'], ['ytd-monthly-yoy', 'cumulative', 'same_last_year'], ['snapshot-monthly', 'snapshot', 'same_last_year']] as const;
      for (const [slug, aggregation, dotBasis] of monthly) {
        const ind = await db.prisma.indicator.create({ data: { slug, name: slug, polarity: 'higher', frequency: 'monthly', aggregation, dotBasis, unit: 'number', active: false } });
        for (let m = 0; m < 34; m++) {
          const p = periodFromKey(`${2015 + Math.floor((m + 3) / 12)}-${String(((m + 3) % 12) + 1).padStart(2, '0')}`);
          await db.prisma.observation.create({ data: { indicatorId: ind.id, periodKey: p.key, periodStart: new Date(p.start), periodEnd: new Date(p.end), value: 10 + ((m * 7) % 5), source: 'test', submittedAt: clock.now() } });
        }
        for (const fy of ['2015/16', '2016/17', '2017/18']) {
          const p = periodFromKey(fy);
          await db.prisma.target.create({ data: { indicatorId: ind.id, periodKey: fy, periodStart: new Date(p.start), periodEnd: new Date(p.end), value: 140 } });
        }
        await db.prisma.indicator.update({ where: { id: ind.id }, data: { active: true } });
      }
      // And a monthly percentage collected to date that the register calls a snapshot (read as one from its figures).
      const collected = await db.prisma.indicator.create({ data: { slug: 'collected-monthly', name: 'Council tax collected', polarity: 'higher', frequency: 'monthly', aggregation: 'snapshot', unit: '%', active: false } });
      for (let m = 0; m < 34; m++) {
        const p = periodFromKey(`${2015 + Math.floor((m + 3) / 12)}-${String(((m + 3) % 12) + 1).padStart(2, '0')}`);
        const value = Math.min(97, 9.6 * ((m % 12) + 1) + ((m * 7) % 5) / 10);
        await db.prisma.observation.create({ data: { indicatorId: collected.id, periodKey: p.key, periodStart: new Date(p.start), periodEnd: new Date(p.end), value, source: 'test', submittedAt: clock.now() } });
      }
      for (const fy of ['2015/16', '2016/17', '2017/18']) {
        const p = periodFromKey(fy);
        await db.prisma.target.create({ data: { indicatorId: collected.id, periodKey: fy, periodStart: new Date(p.start), periodEnd: new Date(p.end), value: 97 } });
      }
      await db.prisma.indicator.update({ where: { id: collected.id }, data: { active: true } });
      const [o, inds] = await Promise.all([repo.org(), repo.indicators()]);
      const window = historyWindow(inds, o);
      expect(window).toBe(YEAR_TO_DATE_WINDOW);
      const [full, windowed] = await Promise.all([repo.histories(inds.map((i) => i.id)), repo.recentHistories(window)]);
      const pick = (e: ReturnType<typeof evaluateIndicator>) => ({ period: e.period?.key, status: e.status, direction: e.direction, value: e.value, compared: e.comparedWith?.kind });
      for (const ind of inds) {
        const empty = { observations: [], targets: [] };
        expect(pick(evaluateIndicator(ind, windowed.get(ind.id) ?? empty, o)), ind.slug).toEqual(pick(evaluateIndicator(ind, full.get(ind.id)!, o)));
        // The year-end forecast too (a monthly count's seasonal profile needs last year's twelve months).
        expect(forecastIndicator(ind, windowed.get(ind.id) ?? empty, o), ind.slug).toEqual(forecastIndicator(ind, full.get(ind.id)!, o));
      }
      expect(forecastIndicator(inds.find((i) => i.slug === 'ytd-monthly')!, windowed.get(inds.find((i) => i.slug === 'ytd-monthly')!.id)!, o)?.method).toBe('seasonal');
      expect(windowed.get(inds.find((i) => i.slug === 'ytd-monthly')!.id)!.observations).toHaveLength(YEAR_TO_DATE_WINDOW);
      expect(evaluateIndicator(inds.find((i) => i.slug === 'ytd-monthly-yoy')!, windowed.get(inds.find((i) => i.slug === 'ytd-monthly-yoy')!.id)!, o).comparedWith?.kind).toBe('same-point');
      // The percentage to date is read as one from the window too, and forecast on last year's points.
      const collectedRecord = inds.find((i) => i.slug === 'collected-monthly')!;
      expect(forecastIndicator(collectedRecord, windowed.get(collected.id)!, o)).toMatchObject({ method: 'seasonal', basis: expect.stringContaining('read as a percentage to date') });
      // On its own it needs the longer window as well: last year's first months say what it is.
      const own = (await repo.recentHistories(historyWindow([collectedRecord], o), [collected.id])).get(collected.id)!;
      expect(forecastIndicator(collectedRecord, own, o)).toEqual(forecastIndicator(collectedRecord, full.get(collected.id)!, o));
      // Without a monthly count or percentage, the job reads the shorter window.
      expect(historyWindow(inds.filter((i) => !i.slug.startsWith('ytd-monthly') && i.slug !== 'collected-monthly'), o)).toBe(HISTORY_WINDOW);
      await db.prisma.indicator.deleteMany({ where: { slug: { in: [...monthly.map(([slug]) => slug), 'collected-monthly'] } } });
    });

    it('records where everything stands on its first run without alerting, and nothing on a repeat', async () => {
      const first = await run('evaluate-statuses');
      expect(first.summary).toMatchObject({ evaluated: 49, alerts: 0, baseline: 'yes' });
      expect(Number(first.summary.changes)).toBeGreaterThan(30);
      expect(await db.prisma.statusChange.count()).toBe(first.summary.changes);
      const again = await run('evaluate-statuses');
      expect(again.summary).toMatchObject({ changes: 0, alerts: 0, baseline: 'no' });
      expect(posts()).toHaveLength(0);
    });

    it('posts one alert with the owner, buttons and the chart when an indicator turns red — once', async () => {
      await save('street-cleanliness', '2017/18 Q3', 80.5);
      const r = await run('evaluate-statuses');
      expect(r.summary).toMatchObject({ changes: 1, alerts: 1, exceptionReportsReopened: 1 });
      // The alert, and a word to the owner: the approved exception report was written for 83.8% and needs updating.
      expect(r.sent).toMatchObject({ sent: 2, failed: 0 });
      expect(posts((c) => c.args.channel !== CHANNEL).map(textOf).join('\n')).toContain('needs updating: it was written for *83.8%*, and the period now has *80.5% (Red)*');
      const [alert] = posts((c) => c.args.channel === CHANNEL);
      expect(alert).toBeDefined();
      const t = textOf(alert!);
      expect(t).toContain('Turned red');
      expect(t).toContain('Was 🟠 Amber (83.8%) in 2017/18 Q3; now 🔴 Red (80.5%) in 2017/18 Q3.');
      expect(t).toContain(`<@${slackId('Gareth')}>`);
      expect(t).toContain('open-exception');
      expect(t).toContain('snooze');
      const upload = s.fake.callsTo('files.completeUploadExternal')[0];
      expect(upload?.args.channel_id).toBe(CHANNEL);
      expect([...s.fake.uploads.values()][0]!.subarray(1, 4).toString()).toBe('PNG');

      s.fake.reset();
      await run('evaluate-statuses');
      expect(posts()).toHaveLength(0);
      expect(await db.prisma.outboundMessage.count({ where: { purpose: 'alert' } })).toBe(1);
    });

    it('edits the living message and answers in its thread when the value changes again', async () => {
      const parent = await db.prisma.outboundMessage.findFirstOrThrow({ where: { purpose: 'alert' } });
      await save('street-cleanliness', '2017/18 Q3', 83);
      const r = await run('evaluate-statuses');
      expect(r.summary).toMatchObject({ changes: 1, alerts: 0, updates: 1 });
      const update = s.fake.callsTo('chat.update')[0]!;
      expect(update.args).toMatchObject({ channel: CHANNEL, ts: parent.messageId });
      expect(textOf(update)).toContain('Now amber');
      // The edited post shows its chart redrawn with the latest figures, uploaded into its thread.
      const image = (update.args.blocks as { type: string; slack_file?: { id: string }; alt_text?: string }[]).find((b) => b.type === 'image');
      expect(image?.alt_text).toContain('Q3 17/18 83%');
      expect(image?.alt_text).not.toContain('80.5%');
      const redrawn = s.fake.sharedFiles.find((f) => f.id === image?.slack_file?.id);
      expect(redrawn).toMatchObject({ channel: CHANNEL, thread_ts: parent.messageId, title: 'street-cleanliness trend' });
      expect(s.fake.uploads.get(image!.slack_file!.id)!.subarray(1, 4).toString()).toBe('PNG');
      const reply = posts((c) => c.args.thread_ts === parent.messageId)[0]!;
      expect(textOf(reply)).toContain('Was 🔴 Red (80.5%) in 2017/18 Q3; now 🟠 Amber (83%) in 2017/18 Q3.');
      expect(posts((c) => !c.args.thread_ts)).toHaveLength(0);

      s.fake.reset();
      await save('street-cleanliness', '2017/18 Q3', 80);
      await run('evaluate-statuses'); // red again, same period: still the same message
      expect(posts((c) => !c.args.thread_ts)).toHaveLength(0);
      expect(s.fake.callsTo('chat.update')).toHaveLength(1);
      expect(await db.prisma.statusChange.count({ where: { indicator: { slug: 'street-cleanliness' } } })).toBe(4);
    });

    it('edits the living message when a red value moves without a change of status, and keeps saying it is resolved after recovery', async () => {
      const parent = await db.prisma.outboundMessage.findFirstOrThrow({ where: { purpose: 'alert' } });
      s.fake.reset();
      // Slack fails the edit itself, after its redrawn chart is uploaded: tried again later, the chart is not uploaded twice.
      s.fake.failNext('chat.update', { kind: 'http', status: 500 });
      await save('street-cleanliness', '2017/18 Q3', 78);
      const r = await run('evaluate-statuses');
      expect(r.summary).toMatchObject({ changes: 1, alerts: 0, updates: 1 });
      expect(r.sent).toMatchObject({ failed: 1 });
      clock.advance(31_000);
      expect(await s.app.outbox.drain(clock.now())).toMatchObject({ sent: 1, failed: 0 });
      const uploads = s.fake.callsTo('files.completeUploadExternal');
      expect(uploads).toHaveLength(1);
      const edit = s.fake.callsTo('chat.update')[0]!;
      expect(textOf(edit)).toContain('78%');
      const image = (edit.args.blocks as { type: string; slack_file?: { id: string } }[]).find((b) => b.type === 'image');
      expect(image?.slack_file?.id).toBe((uploads[0]!.args.files as { id: string }[])[0]!.id);
      expect(textOf(posts((c) => c.args.thread_ts === parent.messageId)[0]!)).toContain('Was 🔴 Red (80%) in 2017/18 Q3; now 🔴 Red (78%) in 2017/18 Q3.');
      // Not material: the same at the indicator's printed precision (one decimal).
      s.fake.reset();
      await save('street-cleanliness', '2017/18 Q3', 78.02);
      expect((await run('evaluate-statuses')).summary).toMatchObject({ changes: 0, updates: 0 });
      expect(s.fake.callsTo('chat.update')).toHaveLength(0);
      // Recovered: said in the thread, and every later edit keeps saying so.
      await save('street-cleanliness', '2017/18 Q3', 86);
      await run('evaluate-statuses');
      expect(textOf(posts((c) => c.args.thread_ts === parent.messageId)[0]!)).toContain('Recovered.');
      expect(textOf(s.fake.callsTo('chat.update')[0]!)).toContain('Resolved: street-cleanliness is green now.');
      s.fake.reset();
      await save('street-cleanliness', '2017/18 Q3', 87);
      await run('evaluate-statuses');
      expect(textOf(s.fake.callsTo('chat.update')[0]!)).toContain('Resolved: street-cleanliness is green now.');
      expect(posts((c) => !c.args.thread_ts)).toHaveLength(0);
    });

    it('retries a post Slack refused with a 500, later, without posting twice', async () => {
      await db.prisma.target.create({
        data: { indicatorId: (await s.app.deps.repo.indicatorBySlug('street-cleanliness'))!.id, periodKey: '2017/18 Q4', periodStart: new Date('2018-01-01'), periodEnd: new Date('2018-03-31'), value: 85, amberFloor: 82 },
      });
      await save('street-cleanliness', '2017/18 Q4', 79);
      s.fake.failNext('chat.postMessage', { kind: 'http', status: 500 }, 10);
      const r = await run('evaluate-statuses');
      expect(r.summary).toMatchObject({ alerts: 1 });
      expect(r.sent).toMatchObject({ sent: 0, failed: 1 });
      const row = await db.prisma.outboundMessage.findFirstOrThrow({ where: { idempotencyKey: { contains: '2017/18 Q4' } } });
      expect(row).toMatchObject({ state: 'pending', attempts: 1 });
      s.fake.reset();
      expect((await s.app.outbox.drain(clock.now())).sent).toBe(0); // not due yet
      clock.advance(31_000);
      expect((await s.app.outbox.drain(clock.now())).sent).toBe(1);
      expect(posts()).toHaveLength(1);
      expect(textOf(posts()[0]!)).toContain('2017/18 Q4');
      expect((await s.app.outbox.drain(clock.now())).sent).toBe(0);
    });

    it('records but does not post while an indicator is snoozed', async () => {
      const ind = (await s.app.deps.repo.indicatorBySlug('street-cleanliness'))!;
      await s.app.deps.repo.snooze(ind.id, new Date(clock.now().getTime() + 7 * 86_400_000), null);
      await save('street-cleanliness', '2017/18 Q4', 86);
      const r = await run('evaluate-statuses');
      expect(r.summary).toMatchObject({ changes: 1, snoozed: 1, alerts: 0, updates: 0 });
      expect(posts()).toHaveLength(0);
      await db.prisma.snooze.deleteMany();
    });

    it('alerts once when an indicator still green is forecast to miss its year-end target', async () => {
      const ind = (await s.app.deps.repo.indicatorBySlug('highway-inspections'))!;
      const year = periodFromKey('2017/18');
      await db.prisma.target.create({ data: { indicatorId: ind.id, periodKey: year.key, periodStart: new Date(year.start), periodEnd: new Date(year.end), value: 95 } });
      s.fake.reset();
      // The forecast is recorded (on course: 96.6% falling gently), but is not news.
      expect((await run('evaluate-statuses')).summary).toMatchObject({ alerts: 0, updates: 0 });
      await save('highway-inspections', '2017/18 Q3', 95.2);
      expect((await run('evaluate-statuses')).summary).toMatchObject({ changes: 1, alerts: 1 });
      const alert = textOf(posts((c) => c.args.channel === CHANNEL && !c.args.thread_ts)[0]!);
      expect(alert).toContain('Forecast to miss');
      expect(alert).toContain('Year end 2017/18:* on course to miss the year-end target of 95%: forecast 93.2% (within the tolerance).');
      s.fake.reset();
      await run('evaluate-statuses');
      expect(posts()).toHaveLength(0);
    });
  });

  describe('chase-data', () => {
    it('sends each owner one message listing everything due, with prefilled submit buttons — once a day', async () => {
      const r = await run('chase-data');
      // The demo collects from 2017/18 Q3: the two owners whose Q3 values are not in (on main, every
      // historical gap went out: 2016/17 annual values, Q2 values whose Q3 was in — to six owners).
      expect(r.summary).toMatchObject({ people: 2, firstChases: 2, collectFrom: '2017/18 Q3' });
      const toBen = posts((c) => c.args.channel === slackId('Ben'));
      expect(toBen).toHaveLength(1);
      const t = textOf(toBen[0]!);
      expect(t).toContain('benefit-claimants');
      expect(t).toContain('2017/18 Q3, due 30 Jan 2018 (4 working days overdue)');
      expect(t).toContain('open-submit');
      expect(t).toContain('\\"periodKey\\":\\"2017/18 Q3\\"');
      const count = posts().length;
      expect(count).toBe(r.summary.people);

      s.fake.reset();
      const again = await run('chase-data');
      expect(again.summary).toMatchObject({ people: 0, reminders: 0 });
      expect(posts()).toHaveLength(0);
    });

    it('keeps the cadence, then escalates to the deputy and the director, and skips an absent owner', async () => {
      const repo = s.app.deps.repo;
      await repo.updateOrg({ chaseCadence: [0, 1, 2], escalateAfter: 1 });
      clock.set('2018-02-06T09:00:00Z'); // one working day later: reminder 2 goes to Ben's deputy
      await run('chase-data');
      expect(posts((c) => c.args.channel === slackId('Ben'))).toHaveLength(0);
      const toRachel = posts((c) => c.args.channel === slackId('Rachel'));
      expect(toRachel).toHaveLength(1);
      expect(textOf(toRachel[0]!)).toContain('the owner has not responded (reminder 2)');
      s.fake.reset();
      clock.set('2018-02-07T09:00:00Z'); // then to the director
      await run('chase-data');
      expect(textOf(posts((c) => c.args.channel === slackId('Aisha'))[0]!)).toContain('benefit-claimants');

      // A fresh period: Lucy is away, so her deputy Imran is asked from the first reminder.
      await repo.updateOrg({ chaseCadence: [0, 3, 7], escalateAfter: 3 });
      await db.prisma.person.updateMany({ where: { displayName: 'Lucy Chambers' }, data: { absentUntil: new Date('2018-05-31') } });
      clock.set('2018-05-01T09:00:00Z');
      s.fake.reset();
      await run('chase-data');
      expect(posts((c) => c.args.channel === slackId('Lucy'))).toHaveLength(0);
      const toImran = posts((c) => c.args.channel === slackId('Imran'));
      expect(toImran).toHaveLength(1);
      expect(textOf(toImran[0]!)).toContain('the owner is away');
      await db.prisma.person.updateMany({ where: { displayName: 'Lucy Chambers' }, data: { absentUntil: null } });
      clock.set('2018-02-07T09:00:00Z');
    });
  });

  describe('chase-exceptions', () => {
    it('asks the owner of a red indicator for the exception report, with a button that opens the form — once the quarter’s value is due', async () => {
      await save('street-cleanliness', '2017/18 Q4', 78);
      await run('evaluate-statuses');
      s.fake.reset();
      // Typed early, in a quarter still running: no report is owed for it yet.
      await run('chase-exceptions');
      expect(posts((c) => c.args.channel === slackId('Gareth'))).toHaveLength(0);
      // Q4's value is due on 30 April.
      clock.set('2018-05-01T09:30:00Z');
      await run('chase-exceptions');
      const toGareth = posts((c) => c.args.channel === slackId('Gareth'));
      expect(toGareth).toHaveLength(1);
      const t = textOf(toGareth[0]!);
      expect(t).toContain('Exception reports owed');
      expect(t).toContain('street-cleanliness');
      expect(t).toContain('Why is performance at the current level?');
      expect(buttonValue(toGareth[0]!.args.blocks, 'open-exception')).toContain('2017/18 Q4');

      s.fake.reset();
      await run('chase-exceptions');
      expect(posts()).toHaveLength(0);
      clock.set('2018-02-07T09:00:00Z');
    });
  });

  describe('weekly-digest', () => {
    it("sends every director their area's reds, what changed this week, and a chart — once a week", async () => {
      clock.set('2018-02-13T09:00:00Z');
      await save('street-cleanliness', '2017/18 Q4', 86); // recovers
      await run('evaluate-statuses');
      clock.set('2018-02-14T09:00:00Z');
      await save('highway-inspections', '2017/18 Q3', 80); // was green
      await run('evaluate-statuses');
      s.fake.reset();
      clock.set('2018-02-19T08:00:00Z');
      const r = await run('weekly-digest');
      // Six directors, and the performance admin (the whole organisation).
      expect(r.summary).toMatchObject({ directors: 6, admins: 1, sent: 7, undeliverable: 0 });
      const toHelen = posts((c) => c.args.channel === slackId('Helen'));
      expect(toHelen).toHaveLength(1);
      const t = textOf(toHelen[0]!);
      expect(t).toContain('Weekly performance digest');
      expect(t).toContain('Since last week: 1 turned red, 1 recovered.');
      expect(t).toContain('*New reds since last week* (1)');
      expect(t).toContain('🟢 → 🔴 *highway-inspections* 80% · 2017/18 Q3');
      expect(t).toContain('🔴 → 🟢 *street-cleanliness* 86% · 2017/18 Q4');
      expect(t).toContain('/kpi show highway-inspections');
      const blocks = toHelen[0]!.args.blocks as unknown[];
      expect(blocks.length).toBeLessThanOrEqual(50);
      expect(s.fake.callsTo('files.completeUploadExternal').length).toBeGreaterThan(0);

      s.fake.reset();
      clock.set('2018-02-21T08:00:00Z'); // same week
      expect((await run('weekly-digest')).summary).toMatchObject({ sent: 0, alreadySent: 7 });
      expect(posts()).toHaveLength(0);
    });
  });

  describe('running jobs', () => {
    it('runs a scheduled time once, even when two processes claim it at the same moment', async () => {
      const deps = s.app.deps;
      const a = new JobRunner(db.prisma, deps, null, silentLogger);
      const b = new JobRunner(db.prisma, deps, null, silentLogger);
      const at = new Date('2018-02-19T09:00:00Z');
      const results = await Promise.all([a.run('chase-data', at, { scheduledFor: at }), b.run('chase-data', at, { scheduledFor: at })]);
      expect(results.map((r) => r.outcome).sort()).toEqual(['ok', 'skipped']);
      expect(await db.prisma.jobRun.count({ where: { job: 'chase-data', scheduledFor: at } })).toBe(1);
    });

    it('leaves a job to the process holding its lease until the lease expires', async () => {
      const deps = s.app.deps;
      const at = new Date('2018-02-20T09:00:00Z');
      await db.prisma.jobLease.create({ data: { job: 'chase-exceptions', holder: 'other-host:123', expiresAt: new Date(at.getTime() + 60_000) } });
      const runner = new JobRunner(db.prisma, deps, null, silentLogger);
      expect(await runner.run('chase-exceptions', at)).toMatchObject({ outcome: 'skipped', reason: 'another process is running it' });
      expect((await runner.run('chase-exceptions', new Date(at.getTime() + 61_000))).outcome).toBe('ok');
      expect(await db.prisma.jobLease.count()).toBe(0);
    });

    it('runs a failed scheduled run again a few minutes later, once, and one whose process died after its lease', async () => {
      await db.prisma.jobRun.deleteMany();
      const deps = s.app.deps;
      const broken = { ...deps, repo: Object.assign(Object.create(deps.repo) as typeof deps.repo, { org: async () => { throw new Error('the database went away'); } }) };
      const failing = new JobRunner(db.prisma, broken, null, silentLogger);
      const runner = new JobRunner(db.prisma, deps, null, silentLogger);
      const cron = { 'evaluate-statuses': '*/15 * * * *', 'chase-data': '0 9 * * 1-5', 'chase-exceptions': '30 9 * * 1-5', 'chase-actions': '0 10 * * 1-5', 'alert-actions': '*/15 * * * *', 'weekly-digest': '0 8 * * 1', 'drain-outbox': '* * * * *' };
      const o = { runner, cron, timeZone: 'Europe/London' };
      const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

      const tuesday = new Date('2018-03-06T09:00:00Z');
      expect((await failing.run('chase-data', tuesday, { scheduledFor: tuesday })).outcome).toBe('failed');
      // Not straight away (the fault may still be there)…
      expect(await missedRuns(o, minutes(tuesday, 1))).toEqual([]);
      expect((await runner.run('chase-data', minutes(tuesday, 1), { scheduledFor: tuesday })).outcome).toBe('skipped');
      // …but five minutes on, once.
      expect(await missedRuns(o, minutes(tuesday, 6))).toEqual([{ job: 'chase-data', scheduledFor: tuesday }]);
      expect((await runner.run('chase-data', minutes(tuesday, 6), { scheduledFor: tuesday })).outcome).toBe('ok');
      expect(await missedRuns(o, minutes(tuesday, 12))).toEqual([]);
      expect(await db.prisma.jobRun.count({ where: { job: 'chase-data' } })).toBe(1);

      // A run left "running" by a process that died: free again once its lease would have run out.
      const wednesday = new Date('2018-03-07T09:00:00Z');
      await db.prisma.jobRun.create({ data: { job: 'chase-data', scheduledFor: wednesday, startedAt: wednesday, status: 'running' } });
      expect(await missedRuns(o, minutes(wednesday, 10))).toEqual([]);
      expect(await missedRuns(o, minutes(wednesday, 16))).toEqual([{ job: 'chase-data', scheduledFor: wednesday }]);
      // Not in the evening: a morning chase at 16:00 is no longer what anyone expects.
      expect(await missedRuns(o, minutes(wednesday, 7 * 60))).toEqual([]);
    });

    it('runs a time the autumn clock change repeats once — across two processes and a restart in the repeated hour — and catches up the spring one', async () => {
      await db.prisma.jobRun.deleteMany();
      const yearly = '0 0 1 1 *';
      const cron = { 'evaluate-statuses': yearly, 'chase-data': '30 1 * * *', 'chase-exceptions': yearly, 'chase-actions': yearly, 'alert-actions': yearly, 'weekly-digest': yearly, 'drain-outbox': yearly };
      const timeZone = 'Europe/London';
      const night = new TestClock(new Date('2026-10-24T23:00:00Z'));
      const timers = new TestTimers(night);
      const replica = () => new Scheduler({ runner: new JobRunner(db.prisma, s.app.deps, null, silentLogger), clock: night, timer: timers, log: silentLogger, cron, timeZone });
      const [a, b] = [replica(), replica()];
      await a.start();
      await b.start();
      const settle = async () => {
        await a.idle();
        await b.idle();
      };
      // 01:30 BST (00:30 UTC) runs; 01:30 GMT (01:30 UTC), an hour later, is not a scheduled time.
      await timers.runUntil('2026-10-25T01:40:00Z', settle);
      const o = { runner: new JobRunner(db.prisma, s.app.deps, null, silentLogger), cron, timeZone };
      expect(await missedRuns(o, night.now())).toEqual([]);
      // A third process starts at 01:40 GMT, after the second 01:30: nothing to catch up.
      const c = replica();
      await c.start();
      await c.idle();
      await timers.runUntil('2026-10-25T04:00:00Z', async () => {
        await settle();
        await c.idle();
      });
      for (const p of [a, b, c]) await p.stop();
      const runs = await db.prisma.jobRun.findMany({ where: { job: 'chase-data' }, select: { scheduledFor: true, status: true } });
      expect(runs).toEqual([{ scheduledFor: new Date('2026-10-25T00:30:00Z'), status: 'ok' }]);

      // Down over the spring night (last run 01:30 GMT on Saturday): at 04:00 BST the skipped 01:30 is caught up, as the 02:00 BST run.
      await db.prisma.jobRun.deleteMany();
      const saturday = new Date('2026-03-28T01:30:00Z');
      await o.runner.run('chase-data', saturday, { scheduledFor: saturday });
      expect(await missedRuns(o, new Date('2026-03-29T03:00:00Z'))).toEqual([{ job: 'chase-data', scheduledFor: new Date('2026-03-29T01:00:00Z') }]);
    });

    it('catches up a run missed while stopped once, not once per missed tick', async () => {
      const runner = new JobRunner(db.prisma, s.app.deps, null, silentLogger);
      const cron = { 'evaluate-statuses': '*/15 * * * *', 'chase-data': '0 9 * * 1-5', 'chase-exceptions': '30 9 * * 1-5', 'chase-actions': '0 10 * * 1-5', 'alert-actions': '*/15 * * * *', 'weekly-digest': '0 8 * * 1', 'drain-outbox': '* * * * *' };
      await db.prisma.jobRun.deleteMany();
      const o = { runner, cron, timeZone: 'Europe/London' };
      const monday = new Date('2018-03-05T08:00:00Z');
      await runner.run('weekly-digest', monday, { scheduledFor: monday });
      // Down from Tuesday 6 March to Thursday 22 March: two Mondays missed, one catch-up, for the latest.
      const back = new Date('2018-03-22T10:00:00Z');
      const missed = await missedRuns(o, back);
      expect(missed).toEqual([{ job: 'weekly-digest', scheduledFor: new Date('2018-03-19T08:00:00Z') }]);
      await runner.run('weekly-digest', back, { scheduledFor: missed[0]!.scheduledFor });
      expect(await missedRuns(o, back)).toEqual([]);
      // Cron times are London times: 08:00 on a summer Monday is 07:00 UTC.
      expect(previousTick('0 8 * * 1', new Date('2018-07-04T12:00:00Z'), 'Europe/London')).toEqual(new Date('2018-07-02T07:00:00Z'));
    });
  });
});
