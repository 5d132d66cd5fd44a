// Modal submissions. The answer (errors beside the fields, an updated form, or close) goes in the
// acknowledgement — when it is ready in time (Slack waits 3 s). When the database is slow or
// restarting, the modal says so at once and gets the answer when there is one; never an empty
// acknowledgement that closes it as if saved.
import type { App } from '@slack/bolt';
import type { CommandResult, FormId, FormValues, Message } from '../../../messages/types.ts';
import { formErrorsMessage } from '../../../messages/build.ts';
import { enteredValues, isNotSaved, notSaved } from '../../../../commands/unavailable.ts';
import { formFiles, formValues, readModalMetadata, toErrors, type ViewStateValue } from '../blocks.ts';
import { slackErrorCode } from '../messenger.ts';
import type { SlackContext, SlackPlace } from '../context.ts';

/** Under the first field of a form the database could not save in time. */
export const DATABASE_UNAVAILABLE_IN_FORM = 'Not saved — the database is unavailable. Try again in a minute: what you typed is still here.';

/** A modal submission is answered in the acknowledgement only if the answer is ready by then (Slack waits 3 s). */
export const MODAL_ANSWER_WITHIN_MS = 2500;

export function registerViews(app: App, ctx: SlackContext): void {
  const retrySeconds = Math.round(ctx.databaseRetry.budgetMs / 1000);

  /** The answer to a late submission, as a view in place of the modal. */
  async function answerView(result: CommandResult, values: FormValues, channelId: string | undefined): Promise<Record<string, unknown>> {
    switch (result.kind) {
      case 'form':
      case 'form-update':
        return ctx.modal(result.form, channelId);
      case 'form-errors': {
        // The fields cannot be marked any more: say what to correct, with what was typed.
        const msg = formErrorsMessage(result.errors);
        const blocks: Message['blocks'] = [{ type: 'text', text: '⚠️ **Not saved** — please correct this and submit again:' }, ...msg.blocks, ...[enteredValues(values) ?? []].flat()];
        return ctx.messageModal('Not saved', { text: msg.text, blocks });
      }
      case 'form-done':
        return ctx.messageModal('Done', result.message);
      case 'message':
        return ctx.messageModal(result.message.text.startsWith('Not saved') ? 'Not saved' : 'Answer', result.message);
      default:
        return ctx.messageModal('Done', { text: 'Done.', blocks: [{ type: 'text', text: 'Done.' }] });
    }
  }

  /** Put the answer to a late submission in the modal; if it has been closed, send it as a message. */
  async function answerInModal(viewId: string, result: CommandResult, values: FormValues, place: SlackPlace): Promise<void> {
    try {
      await ctx.client.views.update({ view_id: viewId, view: (await answerView(result, values, place.channelId)) as never });
    } catch (e) {
      ctx.log.info({ err: slackErrorCode(e) ?? (e as Error).message }, 'the modal is gone; sending the answer as a message');
      const fresh = { replacesOriginal: false };
      if (result.kind === 'form-done' || result.kind === 'message') await ctx.replies.privately(place, result.message, fresh);
      else if (result.kind === 'form-errors') await ctx.replies.privately(place, formErrorsMessage(result.errors), fresh);
    }
  }

  app.view(/.*/, async ({ ack, body, view }) => {
    const meta = readModalMetadata(view.private_metadata);
    const state = (view.state?.values ?? {}) as unknown as Record<string, Record<string, ViewStateValue>>;
    const values = formValues(state);
    const files = Object.fromEntries(Object.entries(formFiles(state)).map(([k, list]) => [k, list.map(ctx.incomingFile)]));
    const place: SlackPlace = { userId: body.user.id, ...(meta.c ? { channelId: meta.c } : {}) };
    // Slack waits 3 s for the answer: keep trying only while it can still be given in the acknowledgement.
    const budgetMs = MODAL_ANSWER_WITHIN_MS - 500;
    const work = (async (): Promise<CommandResult> => {
      const actor = await ctx.actorWhenAvailable(body.user.id, meta.c, { budgetMs });
      if (!actor) return notSaved(Math.round(MODAL_ANSWER_WITHIN_MS / 1000), { form: values, reopen: 'open the form again' });
      return ctx.dispatcher.submitForm(actor, view.callback_id as FormId, meta.s ?? '', values, files, { databaseRetryMs: budgetMs });
    })();
    const inTime = await Promise.race([work.then((result) => ({ result })), new Promise<null>((r) => setTimeout(() => r(null), MODAL_ANSWER_WITHIN_MS))]);
    if (!inTime) {
      const saving = `⏳ Saving… The database is slow to answer. I keep trying for up to ${retrySeconds} seconds and will say here whether it was saved.`;
      await ack({ response_action: 'update', view: (await ctx.messageModal('Saving…', { text: 'Saving…', blocks: [{ type: 'text', text: saving }] })) as never });
      await ctx.afterAck('late form answer', place, async () => answerInModal(view.id, await work, values, place));
      return;
    }
    const { result } = inTime;
    if (isNotSaved(result)) {
      // The database did not answer: keep the modal and what was typed, and say so under the first field.
      const first = Object.keys(values)[0] ?? 'value';
      return ack({ response_action: 'errors', errors: { [first]: DATABASE_UNAVAILABLE_IN_FORM } });
    }
    switch (result.kind) {
      case 'form-errors':
        return ack({ response_action: 'errors', errors: toErrors(result.errors, { fields: Object.keys(values).map((id) => ({ id })) }) });
      case 'form-update':
      case 'form':
        return ack({ response_action: 'update', view: (await ctx.modal(result.form, meta.c)) as never });
      default:
        await ack();
        await ctx.afterAck('form answer', place, async () => ctx.answer(result, place));
    }
  });
}
