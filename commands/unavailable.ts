// What a person is told when the database did not come back in time: that nothing was saved, what
// they sent (so nothing typed is lost), and how to send it again.
import type { Block, CommandResult, FormValues } from '../src/messages/types.ts';
import { context, message, text } from '../src/messages/build.ts';

/** Form fields people type into, by id, with the words the forms use for them. */
const FIELD_LABELS: Record<string, string> = { indicator: 'Indicator', period: 'Period', value: 'Value', flags: 'Markers', note: 'Note', reason: 'Reason', comment: 'Comment', draft: 'Draft' };

const code = (s: string) => `\`${s.replace(/`/g, "'").slice(0, 500)}\``;

/** "What you entered: …" — the fields of a form as the person filled them in, or null when empty. */
export function enteredValues(values: FormValues): Block | null {
  const entered = Object.entries(values)
    .map(([k, v]) => [k, [v ?? ''].flat().join(', ').trim()] as const)
    .filter(([, v]) => v)
    .map(([k, v]) => `${FIELD_LABELS[k] ?? (/^q\d+$/.test(k) ? `Answer ${Number(k.slice(1)) + 1}` : k)}: ${v.slice(0, 1000)}`);
  return entered.length ? text(`What you entered:\n${entered.map((l) => `• ${l}`).join('\n')}`) : null;
}

export function notSaved(seconds: number, what: { slash: string } | { form: FormValues; reopen: string } | { button: string }): CommandResult {
  const why = `the database did not answer for ${seconds} seconds, so nothing was saved or changed`;
  const blocks = [text(`⚠️ **Not saved** — ${why}.`)];
  let summary: string;
  if ('slash' in what) {
    const cmd = `/kpi ${what.slash.trim()}`;
    blocks.push(text(`You sent: ${code(cmd)}`), context('Try again in a minute: send the same command again.'));
    summary = `Not saved: the database is unavailable. You sent ${cmd}; send it again in a minute.`;
  } else if ('form' in what) {
    const entered = enteredValues(what.form);
    if (entered) blocks.push(entered);
    blocks.push(context(`Try again in a minute: ${what.reopen}.`));
    summary = `Not saved: the database is unavailable. Try again in a minute: ${what.reopen}.`;
  } else {
    blocks.push(context(`Try again in a minute: ${what.button}.`));
    summary = `Not saved: the database is unavailable. Try again in a minute: ${what.button}.`;
  }
  // Marked, so a platform can show it its own way (a modal keeps its form).
  return { kind: 'message', visibility: 'private', message: message(summary, ...blocks), unsaved: true };
}
