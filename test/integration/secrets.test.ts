// No secret in the logs: a full run at the most talkative log level — commands, forms, charts, jobs,
// Slack failing in every way it can — and the whole log searched for the bot token, the signing
// secret and the database password. Runs on PGlite and PostgreSQL (with a password in its URL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { linkDemoPeopleToSlack, slackId, startSlackApp, SIGNING_SECRET, type SlackHarness } from '../support/slack-app.ts';
import { buttonPress, selected, textInput, viewSubmission } from '../support/slack-payloads.ts';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { createLogger } from '../../src/log.ts';
import { loadConfig } from '../../src/config.ts';

const BOT_TOKEN = 'xoxb-1111-2222-SECRETBOTTOKEN';
const DB_PASSWORD = 'Sup3rSecretDbPassw0rd';

describe.each(backends('both'))('secrets stay out of the log on %s', (backend) => {
  let db: TestDatabase;
  let withPassword: Database | null = null;
  let s: SlackHarness;
  let log = '';
  const clock = new TestClock(new Date('2018-04-23T09:00:00Z'));
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      log += chunk.toString();
      done();
    },
  });

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await withDemo(db);
    await linkDemoPeopleToSlack(db);
    // PostgreSQL: the app runs on a URL with a password in it (the test cluster trusts loopback, so any password works).
    const appDb = db.url ? (withPassword = await openDatabase({ kind: 'postgres', url: db.url.replace('kpi@', `kpi:${DB_PASSWORD}@`) }, { migrations: 'require-current', log: createLogger('trace', sink) })) : db;
    s = await startSlackApp(appDb, clock, { SLACK_BOT_TOKEN: BOT_TOKEN, LOG_LEVEL: 'trace' }, createLogger('trace', sink));
  });
  afterAll(async () => {
    await s?.stop();
    await withPassword?.close();
    await db?.close();
  });

  it('logs a full run at trace level without a token, a secret or a password', async () => {
    const GARETH = slackId('Gareth');
    await s.slash(GARETH, 'help');
    await s.slash(GARETH, 'show street-cleanliness');
    await s.slash(GARETH, 'submit street-cleanliness 2017/18 Q4 78 est');
    await s.slash(GARETH, 'submit', { triggerId: 'trig-secret' });
    const street = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'street-cleanliness' } });
    await s.interact(viewSubmission(GARETH, 'submit', { indicator: selected(street.id), period: textInput('2017/18 Q3'), value: textInput('lots') }));
    await s.interact(buttonPress(GARETH, 'open-exception', JSON.stringify({ indicatorId: street.id, periodKey: '2017/18 Q4' })));
    await s.post('command=%2Fkpi&text=help&user_id=UX', { headers: { 'x-slack-signature': 'v0=forged' } });
    // Slack failing every way it can, while jobs run.
    s.fake.failNext('chat.postMessage', { kind: 'error', error: 'invalid_auth' });
    s.fake.failNext('chat.postMessage', { kind: 'http', status: 500 }, 4);
    s.fake.failNext('chat.postMessage', { kind: 'ratelimit', retryAfterSeconds: 1 });
    s.fake.failNext('files.getUploadURLExternal', { kind: 'error', error: 'not_authed' });
    for (const job of ['evaluate-statuses', 'chase-data', 'chase-exceptions', 'weekly-digest'] as const) await s.app.runner.run(job, clock.now());
    await s.app.idle();
    // A configuration error names the variable but not its value.
    expect(() => loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN })).toThrow(/SLACK_SIGNING_SECRET/);
    try {
      loadConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, DATABASE_URL: `mysql://kpi:${DB_PASSWORD}@db/kpi` });
    } catch (e) {
      log += (e as Error).message;
    }

    expect(log.length).toBeGreaterThan(10_000);
    expect(log).toContain('"level":20'); // the Web API client's debug lines (request bodies) were written
    for (const secret of [BOT_TOKEN, SIGNING_SECRET, DB_PASSWORD, 'SECRETBOTTOKEN', 'Bearer xox']) {
      expect(log.includes(secret), `the log contains ${secret}`).toBe(false);
    }
  }, 120_000);
});
