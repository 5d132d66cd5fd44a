// Alerting, stage 4 — notification: what one channel is sent about one change, as outbox items. One
// living post per subject, episode (an indicator's period, an action's spell of trouble) and channel:
// the first change the channel asked for posts it; any later change edits it to the current state and
// says what changed in its thread; a recovery is said in the thread (under an earlier period's post,
// when it came in a new one), or — where the channel asked to hear recoveries and there is no post to
// answer — in a post of its own. Which messages is up to the subject (src/alerting/*-messages.ts).
import type { Message } from '../messages/types.ts';
import type { OutboxItem, PlatformName } from '../ports.ts';

export interface LivingAlert {
  to: { platform: PlatformName; channelId: string };
  /** Outbox keys start with it: `alert` for indicators, `action-alert` for actions. */
  prefix: string;
  /** The key of the living post of this subject, episode and channel. */
  living: string;
  /** Unique per change and channel: the edit's and the thread note's keys end with it. */
  suffix: string;
  /** The change is one the channel asked for: it may open a post. */
  opens: boolean;
  /** The change is a recovery. */
  recovered: boolean;
  /** A recovery in a new episode: the earlier post it answers, if any. */
  earlier: string | null;
  /** The channel asked to hear recoveries. */
  recoveryPosts: boolean;
  /** The alert as a post (`updated` false) or as its edit. */
  message(updated: boolean): Message;
  /** What changed, for the thread. */
  note(): Message;
}

/**
 * A condition alert (an action's, a risk's, a quartile's) in one channel: one living post per subject,
 * episode and channel (`<prefix>:<subject>:<episode>:<platform>:<channel>`), opened by a raise the
 * channel asked for (`event`), resolved when the condition clears; recoveries are never posts of their own.
 */
export function conditionAlert(
  prefix: string,
  event: string,
  t: { kind: 'raised' | 'changed' | 'cleared'; episode: number; reading: { subjectId: number }; change: { id: number } },
  route: { platform: PlatformName; channelId: string; wants: ReadonlySet<string> },
  says: { message(updated: boolean): Message; note(): Message },
): LivingAlert {
  return {
    to: { platform: route.platform, channelId: route.channelId },
    prefix,
    living: `${prefix}:${t.reading.subjectId}:${t.episode}:${route.platform}:${route.channelId}`,
    suffix: `${t.change.id}:${route.platform}:${route.channelId}`,
    opens: t.kind === 'raised' && route.wants.has(event),
    recovered: t.kind === 'cleared',
    earlier: null,
    recoveryPosts: false,
    message: says.message,
    note: says.note,
  };
}

/** What to queue: `effect` says whether it posts something new, updates a post, or nothing. */
export interface Notification {
  effect: 'post' | 'update' | 'none';
  items: OutboxItem[];
}

/** The outbox items for one change in one channel; `has` says whether a key was ever queued. */
export async function notify(a: LivingAlert, has: (key: string) => Promise<boolean>): Promise<Notification> {
  const to = { kind: 'channel' as const, ...a.to };
  if (await has(a.living)) {
    // The episode already has a post here: edit it to the current state and say what changed in its thread.
    return {
      effect: 'update',
      items: [
        { key: `${a.prefix}-update:${a.suffix}`, purpose: 'alert-update', to, action: 'update', parentKey: a.living, message: a.message(true) },
        { key: `${a.prefix}-reply:${a.suffix}`, purpose: 'alert-reply', to, action: 'reply', parentKey: a.living, message: a.note() },
      ],
    };
  }
  if (a.opens) return { effect: 'post', items: [{ key: a.living, purpose: 'alert', to, message: a.message(false) }] };
  if (a.recovered) {
    // Recovered in a new episode: say so under the earlier one's post, if there was one.
    if (a.earlier !== null && a.earlier !== a.living && (await has(a.earlier))) {
      return { effect: 'update', items: [{ key: `${a.prefix}-reply:${a.suffix}`, purpose: 'alert-reply', to, action: 'reply', parentKey: a.earlier, message: a.note() }] };
    }
    // A channel that asked to hear about recoveries hears about them even with no alert to answer.
    if (a.recoveryPosts) return { effect: 'post', items: [{ key: `${a.prefix}-recovered:${a.suffix}`, purpose: 'alert', to, message: a.message(false) }] };
  }
  return { effect: 'none', items: [] };
}
