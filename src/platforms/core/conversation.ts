// The conversation every transport has with a person, in one place: what a handler's answer (a
// CommandResult) turns into — said in the conversation, said only to the person, or a form — and
// what happens when work done after the acknowledgement fails. A transport supplies `Replies`, the
// three things its platform can do (post here, say privately, show a form); everything else is here.
import type { Logger } from '../../log.ts';
import type { CommandResult, Form, Message } from '../../messages/types.ts';
import { formErrorsMessage, SOMETHING_WENT_WRONG, unreachable } from '../../messages/build.ts';
import type { BackgroundWork } from './background.ts';

export interface ReplyOptions {
  /** The answer to a button takes the place of the message the button was on (where the platform can replace a message). */
  replacesOriginal: boolean;
}

/** What a platform can do with an answer, where `Here` says where the person asked. */
export interface Replies<Here> {
  /** For everyone in the conversation the person asked in. */
  inConversation(here: Here, msg: Message, opts: ReplyOptions): Promise<void>;
  /** Only the person who asked sees it. */
  privately(here: Here, msg: Message, opts: ReplyOptions): Promise<void>;
  /** A form for the person to fill in (opened, or put in place of the one they were in). */
  form(here: Here, form: Form): Promise<void>;
}

const FRESH: ReplyOptions = { replacesOriginal: false };

/** Deliver a handler's answer. The rest of a deferred answer never replaces anything: its first part did. */
export async function deliver<Here>(replies: Replies<Here>, result: CommandResult, here: Here): Promise<void> {
  switch (result.kind) {
    case 'message': {
      const opts = { replacesOriginal: result.replacesOriginal === true };
      return result.visibility === 'channel' ? replies.inConversation(here, result.message, opts) : replies.privately(here, result.message, opts);
    }
    case 'form':
    case 'form-update':
      return replies.form(here, result.form);
    case 'form-done':
      return replies.privately(here, result.message, FRESH);
    case 'form-errors':
      return replies.privately(here, formErrorsMessage(result.errors), FRESH);
    case 'deferred':
      // Say at once what is happening, then do the slow work and deliver its answer.
      await replies.privately(here, result.message, FRESH);
      return deliver(replies, await result.result(), here);
    case 'options':
    case 'none':
      return;
    default:
      return unreachable(result);
  }
}

/**
 * Work after the acknowledgement, on the transport's bounded queue. `here` is where the person asked
 * (or how to find out, when that itself needs the database). If anything fails the error is logged
 * and the person is told, privately, that something went wrong — never silence.
 */
export type AfterAck<Here> = (what: string, here: Here | (() => Promise<Here>), work: (here: Here) => Promise<void>) => Promise<void>;

export function afterAck<Here>(background: BackgroundWork, replies: Pick<Replies<Here>, 'privately'>, log: Logger, platform: string): AfterAck<Here> {
  return (what, here, work) =>
    background.run(async () => {
      let known: Here | undefined = typeof here === 'function' ? undefined : here;
      try {
        known ??= await (here as () => Promise<Here>)();
        await work(known);
      } catch (e) {
        log.error({ err: e, what, platform }, 'work after acknowledging failed');
        if (known === undefined) return;
        try {
          await replies.privately(known, SOMETHING_WENT_WRONG, FRESH);
        } catch {
          /* nothing more we can do */
        }
      }
    });
}
