// Finding people and channels on Slack. A register person who never wrote to the bot is found by the
// e-mail address of their Slack profile (users.lookupByEmail, scope users:read.email): a Tier 3
// method, about 50 calls a minute, so calls are paced here and a 429 waits out its Retry-After (the
// Web API client does that). A Slack ID from a People sheet is confirmed with users.info: the
// profile's e-mail must be the person's. A channel someone subscribes to alerts is joined when it is public
// (conversations.join); a private one needs the bot invited first.
import type { WebClient } from '@slack/web-api';
import type { ChannelAccess, PeopleFinder } from '../../ports.ts';
import type { Logger } from '../../log.ts';
import { slackErrorCode } from './messenger.ts';

/** At most `limit` calls in any `windowMs`: the next call waits until the oldest leaves the window. */
export class SlidingWindow {
  private readonly times: number[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when a call may be made now (calls are let through in the order they asked). */
  take(): Promise<void> {
    const turn = this.chain.then(async () => {
      for (;;) {
        const t = this.now();
        while (this.times.length && this.times[0]! <= t - this.windowMs) this.times.shift();
        if (this.times.length < this.limit) {
          this.times.push(t);
          return;
        }
        await new Promise((r) => setTimeout(r, this.times[0]! + this.windowMs - t + 5));
      }
    });
    this.chain = turn.catch(() => {});
    return turn;
  }
}

/** Slack's Tier 3 allowance for users.lookupByEmail. */
export const LOOKUPS_PER_MINUTE = 50;

export class SlackPeopleFinder implements PeopleFinder {
  readonly platform = 'slack' as const;
  readonly label = 'Slack';

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    private readonly pace = new SlidingWindow(LOOKUPS_PER_MINUTE, 60_000),
  ) {}

  async findByEmail(email: string): Promise<string | null> {
    await this.pace.take();
    try {
      const res = await this.client.users.lookupByEmail({ email });
      const u = res.user as { id?: string; deleted?: boolean; is_bot?: boolean } | undefined;
      if (!u?.id || u.deleted || u.is_bot) return null;
      return u.id;
    } catch (e) {
      if (slackErrorCode(e) === 'users_not_found') return null;
      this.log.warn({ err: slackErrorCode(e) ?? (e as Error).message }, 'slack: users.lookupByEmail failed');
      throw e;
    }
  }

  notFound(email: string): string {
    return `no Slack member has the e-mail ${email} (is it their work address, and are they in the workspace?)`;
  }

  async confirm(userId: string, email: string): Promise<{ verdict: 'yes' } | { verdict: 'no' | 'unknown'; why: string }> {
    let u: { deleted?: boolean; is_bot?: boolean; profile?: { email?: string } } | undefined;
    try {
      u = (await this.client.users.info({ user: userId })).user as typeof u;
    } catch (e) {
      const code = slackErrorCode(e);
      if (code === 'user_not_found') return { verdict: 'no', why: `Slack has no user ${userId}` };
      this.log.warn({ err: code ?? (e as Error).message }, 'slack: users.info failed');
      throw e;
    }
    if (!u || u.deleted) return { verdict: 'no', why: `Slack user ${userId} has been deactivated` };
    if (u.is_bot) return { verdict: 'no', why: `Slack user ${userId} is a bot` };
    const theirs = u.profile?.email;
    if (!theirs) return { verdict: 'unknown', why: `Slack does not show the e-mail of ${userId} (the app needs the users:read.email scope)` };
    return theirs.toLowerCase() === email.toLowerCase() ? { verdict: 'yes' } : { verdict: 'no', why: `Slack user ${userId} has another e-mail address` };
  }
}

export class SlackChannels implements ChannelAccess {
  readonly platform = 'slack' as const;

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
  ) {}

  async nameOf(channelId: string): Promise<string | null> {
    try {
      const info = await this.client.conversations.info({ channel: channelId });
      return (info.channel as { name?: string } | undefined)?.name ?? null;
    } catch {
      return null;
    }
  }

  async prepare(channelId: string): Promise<{ ok: true; name: string | null } | { ok: false; reason: string }> {
    const invite = 'I am not in this private channel, so I cannot post here. Invite me with `/invite @kpi`, then type `/kpi subscribe` again.';
    if (/^D/.test(channelId)) return { ok: false, reason: 'Alerts go to channels, not direct messages: type `/kpi subscribe` in the channel that should get them.' };
    let channel: { name?: string; is_private?: boolean; is_member?: boolean; is_archived?: boolean; is_im?: boolean; is_mpim?: boolean } | undefined;
    try {
      channel = (await this.client.conversations.info({ channel: channelId })).channel as typeof channel;
    } catch (e) {
      const code = slackErrorCode(e);
      // Slack does not show the bot a private channel it is not in.
      if (code === 'channel_not_found') return { ok: false, reason: invite };
      if (code === 'missing_scope') return { ok: false, reason: 'I need the channels:read and groups:read scopes to check this channel: reinstall the app from deploy/slack-manifest.yml.' };
      throw e;
    }
    if (!channel) return { ok: false, reason: invite };
    if (channel.is_im || channel.is_mpim) return { ok: false, reason: 'Alerts go to channels, not direct messages: type `/kpi subscribe` in the channel that should get them.' };
    if (channel.is_archived) return { ok: false, reason: 'This channel is archived: nothing can be posted in it.' };
    const name = channel.name ?? null;
    if (channel.is_member) return { ok: true, name };
    if (channel.is_private) return { ok: false, reason: invite };
    try {
      await this.client.conversations.join({ channel: channelId });
      this.log.info({ channel: channelId }, 'slack: joined a channel to post alerts in');
      return { ok: true, name };
    } catch (e) {
      const code = slackErrorCode(e);
      if (code === 'missing_scope') return { ok: false, reason: 'I need the channels:join scope to join this channel: reinstall the app from deploy/slack-manifest.yml, or invite me with `/invite @kpi`.' };
      if (code === 'method_not_supported_for_channel_type' || code === 'channel_not_found') return { ok: false, reason: invite };
      throw e;
    }
  }
}
