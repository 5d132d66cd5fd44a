// Small helpers to build messages without repeating object literals.
import type { Action, Block, CommandResult, Field, Markup, Message, Visibility } from './types.ts';
import { parseMarkup, plainMarkup, type Inline } from './markup.ts';

export { inCode, literal, literalCode, plainMarkup } from './markup.ts';

export const text = (t: Markup): Block => ({ type: 'text', text: t });
export const header = (t: string): Block => ({ type: 'header', text: t });
export const context = (t: Markup): Block => ({ type: 'context', text: t });
export const divider: Block = { type: 'divider' };
export const actions = (...a: Action[]): Block => ({ type: 'actions', actions: a });
export const fields = (f: { label: string; value: Markup }[]): Block => ({ type: 'fields', fields: f });

export function message(summary: string, ...blocks: Block[]): Message {
  return { text: summary, blocks: blocks.length ? blocks : [text(summary)] };
}

export function reply(visibility: Visibility, msg: Message): CommandResult {
  return { kind: 'message', visibility, message: msg };
}

/** The answer to a button, in place of the message the button was on (its question is answered, its buttons go). */
export function inPlaceOfOriginal(r: CommandResult): CommandResult {
  return r.kind === 'message' ? { ...r, replacesOriginal: true } : r;
}

/** A private one-line answer. */
export function say(t: Markup, ...more: Block[]): CommandResult {
  return reply('private', message(plainMarkup(t), text(t), ...more));
}

/** What a platform says when its own work after an acknowledgement failed (the error is logged). */
export const SOMETHING_WENT_WRONG: Message = {
  text: 'Sorry, something went wrong.',
  blocks: [{ type: 'text', text: 'Sorry, something went wrong on our side. The error has been logged; please try again in a minute.' }],
};

/** Form errors said as a message, where the platform cannot show them beside the fields. */
export function formErrorsMessage(errors: Record<string, string>, summary = Object.values(errors).join(' ')): Message {
  return { text: summary, blocks: [{ type: 'text', text: Object.values(errors).join('\n') }] };
}

/** For a switch over a union that must handle every case: a new case becomes a compile error. */
export function unreachable(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}

export const mention = (personId: number): string => `<@person:${personId}>`;

/** A mention in markup; the group is the person id. */
export const MENTION_PATTERN = /<@person:(\d+)>/g;

/** The people a message's markup mentions (its summary and headers are plain text), so a platform can look up how to mention each. */
export function mentionedPeople(msg: { blocks: Block[]; text: string }): number[] {
  const ids = new Set<number>();
  const scan = (pieces: Inline[]) => {
    for (const p of pieces) {
      if (p.kind === 'mention') ids.add(p.personId);
      if (p.kind === 'strong' || p.kind === 'em') scan(p.children);
      if (p.kind === 'link') scan(p.label);
    }
  };
  for (const b of msg.blocks) {
    if (b.type === 'text' || b.type === 'context') scan(parseMarkup(b.text));
    if (b.type === 'fields') b.fields.forEach((f) => scan(parseMarkup(f.value)));
  }
  return [...ids];
}

/** A file to send with a message. */
export function file(filename: string, mimeType: string, bytes: Uint8Array, title = filename): Block {
  return { type: 'file', file: { filename, mimeType, title, base64: Buffer.from(bytes).toString('base64') } };
}

/** Answer at once with `now`, then with what `later` produces (reports, imports). */
export function deferred(now: Message, later: () => Promise<CommandResult>): CommandResult {
  return { kind: 'deferred', message: now, result: later };
}

/**
 * A field's label where the platform does not mark optional fields itself (the console, Teams): one
 * that may be left empty says so, "Note (optional)"; ticking boxes is always a choice, so they do not.
 */
export function fieldLabel(f: Pick<Field, 'label' | 'required' | 'kind'>): string {
  return f.required || f.kind === 'checkboxes' ? f.label : `${f.label} (optional)`;
}
