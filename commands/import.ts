// /kpi import — a performance admin loads an indicator register, targets and values from a file: from
// the form (a file field), or by sharing the file with the bot in a direct message. The same
// validation report as `kpi import` comes back; nothing is written unless the whole file is valid. A file shared with
// "comparators" in the message is other councils' values (LG Inform's long CSV), imported as `kpi comparators import`.
import type { Actor, CommandDeps, IncomingFile } from '../src/ports.ts';
import type { Block, CommandResult, Form, FormValues } from '../src/messages/types.ts';
import { context, deferred, file, literal, message, plainMarkup, reply, text } from '../src/messages/build.ts';
import { ensureAllowed, isAdmin } from '../src/services/permissions.ts';
import { describeImport, importReportLines, unusualTitle } from '../src/import/describe.ts';
import { MAX_IMPORT_BYTES, fileTooLarge, importFile } from '../src/import/import.ts';
import { isUserError, ValidationError } from '../src/errors.ts';
import { defineCommand } from './types.ts';
import { comparatorImportLines, importComparators } from '../src/services/comparators.ts';

/** How many lines of each list a chat message shows; the full report is attached as a file beyond that. */
const SHOWN = 12;

export function importForm(): Form {
  return {
    id: 'import',
    title: 'Import a register',
    submitLabel: 'Check and import',
    intro: [
      text('Upload the indicator register, targets and values as **CSV**, **Excel (.xlsx)** or the published-report **JSON**. Every row is checked first and every problem listed at once: nothing is written unless the whole file is valid, and importing the same file again changes nothing.'),
      context('Columns: see "Import" in docs/performance-team.md (Name, Polarity, Frequency, Unit, Owner, Target <period>, Actual <period>, …). A title above the headings is fine; M, N/A, Refer comment, TBC or - in a value cell is no value. You can also share a file with me in a direct message.'),
    ],
    fields: [
      {
        id: 'file',
        label: 'Register file (.csv, .xlsx or .json)',
        kind: 'file',
        required: true,
        insteadOfUpload:
          'send me the file in our 1:1 chat (attach it to a message), with **dry run** in the message to check it without importing, **accept outliers** to import values that look unusual as they are, or **reason: …** to change values in signed-off quarters.',
      },
      {
        id: 'options',
        label: 'Options',
        kind: 'checkboxes',
        options: [
          { value: 'dry-run', label: 'Dry run: check the file and say what would change, without writing' },
          { value: 'accept-outliers', label: 'Import values that look unusual (a slipped decimal point, far outside their history) as they are' },
        ],
      },
      { id: 'reason', label: 'Reason for changing values in signed-off quarters', kind: 'textarea', required: false, maxLength: 500 },
    ],
    state: '{}',
  };
}

async function openImport(deps: CommandDeps, actor: Actor): Promise<CommandResult> {
  ensureAllowed(actor.person, 'import');
  return { kind: 'form', form: importForm() };
}

/** Run an import and describe it as a private message (the full report attached when it is long). */
export async function importAndReport(
  deps: CommandDeps,
  actor: Actor,
  incoming: IncomingFile,
  opts: { dryRun: boolean; reason: string | null; reasonHint: string; acceptOutliers: boolean; acceptHint: string },
): Promise<CommandResult> {
  if (incoming.size !== null && incoming.size > MAX_IMPORT_BYTES) throw fileTooLarge(incoming.name);
  // Read and checked on the import thread, within the limits, whatever the file: see src/import/limits.ts.
  let bytes: Uint8Array;
  try {
    bytes = await incoming.read();
  } catch (e) {
    if (isUserError(e)) throw e;
    deps.log.warn({ err: e, file: incoming.name }, 'could not download an import file');
    throw new ValidationError(`I could not download ${literal(incoming.name)}. Please try again in a minute.`);
  }
  const outcome = await importFile(deps.repo, { name: incoming.name, bytes }, {
    dryRun: opts.dryRun,
    reason: opts.reason,
    acceptOutliers: opts.acceptOutliers,
    actor: { personId: actor.person?.id ?? null, label: `${actor.platform}:${actor.userId}`, isAdmin: isAdmin(actor.person) },
    at: deps.clock.now(),
    ...(deps.importLimits ? { limits: deps.importLimits } : {}),
    ...(deps.importReadOn ? { readOn: deps.importReadOn } : {}),
  });
  const r = describeImport(outcome, { reasonHint: opts.reasonHint, acceptHint: opts.acceptHint });
  const blocks: Block[] = [text(r.headline)];
  if (r.changes.length) blocks.push(text(r.changes.map((c) => `• ${literal(c)}`).join('\n')));
  const section = (title: string, lines: string[]) => {
    if (!lines.length) return;
    const shown = lines.slice(0, SHOWN).map((l) => `• ${literal(l)}`);
    if (lines.length > SHOWN) shown.push(`…and ${lines.length - SHOWN} more (all of them are in the attached file).`);
    blocks.push(text(`**${title} (${lines.length})**\n${shown.join('\n')}`));
  };
  section('Problems', r.problems);
  section('Unknown people — matched by email, chat user id or name; the indicators and actions they are named on keep their current owner, or have none', r.unknownPeople);
  section(unusualTitle(r).replace(/ \(\d+\)/, ''), r.unusual);
  section('Notes', r.warnings);
  if ([r.problems, r.unknownPeople, r.warnings, r.unusual].some((l) => l.length > SHOWN)) {
    const name = incoming.name.replace(/\.[^.]+$/, '');
    blocks.push(file(`${name}-import-report.txt`, 'text/plain; charset=utf-8', new TextEncoder().encode(importReportLines(r).join('\n') + '\n'), `Import report for ${incoming.name}`));
  }
  return reply('private', message(plainMarkup(r.headline), ...blocks));
}

const one = (v: FormValues[string]) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();

/** The form was submitted: check it, then import in the background and report back. */
export async function submitImportForm(deps: CommandDeps, actor: Actor, values: FormValues, files: Record<string, IncomingFile[]>): Promise<CommandResult> {
  ensureAllowed(actor.person, 'import');
  const incoming = files.file?.[0];
  if (!incoming) return { kind: 'form-errors', errors: { file: 'Choose the file to import.' } };
  const options = Array.isArray(values.options) ? values.options : values.options ? [values.options] : [];
  const reason = one(values.reason) || null;
  const dryRun = options.includes('dry-run');
  const acceptOutliers = options.includes('accept-outliers');
  return deferred(
    message(`Checking ${incoming.name}…`, text(`Checking **${literal(incoming.name)}**${dryRun ? ' (dry run)' : ''}… I will send the result here.`)),
    () =>
      importAndReport(deps, actor, incoming, {
        dryRun,
        reason,
        acceptOutliers,
        reasonHint: 'A performance admin can import them with a reason: run /kpi import again and give the reason in the form.',
        acceptHint: 'run /kpi import again and tick "Import values that look unusual".',
      }),
  );
}

/** Other councils' values (LG Inform's long CSV) shared with "comparators" in the message: imported all or nothing, as `kpi comparators import`. */
async function comparatorsAndReport(deps: CommandDeps, actor: Actor, incoming: IncomingFile, dryRun: boolean): Promise<CommandResult> {
  if (incoming.size !== null && incoming.size > MAX_IMPORT_BYTES) throw fileTooLarge(incoming.name);
  const bytes = await incoming.read();
  try {
    const r = await importComparators(deps.repo, { name: incoming.name, bytes }, { at: deps.clock.now(), actorId: actor.person?.id ?? null, actorLabel: `${actor.platform}:${actor.userId}`, dryRun });
    const [headline, ...notes] = comparatorImportLines(r, dryRun);
    return reply('private', message(headline!, text(`✅ ${literal(headline!)}`), ...(notes.length ? [context(notes.map((n) => literal(n)).join(' · '))] : [])));
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const problems = (e.hint ?? '').split('\n').filter(Boolean);
    const shown = problems.slice(0, SHOWN).map((l) => `• ${literal(l)}`);
    if (problems.length > SHOWN) shown.push(`…and ${problems.length - SHOWN} more.`);
    return reply('private', message(e.message, text(`❌ ${literal(e.message)}`), ...(shown.length ? [text(`**Problems (${problems.length})**\n${shown.join('\n')}`)] : [])));
  }
}

/** A file shared with the bot in a direct message: "dry run" in the message checks only; "reason: …" gives the reason; "comparators": other councils' values. */
export async function fileShared(deps: CommandDeps, actor: Actor, incoming: IncomingFile, note: string): Promise<CommandResult> {
  ensureAllowed(actor.person, 'import');
  if (!/\.(csv|tsv|txt|xlsx|xlsm|json)$/i.test(incoming.name)) {
    throw new ValidationError(`I import registers from .csv, .xlsx or .json files; ${literal(incoming.name)} is none of those. Save the spreadsheet as an Excel Workbook (.xlsx) or CSV and share it again.`);
  }
  const dryRun = /\b(dry[\s-]?run|check only|just check)\b/i.test(note);
  if (/\b(comparators?|benchmarks?|lg inform)\b/i.test(note)) {
    return deferred(message(`Checking ${incoming.name}…`, text(`Checking **${literal(incoming.name)}** as comparator data${dryRun ? ' (dry run)' : ''}…`)), () => comparatorsAndReport(deps, actor, incoming, dryRun));
  }
  const reason = /\breason\s*[:=-]\s*(.+)$/is.exec(note)?.[1]?.trim() || null;
  const acceptOutliers = /\baccept[\s-]+(outliers?|unusual( values)?)\b/i.test(note);
  return deferred(
    message(`Checking ${incoming.name}…`, text(`Checking **${literal(incoming.name)}**${dryRun ? ' (dry run)' : ''}…`)),
    () =>
      importAndReport(deps, actor, incoming, {
        dryRun,
        reason,
        acceptOutliers,
        reasonHint: 'A performance admin can import them with a reason: share the file again with the message "reason: …".',
        acceptHint: 'share the file again with the message "accept outliers".',
      }),
  );
}

export const importCommand = defineCommand({
  name: 'import',
  usage: 'import',
  summary: 'load indicators, targets and values from a CSV, Excel or JSON file (performance admins)',
  roles: ['admin'],
  run: (deps, actor) => openImport(deps, actor),
  forms: {
    import: { submitted: (deps, actor, _state, values, files) => submitImportForm(deps, actor, values, files), reopen: 'open `/kpi import` again' },
  },
  fileShared,
});
