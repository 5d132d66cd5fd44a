// Neutral messages and forms → Adaptive Cards (schema 1.5, what Teams renders on desktop, web and
// mobile). Buttons and form submissions are Universal Actions (Action.Execute): Teams sends them to
// the bot as an `adaptiveCard/action` invoke and shows the card the bot answers with, so a form's
// validation errors appear on the form itself, beside their fields, with what was typed kept.
// Limits respected: Teams shows at most 6 buttons in a row, a message is at most ~28 KB. Charts and
// files cannot travel in a card: they are hosted by the bot (hosted-files.ts) and the card links to them.
import type { Block, Field, Form, Markup, Message } from '../../messages/types.ts';
import type { FormValues } from '../../../commands/dispatch.ts';
import { MENTION_PATTERN as MENTION, mentionedPeople } from '../../messages/build.ts';

/** Teams (Entra) ids and names for the people a message mentions. */
export type MentionMap = Map<number, { teamsUserId: string | null; displayName: string }>;

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

export type CardElement = Record<string, unknown>;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  msteams: { width: 'Full'; entities?: MentionEntity[] };
}

interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

/** What a button or form sends back (Action.Execute data). Input values arrive beside it, keyed by input id. */
export type CardActionData =
  | { kpi: 'action'; id: string; value: string }
  | { kpi: 'form'; form: Form }
  | { kpi: 'cancel' };

export const ACTION_VERB = 'kpi';
/** Teams keeps a message to about 28 KB; the card is kept under this, the rest summarised. */
export const CARD_BUDGET = 24_000;
const MAX_BUTTONS_PER_ROW = 5;
const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** Input ids carry a prefix so they never collide with the action's own data keys. */
export const inputId = (fieldId: string) => `f:${fieldId}`;

export { mentionedPeople };

/** Renders markup to Teams card markdown and collects the mention entities it needs. */
class MarkdownWriter {
  readonly entities = new Map<string, MentionEntity>();

  constructor(private readonly mentions: MentionMap) {}

  /** **bold**, _italic_ and [links](…) are Teams markdown already; `code` has no card form; mentions become <at>. */
  render(markup: Markup): string {
    const out = markup.replace(MENTION, (_m, id: string) => {
      const p = this.mentions.get(Number(id));
      const name = (p?.displayName ?? 'someone').replace(/[<>]/g, '');
      if (!p?.teamsUserId) return `**${name}**`;
      const text = `<at>${name}</at>`;
      this.entities.set(text, { type: 'mention', text, mentioned: { id: p.teamsUserId, name } });
      return text;
    });
    return (
      out
        .replace(/`([^`]+)`/g, '$1')
        .replace(/\\([*_`[\]<>])/g, '$1')
        // A card's TextBlock needs a blank line for a line break.
        .replace(/\n+/g, (m) => (m.length === 1 ? '\n\n' : m))
    );
  }
}

const textBlock = (text: string, extra: CardElement = {}): CardElement => ({ type: 'TextBlock', text, wrap: true, ...extra });

function tableElement(b: Extract<Block, { type: 'table' }>): CardElement {
  const cell = (text: string, c: number, header: boolean) => ({
    type: 'TableCell',
    items: [textBlock(text || ' ', { ...(header ? { weight: 'Bolder' } : {}), ...(b.align?.[c] === 'right' ? { horizontalAlignment: 'Right' } : {}) })],
  });
  return {
    type: 'Table',
    firstRowAsHeaders: true,
    showGridLines: false,
    columns: b.columns.map(() => ({ width: 1 })),
    rows: [b.columns, ...b.rows].map((row, r) => ({ type: 'TableRow', cells: b.columns.map((_, c) => cell(row[c] ?? '', c, r === 0)) })),
  };
}

function buttonRows(actions: Extract<Block, { type: 'actions' }>['actions']): CardElement[] {
  const rows: CardElement[] = [];
  for (let i = 0; i < actions.length; i += MAX_BUTTONS_PER_ROW) {
    rows.push({
      type: 'ActionSet',
      actions: actions.slice(i, i + MAX_BUTTONS_PER_ROW).map((a) => ({
        type: 'Action.Execute',
        title: a.label,
        verb: ACTION_VERB,
        data: { kpi: 'action', id: a.id, value: a.value } satisfies CardActionData,
        ...(a.style === 'primary' ? { style: 'positive' } : a.style === 'danger' ? { style: 'destructive' } : {}),
      })),
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
  if (!f) return [textBlock(`📎 ${title}: this file is not available here.`, { isSubtle: true })];
  return [
    {
      type: 'RichTextBlock',
      inlines: [
        { type: 'TextRun', text: `📎 ${title}`, weight: 'Bolder' },
        { type: 'TextRun', text: ` — ${f.filename}, ${sizeText(f.size)}`, isSubtle: true },
      ],
    },
    { type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: `Download ${f.filename}`.slice(0, 100), url: f.url }] },
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
        push(textBlock(md.render(b.text), { size: 'Large', weight: 'Bolder' }));
        break;
      case 'text':
        push(textBlock(md.render(b.text)));
        break;
      case 'context':
        push(textBlock(md.render(b.text), { isSubtle: true, size: 'Small' }));
        break;
      case 'fields':
        push({ type: 'FactSet', facts: b.fields.map((f) => ({ title: f.label, value: md.render(f.value) })) });
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
        if (img) push(...(b.title ? [textBlock(b.title, { isSubtle: true, size: 'Small', spacing: 'Medium' })] : []), { type: 'Image', url: img.url, altText: img.altText, size: 'Stretch' });
        break;
      }
      case 'file':
        push(...fileElements(b.file.title, hosted.files?.[file++]));
        break;
    }
  }
  return out;
}

function card(body: CardElement[], md: MarkdownWriter, actions?: CardElement[]): AdaptiveCard {
  const entities = [...md.entities.values()];
  return {
    type: 'AdaptiveCard',
    $schema: SCHEMA,
    version: '1.5',
    body,
    ...(actions?.length ? { actions } : {}),
    msteams: { width: 'Full', ...(entities.length ? { entities } : {}) },
  };
}

/** Keep a card within Teams' message size: drop trailing content (keeping the buttons) and say so. */
function fit(c: AdaptiveCard, note: string): AdaptiveCard {
  if (JSON.stringify(c).length <= CARD_BUDGET) return c;
  const buttons = c.body.filter((e) => e.type === 'ActionSet');
  const content = c.body.filter((e) => e.type !== 'ActionSet');
  const noteEl = textBlock(note, { isSubtle: true, size: 'Small' });
  while (content.length > 1 && JSON.stringify({ ...c, body: [...content, noteEl, ...buttons] }).length > CARD_BUDGET) content.pop();
  return { ...c, body: [...content, noteEl, ...buttons] };
}

/** A message as one card. */
export function messageCard(msg: Message, mentions: MentionMap, hosted: HostedContent = {}): AdaptiveCard {
  const md = new MarkdownWriter(mentions);
  const body = blockElements(msg.blocks, md, hosted);
  if (!body.length) body.push(textBlock(md.render(msg.text)));
  return fit(card(body, md), 'Shortened to fit Teams: narrow the request to see the rest.');
}

/** The plain-text summary Teams shows in notifications and the chat list. */
export function summaryText(msg: Message, mentions: MentionMap): string {
  return msg.text.replace(MENTION, (_m, id: string) => mentions.get(Number(id))?.displayName ?? 'someone').slice(0, 1000);
}

export interface FormCardOptions {
  /** What the person typed (re-shown with errors). */
  values?: FormValues;
  /** Field id → the problem, shown under the field; keys that are no field go at the top. */
  errors?: Record<string, string>;
  /** Choices for indicator pickers before anything is typed (Teams then asks the bot as the person types). */
  choices?: Record<string, { value: string; label: string }[]>;
}

function initialValue(f: Field, values: FormValues | undefined): string | undefined {
  const v = values && f.id in values ? values[f.id] : f.initial;
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : v;
}

function inputElement(form: Form, f: Field, opts: FormCardOptions): CardElement {
  const value = initialValue(f, opts.values);
  const common = {
    id: inputId(f.id),
    label: f.label,
    ...(f.required ? { isRequired: true, errorMessage: `${f.label} is required.` } : {}),
    ...(value !== undefined && value !== '' ? { value } : {}),
  };
  const choice = (o: { value: string; label: string }) => ({ title: o.label.slice(0, 200), value: o.value });
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
      return {
        type: 'Input.ChoiceSet',
        ...common,
        style: 'filtered',
        choices: choices.map(choice),
        'choices.data': { type: 'Data.Query', dataset: `${form.id}:${f.id}` },
        ...(f.placeholder ? { placeholder: f.placeholder } : {}),
      };
    }
    case 'select':
      return { type: 'Input.ChoiceSet', ...common, style: 'compact', choices: (f.options ?? []).map(choice) };
    case 'checkboxes':
      return { type: 'Input.ChoiceSet', ...common, isMultiSelect: true, style: 'expanded', choices: (f.options ?? []).map(choice) };
    case 'file':
      return textBlock(`**${f.label}**: ${f.insteadOfUpload ?? FILE_FIELD_DEFAULT}`);
  }
}

/** A card cannot upload: what a file field says when its form does not say how to send the file instead. */
const FILE_FIELD_DEFAULT = 'a card cannot carry a file, so send it to me in our 1:1 chat instead.';
/** Under a file field whose form was submitted anyway (a card from an older version of the bot). */
const FILE_FIELD_ERROR = 'A Teams card cannot carry a file, so nothing was done: send the file as described above.';

/**
 * A form as a card: its intro, one input per field (with its error, if any), Submit and Cancel.
 * A card cannot upload, so a form that needs a file is shown as what to do instead (each file
 * field's `insteadOfUpload`), without its other fields or a Submit that could only fail.
 */
export function formCard(form: Form, mentions: MentionMap, opts: FormCardOptions = {}): AdaptiveCard {
  const md = new MarkdownWriter(mentions);
  const fieldIds = new Set(form.fields.map((f) => f.id));
  const errors = opts.errors ?? {};
  const general = Object.entries(errors).filter(([k]) => !fieldIds.has(k)).map(([, v]) => v);
  const problem = (text: string) => textBlock(`⚠️ ${text}`, { color: 'Attention', spacing: 'None', size: 'Small' });
  const body: CardElement[] = [
    textBlock(form.title, { size: 'Large', weight: 'Bolder' }),
    ...blockElements(form.intro ?? [], md, {}, { withActions: false }),
    ...general.map(problem),
  ];
  const needsFile = form.fields.some((f) => f.kind === 'file' && f.required);
  for (const f of form.fields) {
    if (needsFile && f.kind !== 'file') continue;
    body.push(inputElement(form, f, opts));
    if (f.hint) body.push(textBlock(f.hint, { isSubtle: true, size: 'Small', spacing: 'None' }));
    if (errors[f.id]) body.push(problem(f.kind === 'file' ? FILE_FIELD_ERROR : errors[f.id]!));
  }
  if (needsFile) return card(body, md);
  return card(body, md, [
    { type: 'Action.Execute', title: form.submitLabel, verb: ACTION_VERB, style: 'positive', data: { kpi: 'form', form } satisfies CardActionData },
    { type: 'Action.Execute', title: 'Cancel', verb: ACTION_VERB, associatedInputs: 'none', data: { kpi: 'cancel' } satisfies CardActionData },
  ]);
}

/** The values of a submitted form, keyed by field id, as the dispatcher wants them. */
export function formValues(form: Form, data: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const f of form.fields) {
    const raw = data[inputId(f.id)];
    const s = raw === undefined || raw === null ? '' : String(raw);
    if (f.kind === 'checkboxes') out[f.id] = s.split(',').map((x) => x.trim()).filter(Boolean);
    else out[f.id] = s.trim() === '' ? undefined : s;
  }
  return out;
}
