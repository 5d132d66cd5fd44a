// What every Teams route shares: the turn (one activity, who sent it, where answers go), who is
// asking (the shared identifier over the conversation's member record), the conversation reference
// kept fresh on every activity, and the three replies the conversation core needs — in the
// conversation, privately (the 1:1 chat; when Teams will not give one, the answer waits in the
// outbox and the channel gets only a note), and a form card kept server-side.
import type { Logger } from '../../log.ts';
import type { Actor, Clock, CommandDeps, PersonRecord } from '../../ports.ts';
import type { ActionId, CommandResult, Form, FormValues, Message } from '../../messages/types.ts';
import type { Dispatcher } from '../../../commands/dispatch.ts';
import { actions, formErrorsMessage, message, text } from '../../messages/build.ts';
import { isRecordNumber } from '../../domain/format.ts';
import { TEAMS_BOT_NAME } from './about.ts';
import { afterAck, deliver, type AfterAck, type Replies } from '../core/conversation.ts';
import { createIdentifier } from '../core/identify.ts';
import type { BackgroundWork } from '../core/background.ts';
import { formCard, messageCard, type AdaptiveCard, type TeamsConversation } from './cards.ts';
import { channelKey, personKey, type ConversationRef, type ConversationStore } from './conversations.ts';
import type { TeamsMessenger, Destination } from './messenger.ts';
import type { StoredForm, StoredForms } from './stored-forms.ts';
import { tenantOf, type Activity } from './activity.ts';
import type { TeamsConfig } from './sdk.ts';
import type { RefusalLog } from './refusals.ts';

/** One incoming activity and where answers to it go. */
export interface Turn {
  activity: Activity;
  /** The conversation it came from (a channel message's thread included). */
  here: Destination;
  kind: TeamsConversation;
  actor: Actor;
  /** How the person can ask again in the 1:1 chat: what they typed, or the button they pressed. */
  again?: { command: string } | { action: { id: string; value: string } };
  /** Private answers kept for later in this turn (for their outbox keys), and whether the channel was told. */
  kept: number;
  noted: boolean;
}

export interface TeamsContext {
  config: TeamsConfig;
  deps: CommandDeps;
  dispatcher: Dispatcher;
  messenger: TeamsMessenger;
  forms: StoredForms;
  log: Logger;
  clock: Clock;
  /** Refused activities: one warn line each, identical lines rate-limited. */
  refusals: RefusalLog;
  turnFor(a: Activity, again?: Turn['again']): Promise<Turn>;
  replies: Replies<Turn>;
  answer(result: CommandResult, turn: Turn): Promise<void>;
  afterAck: AfterAck<Turn>;
  /** A form as a card: a new one, or `stored` again with what has been typed so far. */
  formCardFor(turn: Turn, form: Form, extra?: { values?: FormValues; errors?: Record<string, string>; page?: number; stored?: StoredForm }): Promise<AdaptiveCard>;
  /** A card that replaces the one clicked. */
  resultCard(turn: Turn, result: CommandResult): Promise<AdaptiveCard>;
}

export const noticeCard = (t: string): AdaptiveCard => messageCard({ text: t, blocks: [{ type: 'context', text: t }] }, new Map());

interface ContextOptions {
  config: TeamsConfig;
  deps: CommandDeps;
  dispatcher: Dispatcher;
  messenger: TeamsMessenger;
  store: ConversationStore;
  forms: StoredForms;
  background: BackgroundWork;
  clock: Clock;
  log: Logger;
  refusals: RefusalLog;
}

export function createTeamsContext(o: ContextOptions): TeamsContext {
  const { deps, dispatcher, messenger, store, forms, clock, log } = o;
  // Unknown senders are looked up again only after ten minutes (a stranger's every message would cost an API call).
  const identifier = createIdentifier({ repo: deps.repo, platform: 'teams', clock, log, outbox: deps.outbox, lookupAgainMs: 10 * 60_000 });

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

  async function actorFor(a: Activity): Promise<Actor> {
    const aad = a.from.aadObjectId;
    const who = aad ? await identifier.identify(aad, emailOf(a, aad)) : { person: null };
    // A channel, not the thread the message is in (";messageid=…"): subscriptions are per channel.
    return { platform: 'teams', userId: aad ?? a.from.id, person: who.person, ...(who.held ? { held: who.held } : {}), channelId: a.conversation.id.split(';')[0]! };
  }

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

  async function turnFor(a: Activity, again?: Turn['again']): Promise<Turn> {
    const t = a.conversation.conversationType;
    const kind: Turn['kind'] = t === 'channel' ? 'channel' : t === 'groupChat' ? 'groupChat' : 'personal';
    const actor = await actorFor(a);
    await remember(a, kind, actor.person);
    return { activity: a, here: { serviceUrl: a.serviceUrl, conversationId: a.conversation.id, kind }, kind, actor, kept: 0, noted: false, ...(again ? { again } : {}) };
  }

  /** Choices for a form's indicator pickers before anything is typed (Teams then asks the bot as the person types). */
  async function pickerChoices(actor: Actor, form: Form, values: FormValues): Promise<Record<string, { value: string; label: string }[]>> {
    const choices: Record<string, { value: string; label: string }[]> = {};
    for (const f of form.fields) {
      if (f.kind !== 'indicator') continue;
      const r = await dispatcher.options(actor, form.id, f.id, '');
      choices[f.id] = r.kind === 'options' ? r.options.slice(0, 50) : [];
      const chosen = values[f.id];
      if (typeof chosen === 'string' && /^\d+$/.test(chosen) && isRecordNumber(Number(chosen)) && !choices[f.id]!.some((c) => c.value === chosen)) {
        const ind = await deps.repo.indicator(Number(chosen));
        if (ind) choices[f.id]!.unshift({ value: chosen, label: `${ind.slug} — ${ind.name}` });
      }
    }
    return choices;
  }

  /**
   * A form as a card, kept server-side (stored-forms.ts) so its buttons carry only its id. Only the
   * person it was opened for (their Entra object id) may submit it.
   */
  const formCardFor: TeamsContext['formCardFor'] = async (turn, form, extra = {}) => {
    const values = extra.values ?? {};
    const ref = extra.stored?.id ?? forms.newId();
    const mentions = await messenger.mentions({ text: '', blocks: form.intro ?? [] });
    const fc = formCard(form, mentions, { ref, values, ...(extra.errors ? { errors: extra.errors } : {}), ...(extra.page !== undefined ? { page: extra.page } : {}), choices: await pickerChoices(turn.actor, form, values) });
    if (extra.stored) await forms.save({ id: ref, values, pages: fc.pages });
    else await forms.create({ id: ref, audience: turn.activity.from.aadObjectId ?? null, form, values, pages: fc.pages });
    return fc.card;
  };

  /** Somewhere only the person sees: the 1:1 chat they wrote in, or their 1:1 chat with the bot; null when Teams will not give one. */
  async function privateDestination(turn: Turn): Promise<Destination | null> {
    if (turn.kind === 'personal') return turn.here;
    const aad = turn.activity.from.aadObjectId;
    if (!aad) return null;
    try {
      return await messenger.personConversation(aad);
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'teams: no 1:1 chat with the person; keeping the private answer for later');
      return null;
    }
  }

  /**
   * A private answer that cannot be delivered now (no 1:1 chat: the app is not installed for the
   * person, or Teams refuses for a while): it waits in the outbox, which tries again with back-off,
   * and the conversation where they asked gets only a note on how to open the bot's chat — nothing
   * of the answer, no form.
   */
  async function keepForLater(turn: Turn, msg: Message): Promise<void> {
    const person = turn.actor.person;
    const a = turn.activity;
    const queued = person
      ? await deps.outbox.enqueue(
          { key: `teams-private:${a.conversation.id.split(';')[0]}:${a.id ?? a.replyToId ?? clock.now().getTime()}:${turn.kept++}`, purpose: 'private-reply', to: { kind: 'person', personId: person.id }, message: msg },
          clock.now(),
        )
      : false;
    log.info({ personId: person?.id, queued }, 'teams: a private answer could not be delivered now');
    if (turn.noted) return;
    turn.noted = true;
    const open = `I can't reach you privately yet. In Teams, open **Apps**, find **${TEAMS_BOT_NAME}** and choose **Open** (or **Add**) to start our chat`;
    const t = queued ? `🔒 ${open}: your answer is kept and will arrive there.` : `🔒 ${open}, then ask me again there.`;
    const note: Message = { text: t.replace(/\*\*/g, ''), blocks: [{ type: 'context', text: t }] };
    await messenger.sendAll(turn.here, await messenger.render(note, turn.kind));
  }

  /** What stands in for a form that cannot be shown privately yet: how to open it again in the 1:1 chat. */
  function formLater(turn: Turn, form: Form): Message {
    const again = turn.again;
    const intro = `You asked for the form **${form.title}** where I could not show it privately.`;
    if (again && 'action' in again) {
      return message(`${form.title}: open the form here.`, text(`${intro} Press the button to open it here.`), actions({ id: again.action.id as ActionId, label: 'Open the form', value: again.action.value, style: 'primary' }));
    }
    const command = again?.command ? `\`/kpi ${again.command.replace(/^\/?kpi\b\s*/i, '')}\`` : 'the command';
    return message(`${form.title}: type the command here to open it.`, text(`${intro} Type ${command} here to open it.`));
  }

  const replies: Replies<Turn> = {
    async inConversation(turn, msg) {
      await messenger.sendAll(turn.here, await messenger.render(msg, turn.kind));
    },
    async privately(turn, msg) {
      const dest = await privateDestination(turn);
      if (!dest) return keepForLater(turn, msg);
      await messenger.sendAll(dest, await messenger.render(msg, 'personal'));
    },
    async form(turn, form) {
      const dest = await privateDestination(turn);
      if (!dest) return keepForLater(turn, formLater(turn, form));
      await messenger.send(dest, { card: await formCardFor(turn, form), summary: form.title });
    },
  };

  return {
    config: o.config,
    deps,
    dispatcher,
    messenger,
    forms,
    log,
    clock,
    refusals: o.refusals,
    turnFor,
    replies,
    answer: (result, turn) => deliver(replies, result, turn),
    afterAck: afterAck(o.background, replies, log, 'teams'),
    formCardFor,
    async resultCard(turn, result) {
      switch (result.kind) {
        case 'form':
        case 'form-update':
          return formCardFor(turn, result.form);
        case 'message':
        case 'form-done':
          return (await messenger.renderOne(result.message, turn.kind)).card;
        case 'form-errors':
          return messageCard(formErrorsMessage(result.errors, 'Not saved'), new Map());
        default:
          return noticeCard('Done.');
      }
    },
  };
}
