// Modal submissions. The answer (errors beside the fields, an updated form, or close) goes in the
// acknowledgement — when it is ready in time (Slack waits 3 s). When the database is slow or
// restarting, the modal says so at once and gets the answer when there is one; never an empty
// acknowledgement that closes it as if saved.
import type { App } from '@slack/bolt';
import type { CommandResult, FormId, FormValues, Message } from '../../../messages/types.ts';
import { formErrorsMessage } from '../../../messages/build.ts';
import { enteredValues } from '../../../messages/entered.ts';
import { formFiles, formValues, readModalMetadata, toErrors, type ViewStateValue } from '../blocks.ts';
import { slackErrorCode } from '../messenger.ts';
import { within } from '../../../within.ts';
import type { SlackPlace } from '../replies.ts';
import type { SlackParts } from './parts.ts';

/** Under the first field of a form the database could not save in time. */
export const DATABASE_UNAVAILABLE_IN_FORM = 'Not saved — the database is unavailable. Try again in a minute: what you typed is still here.';

/** A modal submission is answered in the acknowledgement only if the answer is ready by then (Slack waits 3 s). */
export const MODAL_ANSWER_WITHIN_MS = 2500;

export function mountViews(app: App, p: Pick<SlackParts, 'inbound' | 'sender' | 'files' | 'modals' | 'replies' | 'client' | 'log'>): void {
  const { inbound, modals, replies } = p;
  const retrySeconds = Math.round(inbound.databaseMs() / 1000);

  /** The answer to a late submission, as a view in place of the modal. */
  async function answerView(result: CommandResult, values: FormValues, channelId: string | undefined): Promise<Record<string, unknown>> {
    switch (result.kind) {
      case 'form':
      case 'form-update':
        return modals.modal(result.form, channelId);
      case 'form-errors': {
        // The fields cannot be marked any more: say what to correct, with what was typed.
        const msg = formErrorsMessage(result.errors);
        const blocks: Message['blocks'] = [{ type: 'text', text: '⚠️ **Not saved** — please correct this and submit again:' }, ...msg.blocks, ...[enteredValues(values) ?? []].flat()];
        return modals.messageModal('Not saved', { text: msg.text, blocks });
      }
      case 'form-done':
        return modals.messageModal('Done', result.message);
      case 'message':
        return modals.messageModal(result.message.text.startsWith('Not saved') ? 'Not saved' : 'Answer', result.message);
      default:
        return modals.messageModal('Done', { text: 'Done.', blocks: [{ type: 'text', text: 'Done.' }] });
    }
  }

  /** Put the answer to a late submission in the modal; if it has been closed, send it as a message. */
  async function answerInModal(viewId: string, result: CommandResult, values: FormValues, place: SlackPlace): Promise<void> {
    try {
      await p.client.views.update({ view_id: viewId, view: (await answerView(result, values, place.channelId)) as never });
    } catch (e) {
      p.log.info({ err: slackErrorCode(e) ?? (e as Error).message }, 'the modal is gone; sending the answer as a message');
      const fresh = { replacesOriginal: false };
      if (result.kind === 'form-done' || result.kind === 'message') await replies.privately(place, result.message, fresh);
      else if (result.kind === 'form-errors') await replies.privately(place, formErrorsMessage(result.errors), fresh);
    }
  }

  app.view(/.*/, async ({ ack, body, view }) => {
    const meta = readModalMetadata(view.private_metadata);
    const state = (view.state?.values ?? {}) as unknown as Record<string, Record<string, ViewStateValue>>;
    const values = formValues(state);
    const files = Object.fromEntries(Object.entries(formFiles(state)).map(([k, list]) => [k, list.map(p.files)]));
    const place: SlackPlace = { userId: body.user.id, ...(meta.c ? { channelId: meta.c } : {}) };
    // Slack waits 3 s for the answer: keep trying only while it can still be given in the acknowledgement.
    const work = inbound.answer(p.sender(body.user.id, meta.c), { kind: 'form', formId: view.callback_id as FormId, state: meta.s ?? '', values, files }, { databaseMs: MODAL_ANSWER_WITHIN_MS - 500 });
    const inTime = await within(work.then((result) => ({ result })), MODAL_ANSWER_WITHIN_MS, null);
    if (!inTime) {
      const saving = `⏳ Saving… The database is slow to answer. I keep trying for up to ${retrySeconds} seconds and will say here whether it was saved.`;
      await ack({ response_action: 'update', view: (await modals.messageModal('Saving…', { text: 'Saving…', blocks: [{ type: 'text', text: saving }] })) as never });
      await inbound.later('late form answer', place, async () => answerInModal(view.id, await work, values, place));
      return;
    }
    const { result } = inTime;
    if (result.kind === 'message' && result.unsaved) {
      // The database did not answer: keep the modal and what was typed, and say so under the first field.
      const first = Object.keys(values)[0] ?? 'value';
      return ack({ response_action: 'errors', errors: { [first]: DATABASE_UNAVAILABLE_IN_FORM } });
    }
    switch (result.kind) {
      case 'form-errors':
        return ack({ response_action: 'errors', errors: toErrors(result.errors, { fields: Object.keys(values).map((id) => ({ id })) }) });
      case 'form-update':
      case 'form':
        return ack({ response_action: 'update', view: (await modals.modal(result.form, meta.c)) as never });
      default:
        await ack();
        await inbound.later('form answer', place, async () => inbound.deliver(result, place));
    }
  });
}
