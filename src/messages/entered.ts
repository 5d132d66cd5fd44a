// "What you entered": a form's fields as the person filled them in, said back when nothing was
// saved (the database did not answer, or the fields were wrong after the form had closed), so
// nothing typed is lost.
import type { Block, FormValues } from './types.ts';
import { text } from './build.ts';

/** Form fields people type into, by id, with the words the forms use for them. */
const FIELD_LABELS: Record<string, string> = { indicator: 'Indicator', period: 'Period', value: 'Value', flags: 'Markers', note: 'Note', reason: 'Reason', comment: 'Comment', draft: 'Draft' };

/** "What you entered: …" — the fields of a form as the person filled them in, or null when empty. */
export function enteredValues(values: FormValues): Block | null {
  const entered = Object.entries(values)
    .map(([k, v]) => [k, [v ?? ''].flat().join(', ').trim()] as const)
    .filter(([, v]) => v)
    .map(([k, v]) => `${FIELD_LABELS[k] ?? (/^q\d+$/.test(k) ? `Answer ${Number(k.slice(1)) + 1}` : k)}: ${v.slice(0, 1000)}`);
  return entered.length ? text(`What you entered:\n${entered.map((l) => `• ${l}`).join('\n')}`) : null;
}
