// Buttons and form submissions: Universal Actions (Action.Execute). The answer is the invoke's HTTP
// response — a card in place of the one clicked (a form comes back with its errors beside the
// fields), or a toast when the answer follows after the acknowledgement. Teams waits about 15 s for
// it, so the database gets at most INVOKE_DATABASE_MS of that: when it does not come back in time
// the person is told in a toast that nothing was saved, and the card stays as it was to try again.
import type { App } from '@microsoft/teams.apps';
import type { InvokeResponse } from '@microsoft/teams.api';
import type { CommandResult, Form } from '../../../messages/types.ts';
import type { Sender } from '../../core/inbound.ts';
import { formValues } from '../cards.ts';
import type { StoredForm } from '../stored-forms.ts';
import { actionDataSchema, activitySchema, type Activity } from '../activity.ts';
import { noticeCard } from '../form-cards.ts';
import type { Turn } from '../turns.ts';
import { cardResponse, toastResponse } from './invoke.ts';
import type { TeamsParts } from './parts.ts';

/** What an invoke's answer may spend waiting for the database, of the ~15 s Teams waits (the rest: the handler's own work and the card). */
export const INVOKE_DATABASE_MS = 10_000;
const INVOKE = { databaseMs: INVOKE_DATABASE_MS };

/** Nothing was saved: said in a toast, the card left as it was so the person can try again. */
const unsavedToast = (result: CommandResult): InvokeResponse | null => (result.kind === 'message' && result.unsaved ? toastResponse(result.message.text) : null);

export function routeCardAction(app: App, { inbound, turns, cards, forms }: Pick<TeamsParts, 'inbound' | 'turns' | 'cards' | 'forms'>): void {
  /** Submit a stored form (or move between its pages): the answer replaces the card. */
  async function onForm(turn: Turn, from: Sender, stored: StoredForm, data: Record<string, unknown>, page: number, go: 'submit' | 'next' | 'back'): Promise<InvokeResponse> {
    const aad = turn.activity.from.aadObjectId ?? null;
    if (stored.audience && stored.audience !== aad) return toastResponse('This form was opened for someone else: ask for your own with the command or button.');
    const form = stored.form;
    const onPage = stored.pages[page] ?? form.fields.map((f) => f.id);
    const values = { ...stored.values, ...formValues(form, data, onPage) };
    if (go !== 'submit') {
      // The next page's pickers are the person's: know who they are first.
      await inbound.identify(from, INVOKE);
      return cardResponse(await cards.formCardFor(turn, form, { values, page: page + (go === 'next' ? 1 : -1), stored }));
    }
    const result = await inbound.answer(from, { kind: 'form', formId: form.id, state: form.state, values }, INVOKE);
    const unsaved = unsavedToast(result);
    if (unsaved) return unsaved;
    if (result.kind === 'form-errors') return cardResponse(await cards.formCardFor(turn, form, { values, errors: result.errors, stored }));
    await forms.delete(stored.id);
    // A result for the channel is also posted there (the card only the person sees says it too).
    if (result.kind === 'message' && result.visibility === 'channel' && turn.kind !== 'personal') void inbound.later('form result', turn, (t) => inbound.deliver(result, t));
    return cardResponse(await cards.resultCard(turn, result));
  }

  async function onCardAction(a: Activity): Promise<InvokeResponse> {
    const value = a.value as { action?: { data?: unknown } } | undefined;
    const parsed = actionDataSchema.safeParse(value?.action?.data);
    if (!parsed.success) return toastResponse('That button is from an older version of the bot and no longer does anything. Try the command again.');
    const data = parsed.data;
    if (data.kpi === 'cancel') {
      if (data.ref) await forms.delete(data.ref);
      return cardResponse(noticeCard('Cancelled: nothing was saved.'));
    }
    if (data.kpi === 'form') {
      const turn = turns.turnFor(a);
      const from = turns.senderOf(turn);
      if ('form' in data) {
        // A card from before forms were stored: the form travels in it.
        const legacy: StoredForm = { id: forms.newId(), audience: turn.activity.from.aadObjectId ?? null, form: data.form as unknown as Form, values: {}, pages: [] };
        await forms.create(legacy);
        return onForm(turn, from, legacy, data as Record<string, unknown>, 0, 'submit');
      }
      const stored = await forms.get(data.ref);
      if (!stored) return cardResponse(noticeCard('This form has expired or was already sent, so nothing was saved. Open it again from the command or the button.'));
      return onForm(turn, from, stored, data as Record<string, unknown>, data.page, data.go);
    }
    // A button: answers that take the place of the card replace it; anything else is said after the acknowledgement.
    const turn = turns.turnFor(a, { action: { id: data.id, value: data.value } });
    const result = await inbound.answer(turns.senderOf(turn), { kind: 'action', id: data.id, value: data.value }, INVOKE);
    const unsaved = unsavedToast(result);
    if (unsaved) return unsaved;
    if (result.kind === 'message' && result.replacesOriginal) return cardResponse(await cards.resultCard(turn, result));
    if (result.kind === 'none') return toastResponse('Done.');
    void inbound.later(`button ${data.id}`, turn, (t) => inbound.deliver(result, t));
    const elsewhere = turn.kind !== 'personal' && !(result.kind === 'message' && result.visibility === 'channel');
    return toastResponse(elsewhere ? 'I will answer you in our 1:1 chat.' : 'Done: see below.');
  }

  app.on('card.action', (c) => onCardAction(activitySchema.parse(c.activity)) as never);
}
