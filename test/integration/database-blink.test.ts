// Every platform alike while the database blinks (a restart, a failover: a few seconds without
// it). A command sent then is tried again within the database budget, the person identified
// included, and saved once the database is back; when it stays away longer, the person is told
// it was not saved, with what they sent — on every platform in the registry, and the console.
// A Teams button is answered within the invoke, in a toast.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startConsole, TestClock, withDemo } from '../support/app.ts';
import { blinking, type BlinkingDatabase } from '../support/blinking-database.ts';
import { demoWorkspace, linkDemoPeopleToSlack, slackId, startSlackApp } from '../support/slack-app.ts';
import { linkDemoPeopleToTeams, personalChat, startTeamsApp } from '../support/teams-app.ts';
import { PLATFORMS } from '../../src/platforms/index.ts';

/** Two seconds of trying: a blink of two failed calls is over well within it. */
const ENV = { KPI_DATABASE_RETRY_SECONDS: '2' };
const SUBMIT = 'submit sickness-absence 2017/18 Q4 9.1 est payroll late';

/** Lucy Chambers (owner of sickness-absence) on one platform: what she is answered when she sends a command. */
interface Chat {
  send(text: string): Promise<string>;
  /** A button whose answer is the response itself (a Teams invoke): the response. */
  press?(id: string, value: string): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

const chats: Record<string, (db: BlinkingDatabase, clock: TestClock, raw: TestDatabase) => Promise<Chat>> = {
  async slack(b, clock, raw) {
    await linkDemoPeopleToSlack(raw);
    const s = await startSlackApp(b.db, clock, ENV);
    await demoWorkspace(raw, s.fake);
    return {
      async send(text) {
        s.fake.reset();
        await s.slash(slackId('Lucy'), text);
        return JSON.stringify((await s.fake.waitFor('response_url')).args);
      },
      stop: () => s.stop(),
    };
  },
  async teams(b, clock, raw) {
    await linkDemoPeopleToTeams(raw);
    const h = await startTeamsApp(b.db, clock, ENV);
    return {
      async send(text) {
        h.connector.reset();
        await h.teams.message('Lucy Chambers', text);
        return JSON.stringify((await h.connector.waitFor('send', (c) => c.conversationId === personalChat('Lucy'))).body);
      },
      press: (id, value) => h.teams.execute('Lucy Chambers', { kpi: 'action', id, value }),
      stop: () => h.stop(),
    };
  },
  async console(b, clock) {
    const con = await startConsole(b.db, clock, 'lucy.chambers@trafford.example', ENV);
    return { send: (text) => con.type(text), stop: () => con.close() };
  },
};

describe('every platform in the registry has a chat in this test', () => {
  it.each(PLATFORMS.map((p) => p.name))('%s', (name) => {
    expect(Object.keys(chats)).toContain(name);
  });
});

// One demo database for the file: each platform's app starts on it in turn, with no value for the quarter yet.
let raw: TestDatabase;
let b: BlinkingDatabase;
const where = { periodKey: '2017/18 Q4', indicator: { slug: 'sickness-absence' } };
beforeAll(async () => {
  raw = await createTestDatabase('pglite');
  await withDemo(raw);
  b = blinking(raw);
});
afterAll(async () => {
  await raw?.close();
});

describe.each(Object.keys(chats))('a database blink on %s', (platform) => {
  const clock = new TestClock(new Date('2018-02-01T09:00:00Z'));
  let chat: Chat;
  const stored = async () => (await raw.prisma.observation.findMany({ where })).map((o) => o.value.toNumber());

  beforeAll(async () => {
    await raw.prisma.observation.deleteMany({ where });
    chat = await chats[platform]!(b, clock, raw);
  });
  afterAll(async () => {
    await chat?.stop();
  });

  it('beyond the budget: the person is told it was not saved, with what they sent', async () => {
    b.down();
    let answer: string;
    try {
      answer = await chat.send(SUBMIT);
    } finally {
      b.up();
    }
    expect(answer).toContain('Not saved');
    expect(answer).toContain(SUBMIT);
    expect(await stored()).toEqual([]);
  });

  it('a blink within the budget: the command is tried again, the person identified, and saved once', async () => {
    const failedBefore = b.failed;
    b.blink(2);
    const answer = await chat.send(SUBMIT);
    expect(b.failed - failedBefore).toBe(2);
    expect(answer).toContain('Saved');
    expect(answer).not.toContain('Not saved');
    expect(await stored()).toEqual([9.1]);
  });

  it('a button answered in the response (a Teams invoke) beyond the budget: a toast says nothing was saved, and to press it again', async (t) => {
    if (!chat.press) return t.skip();
    b.down();
    let r;
    try {
      r = await chat.press('snooze', '{}');
    } finally {
      b.up();
    }
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect(JSON.stringify(r.json)).toContain('Not saved: the database is unavailable. Try again in a minute: press the button again.');
  });
});
