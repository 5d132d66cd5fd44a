// Forms as Adaptive Cards, kept server-side (stored-forms.ts) so their buttons carry only an id, and
// the card that replaces the one clicked when an invoke is answered.
import type { Actor, Dispatcher, Repository } from '../../ports.ts';
import type { CommandResult, Form, FormValues } from '../../messages/types.ts';
import { formErrorsMessage } from '../../messages/build.ts';
import { isRecordNumber } from '../../domain/format.ts';
import { formCard, messageCard, type AdaptiveCard } from './cards.ts';
import type { TeamsMessenger } from './messenger.ts';
import type { StoredForm, StoredForms } from './stored-forms.ts';
import type { Turn } from './turns.ts';

export interface TeamsFormCards {
  /** A form as a card: a new one, or `stored` again with what has been typed so far. */
  formCardFor(turn: Turn, form: Form, extra?: { values?: FormValues; errors?: Record<string, string>; page?: number; stored?: StoredForm }): Promise<AdaptiveCard>;
  /** A card that replaces the one clicked. */
  resultCard(turn: Turn, result: CommandResult): Promise<AdaptiveCard>;
}

export const noticeCard = (t: string): AdaptiveCard => messageCard({ text: t, blocks: [{ type: 'context', text: t }] }, new Map());

export function teamsFormCards(o: { messenger: TeamsMessenger; forms: StoredForms; repo: Pick<Repository, 'indicator'>; dispatcher: Pick<Dispatcher, 'options'> }): TeamsFormCards {
  const { messenger, forms } = o;

  /** Choices for a form's indicator pickers before anything is typed (Teams then asks the bot as the person types). */
  async function pickerChoices(actor: Actor, form: Form, values: FormValues): Promise<Record<string, { value: string; label: string }[]>> {
    const choices: Record<string, { value: string; label: string }[]> = {};
    for (const f of form.fields) {
      if (f.kind !== 'indicator') continue;
      const r = await o.dispatcher.options(actor, form.id, f.id, '');
      choices[f.id] = r.kind === 'options' ? r.options.slice(0, 50) : [];
      const chosen = values[f.id];
      if (typeof chosen === 'string' && /^\d+$/.test(chosen) && isRecordNumber(Number(chosen)) && !choices[f.id]!.some((c) => c.value === chosen)) {
        const ind = await o.repo.indicator(Number(chosen));
        if (ind) choices[f.id]!.unshift({ value: chosen, label: `${ind.slug} — ${ind.name}` });
      }
    }
    return choices;
  }

  /**
   * A form as a card, kept server-side (stored-forms.ts) so its buttons carry only its id. Only the
   * person it was opened for (their Entra object id) may submit it.
   */
  const formCardFor: TeamsFormCards['formCardFor'] = async (turn, form, extra = {}) => {
    const values = extra.values ?? {};
    const ref = extra.stored?.id ?? forms.newId();
    const mentions = await messenger.mentions({ text: '', blocks: form.intro ?? [] });
    const fc = formCard(form, mentions, { ref, values, ...(extra.errors ? { errors: extra.errors } : {}), ...(extra.page !== undefined ? { page: extra.page } : {}), choices: await pickerChoices(turn.actor, form, values) });
    if (extra.stored) await forms.save({ id: ref, values, pages: fc.pages });
    else await forms.create({ id: ref, audience: turn.activity.from.aadObjectId ?? null, form, values, pages: fc.pages });
    return fc.card;
  };

  return {
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
