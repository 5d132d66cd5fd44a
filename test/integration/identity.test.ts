// Ids from a People sheet against a real workspace. The sample register once carried `ULUCY`: in a
// council's own Slack that id is nobody's (or someone else's), and the real Lucy — same e-mail, her
// own id — was told she was not in the register while her chases went to the placeholder. Now an id
// from a sheet is used only when Slack confirms it belongs to the person's e-mail; the person's own
// first message, or a lookup by e-mail, replaces it. And someone writing from a second account with
// the e-mail of a person already confirmed elsewhere is held for a performance admin, who is told
// what to do — the person is told that, not that the register lacks them.
// Through signed HTTP, the fake Slack Web API (a workspace that answers users.info with each member's
// real e-mail, and user_not_found for an id that is nobody's) and the CLI on one PGlite database; and
// the same for a Teams ID, which the team roster confirms.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, setLink, type TestDatabase } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { startTeamsApp, TEAM, teamsUserId } from '../support/teams-app.ts';
import { SIGNING_SECRET, slackId, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import type { RecordedCall } from '../support/fake-slack.ts';
import { runKpi } from '../support/cli.ts';
import { xlsx } from '../support/workbooks.ts';
import { createLogger } from '../../src/log.ts';

const textOf = (c: RecordedCall) => JSON.stringify(c.args);
const LUCY = 'lucy.chambers@trafford.example';
/** Lucy's own Slack id in the council's workspace (not the sample's ULUCY). */
const REAL_LUCY = 'U07LUCY01';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kpi-identity-'));

async function peopleSheet(name: string, rows: (string | null)[][], head = ['Name', 'Email', 'Role', 'Slack ID']): Promise<string> {
  const p = path.join(tmp, name);
  writeFileSync(p, await xlsx({ People: [head, ...rows] }));
  return p;
}

describe.each(backends('pglite'))('chat ids from a People sheet in a real workspace on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  // The bot's warnings, so that an answer that is not the one expected says what the bot saw (a failed look-up, say).
  const warnings: string[] = [];
  const logSink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) warnings.push(line.slice(0, 400));
      done();
    },
  });
  const app = useSlackDemo(backend, clock, { linked: false, log: createLogger('warn', logSink) });
  let db: TestDatabase;
  let s: SlackHarness;
  let env: Record<string, string>;
  const answer = async (responseUrl: string) => textOf(await s.fake.waitFor('response_url', (c) => responseUrl.endsWith(`/${String(c.args.responseId)}`)));
  const linkOf = async (email: string) => (await db.prisma.personIdentity.findMany({ where: { person: { email } }, select: { platformUserId: true, linkedBy: true } }))[0] ?? null;
  const confirmed = async (email: string) => (await db.prisma.personIdentity.findMany({ where: { person: { email } }, select: { confirmed: true } }))[0]?.confirmed;
  beforeAll(() => {
    ({ db, s } = app);
    env = { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: s.fake.apiUrl, SLACK_BOT_USER_ID: 'UBOT', SLACK_BOT_ID: 'BBOT' };
  });

  /** The council's workspace: Lucy is there under her own id; ULUCY is nobody. */
  const councilWorkspace = () => {
    s.fake.onlyMembers = true;
    s.fake.users.delete(slackId('Lucy'));
    s.fake.users.set(REAL_LUCY, { email: LUCY, name: 'Lucy Chambers' });
  };

  it('a placeholder ULUCY from the sheet does not stop the real Lucy being linked when she writes, and chased there', async () => {
    councilWorkspace();
    const imported = await runKpi(db, ['import', await peopleSheet('people.xlsx', [['Lucy Chambers', LUCY, 'officer', 'ULUCY']])], env);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);

    const mine = await s.slash(REAL_LUCY, 'mine');
    const said = await answer(mine.responseUrl);
    expect(said).not.toContain('not in the indicator register');
    expect(said).toContain('Your indicators');
    expect(await linkOf(LUCY)).toEqual({ platformUserId: REAL_LUCY, linkedBy: 'first-contact' });
    expect(await confirmed(LUCY)).toBe(true);
    expect(imported.stdout).toContain('1 chat user id from the People sheet is used only once the platform confirms it belongs to the person');

    // A value of hers that is really due: 2017/18 Q3 of sickness-absence, due 30 January.
    const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'sickness-absence' }, select: { id: true, owner: { select: { email: true } } } });
    expect(ind.owner?.email).toBe(LUCY);
    await db.prisma.observation.deleteMany({ where: { indicatorId: ind.id, periodKey: '2017/18 Q3' } });
    s.fake.reset();
    const r = await s.app.runner.run('chase-data', clock.now());
    expect(r.outcome).toBe('ok');
    await s.app.runner.run('drain-outbox', clock.now());
    const toLucy = s.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === REAL_LUCY);
    expect(toLucy).toHaveLength(1);
    expect(textOf(toLucy[0]!)).toContain('sickness-absence');
    expect(s.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'ULUCY')).toEqual([]);
  });

  it('people sync confirms an id that is theirs, and replaces one that is nobody’s by the person found by e-mail', async () => {
    councilWorkspace();
    await db.prisma.personIdentity.deleteMany({ where: { person: { email: { in: [LUCY, 'emma.walsh@trafford.example'] } } } });
    const imported = await runKpi(db, ['import', await peopleSheet('people-2.xlsx', [['Lucy Chambers', LUCY, 'officer', 'ULUCY'], ['Emma Walsh', 'emma.walsh@trafford.example', 'officer', slackId('Emma')]])], env);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    s.fake.reset();
    const sync = await runKpi(db, ['people', 'sync'], env);
    expect(sync.code, sync.stderr).toBe(0);
    expect(await linkOf(LUCY)).toEqual({ platformUserId: REAL_LUCY, linkedBy: 'lookup' });
    expect(await linkOf('emma.walsh@trafford.example')).toMatchObject({ platformUserId: slackId('Emma') });
    expect([await confirmed(LUCY), await confirmed('emma.walsh@trafford.example')]).toEqual([true, true]);
    // Emma's id was confirmed with users.info, not looked up again by e-mail.
    expect(s.fake.lookupsOf('emma.walsh@trafford.example')).toBe(0);
    expect(s.fake.callsTo('users.info').map((c) => c.args.user).sort()).toEqual(['ULUCY', slackId('Emma')].sort());
  });

  it('a second account with a confirmed person’s e-mail is held for an admin, who is told what to do; the person is told why', async () => {
    councilWorkspace();
    // Lucy's first account was deactivated; she writes from a new one.
    s.fake.users.set(REAL_LUCY, { email: LUCY, name: 'Lucy Chambers', deleted: true });
    s.fake.users.set('U07LUCY02', { email: LUCY, name: 'Lucy Chambers' });
    const lucy = await db.prisma.person.findUniqueOrThrow({ where: { email: LUCY } });
    await setLink(db, lucy.id, 'slack', REAL_LUCY); // found on Slack by her e-mail, long ago
    s.fake.reset();
    warnings.length = 0; // only what the bot says about this request
    const submit = await s.slash('U07LUCY02', 'submit sickness-absence 2017/18 Q3 9.1');
    const said = await answer(submit.responseUrl);
    const seen = `the bot's warnings: ${warnings.join('\n')}; users.info calls: ${JSON.stringify(s.fake.callsTo('users.info').map((c) => c.args))}`;
    expect(said, seen).toContain(`Your e-mail address (${LUCY}) is in the indicator register, as Lucy Chambers, but the register links that person to another Slack account`);
    expect(said).not.toContain('You are not in the indicator register');
    await s.slash('U07LUCY02', 'mine');
    await s.app.runner.run('drain-outbox', clock.now());
    const toPriya = s.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === slackId('Priya'));
    expect(toPriya).toHaveLength(1);
    expect(textOf(toPriya[0]!)).toContain(`people edit ${LUCY} --slack-id U07LUCY02`);

    const edit = await s.slash(slackId('Priya'), `people edit ${LUCY} --slack-id U07LUCY02`);
    expect(await answer(edit.responseUrl)).toContain(`Slack ${REAL_LUCY} → U07LUCY02`);
    const mine = await s.slash('U07LUCY02', 'mine');
    expect(await answer(mine.responseUrl)).toContain('Your indicators');
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: 'person.edit' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ actorLabel: `slack:${slackId('Priya')}`, details: { changes: { 'slack id': { from: REAL_LUCY, to: 'U07LUCY02' } } } });
  });
});

describe.each(backends('pglite'))('a Teams ID from a People sheet on %s', (backend) => {
  it('is used only when the team roster says it is the person’s: someone else’s id gives way to the person found by e-mail', async () => {
    const db = await createTestDatabase(backend);
    await withDemo(db);
    const clock = new TestClock(new Date('2018-02-12T08:00:00Z'));
    const h = await startTeamsApp(db, clock);
    try {
      const entra = (n: number) => `6e0a8f2c-3b1d-4c5e-9f7a-1b2c3d4e5f6${n}`;
      const directors = [['Tom', 'Tom Brennan'], ['Richard', 'Richard Okafor'], ['Sarah', 'Sarah Whitfield']] as const;
      directors.forEach(([first, name], i) => h.connector.members.set(first, { id: teamsUserId(first), aadObjectId: entra(i), name, email: `${name.toLowerCase().replace(' ', '.')}@trafford.example` }));
      h.connector.teams.set(TEAM, directors.map(([first]) => first));
      await h.teams.install('Priya Shah', 'channel');
      await h.settle();
      // The sheet gives Tom Richard's id (a row slipped), and Sarah her own.
      const sheet = await peopleSheet('teams-people.xlsx', [['Tom Brennan', 'tom.brennan@trafford.example', 'director', entra(1)], ['Sarah Whitfield', 'sarah.whitfield@trafford.example', 'director', entra(2)]], ['Name', 'Email', 'Role', 'Teams ID']);
      const imported = await runKpi(db, ['import', sheet]);
      expect(imported.code, imported.stdout + imported.stderr).toBe(0);

      const r = await h.app.runner.run('weekly-digest', clock.now());
      expect(r.outcome).toBe('ok');
      const chatsWith = (first: string) => h.connector.callsTo('createConversation').filter((c) => JSON.stringify(c.body.members).includes(teamsUserId(first)));
      for (const [first] of directors) {
        expect(chatsWith(first), first).toHaveLength(1);
        expect(h.connector.callsTo('send', `a:1on1-${teamsUserId(first)}`), first).toHaveLength(1);
      }
      const links = await db.prisma.personIdentity.findMany({ where: { platform: 'teams' }, select: { platformUserId: true, confirmed: true, person: { select: { displayName: true } } }, orderBy: { platformUserId: 'asc' } });
      expect(links.map((l) => [l.person.displayName, l.platformUserId, l.confirmed])).toEqual(directors.map(([, name], i) => [name, entra(i), true]));
    } finally {
      await h.stop();
      await db.close();
    }
  });
});
