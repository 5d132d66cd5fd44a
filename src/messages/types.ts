// Platform-neutral messages and forms. Commands and jobs produce these; src/platforms/* translate
// them to each platform's own format (its blocks or cards; readable text on the console). They are plain
// JSON so the outbox can store them and render them later.
import type { ChartSpec } from '../charts/spec.ts';

/**
 * Inline text uses a small markup every platform can render:
 *   **bold**, _italic_, `code`, [label](https://…), and a person mention <@person:42>.
 * Only the bot writes markup: text a person typed (names, notes, answers, reasons) goes in through
 * `literal()` (markup.ts), so it is shown as typed and never makes a link or a mention. Headers,
 * field labels, table cells, button labels and a message's summary are plain text, never markup.
 */
export type Markup = string;

export type Block =
  | { type: 'header'; text: string }
  | { type: 'text'; text: Markup }
  | { type: 'fields'; fields: { label: string; value: Markup }[] }
  /** A small table (at most ~12 rows); rendered monospace or as a table. */
  | { type: 'table'; columns: string[]; rows: string[][]; align?: ('left' | 'right')[] }
  | { type: 'context'; text: Markup }
  | { type: 'divider' }
  | { type: 'actions'; actions: Action[] }
  /** A chart rendered at send time and shown inline (an image in the message or card; a PNG path on the console). */
  | { type: 'chart'; chart: ChartSpec; title?: string }
  /** A file sent with the message (an upload, or a download link where the platform's messages link to files; a file under KPI_OUT_DIR on the console). */
  | { type: 'file'; file: FileAttachment };

/** A file as plain JSON: its bytes in base64, so a message stays storable. */
export interface FileAttachment {
  filename: string;
  mimeType: string;
  title: string;
  base64: string;
}

/**
 * What a button does. The platform sends the id and value back; the command that owns the id
 * answers it (each commands/<name>.ts lists its `actions`; commands/index.ts checks, at compile
 * time, that the ids owned there are exactly these).
 */
export type ActionId =
  /** value: indicator slug */
  | 'show'
  /** value: JSON { indicatorId, periodKey? } */
  | 'open-submit'
  /** value: JSON { indicatorId, periodKey } */
  | 'open-exception'
  /** value: JSON { indicatorId, days } */
  | 'snooze'
  /** value: JSON { actionId }: open the progress-update form */
  | 'open-action-update'
  /** value: JSON { changeId }: an action's new due date or "no longer viable", approved or returned */
  | 'approve-action-change'
  /** value: JSON { themeId | null, periodKey }: open the commentary form for a theme (null: the whole report) */
  | 'open-commentary'
  /** value: JSON { themeId | null, periodKey, version }: submit the commentary's draft as it stands */
  | 'submit-commentary'
  | 'return-action-change'
  /** value: JSON { riskId }: open the risk-review form */
  | 'open-risk-review'
  /** value: JSON { exceptionReportId } */
  | 'approve-exception'
  /** value: JSON { exceptionReportId } */
  | 'return-exception'
  /** value: JSON of the submission to save as a correction */
  | 'confirm-correction'
  /** value: JSON of a submission the plausibility check asked about, to save as given */
  | 'confirm-value'
  /** value: JSON of a submission whose period was said back, to save for the period it names */
  | 'confirm-period'
  /** value: JSON of a submission whose period was said back: the form, pre-filled, to choose another */
  | 'change-period'
  /** value: the quarter's period key, e.g. 2025/26 Q2 */
  | 'confirm-close-quarter'
  | 'cancel';

export interface Action {
  id: ActionId;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
}

export interface Message {
  /** Plain-text summary: notifications, screen readers and fallbacks (not markup: no formatting, links or mentions). */
  text: string;
  blocks: Block[];
}

export type FieldKind = 'text' | 'textarea' | 'number' | 'select' | 'indicator' | 'checkboxes' | 'file';

export interface Field {
  id: string;
  label: string;
  kind: FieldKind;
  /**
   * Must be given to submit the form. Each platform marks the others its own way (Slack "(optional)",
   * the console and Teams the same words after the label), so a label never says it.
   */
  required?: boolean;
  initial?: string | string[];
  placeholder?: string;
  hint?: string;
  /** For select / checkboxes. */
  options?: { value: string; label: string }[];
  /** For `indicator`: the label of the initial choice. */
  initialLabel?: string;
  maxLength?: number;
  /** For `file`, where a form cannot take a file (a form shown as a card): how to send it instead. */
  insteadOfUpload?: Markup;
}

/** A form's id: owned by one command's `forms`, checked against this union as ActionId is. */
export type FormId = 'submit' | 'exception' | 'return-exception' | 'import' | 'confirm-correction' | 'confirm-value' | 'confirm-period' | 'action-update' | 'risk-review' | 'commentary';

/** What a person filled in on a form, by field id (a multi-select gives several). */
export type FormValues = Record<string, string | string[] | undefined>;

/** A form, as each platform shows it: a modal, a card, or prompts on the console. */
export interface Form {
  id: FormId;
  title: string;
  submitLabel: string;
  /** Blocks shown above the fields (context such as baseline and target). */
  intro?: Block[];
  fields: Field[];
  /** Opaque state carried through the platform and handed back on submission. */
  state: string;
}

export type Visibility =
  /** Only the person who asked sees it. */
  | 'private'
  /** Everyone in the conversation sees it. */
  | 'channel';

/** What a command hands back to the platform layer. */
export type CommandResult =
  /**
   * `replacesOriginal`: the answer to a button takes the place of the message the button was on.
   * `unsaved`: nothing was saved or changed — the database did not answer in time; the message says
   * what was sent (a platform may show it its own way: a modal keeps its form).
   */
  | { kind: 'message'; visibility: Visibility; message: Message; replacesOriginal?: boolean; unsaved?: true }
  | { kind: 'form'; form: Form }
  /** The form's fields are wrong: show these messages beside them, where the platform can. */
  | { kind: 'form-errors'; errors: Record<string, string> }
  /** Replace the open form with another (e.g. confirm a correction). */
  | { kind: 'form-update'; form: Form }
  /** Close the form, then tell the person this. */
  | { kind: 'form-done'; message: Message }
  /** Type-ahead options for an indicator picker. */
  | { kind: 'options'; options: { value: string; label: string }[] }
  /** Slow work (a report, an import): say `message` to the person at once, then deliver what `result` gives. */
  | { kind: 'deferred'; message: Message; result: () => Promise<CommandResult> }
  | { kind: 'none' };
