// Finding people and channels on Teams. The bot can write to someone only once the app is installed
// for them or in a team they are in; the members of those teams (the Bot Connector's paged members
// API, per team the app was installed in) carry each person's Entra object id, e-mail / UPN and
// tenant. A register person is matched by e-mail to a member of the council's tenant, and the
// member's Bot Framework id is kept so a 1:1 chat can be started with them. A Teams ID (Entra object
// id) from a People sheet is confirmed by the same roster: the member with that id must have the
// person's e-mail.
import type { ChannelAccess, PeopleFinder, PlatformKit } from '../../ports.ts';
import type { Logger } from '../../log.ts';
import { channelKey, personKey, type ConversationStore } from './conversations.ts';
import type { TeamsMessenger } from './messenger.ts';

/** A roster read is used for this long before the teams are asked again. */
export const ROSTER_TTL_MS = 10 * 60_000;
const PAGE_SIZE = 500;

interface RosterMember {
  id: string;
  aadObjectId: string;
  email: string | null;
  upn: string | null;
  tenantId: string | undefined;
  serviceUrl: string;
}

export class TeamsRosterFinder implements PeopleFinder {
  readonly platform = 'teams' as const;
  readonly label = 'Microsoft Teams';
  private roster: { at: number; byEmail: Map<string, RosterMember>; byAad: Map<string, RosterMember>; teams: number } | null = null;
  private loading: Promise<NonNullable<TeamsRosterFinder['roster']>> | null = null;

  constructor(
    private readonly messenger: TeamsMessenger,
    private readonly store: ConversationStore,
    /** Members of these tenants only (the council's): a directory e-mail is only as good as its tenant. */
    private readonly tenants: (tenantId: string | undefined) => boolean,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Forget the roster (the app was added to a team): the next lookup reads it again. */
  invalidate(): void {
    this.roster = null;
  }

  private async load(): Promise<NonNullable<TeamsRosterFinder['roster']>> {
    if (this.roster && this.now() - this.roster.at < ROSTER_TTL_MS) return this.roster;
    this.loading ??= (async () => {
      try {
        const byEmail = new Map<string, RosterMember>();
        const byAad = new Map<string, RosterMember>();
        const teams = await this.store.teams();
        for (const team of teams) {
          let token: string | undefined;
          do {
            const page = await this.messenger.call('roster', () => this.messenger.api(team.serviceUrl).conversations.getPagedMembers(team.teamId, PAGE_SIZE, token));
            for (const m of page.members ?? []) {
              const member = m as typeof m & { tenantId?: string; userPrincipalName?: string };
              if (!member.aadObjectId || !this.tenants(member.tenantId ?? team.tenantId)) continue;
              const r: RosterMember = {
                id: member.id,
                aadObjectId: member.aadObjectId,
                email: member.email?.toLowerCase() ?? null,
                upn: member.userPrincipalName?.toLowerCase() ?? null,
                tenantId: member.tenantId ?? team.tenantId,
                serviceUrl: team.serviceUrl,
              };
              for (const k of [r.email, r.upn]) if (k && !byEmail.has(k)) byEmail.set(k, r);
              if (!byAad.has(r.aadObjectId.toLowerCase())) byAad.set(r.aadObjectId.toLowerCase(), r);
            }
            token = page.continuationToken || undefined;
          } while (token);
        }
        this.roster = { at: this.now(), byEmail, byAad, teams: teams.length };
        this.log.info({ teams: teams.length, members: byEmail.size }, 'teams: read the rosters of the teams the app is in');
        return this.roster;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  async findByEmail(email: string): Promise<string | null> {
    const roster = await this.load();
    const m = roster.byEmail.get(email.toLowerCase());
    if (!m) return null;
    await this.remember(m);
    return m.aadObjectId;
  }

  /** How to start a 1:1 chat with a member later: their Bot Framework id, tenant and service. */
  private async remember(m: RosterMember): Promise<void> {
    await this.store.save(
      personKey(m.aadObjectId),
      { serviceUrl: m.serviceUrl, conversationId: '', conversationType: 'personal', userId: m.id, ...(m.tenantId ? { tenantId: m.tenantId } : {}) },
      null,
      { ifAbsent: true },
    );
  }

  async confirm(userId: string, email: string): Promise<{ verdict: 'yes' } | { verdict: 'no' | 'unknown'; why: string }> {
    const roster = await this.load();
    const m = roster.byAad.get(userId.toLowerCase());
    if (!m) return { verdict: 'unknown', why: `${userId} is not a member of any team the app is in, so Teams cannot say whose it is` };
    const e = email.toLowerCase();
    if (m.email !== e && m.upn !== e) return { verdict: 'no', why: `the Teams member ${userId} has another e-mail address` };
    await this.remember(m);
    return { verdict: 'yes' };
  }

  notFound(email: string): string {
    return this.roster && this.roster.teams === 0
      ? `not found on Microsoft Teams: the app is not in any team yet (add it to the council's teams, or ask ${email} to add it)`
      : `not a member of any team the app is in with the e-mail ${email} (add the app to their team, or ask them to add it)`;
  }
}

export class TeamsChannels implements ChannelAccess {
  readonly platform = 'teams' as const;

  constructor(private readonly store: ConversationStore) {}

  async nameOf(channelId: string): Promise<string | null> {
    return (await this.store.get(channelKey(channelId)))?.name ?? null;
  }

  async prepare(channelId: string): Promise<{ ok: true; name: string | null } | { ok: false; reason: string }> {
    const ref = await this.store.get(channelKey(channelId));
    if (!ref) return { ok: false, reason: 'I do not know how to reach this conversation yet: add me to the team, then mention me here (@kpi subscribe).' };
    if (ref.conversationType === 'personal') return { ok: false, reason: 'Alerts go to channels, not to our 1:1 chat: mention me in the channel that should get them (@kpi subscribe).' };
    return { ok: true, name: ref.name ?? null };
  }
}

/** Members of the tenants this bot serves only (TEAMS_TENANT_ID, TEAMS_ALLOWED_TENANTS): a directory e-mail is only as good as its tenant. */
export function allowedTenant(config: { allowedTenants: string[] }): (tenantId: string | undefined) => boolean {
  return (t) => t !== undefined && config.allowedTenants.includes(t.toLowerCase());
}

export function teamsKit(messenger: TeamsMessenger, store: ConversationStore, config: { allowedTenants: string[] }, log: Logger): PlatformKit & { finder: TeamsRosterFinder } {
  return { name: 'teams', messenger, finder: new TeamsRosterFinder(messenger, store, allowedTenant(config), log), channels: new TeamsChannels(store) };
}
