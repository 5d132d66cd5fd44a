// One incoming Teams activity as a turn: where answers to it go, who sent it (for the inbound core,
// ../core/inbound.ts: their Entra object id, and their e-mail from the conversation's member record),
// and — once they are identified, in the same database budget — the conversation reference kept
// fresh, which is how alerts, chases and digests reach this place and person later.
import type { Logger } from '../../log.ts';
import type { Actor, PersonRecord } from '../../ports.ts';
import type { Sender } from '../core/inbound.ts';
import type { TeamsConversation } from './cards.ts';
import { channelKey, personKey, type ConversationRef, type ConversationStore } from './conversations.ts';
import type { TeamsMessenger, Destination } from './messenger.ts';
import { tenantOf, type Activity } from './activity.ts';

/** One incoming activity and where answers to it go. */
export interface Turn {
  activity: Activity;
  /** The conversation it came from (a channel message's thread included). */
  here: Destination;
  kind: TeamsConversation;
  /** Who is asking: nobody in particular until the inbound core has identified them. */
  actor: Actor;
  /** How the person can ask again in the 1:1 chat: what they typed, or the button they pressed. */
  again?: { command: string } | { action: { id: string; value: string } };
  /** Private answers kept for later in this turn (for their outbox keys), and whether the channel was told. */
  kept: number;
  noted: boolean;
}

export interface TeamsTurns {
  /** The turn of an activity (nothing read from the database yet). */
  turnFor(a: Activity, again?: Turn['again']): Turn;
  /** Who sent the turn's activity; when identified, the turn knows them and their conversation reference is kept. */
  senderOf(turn: Turn): Sender;
}

export function teamsTurns(o: { messenger: TeamsMessenger; store: ConversationStore; log: Logger }): TeamsTurns {
  const { messenger, store, log } = o;

  /**
   * The e-mail Teams has for the sender, from their member record in this conversation — only when
   * that record is the same Entra user, in the activity's tenant (one the bot serves: the gate).
   */
  const emailOf = (a: Activity, aad: string) => async (): Promise<string | null> => {
    try {
      const member = await messenger.call('get member', () => messenger.api(a.serviceUrl).conversations.members(a.conversation.id).getById(a.from.id));
      const memberTenant = (member as { tenantId?: string }).tenantId?.toLowerCase();
      if (member.aadObjectId !== aad || (memberTenant && memberTenant !== tenantOf(a))) {
        log.warn({ tenantId: memberTenant }, 'teams: the member record is not the user who wrote; not linking by e-mail');
        return null;
      }
      return member.email ?? member.userPrincipalName ?? null;
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'could not look up the Teams user');
      return null;
    }
  };

  /** Keep the conversation reference fresh: how alerts, chases and digests reach this place and person later. */
  async function remember(a: Activity, kind: Turn['kind'], person: PersonRecord | null): Promise<void> {
    const tenantId = tenantOf(a);
    const base: Omit<ConversationRef, 'conversationId' | 'conversationType'> = {
      serviceUrl: a.serviceUrl,
      ...(tenantId ? { tenantId } : {}),
      botId: a.recipient.id,
      ...(a.channelData?.team?.id ? { teamId: a.channelData.team.id } : {}),
    };
    const aad = a.from.aadObjectId;
    if (kind === 'personal') {
      if (aad) await store.save(personKey(aad), { ...base, conversationId: a.conversation.id, conversationType: 'personal', userId: a.from.id, ...(a.from.name ? { name: a.from.name } : {}) }, person?.id ?? null);
      return;
    }
    const conversationId = (a.channelData?.channel?.id ?? a.conversation.id).split(';')[0]!;
    const name = a.channelData?.channel?.name ?? a.conversation.name;
    await store.save(channelKey(conversationId), { ...base, conversationId, conversationType: kind, ...(name ? { name } : {}) });
    // The person's Teams id here lets the bot start a 1:1 chat with them later, if they have none yet.
    if (aad && a.from.id.startsWith('29:')) {
      await store.save(personKey(aad), { ...base, conversationId: '', conversationType: 'personal', userId: a.from.id }, person?.id ?? null, { ifAbsent: true });
    }
  }

  return {
    turnFor(a, again) {
      const t = a.conversation.conversationType;
      const kind: Turn['kind'] = t === 'channel' ? 'channel' : t === 'groupChat' ? 'groupChat' : 'personal';
      // A channel, not the thread the message is in (";messageid=…"): subscriptions are per channel.
      const actor: Actor = { platform: 'teams', userId: a.from.aadObjectId ?? a.from.id, person: null, channelId: a.conversation.id.split(';')[0]! };
      return { activity: a, here: { serviceUrl: a.serviceUrl, conversationId: a.conversation.id, kind }, kind, actor, kept: 0, noted: false, ...(again ? { again } : {}) };
    },
    senderOf(turn) {
      const a = turn.activity;
      const aad = a.from.aadObjectId;
      return {
        userId: turn.actor.userId,
        ...(turn.actor.channelId ? { channelId: turn.actor.channelId } : {}),
        emailOf: aad ? emailOf(a, aad) : null,
        async identified(actor) {
          turn.actor = actor;
          await remember(a, turn.kind, actor.person);
        },
      };
    },
  };
}
