// The real app with Teams on, on loopback, against the fake Bot Connector and the test token
// issuer, driven by activities as Teams sends them (signed Bot Framework JWT on each). Demo people
// are linked to Teams ids aad-<first name> (e.g. "aad-lucy" for Lucy Chambers).
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { silentLogger, type Logger } from '../../src/log.ts';
import { startApp, type RunningApp } from '../../src/app.ts';
import { testCharts, testConfig, withDemo, type TestClock } from './app.ts';
import { createTestDatabase, linkPeople, type Backend, type TestDatabase } from './db.ts';
import { TokenIssuer } from './token-issuer.ts';
import { FakeBotConnector } from './fake-bot-connector.ts';
import { cardProblems } from './adaptive-cards.ts';

export const APP_ID = '6c2f1e0a-3b7d-4c55-9a1e-0b5e4f7d2a10';
export const APP_PASSWORD = 'test-app-password';
export const TENANT_ID = '5f0c8a34-2e6b-4d1f-8c3a-7b9e1d2f4a60';
/** Another organisation's tenant: the bot serves it no more than any other. */
export const FOREIGN_TENANT_ID = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
export const PUBLIC_URL = 'https://kpi.council.test';
/** The channel alerts go to, and the team it is in. */
export const CHANNEL = '19:performance@thread.tacv2';
export const TEAM = '19:general@thread.tacv2';

/** A demo person's Entra object id, from their first name. */
export const aadId = (firstName: string) => `aad-${firstName.toLowerCase()}`;
/** Their Bot Framework id in the tenant (29:…). */
export const teamsUserId = (firstName: string) => `29:${firstName.toLowerCase()}`;
export const personalChat = (firstName: string) => `a:personal-${firstName.toLowerCase()}`;

export async function linkDemoPeopleToTeams(db: TestDatabase, opts: { slackToo?: boolean } = {}): Promise<void> {
  await linkPeople(db, 'teams', (p) => aadId(p.displayName.split(' ')[0]!));
  if (!opts.slackToo) await linkPeople(db, 'slack', () => null);
}

export interface TeamsFakes {
  issuer: TokenIssuer;
  connector: FakeBotConnector;
  /** The environment that points the app's Teams transport at the fakes. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startTeamsFakes(): Promise<TeamsFakes> {
  const issuer = await TokenIssuer.start({ id: APP_ID, password: APP_PASSWORD });
  const connector = await FakeBotConnector.start((t) => issuer.issued(t), TENANT_ID);
  return {
    issuer,
    connector,
    env: {
      TEAMS_APP_ID: APP_ID,
      TEAMS_APP_PASSWORD: APP_PASSWORD,
      TEAMS_TENANT_ID: TENANT_ID,
      TEAMS_SERVICE_URL: connector.serviceUrl,
      TEAMS_OPENID_METADATA_URL: issuer.openIdMetadataUrl,
      TEAMS_LOGIN_URL: issuer.loginUrl,
      KPI_PUBLIC_URL: PUBLIC_URL,
    },
    async stop() {
      await connector.stop();
      await issuer.stop();
    },
  };
}

export type Where = 'personal' | 'channel' | 'groupChat';

export interface PostResult {
  status: number;
  json: unknown;
  text: string;
  ms: number;
}

let seq = 0;

/** Builds activities as Teams sends them and posts them to /api/messages with a Bot Framework token. */
export class TeamsClient {
  constructor(
    readonly url: string,
    private readonly fakes: TeamsFakes,
    /** The tenant the activities come from. */
    readonly tenantId: string = TENANT_ID,
  ) {}

  /** The same client, its activities from another tenant (Teams puts it in the conversation and in channelData). */
  fromTenant(tenantId: string): TeamsClient {
    return new TeamsClient(this.url, this.fakes, tenantId);
  }

  activity(type: string, who: string, where: Where, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const first = who.split(' ')[0]!;
    const n = ++seq;
    const tenantId = this.tenantId;
    const conversation =
      where === 'personal'
        ? { id: personalChat(first), conversationType: 'personal', tenantId }
        : where === 'channel'
          ? { id: `${CHANNEL};messageid=${1_600_000_000_000 + n}`, conversationType: 'channel', isGroup: true, tenantId }
          : { id: '19:group-chat@thread.v2', conversationType: 'groupChat', isGroup: true, tenantId };
    return {
      type,
      id: `f:${n}`,
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: this.fakes.connector.serviceUrl,
      from: { id: teamsUserId(first), name: who, aadObjectId: aadId(first) },
      recipient: { id: `28:${APP_ID}`, name: 'kpi' },
      conversation,
      channelData: {
        tenant: { id: tenantId },
        ...(where === 'channel' ? { team: { id: TEAM, name: 'Performance team' }, channel: { id: CHANNEL, name: 'Performance' } } : {}),
      },
      locale: 'en-GB',
      ...extra,
    };
  }

  /** POST an activity; `token` false sends none, a string sends that one. */
  async post(activity: Record<string, unknown>, opts: { token?: string | false } = {}): Promise<PostResult> {
    const token = opts.token === undefined ? this.fakes.issuer.botToken(String(activity.serviceUrl)) : opts.token;
    const t0 = performance.now();
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    const ms = performance.now() - t0;
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    // A card the invoke answers with replaces the one clicked: it is checked like every card sent.
    const answer = json as { type?: string; value?: unknown } | null;
    if (answer?.type === 'application/vnd.microsoft.card.adaptive') this.fakes.connector.cardProblems.push(...cardProblems(answer.value).map((p) => `invoke answer: ${p}`));
    return { status: res.status, json, text, ms };
  }

  /** A message typed to the bot (in a channel, it @mentions the bot as Teams does). */
  message(who: string, text: string, where: Where = 'personal'): Promise<PostResult> {
    return this.post(this.messageActivity(who, text, where));
  }

  /** The activity of a message typed to the bot, not sent (the benchmarks send it from their load generator). */
  messageActivity(who: string, text: string, where: Where = 'personal'): Record<string, unknown> {
    const mention = '<at>kpi</at>';
    const extra =
      where === 'personal'
        ? { text }
        : { text: `${mention} ${text}`, entities: [{ type: 'mention', text: mention, mentioned: { id: `28:${APP_ID}`, name: 'kpi' } }] };
    return this.activity('message', who, where, extra);
  }

  /** A file sent in the person's 1:1 chat with the bot (an attachment from `connector.hostFile`), with the message typed beside it. */
  sendFile(who: string, attachment: Record<string, unknown>, text = ''): Promise<PostResult> {
    return this.post(this.activity('message', who, 'personal', { text, attachments: [attachment] }));
  }

  /** A Universal Action (Action.Execute) from a card: `data` as the card had it, plus input values. */
  execute(who: string, data: Record<string, unknown>, where: Where = 'personal', replyToId = 'card-1'): Promise<PostResult> {
    return this.post(this.activity('invoke', who, where, { name: 'adaptiveCard/action', replyToId, value: { action: { type: 'Action.Execute', verb: 'kpi', data }, trigger: 'manual' } }));
  }

  /** The indicator picker asking for matches as the person types. */
  search(who: string, queryText: string, dataset = 'submit:indicator'): Promise<PostResult> {
    return this.post(this.activity('invoke', who, 'personal', { name: 'application/search', value: { queryText, dataset, queryOptions: { skip: 0, top: 15 } } }));
  }

  /** The app added to a person's Teams, or to the team that has the channel. */
  install(who: string, where: Where): Promise<PostResult> {
    return this.post(this.activity('conversationUpdate', who, where, { membersAdded: [{ id: `28:${APP_ID}` }], ...(where === 'channel' ? { conversation: { id: TEAM, conversationType: 'channel', isGroup: true, tenantId: this.tenantId } } : {}) }));
  }
}

export interface TeamsHarness {
  app: RunningApp;
  fakes: TeamsFakes;
  connector: FakeBotConnector;
  teams: TeamsClient;
  /** Wait until the work acknowledged activities started has finished. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * For a describe block: the demo database with everyone linked to Teams, and the app on it against
 * the fakes; the fake Bot Connector's calls are cleared before each test.
 */
export function useTeamsDemo(backend: Backend, clock: TestClock, opts: { log?: Logger; env?: Record<string, string> } = {}): { readonly db: TestDatabase; readonly h: TeamsHarness } {
  const ctx = {} as { db: TestDatabase; h: TeamsHarness };
  beforeAll(async () => {
    ctx.db = await createTestDatabase(backend);
    await withDemo(ctx.db);
    await linkDemoPeopleToTeams(ctx.db);
    ctx.h = await startTeamsApp(ctx.db, clock, opts.env, opts.log);
  });
  afterAll(async () => {
    await ctx.h?.stop();
    await ctx.db?.close();
  });
  beforeEach(() => ctx.h.connector.reset());
  // Every card a test made is valid Adaptive Cards at its version, and every activity within Teams' size limit.
  afterEach(() => expect(ctx.h.connector.cardProblems).toEqual([]));
  return ctx;
}

export async function startTeamsApp(db: TestDatabase, clock: TestClock, env: Record<string, string> = {}, log: Logger = silentLogger): Promise<TeamsHarness> {
  const fakes = await startTeamsFakes();
  const app = await startApp({ config: testConfig({ ...fakes.env, PORT: '0', ...env }), log, clock, db, charts: testCharts() });
  const teams = new TeamsClient(`http://127.0.0.1:${app.port}/api/messages`, fakes);
  return {
    app,
    fakes,
    connector: fakes.connector,
    teams,
    settle: () => app.idle(),
    async stop() {
      await app.stop();
      await fakes.stop();
    },
  };
}
