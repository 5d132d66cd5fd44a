// Neutral messages and forms → Block Kit. Limits respected: 50 blocks a message, 3,000 characters a
// section, 10 fields, 24-character modal titles, 75-character option labels.
import type { Field, Form, Markup, Message } from '../../messages/types.ts';
import { renderCommands, SLASH_COMMANDS } from '../../messages/commands.ts';
import { renderMarkup, showable } from '../../messages/markup.ts';

/** Slack user ids for the people a message mentions (missing: shown by name). */
export type MentionMap = Map<number, { slackUserId: string | null; displayName: string }>;

import type { KnownBlock } from '@slack/types';
import { z } from 'zod';

/** Built from our own checked shapes; typed loosely here and handed to Slack as KnownBlock. */
type SlackBlock = KnownBlock;

export { mentionedPeople } from '../../messages/build.ts';

/** Plain text in mrkdwn: Slack reads only & < > as syntax (its links, mentions and @channel all start with <), and shows the entities as typed. */
export const escapeMrkdwn = (s: string) => showable(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escape = escapeMrkdwn;

const code = (s: string) => `\`${s}\``;

/** Our markup → Slack mrkdwn: **bold** → *bold*, [label](url) → <url|label>, mentions → <@U…>, `/kpi …` as typed in Slack; plain text escaped. */
export function toMrkdwn(input: Markup, mentions: MentionMap): string {
  return renderMarkup(renderCommands(input, SLASH_COMMANDS, { reference: code, code }), {
    text: escape,
    strong: (t) => `*${t}*`,
    em: (t) => `_${t}_`,
    code: (t) => code(escape(t)),
    link: (label, url) => `<${url.replace(/[|>]/g, encodeURIComponent)}|${label}>`,
    mention: (id) => {
      const p = mentions.get(id);
      return p?.slackUserId ? `<@${p.slackUserId}>` : escape(p?.displayName ?? 'someone');
    },
  });
}

export function plain(s: string, max: number): { type: 'plain_text'; text: string; emoji: true } {
  const t = s.length <= max ? s : `${s.slice(0, max - 1)}…`;
  return { type: 'plain_text', text: t || ' ', emoji: true };
}

function chunk(text: string, max = 2900): string[] {
  if (text.length <= max) return [text];
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = rest.lastIndexOf('\n', max) > max / 2 ? rest.lastIndexOf('\n', max) : max;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest) out.push(rest);
  return out;
}

function tableText(columns: string[], rows: string[][], align?: ('left' | 'right')[]): string {
  // Cells are plain text: a run of backticks cannot close the code block, and & < > are escaped after padding, so the columns line up as typed.
  const all = [columns, ...rows].map((r) => r.map((cell) => showable(cell ?? '').replace(/`{3,}/g, (m) => m.split('').join('\u200b'))));
  const widths = columns.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const fmt = (r: string[]) => r.map((cell, c) => (align?.[c] === 'right' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return ['```', ...all.map((r) => escape(fmt(r))), '```'].join('\n');
}

/** A chart already uploaded to Slack, shown in a message by its file id. */
export interface SlackImage {
  fileId: string;
  altText: string;
  title: string;
}

/**
 * Blocks for a message. Charts are left out (the caller uploads them as files), unless `images` gives
 * them as files already uploaded, in the order of the chart blocks: then each is shown in the message
 * (an edited post carries its redrawn chart).
 */
export function toBlocks(msg: Message, mentions: MentionMap, opts: { withActions?: boolean; images?: readonly SlackImage[] } = {}): SlackBlock[] {
  const out: Record<string, unknown>[] = [];
  let actionBlock = 0;
  let chart = 0;
  for (const b of msg.blocks) {
    switch (b.type) {
      case 'header':
        out.push({ type: 'header', text: plain(b.text, 150) });
        break;
      case 'text':
        for (const t of chunk(toMrkdwn(b.text, mentions))) out.push({ type: 'section', text: { type: 'mrkdwn', text: t } });
        break;
      case 'context':
        out.push({ type: 'context', elements: [{ type: 'mrkdwn', text: toMrkdwn(b.text, mentions).slice(0, 3000) }] });
        break;
      case 'fields':
        for (let i = 0; i < b.fields.length; i += 10) {
          out.push({
            type: 'section',
            fields: b.fields.slice(i, i + 10).map((f) => ({ type: 'mrkdwn', text: `*${escape(f.label)}*\n${toMrkdwn(f.value, mentions)}`.slice(0, 2000) })),
          });
        }
        break;
      case 'table':
        out.push({ type: 'section', text: { type: 'mrkdwn', text: tableText(b.columns, b.rows, b.align).slice(0, 3000) } });
        break;
      case 'divider':
        out.push({ type: 'divider' });
        break;
      case 'actions':
        if (opts.withActions === false) break;
        out.push({
          type: 'actions',
          block_id: `actions-${actionBlock++}`,
          elements: b.actions.slice(0, 25).map((a, i) => ({
            type: 'button',
            action_id: `${a.id}:${i}`,
            text: plain(a.label, 75),
            value: a.value.slice(0, 2000),
            ...(a.style ? { style: a.style } : {}),
          })),
        });
        break;
      case 'chart': {
        const img = opts.images?.[chart++];
        // Uploaded as a file by the messenger, or shown here once uploaded.
        if (img) out.push({ type: 'image', slack_file: { id: img.fileId }, alt_text: img.altText.slice(0, 2000) || 'chart', title: plain(img.title, 2000) });
        break;
      }
      case 'file':
        // Uploaded as files by the messenger.
        break;
    }
  }
  if (out.length > 50) {
    const kept = out.slice(0, 49);
    kept.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Shortened to fit Slack: narrow the request to see the rest.' }] });
    return kept as unknown as SlackBlock[];
  }
  return out as unknown as SlackBlock[];
}

/** The plain-text fallback (notifications): the summary is plain text, escaped so that nothing in it links or mentions. */
export function toFallback(msg: Message): string {
  return escape(msg.text).slice(0, 3000);
}

function inputElement(f: Field): Record<string, unknown> {
  const initial = Array.isArray(f.initial) ? f.initial : f.initial !== undefined ? [f.initial] : [];
  switch (f.kind) {
    case 'text':
    case 'number':
    case 'textarea':
      return {
        type: 'plain_text_input',
        action_id: 'v',
        multiline: f.kind === 'textarea',
        ...(initial[0] ? { initial_value: initial[0] } : {}),
        ...(f.placeholder ? { placeholder: plain(f.placeholder, 150) } : {}),
        ...(f.maxLength ? { max_length: f.maxLength } : {}),
      };
    case 'indicator':
      return {
        type: 'external_select',
        action_id: 'v',
        min_query_length: 0,
        ...(f.placeholder ? { placeholder: plain(f.placeholder, 150) } : {}),
        ...(initial[0] ? { initial_option: { text: plain(f.initialLabel ?? initial[0], 75), value: initial[0] } } : {}),
      };
    case 'select': {
      const options = (f.options ?? []).map((o) => ({ text: plain(o.label, 75), value: o.value }));
      const init = options.find((o) => o.value === initial[0]);
      return { type: 'static_select', action_id: 'v', options, ...(init ? { initial_option: init } : {}) };
    }
    case 'checkboxes': {
      const options = (f.options ?? []).map((o) => ({ text: plain(o.label, 75), value: o.value }));
      const init = options.filter((o) => initial.includes(o.value));
      return { type: 'checkboxes', action_id: 'v', options, ...(init.length ? { initial_options: init } : {}) };
    }
    case 'file':
      return { type: 'file_input', action_id: 'v', max_files: 1, filetypes: ['csv', 'xlsx', 'json', 'tsv', 'txt'] };
  }
}

/** private_metadata carries the form's state and where it was opened from. */
export interface ModalMetadata {
  s: string;
  c?: string;
}

const metadataSchema = z.object({ s: z.string().optional(), c: z.string().optional() });

/** Read a modal's private_metadata back; anything that is not ours reads as empty (the handlers then say the form is out of date). */
export function readModalMetadata(raw: string | undefined): Partial<ModalMetadata> {
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(raw || '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export function toModal(form: Form, mentions: MentionMap, meta: Omit<ModalMetadata, 's'> = {}): Record<string, unknown> {
  const metadata = JSON.stringify({ s: form.state, ...meta } satisfies ModalMetadata);
  if (metadata.length > 3000) throw new Error(`form ${form.id}: private_metadata over Slack's 3,000 characters`);
  return {
    type: 'modal',
    callback_id: form.id,
    title: plain(form.title, 24),
    submit: plain(form.submitLabel, 24),
    close: plain('Cancel', 24),
    private_metadata: metadata,
    blocks: [
      ...toBlocks({ text: form.title, blocks: form.intro ?? [] }, mentions, { withActions: false }),
      ...form.fields.map((f) => ({
        type: 'input',
        block_id: f.id,
        optional: !f.required,
        label: plain(f.label, 2000),
        ...(f.hint ? { hint: plain(f.hint, 2000) } : {}),
        element: inputElement(f),
      })),
    ],
  };
}

export interface ViewStateValue {
  type: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
  files?: SlackFileRef[];
}

/** A file as Slack describes it in a view submission or a file_share message. */
export interface SlackFileRef {
  id: string;
  name?: string;
  title?: string;
  size?: number;
  url_private?: string;
  url_private_download?: string;
}

/** The files of each file field in a view submission (block id = field id). */
export function formFiles(state: Record<string, Record<string, ViewStateValue>>): Record<string, SlackFileRef[]> {
  const out: Record<string, SlackFileRef[]> = {};
  for (const [blockId, actions] of Object.entries(state)) {
    const v = actions.v ?? Object.values(actions)[0];
    if (v?.files?.length) out[blockId] = v.files;
  }
  return out;
}

/** Field values from a view submission's state (block id = field id). */
export function formValues(state: Record<string, Record<string, ViewStateValue>>): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [blockId, actions] of Object.entries(state)) {
    const v = actions.v ?? Object.values(actions)[0];
    if (!v) continue;
    if (v.selected_options) out[blockId] = v.selected_options.map((o) => o.value);
    else if (v.selected_option !== undefined) out[blockId] = v.selected_option?.value ?? undefined;
    else if (v.files) out[blockId] = v.files.map((f) => f.id);
    else out[blockId] = v.value ?? undefined;
  }
  return out;
}

/** Form errors are keyed by field id, which is the input block's id. */
export function toErrors(errors: Record<string, string>, form?: { fields: { id: string }[] }): Record<string, string> {
  const out: Record<string, string> = {};
  // An error for a field the modal does not have goes beside its first field (if it has any).
  const fallback = form?.fields[0]?.id;
  for (const [k, v] of Object.entries(errors)) {
    const key = form && fallback && !form.fields.some((f) => f.id === k) ? fallback : k;
    out[key] = out[key] ? `${out[key]} ${v}`.slice(0, 2000) : v.slice(0, 2000);
  }
  return out;
}
