// How an answer reaches a person on Teams — the three replies the conversation core needs: in the
// conversation, privately (the 1:1 chat; when Teams will not give one, the answer waits in the
// outbox and the channel gets only a note), and a form card kept server-side.
import type { Logger } from '../../log.ts';
import type { Clock, Outbox } from '../../ports.ts';
import type { ActionId, Form, Message } from '../../messages/types.ts';
import { actions, message, text } from '../../messages/build.ts';
import type { Replies } from '../core/conversation.ts';
import { TEAMS_BOT_NAME } from '../../catalogue/teams.ts';
import type { TeamsMessenger, Destination } from './messenger.ts';
import type { TeamsFormCards } from './form-cards.ts';
import type { Turn } from './turns.ts';

export function teamsReplies(o: { messenger: TeamsMessenger; cards: Pick<TeamsFormCards, 'formCardFor'>; outbox: Pick<Outbox, 'enqueue'>; clock: Clock; log: Logger }): Replies<Turn> {
  const { messenger, clock, log } = o;

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
      ? await o.outbox.enqueue(
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

  return {
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
      await messenger.send(dest, { card: await o.cards.formCardFor(turn, form), summary: form.title });
    },
  };
}
