// The real app in Slack HTTP mode on loopback, against the fake Slack Web API, driven by signed
// requests. Demo people are linked to Slack user ids U-<first name> (e.g. "ULUCY" for Lucy Chambers).
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { silentLogger, type Logger } from '../../src/log.ts';
import { startApp, type RunningApp } from '../../src/app.ts';
import { FakeSlack } from './fake-slack.ts';
import { interactionBody, signSlackRequest, slashCommandBody } from './slack-signing.ts';
import { testCharts, testConfig, withDemo, type TestClock } from './app.ts';
import { createTestDatabase, linkPeople, type Backend, type TestDatabase } from './db.ts';
import type { Database } from '../../src/db/database.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

export interface SlackHarness {
  app: RunningApp;
  fake: FakeSlack;
  url: string;
  /** POST a raw body to /slack/events, signed unless `sign: false`. */
  post(body: string, opts?: { contentType?: string; sign?: boolean; timestamp?: number; headers?: Record<string, string> }): Promise<{ status: number; text: string; ms: number }>;
  slash(userId: string, text: string, opts?: { channel?: string; triggerId?: string }): Promise<{ status: number; text: string; ms: number; responseUrl: string }>;
  interact(payload: unknown): Promise<{ status: number; text: string; ms: number; json: unknown }>;
  stop(): Promise<void>;
}

let responseSeq = 0;

/** Slack user id for a demo person: U + first name in capitals. */
export const slackId = (firstName: string) => `U${firstName.toUpperCase()}`;

export async function linkDemoPeopleToSlack(db: TestDatabase): Promise<void> {
  await linkPeople(db, 'slack', (p) => slackId(p.displayName.split(' ')[0]!));
}

/**
 * The app against a fake Slack: a new one whose token has `scopes` (default: the manifest's), or
 * `fake`, already running (an app restarted against the same workspace).
 */
export async function startSlackApp(
  db: TestDatabase,
  clock: TestClock,
  env: Record<string, string> = {},
  log: Logger = silentLogger,
  workspace: { scopes?: readonly string[]; fake?: FakeSlack } = {},
): Promise<SlackHarness> {
  const fake = workspace.fake ?? (await FakeSlack.start(workspace.scopes ? { scopes: workspace.scopes } : {}));
  const config = testConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_BOT_USER_ID: 'UBOT',
    SLACK_BOT_ID: 'BBOT',
    PORT: '0',
    ...env,
  });
  const app = await startApp({ config, log, clock, db, charts: testCharts() });
  const url = `http://127.0.0.1:${app.port}/slack/events`;

  const post: SlackHarness['post'] = async (body, opts = {}) => {
    const ts = opts.timestamp ?? Math.floor(clock.now().getTime() / 1000);
    const headers: Record<string, string> = {
      'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
      ...(opts.sign === false ? {} : signSlackRequest(SIGNING_SECRET, body, ts)),
      ...opts.headers,
    };
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers, body });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - t0 };
  };

  return {
    app,
    fake,
    url,
    post,
    async slash(userId, text, opts = {}) {
      const responseUrl = fake.responseUrl(++responseSeq);
      const r = await post(slashCommandBody({ text, user_id: userId, response_url: responseUrl, ...(opts.channel ? { channel_id: opts.channel } : {}), ...(opts.triggerId ? { trigger_id: opts.triggerId } : {}) }));
      return { ...r, responseUrl };
    },
    async interact(payload) {
      const r = await post(interactionBody(payload));
      let json: unknown = null;
      try {
        json = r.text ? JSON.parse(r.text) : null;
      } catch {
        json = r.text;
      }
      return { ...r, json };
    },
    async stop() {
      await app.stop();
      await fake.stop();
    },
  };
}

/**
 * The demo subscribes a console channel to every theme; a Slack-only app needs a Slack channel: this
 * one, subscribed to the theme of the given indicator, and nothing else.
 */
export async function subscribeOnly(db: Database, channelId: string, themeOfIndicator: string): Promise<void> {
  const { themeId } = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: themeOfIndicator }, select: { themeId: true } });
  await db.prisma.channelSubscription.deleteMany();
  await db.prisma.channelSubscription.create({ data: { platform: 'slack', channelId, themeId, scope: `theme:${themeId}` } });
}

/**
 * The demo's people as members of the fake Slack workspace (U + first name, their register e-mail),
 * as in a council where everyone is on Slack — except the people named in `missing`, who are not.
 */
export async function demoWorkspace(db: TestDatabase, fake: FakeSlack, opts: { missing?: string[] } = {}): Promise<void> {
  const people = await db.prisma.person.findMany({ select: { displayName: true, email: true } });
  for (const p of people) {
    if (!p.email || opts.missing?.includes(p.displayName)) continue;
    fake.users.set(slackId(p.displayName.split(' ')[0]!), { email: p.email, name: p.displayName });
  }
}

/**
 * For a describe block: the demo organisation on a fresh database, its people members of the fake
 * Slack workspace and (unless `linked: false`: nobody has written to the bot yet) linked to Slack,
 * the app running against the fake Slack (reset before each test), all torn down afterwards.
 * `prepare` changes the data before the app starts; `env` and `log` go to the app; `scopes` are the
 * fake bot token's (default: the manifest's).
 */
export function useSlackDemo(
  backend: Backend,
  clock: TestClock,
  opts: { env?: Record<string, string>; log?: Logger; prepare?: (db: TestDatabase) => Promise<void>; linked?: boolean; notInWorkspace?: string[]; scopes?: readonly string[] } = {},
): { readonly db: TestDatabase; readonly s: SlackHarness } {
  const ctx = {} as { db: TestDatabase; s: SlackHarness };
  beforeAll(async () => {
    ctx.db = await createTestDatabase(backend);
    await withDemo(ctx.db);
    if (opts.linked !== false) await linkDemoPeopleToSlack(ctx.db);
    await opts.prepare?.(ctx.db);
    ctx.s = await startSlackApp(ctx.db, clock, opts.env, opts.log, opts.scopes ? { scopes: opts.scopes } : {});
    await demoWorkspace(ctx.db, ctx.s.fake, { missing: opts.notInWorkspace ?? [] });
  });
  afterAll(async () => {
    await ctx.s?.stop();
    await ctx.db?.close();
  });
  beforeEach(() => ctx.s.fake.reset());
  return ctx;
}
