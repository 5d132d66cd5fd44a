// What a person is told when the database did not come back in time: that nothing was saved, what
// they sent (so nothing typed is lost), and how to send it again.
import type { CommandResult, FormValues } from '../src/messages/types.ts';
import { context, message, text } from '../src/messages/build.ts';
import { enteredValues } from '../src/messages/entered.ts';

const code = (s: string) => `\`${s.replace(/`/g, "'").slice(0, 500)}\``;

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
