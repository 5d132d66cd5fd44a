// `kpi subscribe`, `kpi unsubscribe`, `kpi subscriptions`: which channels get alerts, from the
// command line — the same subscriptions as `/kpi subscribe` typed in a channel. The channel is
// checked (and joined, where the platform lets a bot join a public channel) when the platform is configured here.
import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import type { AlertEvent, PlatformName } from '../../ports.ts';
import { ALERT_EVENT_NAMES } from '../../domain/monitor.ts';
import { ALL_SCOPE, eventWords, scopeWords, subscribeChannel, unsubscribeChannel, type Scope } from '../../services/subscriptions.ts';
import { requireIndicator, requireTheme } from '../../services/find-indicator.ts';
import type { ServicesContext } from '../context.ts';
import { withServices } from '../context.ts';
import { plainMarkup } from '../../messages/markup.ts';
import { cliActor } from './import.ts';
import { ABOUT_PLATFORMS, channelIdOn } from '../../catalogue/platforms.ts';

/** `--<platform>-channel <id>`, one per chat platform (commander names it `<platform>Channel`). */
const CHANNEL_FLAGS = ABOUT_PLATFORMS.map((p) => ({ platform: p.name, label: p.label, example: p.channel.example, flag: `--${p.name}-channel`, key: `${p.name}Channel` }));

interface ChannelOptions {
  [platformChannel: `${string}Channel`]: string | undefined;
  theme?: string;
  indicator?: string;
  events?: string;
  by?: string;
}

function channelOf(o: ChannelOptions): { platform: PlatformName; channelId: string } {
  const given = CHANNEL_FLAGS.filter((f) => o[f.key as `${string}Channel`]);
  const flags = CHANNEL_FLAGS.map((f) => f.flag).join(' or ');
  if (given.length > 1) throw new UserError(`Give one channel: ${flags}.`);
  const f = given[0];
  if (!f) throw new UserError(`Which channel? ${CHANNEL_FLAGS.map((x) => `${x.flag} ${x.example}`).join(', or ')}`);
  const text = o[f.key as `${string}Channel`]!;
  const channelId = channelIdOn(f.platform, text);
  if (!channelId) throw new UserError(`${f.flag} "${text}" is not a ${f.label} channel id.`, `A ${f.label} channel id looks like ${f.example}.`);
  return { platform: f.platform, channelId };
}

async function scopeOf(ctx: ServicesContext, o: ChannelOptions): Promise<Scope> {
  if (o.theme && o.indicator) throw new UserError('Give --theme or --indicator, not both.');
  if (o.theme) {
    const theme = requireTheme(await ctx.repo.themes(), o.theme);
    return { themeId: theme.id, indicatorId: null, theme, indicator: null };
  }
  if (o.indicator) {
    const indicator = await requireIndicator(ctx.repo, o.indicator);
    return { themeId: null, indicatorId: indicator.id, theme: null, indicator };
  }
  return ALL_SCOPE;
}

function eventsOf(text: string | undefined): AlertEvent[] {
  if (!text) return [];
  const words = text.split(/[\s,]+/).filter(Boolean).map((w) => w.toLowerCase());
  if (words.includes('all')) return [...ALERT_EVENT_NAMES];
  const bad = words.filter((w) => !(ALERT_EVENT_NAMES as readonly string[]).includes(w));
  if (bad.length) throw new UserError(`--events: "${bad.join(', ')}" is not an event.`, `Events: ${ALERT_EVENT_NAMES.join(', ')}, all.`);
  return words as AlertEvent[];
}

const channelOptions = (c: Command) =>
  CHANNEL_FLAGS.reduce((cmd, f) => cmd.option(`${f.flag} <id>`, `a ${f.label} channel id, e.g. ${f.example}`), c)
    .option('--theme <name>', 'only this theme’s indicators')
    .option('--indicator <name>', 'only this indicator')
    .option('--by <email>', 'who is doing it (recorded in the audit log)');

export function addSubscribeCommand(program: Command): void {
  channelOptions(program.command('subscribe').description('send alerts to a channel: every indicator, a theme or one indicator'))
    .option('--events <list>', `what to alert on: ${ALERT_EVENT_NAMES.join(', ')} or all (default: what the organisation alerts on)`)
    .action(async (o: ChannelOptions) => {
      await withServices(null, async (ctx) => {
        const where = channelOf(o);
        const scope = await scopeOf(ctx, o);
        const events = eventsOf(o.events);
        const by = await cliActor(ctx.repo, o.by);
        const r = await subscribeChannel(ctx.services.deps, { ...where, scope, events, by: { personId: by.personId, label: by.label } });
        const what = plainMarkup(scopeWords(scope, await ctx.repo.themes(), new Map(scope.indicator ? [[scope.indicator.id, scope.indicator]] : [])));
        const name = r.name ? `#${r.name} (${where.channelId})` : where.channelId;
        console.log(r.outcome === 'unchanged' ? `${name} already gets alerts for ${what}.` : `${name} will get alerts for ${what} ${eventWords(events, await ctx.repo.org())}.`);
      });
    });

  channelOptions(program.command('unsubscribe').description('stop a channel’s alerts (for every indicator, a theme or one indicator)'))
    .option('--all', 'every subscription of the channel')
    .action(async (o: ChannelOptions & { all?: boolean }) => {
      await withServices(null, async (ctx) => {
        const where = channelOf(o);
        const current = await ctx.repo.channelSubscriptions(where);
        const scopes = o.all ? current : [await scopeOf(ctx, o)];
        const by = await cliActor(ctx.repo, o.by);
        const n = await unsubscribeChannel(ctx.services.deps, { ...where, scopes, by: { personId: by.personId, label: by.label } });
        if (!n) throw new UserError(`${where.channelId} had no such subscription: nothing changed.`, 'kpi subscriptions lists them.');
        console.log(`Removed ${n} subscription${n === 1 ? '' : 's'} of ${where.channelId}.`);
      });
    });

  program
    .command('subscriptions')
    .description('every channel that gets alerts, and for what')
    .action(async () => {
      await withServices(null, async (ctx) => {
        const [subs, themes, indicators, org] = await Promise.all([
          ctx.repo.channelSubscriptions(),
          ctx.repo.themes(),
          ctx.repo.indicators({ activeOnly: false }).then((l) => new Map(l.map((i) => [i.id, i]))),
          ctx.repo.org(),
        ]);
        if (!subs.length) {
          console.log(`No channel gets alerts yet. Type /kpi subscribe in a channel, or run kpi subscribe ${CHANNEL_FLAGS.map((f) => `${f.flag} <id>`).join(' or ')}.`);
          return;
        }
        for (const s of subs) {
          const name = s.channelName ? `#${s.channelName} ` : '';
          console.log(`${s.platform.padEnd(6)} ${name}${s.channelId}: ${plainMarkup(scopeWords(s, themes, indicators))} ${eventWords(s.events, org)}`);
        }
      });
    });
}
