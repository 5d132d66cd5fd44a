// The neutral markup (types.ts) read once, the same way for every platform, and user text made safe
// to put into it.
//
// Only the bot writes markup: **bold**, _italic_, `code`, [label](https://…) and mentions
// <@person:42>. Whatever a person typed (an indicator's name, a theme, a note, an answer, a person's
// name, a reason) enters a message through `literal()`, which escapes every character the markup
// gives a meaning with a backslash. `parseMarkup` turns markup into pieces — plain text with the
// escapes resolved, and the bot's own formatting, links and mentions — and each platform writes the
// pieces in its own format with its own escaping of plain text (renderMarkup): Slack mrkdwn
// (src/platforms/slack/blocks.ts), Teams card markdown (src/platforms/teams/cards.ts), the console
// (src/platforms/console/render.ts). So a link, a mention or an HTML tag typed by a person is shown
// as the characters they typed, on every platform, and only the bot's own markup makes links and
// mentions.
import type { Markup } from './types.ts';

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'em'; children: Inline[] }
  | { kind: 'code'; text: string }
  | { kind: 'link'; label: Inline[]; url: string }
  | { kind: 'mention'; personId: number };

/**
 * Characters that are never shown as typed, in any format: control characters (terminal escape
 * sequences, bells; all but newline and tab) and the bidirectional embeddings, overrides and isolates
 * that make text display in another order than it is written. Other invisible characters (zero-width
 * joiners, which emoji and some scripts need) are kept.
 */
export const UNSHOWABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** User text with the characters no format should show removed (see UNSHOWABLE). */
export const showable = (s: string): string => s.replace(UNSHOWABLE, '');

/** What `literal` escapes: the characters that start markup (bold, italic, code, a link's brackets, a mention's <), and the escape itself. */
const SPECIAL = /[\\*_`[\]<]/g;

/** User text as markup that reads as exactly that text (its markup characters escaped) on every platform. */
export function literal(s: string | number | null | undefined): Markup {
  return showable(String(s ?? '')).replace(SPECIAL, '\\$&');
}

/**
 * User text in code style (`like this`), shown as typed: a code span's content is never read as markup,
 * so only a backtick could end it early — text with one is given as literal text instead.
 */
export function literalCode(s: string): Markup {
  const t = showable(s);
  return t && !t.includes('`') ? `\`${t}\`` : `"${literal(t)}"`;
}

/** User text inside a code span the bot writes (`/kpi update <ref> …`): a backtick, which would end the span, becomes ’. */
export const inCode = (s: string): string => showable(s).replace(/`/g, '’');

/** Markup with the escapes `literal` made resolved, everything else left as it is: a user error printed by the command line. */
export const withoutEscapes = (markup: Markup): string => showable(markup).replace(/\\([\\*_`[\]<])/g, '$1');

const PUNCTUATION = /[!-/:-@[-`{-~]/;

/** Markup read as pieces: the escapes resolved into plain text, the bot's formatting, links and mentions. */
export function parseMarkup(markup: Markup): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  const s = markup;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length && PUNCTUATION.test(s[i + 1]!)) {
      text += s[i + 1];
      i += 2;
      continue;
    }
    const rest = s.slice(i);
    const mention = /^<@person:(\d+)>/.exec(rest);
    if (mention) {
      flush();
      out.push({ kind: 'mention', personId: Number(mention[1]) });
      i += mention[0].length;
      continue;
    }
    if (c === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ kind: 'code', text: s.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (c === '[') {
      const close = closing(s, i + 1, ']');
      const link = close > 0 ? /^\((https?:\/\/[^)\s]+)\)/.exec(s.slice(close + 1)) : null;
      if (link) {
        flush();
        out.push({ kind: 'link', label: parseMarkup(s.slice(i + 1, close)), url: link[1]! });
        i = close + 1 + link[0].length;
        continue;
      }
    }
    if (c === '*' && s[i + 1] === '*') {
      const end = closing(s, i + 2, '**');
      if (end > i + 2) {
        flush();
        out.push({ kind: 'strong', children: parseMarkup(s.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if (c === '_' && (i === 0 || !/\w/.test(s[i - 1]!))) {
      const end = closing(s, i + 1, '_');
      if (end > i + 1 && (end + 1 >= s.length || !/\w/.test(s[end + 1]!)) && !s.slice(i + 1, end).includes('\n')) {
        flush();
        out.push({ kind: 'em', children: parseMarkup(s.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    text += c;
    i++;
  }
  flush();
  return out;
}

/** Where `token` next occurs in `s` from `from`, not escaped and not inside a code span; -1 if nowhere. */
function closing(s: string, from: number, token: string): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s[i] === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i) i = end;
      continue;
    }
    if (s.startsWith(token, i)) return i;
  }
  return -1;
}

/** How one platform writes each kind of piece; `text` escapes plain text for the format. */
export interface InlineWriter {
  text(s: string): string;
  strong(inner: string): string;
  em(inner: string): string;
  code(s: string): string;
  link(label: string, url: string): string;
  mention(personId: number): string;
}

/** Markup written in one platform's format. */
export function renderMarkup(markup: Markup, w: InlineWriter): string {
  return writeInlines(parseMarkup(markup), w);
}

export function writeInlines(pieces: Inline[], w: InlineWriter): string {
  return pieces
    .map((p) => {
      switch (p.kind) {
        case 'text':
          return w.text(p.text);
        case 'strong':
          return w.strong(writeInlines(p.children, w));
        case 'em':
          return w.em(writeInlines(p.children, w));
        case 'code':
          return w.code(p.text);
        case 'link':
          return w.link(writeInlines(p.label, w), p.url);
        case 'mention':
          return w.mention(p.personId);
      }
    })
    .join('');
}

/** Markup as plain text (formatting dropped, links as their label), mentions as `mention` names them. */
export function plainMarkup(markup: Markup, mention: (personId: number) => string = () => 'someone'): string {
  return renderMarkup(markup, { text: showable, strong: (t) => t, em: (t) => t, code: showable, link: (label) => label, mention: (id) => showable(mention(id)) });
}
