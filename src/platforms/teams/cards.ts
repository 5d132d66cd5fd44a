// Neutral messages and forms → Adaptive Cards (schema 1.5, what Teams renders on desktop, web and
// mobile), typed with the Teams SDK's card interfaces (@microsoft/teams.cards). Buttons and form
// submissions are Universal Actions (Action.Execute): Teams sends them to the bot as an
// `adaptiveCard/action` invoke and shows the card the bot answers with, so a form's validation
// errors appear on the form itself, beside their fields, with what was typed kept.
//
// Size: Teams refuses a message over about 28 KB, measured on the serialized activity, in bytes
// (UTF-8: a Chinese character is 3, an emoji 4). Every activity built here is packed to
// ACTIVITY_BUDGET bytes, leaving room for what the Bot Connector adds. A message too large for one
// card becomes several (a long table is split by rows, its header repeated; long text at paragraph
// or line breaks); a form too large for one card is shown page by page (Next / Back), its answers
// kept server-side (stored-forms.ts) — form buttons carry only the stored form's id, never the form.
//
// Mobile: every card has fallbackText (clients older than 1.5 show it), choice labels wrap, button
// titles are short (the full label is the tooltip), chart images can be opened full screen.
import type {
  CardElementArray,
  IActionSet,
  IAdaptiveCard,
  IChoiceSetInput,
  IExecuteAction,
  IFactSet,
  IMention,
  IOpenUrlAction,
  ITable,
  ITableRow,
  ITextBlock,
} from '@microsoft/teams.cards';
import type { Block, Field, Form, FormValues, Markup, Message } from '../../messages/types.ts';
import { fieldLabel, mentionedPeople } from '../../messages/build.ts';
import { renderCommands, type CommandStyle } from '../../messages/commands.ts';
import { renderMarkup, showable } from '../../messages/markup.ts';
import { TEAMS_BOT_NAME } from '../../catalogue/teams.ts';

/** Teams (Entra) ids and names for the people a message mentions. */
export type MentionMap = Map<number, { teamsUserId: string | null; displayName: string }>;

/** Where a card is read: command references are written for it (@kpi … outside the 1:1 chat). */
export type TeamsConversation = 'personal' | 'channel' | 'groupChat';

/** A chart block's image once published: a URL the Teams client can fetch, with its alt text. */
export interface CardImage {
  url: string;
  altText: string;
}

/** A file block's file once hosted: its download link. */
export interface CardFile {
  url: string;
  filename: string;
  title: string;
  size: number;
}

/** What a message's chart and file blocks became, in the order of those blocks. */
export interface HostedContent {
  images?: (CardImage | null)[];
  files?: CardFile[];
}

export type CardElement = CardElementArray[number];
export type CardAction = IExecuteAction | IOpenUrlAction;

export interface AdaptiveCard extends IAdaptiveCard {
  version: '1.5';
  fallbackText: string;
  actions?: CardAction[];
  msteams: { width: 'full'; entities?: IMention[] };
}

/** A card and the plain-text summary Teams shows in notifications and the chat list. */
export interface CardMessage {
  card: AdaptiveCard;
  summary: string;
}

/** What a button or form sends back (Action.Execute data). Input values arrive beside it, keyed by input id. */
export type CardActionData =
  | { kpi: 'action'; id: string; value: string }
  /** A stored form (stored-forms.ts): `go` moves between its pages or submits it. */
  | { kpi: 'form'; ref: string; page: number; go: 'submit' | 'next' | 'back' }
  | { kpi: 'cancel'; ref?: string };

export const ACTION_VERB = 'kpi';
/** Teams' limit for one message, serialized, in bytes (about 28 KB). */
export const ACTIVITY_LIMIT = 28_000;
/** What a card's activity is packed to: the limit less room for what the Bot Connector adds (ids, from, conversation). */
export const ACTIVITY_BUDGET = 26_000;
/** A message longer than this many cards is shortened (with a note) rather than flooding the chat. */
export const MAX_PARTS = 5;
/** Teams desktop shows up to 6 buttons in a row; on a phone 3 short ones fit side by side. */
const MAX_BUTTONS_PER_ROW = 3;
/** What fits in one row on a phone (about 330 px): this many characters of button titles, all told. */
const ROW_CHARS = 26;
/** Longer button titles are cut on a phone; the full label becomes the tooltip. */
export const MAX_BUTTON_TITLE = 24;
const SUMMARY_CHARS = 250;
const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** Input ids carry a prefix so they never collide with the action's own data keys. */
export const inputId = (fieldId: string) => `f:${fieldId}`;

export { mentionedPeople };

/** The size Teams measures: the activity serialized, in UTF-8 bytes. */
export const jsonBytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), 'utf8');

export function cardActivity(card: AdaptiveCard, summary: string) {
  return {
    type: 'message' as const,
    summary,
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
  };
}

/** In the 1:1 chat a command is typed on its own; elsewhere the bot is @mentioned. */
const commandContext = (conversation: TeamsConversation): CommandStyle => (conversation === 'personal' ? { kind: 'bare', name: TEAMS_BOT_NAME } : { kind: 'mention', name: TEAMS_BOT_NAME });

/**
 * Plain text in a card's markdown (TextBlock, FactSet): what Teams' markdown gives a meaning —
 * emphasis (* _), a link's brackets, and a < that would open a tag such as its <at> mention — escaped
 * with a backslash, which Teams removes when it shows the text. Nothing else: a card does not decode
 * HTML entities (so & and &amp; show as typed and need no escape) and renders no other HTML.
 */
export function escapeCardMarkdown(s: string): string {
  return showable(s)
    .replace(/[\\*_[\]]/g, '\\$&')
    .replace(/<(?=[a-zA-Z/!@#])/g, '\\<');
}

const esc = escapeCardMarkdown;

/** Renders markup to Teams card markdown and collects the mention entities it needs. */
class MarkdownWriter {
  readonly entities = new Map<string, IMention>();

  constructor(
    private readonly mentions: MentionMap,
    private readonly conversation: TeamsConversation,
  ) {}

  /**
   * **bold**, _italic_ and [links](…) are Teams markdown already; mentions become <at>; a card has no
   * code style, so a command reference is written for this conversation in bold and any other
   * `code` (a short name) is bold too, so it never runs into the words beside it. Plain text is escaped.
   */
  render(markup: Markup): string {
    const out = renderMarkup(renderCommands(markup, commandContext(this.conversation), { reference: codeSpan, code: codeSpan }), {
      text: esc,
      strong: (t) => `**${t}**`,
      em: (t) => `_${t}_`,
      code: (t) => bold(esc(t)),
      link: (label, url) => `[${label}](${url.replace(/[()\s]/g, encodeURIComponent)})`,
      mention: (id) => {
        const p = this.mentions.get(id);
        // The name inside <at> is shown as the mention: nothing in it may make a tag or a link.
        const name = showable(p?.displayName ?? 'someone').replace(/[<>[\]()]/g, '');
        if (!p?.teamsUserId) return bold(esc(name));
        const text = `<at>${name}</at>`;
        this.entities.set(text, { type: 'mention', text, mentioned: { id: p.teamsUserId, name } });
        return text;
      },
    });
    // A card's TextBlock needs a blank line for a line break.
    return out.replace(/\n+/g, (m) => (m.length === 1 ? '\n\n' : m));
  }
}

const bold = (s: string) => `**${s.trim()}**`;
/** A command reference or a short name stays a code span in the markup, so the writer bolds it (escaped). */
const codeSpan = (s: string) => `\`${s}\``;

/** A summary (plain text) for this conversation: notifications, the chat list and fallbackText. */
export function plainText(summary: string, conversation: TeamsConversation): string {
  return showable(renderCommands(summary, commandContext(conversation), { reference: (t) => t, code: (c) => c }));
}

const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

const textBlock = (text: string, extra: Partial<ITextBlock> = {}): ITextBlock => ({ type: 'TextBlock', text, wrap: true, ...extra });

function tableElement(b: Extract<Block, { type: 'table' }>): ITable {
  const cell = (text: string, c: number, header: boolean) => ({
    type: 'TableCell' as const,
    items: [textBlock(esc(text) || ' ', { ...(header ? { weight: 'Bolder' as const } : {}), ...(b.align?.[c] === 'right' ? { horizontalAlignment: 'Right' as const } : {}) })],
  });
  return {
    type: 'Table',
    firstRowAsHeaders: true,
    showGridLines: false,
    columns: b.columns.map(() => ({ width: 1 })),
    rows: [b.columns, ...b.rows].map((row, r): ITableRow => ({ type: 'TableRow', cells: b.columns.map((_, c) => cell(row[c] ?? '', c, r === 0)) })),
  };
}

/** A short title for a phone, the full label as its tooltip. */
function titled(label: string): Pick<IExecuteAction, 'title' | 'tooltip'> {
  const title = cut(label, MAX_BUTTON_TITLE);
  return title === label ? { title } : { title, tooltip: cut(label, 200) };
}

/** Buttons in rows a phone shows whole: up to three short ones side by side, a long one on its own. */
function buttonRows(actions: Extract<Block, { type: 'actions' }>['actions']): IActionSet[] {
  const rows: IActionSet[] = [];
  const groups = splitList(actions, (some) => some.length <= MAX_BUTTONS_PER_ROW && some.reduce((n, a) => n + Math.min(a.label.length, MAX_BUTTON_TITLE) + 2, 0) <= ROW_CHARS);
  for (const group of groups) {
    rows.push({
      type: 'ActionSet',
      actions: group.map(
        (a): IExecuteAction => ({
          type: 'Action.Execute',
          ...titled(a.label),
          verb: ACTION_VERB,
          data: { kpi: 'action', id: a.id, value: a.value } satisfies CardActionData,
          ...(a.style === 'primary' ? { style: 'positive' as const } : a.style === 'danger' ? { style: 'destructive' as const } : {}),
        }),
      ),
    });
  }
  return rows;
}

/** 2.4 MB, 18 KB, 512 bytes. */
export function sizeText(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** A hosted file: its title and name (as plain text runs, so a name's underscores stay underscores), and a download button. */
function fileElements(title: string, f: CardFile | undefined): CardElement[] {
  if (!f) return [textBlock(`📎 ${esc(title)}: this file is not available here.`, { isSubtle: true })];
  return [
    {
      type: 'RichTextBlock',
      inlines: [
        { type: 'TextRun', text: `📎 ${title}`, weight: 'Bolder' },
        { type: 'TextRun', text: ` — ${f.filename}, ${sizeText(f.size)}`, isSubtle: true },
      ],
    },
    { type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: 'Download', tooltip: cut(`Download ${f.filename}`, 200), url: f.url }] },
  ];
}

/** Card elements for neutral blocks; `hosted` holds the published charts and files, in the order of their blocks. */
function blockElements(blocks: Block[], md: MarkdownWriter, hosted: HostedContent, opts: { withActions?: boolean } = {}): CardElement[] {
  const out: CardElement[] = [];
  let separator = false;
  let chart = 0;
  let file = 0;
  const push = (...els: CardElement[]) => {
    for (const el of els) {
      out.push(separator ? { ...el, separator: true, spacing: 'Medium' } : el);
      separator = false;
    }
  };
  for (const b of blocks) {
    switch (b.type) {
      case 'header':
        push(textBlock(esc(b.text), { size: 'Large', weight: 'Bolder' }));
        break;
      case 'text':
        push(textBlock(md.render(b.text)));
        break;
      case 'context':
        push(textBlock(md.render(b.text), { isSubtle: true, size: 'Small' }));
        break;
      case 'fields':
        push({ type: 'FactSet', facts: b.fields.map((f) => ({ title: esc(f.label), value: md.render(f.value) })) });
        break;
      case 'table':
        push(tableElement(b));
        break;
      case 'divider':
        separator = true;
        break;
      case 'actions':
        if (opts.withActions !== false) push(...buttonRows(b.actions));
        break;
      case 'chart': {
        const img = hosted.images?.[chart++];
        if (img) {
          push(
            ...(b.title ? [textBlock(esc(b.title), { isSubtle: true, size: 'Small', spacing: 'Medium' })] : []),
            // Drawn for a card's width (src/charts: the compact size); a tap opens it full screen.
            { type: 'Image', url: img.url, altText: img.altText, size: 'Stretch', msteams: { allowExpand: true } },
          );
        }
        break;
      }
      case 'file':
        push(...fileElements(b.file.title, hosted.files?.[file++]));
        break;
    }
  }
  return out;
}

function card(body: CardElement[], entities: IMention[], fallbackText: string, actions?: CardAction[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: SCHEMA,
    version: '1.5',
    fallbackText,
    body,
    ...(actions?.length ? { actions } : {}),
    msteams: { width: 'full', ...(entities.length ? { entities } : {}) },
  };
}

// ---------------------------------------------------------------------------------------------
// Packing within the byte budget

/** Pieces of one element, each within `max` bytes: text at paragraph, line or word breaks; tables and fact sets by rows. */
function splitElement(el: CardElement, max: number): CardElement[] {
  if (jsonBytes(el) <= max) return [el];
  if (el.type === 'TextBlock') {
    return splitText(el.text, (t) => jsonBytes({ ...el, text: t }) <= max).map((text, i) => ({ ...el, text, ...(i > 0 ? { separator: false, spacing: 'None' as const } : {}) }));
  }
  if (el.type === 'Table' && el.rows && el.rows.length > 2) {
    const [head, ...rows] = el.rows;
    return splitList(rows, (some) => jsonBytes({ ...el, rows: [head!, ...some] }) <= max).map((some) => ({ ...el, rows: [head!, ...some] }));
  }
  if (el.type === 'FactSet' && el.facts.length > 1) {
    return splitList(el.facts, (some) => jsonBytes({ ...el, facts: some }) <= max).flatMap((facts) => splitElement({ ...el, facts } as IFactSet, max));
  }
  if (el.type === 'FactSet') {
    // One fact too long for a card: its value becomes text blocks under its title.
    const f = el.facts[0]!;
    return splitElement(textBlock(`**${f.title}**\n\n${f.value}`), max);
  }
  if (el.type === 'Table' && el.rows?.length === 2) {
    // One row too long: its cells as text, one after another.
    const [head, row] = el.rows;
    const cellText = (r: ITableRow, c: number) => String((r.cells?.[c]?.items[0] as ITextBlock | undefined)?.text ?? '');
    const text = (row!.cells ?? []).map((_, c) => `**${cellText(head!, c)}**: ${cellText(row!, c)}`).join('\n\n');
    return splitElement(textBlock(text), max);
  }
  // An input, an image or a file link is never this large: leave it whole.
  return [el];
}

/** The longest leading runs of `items` that each pass `fits` (an item that never fits goes alone). */
function splitList<T>(items: T[], fits: (some: T[]) => boolean): T[][] {
  const out: T[][] = [];
  let cur: T[] = [];
  for (const item of items) {
    if (cur.length && !fits([...cur, item])) {
      out.push(cur);
      cur = [];
    }
    cur.push(item);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Text cut into pieces that pass `fits`, at the widest break that works: paragraphs, lines, words, characters. */
function splitText(text: string, fits: (t: string) => boolean): string[] {
  for (const sep of ['\n\n', '\n', ' ']) {
    const parts = text.split(sep);
    if (parts.length > 1 && parts.every((p) => fits(p))) return splitList(parts, (some) => fits(some.join(sep))).map((some) => some.join(sep));
  }
  // A run with no break that fits: by code points (never half an emoji).
  const chars = [...text];
  const out: string[] = [];
  let at = 0;
  while (at < chars.length) {
    let lo = 1;
    let hi = chars.length - at;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(chars.slice(at, at + mid).join(''))) lo = mid;
      else hi = mid - 1;
    }
    out.push(chars.slice(at, at + lo).join(''));
    at += lo;
  }
  return out;
}

/** Groups of elements (a group stays on one card if it can) packed greedily into cards of `room` bytes of body. */
function pack(groups: CardElement[][], room: number): CardElement[][] {
  const pieces: CardElement[][] = [];
  for (const g of groups) {
    if (groupBytes(g) <= room) pieces.push(g);
    else for (const el of g) for (const piece of splitElement(el, room - 2)) pieces.push([piece]);
  }
  const parts: CardElement[][] = [];
  let cur: CardElement[] = [];
  let used = 0;
  for (const g of pieces) {
    const cost = groupBytes(g);
    if (cur.length && used + cost > room) {
      parts.push(cur);
      cur = [];
      used = 0;
    }
    cur.push(...g);
    used += cost;
  }
  if (cur.length || !parts.length) parts.push(cur);
  return parts;
}

/** An element's bytes in a body array, with its comma. */
const groupBytes = (g: CardElement[]) => g.reduce((n, el) => n + jsonBytes(el) + 1, 0);

/** The entities a part uses (a mention's text appears in it). */
function entitiesIn(body: CardElement[], all: IMention[]): IMention[] {
  const json = JSON.stringify(body);
  return all.filter((e) => e.text && json.includes(JSON.stringify(e.text).slice(1, -1)));
}

/** Bytes of the activity around an empty body: summary, fallbackText, entities, actions. */
function overhead(summary: string, fallbackText: string, entities: IMention[], actions?: CardAction[]): number {
  return jsonBytes(cardActivity(card([], entities, fallbackText, actions), summary));
}

const note = (text: string) => textBlock(text, { isSubtle: true, size: 'Small' });

// ---------------------------------------------------------------------------------------------
// Messages

export interface MessageCardOptions {
  conversation?: TeamsConversation;
  /** Bytes an activity may take (tests); default ACTIVITY_BUDGET. */
  budget?: number;
}

/** A message as cards: one, or several when it is too large for one Teams message (each within the budget). */
export function messageCards(msg: Message, mentions: MentionMap, hosted: HostedContent = {}, opts: MessageCardOptions = {}): CardMessage[] {
  const conversation = opts.conversation ?? 'personal';
  const budget = opts.budget ?? ACTIVITY_BUDGET;
  const md = new MarkdownWriter(mentions, conversation);
  const body = blockElements(msg.blocks, md, hosted);
  if (!body.length) body.push(textBlock(md.render(msg.text)));
  const summary = summaryText(msg, conversation);
  const fallbackText = cut(summary, SUMMARY_CHARS);
  const entities = [...md.entities.values()];
  // Room for "(2 of 3)" on later parts, and their longer summaries.
  const reserve = 160;
  let parts = pack(body.map((el) => [el]), budget - overhead(summary, fallbackText, entities) - reserve);
  if (parts.length > MAX_PARTS) {
    // Far too long for a chat: the first parts, then a note and the buttons and download links of the rest.
    const rest = parts.slice(MAX_PARTS - 1).flat().filter((e) => e.type === 'ActionSet');
    const tail = [note('Shortened to fit Teams: narrow the request to see the rest.'), ...rest];
    parts = [...parts.slice(0, MAX_PARTS - 1), pack([tail], budget - overhead(summary, fallbackText, entities) - reserve)[0]!];
  }
  return parts.map((part, i) => {
    const n = parts.length;
    const labelled = n > 1 && i > 0 ? [note(`Continued (${i + 1} of ${n})`), ...part] : part;
    const s = n > 1 ? `${cut(summary, SUMMARY_CHARS - 10)} (${i + 1}/${n})` : summary;
    return { card: card(labelled, entitiesIn(labelled, entities), fallbackText), summary: s };
  });
}

/** One card for where only one fits (an edited post, a card replaced in place): the first part, saying when there was more. */
export function messageCard(msg: Message, mentions: MentionMap, hosted: HostedContent = {}, opts: MessageCardOptions = {}): AdaptiveCard {
  const parts = messageCards(msg, mentions, hosted, opts);
  if (parts.length === 1) return parts[0]!.card;
  const first = parts[0]!.card;
  const withNote = [...first.body, note('Shortened to fit Teams: narrow the request to see the rest.')];
  return { ...first, body: withNote };
}

/** The plain-text summary Teams shows in notifications and the chat list. */
export function summaryText(msg: Message, conversation: TeamsConversation = 'personal'): string {
  return cut(plainText(msg.text, conversation), SUMMARY_CHARS);
}

// ---------------------------------------------------------------------------------------------
// Forms

export interface FormCardOptions {
  /** The stored form's id (stored-forms.ts): the only thing its buttons carry. */
  ref: string;
  /** What the person typed (re-shown, on every page). */
  values?: FormValues;
  /** Field id → the problem, shown under the field; keys that are no field go at the top. */
  errors?: Record<string, string>;
  /** Choices for indicator pickers before anything is typed (Teams then asks the bot as the person types). */
  choices?: Record<string, { value: string; label: string }[]>;
  /** The page to show; by default the first, or the one with the first error. */
  page?: number;
  conversation?: TeamsConversation;
  budget?: number;
}

export interface FormCard extends CardMessage {
  /** Field ids per page: a page's answers are read back by these. */
  pages: string[][];
  page: number;
}

function initialValue(f: Field, values: FormValues | undefined): string | undefined {
  const v = values && f.id in values ? values[f.id] : f.initial;
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : v;
}

/** Static choices of an indicator picker are a start, not the list (Teams searches as the person types): at most this many bytes. */
const PICKER_CHOICE_BYTES = 6_000;

function inputElement(form: Form, f: Field, opts: FormCardOptions, md: MarkdownWriter): CardElement {
  const value = initialValue(f, opts.values);
  const common = {
    id: inputId(f.id),
    // Required: Teams marks it (and asks for it before sending); optional: the label says so, as on Slack.
    label: cut(fieldLabel(f), 150),
    ...(f.required ? { isRequired: true, errorMessage: cut(`${f.label} is required.`, 150) } : {}),
    ...(value !== undefined && value !== '' ? { value } : {}),
  };
  const choice = (o: { value: string; label: string }) => ({ title: cut(o.label, 100), value: o.value });
  switch (f.kind) {
    case 'text':
    case 'number':
    case 'textarea':
      return {
        type: 'Input.Text',
        ...common,
        ...(f.kind === 'textarea' ? { isMultiline: true } : {}),
        ...(f.placeholder ? { placeholder: f.placeholder } : {}),
        ...(f.maxLength ? { maxLength: f.maxLength } : {}),
      };
    case 'indicator': {
      const choices = [...(opts.choices?.[f.id] ?? [])];
      if (value && !choices.some((c) => c.value === value)) choices.unshift({ value, label: f.initialLabel ?? value });
      const shown = splitList(choices.map(choice), (some) => jsonBytes(some) <= PICKER_CHOICE_BYTES)[0] ?? [];
      const picker: IChoiceSetInput = {
        type: 'Input.ChoiceSet',
        ...common,
        style: 'filtered',
        wrap: true,
        choices: shown,
        'choices.data': { type: 'Data.Query', dataset: `${form.id}:${f.id}` } as IChoiceSetInput['choices.data'],
        ...(f.placeholder ? { placeholder: f.placeholder } : {}),
      };
      return picker;
    }
    case 'select':
      return { type: 'Input.ChoiceSet', ...common, style: 'compact', wrap: true, choices: (f.options ?? []).map(choice) };
    case 'checkboxes':
      return { type: 'Input.ChoiceSet', ...common, isMultiSelect: true, style: 'expanded', wrap: true, choices: (f.options ?? []).map(choice) };
    case 'file':
      return textBlock(`**${esc(f.label)}**: ${md.render(f.insteadOfUpload ?? FILE_FIELD_DEFAULT)}`);
  }
}

/** A card cannot upload: what a file field says when its form does not say how to send the file instead. */
const FILE_FIELD_DEFAULT = 'a card cannot carry a file, so send it to me in our 1:1 chat instead.';
/** Under a file field whose form was submitted anyway (a card from an older version of the bot). */
const FILE_FIELD_ERROR = 'A Teams card cannot carry a file, so nothing was done: send the file as described above.';

const problem = (text: string) => textBlock(`⚠️ ${esc(text)}`, { color: 'Attention', spacing: 'None', size: 'Small' });

function formActions(ref: string, page: number, pages: number, submitLabel: string): CardAction[] {
  const go = (g: 'submit' | 'next' | 'back', title: string, extra: Partial<IExecuteAction> = {}): IExecuteAction => ({
    type: 'Action.Execute',
    ...titled(title),
    verb: ACTION_VERB,
    data: { kpi: 'form', ref, page, go: g } satisfies CardActionData,
    ...extra,
  });
  const cancel: IExecuteAction = { type: 'Action.Execute', title: 'Cancel', verb: ACTION_VERB, associatedInputs: 'none', data: { kpi: 'cancel', ref } satisfies CardActionData };
  if (pages <= 1) return [go('submit', submitLabel, { style: 'positive' }), cancel];
  return [
    ...(page > 0 ? [go('back', 'Back')] : []),
    page < pages - 1 ? go('next', 'Next', { style: 'positive' }) : go('submit', submitLabel, { style: 'positive' }),
    cancel,
  ];
}

/**
 * A form as a card: its intro, one input per field (with its error, if any), Submit and Cancel; when
 * it is too large for one Teams message, one page of it, with Back / Next. A card cannot upload, so a
 * form that needs a file is shown as what to do instead (each file field's `insteadOfUpload`),
 * without its other fields or a Submit that could only fail.
 */
export function formCard(form: Form, mentions: MentionMap, opts: FormCardOptions): FormCard {
  const budget = opts.budget ?? ACTIVITY_BUDGET;
  const md = new MarkdownWriter(mentions, opts.conversation ?? 'personal');
  const fieldIds = new Set(form.fields.map((f) => f.id));
  const errors = opts.errors ?? {};
  const intro = blockElements(form.intro ?? [], md, {}, { withActions: false });
  const needsFile = form.fields.some((f) => f.kind === 'file' && f.required);
  const shown = form.fields.filter((f) => !needsFile || f.kind === 'file');
  const groups = shown.map((f): { id: string; els: CardElement[] } => ({
    id: f.id,
    els: [
      inputElement(form, f, opts, md),
      ...(f.hint ? [textBlock(esc(f.hint), { isSubtle: true, size: 'Small', spacing: 'None' })] : []),
      ...(errors[f.id] ? [problem(f.kind === 'file' ? FILE_FIELD_ERROR : errors[f.id]!)] : []),
    ],
  }));
  const summary = cut(form.title, SUMMARY_CHARS);
  const fallbackText = cut(`${form.title}: this form needs a newer version of Teams (Adaptive Cards 1.5) to fill in.`, SUMMARY_CHARS);
  const entities = [...md.entities.values()];
  const general = Object.entries(errors).filter(([k]) => !fieldIds.has(k)).map(([, v]) => v);
  const allProblems = [...general, ...Object.entries(errors).filter(([k]) => fieldIds.has(k)).map(([k, v]) => `${k}: ${v}`)].map(problem);
  // Room for the title with "(2 of 3)", the problems of other pages, and the longest set of buttons.
  const reserve = jsonBytes(textBlock(`${form.title} (99 of 99)`, { size: 'Large', weight: 'Bolder' })) + groupBytes(allProblems) + 16;
  const room = budget - overhead(summary, fallbackText, entities, needsFile ? undefined : formActions(opts.ref, 98, 99, form.submitLabel)) - reserve;
  // Intro elements stand alone (and may be split); a field keeps its hint and error with it.
  const tagged = [...intro.map((el) => ({ id: null as string | null, els: [el] })), ...groups];
  const byElement = new Map<CardElement, string>();
  for (const g of groups) for (const el of g.els) byElement.set(el, g.id);
  const partsEls = pack(tagged.map((g) => g.els), room);
  const pages = partsEls.map((els) => [...new Set(els.map((el) => byElement.get(el)).filter((id): id is string => id !== undefined))]);
  const firstError = Object.keys(errors).find((k) => fieldIds.has(k));
  const errorPage = firstError ? pages.findIndex((p) => p.includes(firstError)) : -1;
  const page = Math.min(Math.max(opts.page ?? (errorPage >= 0 ? errorPage : 0), 0), pages.length - 1);
  const n = pages.length;
  const label = new Map(form.fields.map((f) => [f.id, f.label]));
  const elsewhere = Object.entries(errors)
    .filter(([k]) => fieldIds.has(k) && !pages[page]!.includes(k))
    .map(([k, v]) => problem(`${cut(label.get(k) ?? k, 80)} (page ${pages.findIndex((p) => p.includes(k)) + 1}): ${v}`));
  const body: CardElement[] = [
    textBlock(esc(n > 1 ? `${form.title} (${page + 1} of ${n})` : form.title), { size: 'Large', weight: 'Bolder' }),
    ...(page === 0 ? general.map(problem) : []),
    ...elsewhere,
    ...partsEls[page]!,
  ];
  const actions = needsFile ? undefined : formActions(opts.ref, page, n, form.submitLabel);
  return { card: card(body, entitiesIn(body, entities), fallbackText, actions), summary, pages, page };
}

/** The values of a submitted page (or form), keyed by field id, as the dispatcher wants them. */
export function formValues(form: Form, data: Record<string, unknown>, onPage: string[] = form.fields.map((f) => f.id)): FormValues {
  const out: FormValues = {};
  for (const f of form.fields) {
    if (!onPage.includes(f.id)) continue;
    const raw = data[inputId(f.id)];
    const s = raw === undefined || raw === null ? '' : String(raw);
    if (f.kind === 'checkboxes') out[f.id] = s.split(',').map((x) => x.trim()).filter(Boolean);
    else out[f.id] = s.trim() === '' ? undefined : s;
  }
  return out;
}
