// /kpi update <ref> [<quarter>] <progress> <commentary…> — an action's owner (or deputy, the theme's
// director, a performance admin) gives its progress for the quarter being reported: on target, at
// risk, off track, not started, delivered or no longer viable, with what is happening. The answer
// says the quarter in full and how the action now reads; a repeat changes nothing.
import { z } from 'zod';
import type { ActionChangeRecord, ActionRecord, Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { actions, context, inCode, literal, mention, message, plainMarkup, reply, say, text } from '../src/messages/build.ts';
import { LockedPeriodSaveError, NotFoundError, NotInRegisterError, PermissionError, ValidationError } from '../src/errors.ts';
import { formatDate, localDateOf } from '../src/domain/dates.ts';
import { readDueDay } from '../src/import/action-rows.ts';
import { isAdmin } from '../src/services/permissions.ts';
import { parseJson } from './payload.ts';
import { formatPeriodInFull, parsePeriodLabel } from '../src/domain/periods.ts';
import { isFinal, leadingProgress, PROGRESS, PROGRESS_LABEL, readProgress, type Progress } from '../src/domain/actions.ts';
import type { Period } from '../src/domain/types.ts';
import type { CommandResult as Result, FormValues } from '../src/messages/types.ts';
import { periodFromKey } from '../src/domain/periods.ts';
import { actionState, canDecideActionChange, canUpdateAction, describeActionChange, dueWords, reportingQuarter } from '../src/services/actions.ts';
import { defineCommand } from './types.ts';

const USAGE = 'update <ref> [<quarter>] <on target | at risk | off track | not started | delivered | no longer viable> <commentary>';
const MAX_COMMENTARY = 3000;

/** The longest leading words that are an action's ref (refs hold spaces: "EEP 02"). */
async function findRef(deps: CommandDeps, words: string[]) {
  for (let n = Math.min(4, words.length); n >= 1; n--) {
    const a = await deps.repo.actions.byRef(words.slice(0, n).join(' '));
    if (a) return { action: a, rest: words.slice(n) };
  }
  return null;
}

export async function updateAction(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  if (!actor.person) throw new NotInRegisterError('You are not in the register, so you cannot update an action. Ask your performance team to add you.');
  const org = await deps.repo.org();
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (!words.length) throw new ValidationError('Which action? Give its ref, e.g. `/kpi update EEP 02 on target Contract signed`.', {}, `Usage: /kpi ${USAGE}. \`/kpi actions mine\` lists yours.`);
  const found = await findRef(deps, words);
  if (!found) throw new ValidationError(`There is no action "${literal(words.slice(0, 2).join(' '))}".`, {}, '`/kpi actions mine` lists yours with their refs.');
  const { action } = found;
  if (!canUpdateAction(actor.person, action)) {
    const owner = action.ownerId === null ? null : await deps.repo.person(action.ownerId);
    throw new PermissionError(`Sorry, only ${owner ? `${literal(owner.displayName)} (its owner)` : 'its owner'}, its deputy, the theme’s director or a performance admin can update ${literal(action.ref)}.`);
  }
  const today = localDateOf(deps.clock.now(), org.timeZone);
  let rest = found.rest;
  let quarter = reportingQuarter(today, org.fyStartMonth);
  // An explicit quarter: "2013/14 Q2" (two words) or "Q2" with its year.
  for (const n of [2, 1]) {
    const p = rest.length > n ? parsePeriodLabel(rest.slice(0, n).join(' '), org.fyStartMonth) : null;
    if (p?.ok && p.value.kind === 'quarter' && /\d{4}/.test(rest.slice(0, n).join(' '))) {
      if (p.value.start > today) throw new ValidationError(`${formatPeriodInFull(p.value)} has not begun: progress is given for a quarter once it is under way.`);
      quarter = p.value;
      rest = rest.slice(n);
      break;
    }
  }
  if (!rest.length) return updateForm(action, quarter, org.actionWord ?? 'action');
  if (/^(due|new|move|moved|re-?phase)$/i.test(rest[0] ?? '')) return moveDueDate(deps, actor, action, rest, today, org.fyStartMonth);
  const lead = leadingProgress(rest.join(' '));
  if (!lead) throw new ValidationError(`How is ${literal(action.ref)} going? Start with its progress: on target, at risk, off track, not started, delivered or no longer viable.`, {}, `e.g. \`/kpi update ${inCode(action.ref)} on target Contract signed in July\``);
  const commentary = lead.rest.replace(/^[\s:–-]+/, '').trim();
  if (!commentary && lead.progress !== 'on_target' && lead.progress !== 'delivered') {
    throw new ValidationError(`Say why ${literal(action.ref)} is ${PROGRESS_LABEL[lead.progress].toLowerCase()}: add a sentence of commentary after the progress.`, {}, `e.g. \`/kpi update ${inCode(action.ref)} ${PROGRESS_LABEL[lead.progress].toLowerCase()} contractor delayed by six weeks\``);
  }
  if (commentary.length > MAX_COMMENTARY) throw new ValidationError(`That commentary is ${commentary.length} characters; the most is ${MAX_COMMENTARY}.`);
  if (isFinal(action.latest?.progress ?? null) && action.latest!.periodKey < quarter.key && !isFinal(lead.progress)) {
    throw new ValidationError(`${literal(action.ref)} was recorded as ${PROGRESS_LABEL[action.latest!.progress].toLowerCase()} in ${action.latest!.periodKey}; ask a performance admin if it has started again.`);
  }
  if (lead.progress === 'no_longer_viable' && !canDecideActionChange(actor.person, action)) {
    await refuseSignedOff(deps, actor, action, quarter);
    return say(await requestChange(deps, actor, action, { kind: 'no_longer_viable', proposedDue: null, reason: commentary, periodKey: quarter.key }));
  }
  return saveProgress(deps, actor, action, quarter, lead.progress, null, commentary, dateInCommentary(commentary, action, org.fyStartMonth));
}

/** A new due date written into the commentary ("… now due 31 May 2018 …"), which only moves the date when asked for as one. */
function dateInCommentary(commentary: string, action: ActionRecord, fy: number): string | null {
  const words = commentary.split(/\s+/);
  for (let i = 0; i < words.length - 1; i++) {
    if (!/^(due|until|to|by)$/i.test(words[i]!)) continue;
    for (let n = Math.min(3, words.length - i - 1); n >= 1; n--) {
      const due = readDueDay(words.slice(i + 1, i + 1 + n).join(' ').replace(/[.,;]$/, ''), fy);
      if (due && /\d/.test(words.slice(i + 1, i + 1 + n).join(' ')) && due !== action.due) return due;
    }
  }
  return null;
}

/** Save a quarter's progress and say it back in full, with how the action now reads (and how to move its due date, when the commentary names a new one). */
async function saveProgress(deps: CommandDeps, actor: Actor, action: ActionRecord, quarter: Period, progress: Progress, percentComplete: number | null, commentary: string, named: string | null = null): Promise<CommandResult> {
  const r = await recordProgress(deps, actor, action, quarter, progress, percentComplete, commentary);
  const moving = named
    ? context(`The due date is still ${formatDate(action.due)}. To move it to ${formatDate(named)}: \`/kpi update ${inCode(action.ref)} due ${formatDate(named)} <why>\` (the theme’s director approves).`)
    : context(`\`/kpi actions ${inCode(action.ref)}\` shows every update.`);
  return reply('private', message(plainMarkup(r.said), text(r.said), text(r.now), moving));
}

/** Save a quarter's progress; what it says back (in full) and how the action now reads, as markup. */
async function recordProgress(deps: CommandDeps, actor: Actor, action: ActionRecord, quarter: Period, progress: Progress, percentComplete: number | null, commentary: string): Promise<{ said: string; now: string }> {
  const org = await deps.repo.org();
  await refuseSignedOff(deps, actor, action, quarter);
  const today = localDateOf(deps.clock.now(), org.timeZone);
  const { created } = await deps.repo.actions.saveUpdate(
    { actionId: action.id, periodKey: quarter.key, progress, percentComplete, commentary, authorId: actor.person!.id, source: `chat:${actor.platform}`, at: deps.clock.now() },
    { at: deps.clock.now(), actorId: actor.person!.id, actorLabel: `${actor.platform}:${actor.userId}` },
  );
  const after = (await deps.repo.actions.byRef(action.ref))!;
  const s = actionState(after, today, org);
  const said = created
    ? `✅ Saved ${literal(action.ref)}’s progress for ${formatPeriodInFull(quarter)}: ${PROGRESS_LABEL[progress]}.`
    : `${literal(action.ref)} already has that progress for ${formatPeriodInFull(quarter)}: nothing changed.`;
  return { said, now: `${s.icon} ${s.label} · ${dueWords(after)}${commentary ? `\n“${literal(commentary)}”` : ''}` };
}

export const updateCommand = defineCommand({
  name: 'update',
  usage: USAGE,
  summary: 'give an action’s or milestone’s progress for the quarter being reported',
  examples: ['/kpi update EEP 02 on target'],
  run: updateAction,
  forms: { 'action-update': { submitted: submitUpdateForm, reopen: 'Type `/kpi update <ref>` to open the form again.' } },
  actions: {
    'open-action-update': openUpdateForm,
    'approve-action-change': (deps, actor, value) => decide(deps, actor, value, 'approved'),
    'return-action-change': (deps, actor, value) => decide(deps, actor, value, 'returned'),
  },
});

/** The theme's director and performance admins decide a new due date and "no longer viable". */

/** `/kpi update EEP 02 due 30 June 2018 partner funding confirmed late`: a new due date, with why. */
async function moveDueDate(deps: CommandDeps, actor: Actor, action: ActionRecord, words: string[], today: string, fy: number): Promise<CommandResult> {
  const rest = words.slice(/^(new|move|moved|re-?phase)$/i.test(words[0]!) && /^(due|to)$/i.test(words[1] ?? '') ? 2 : 1);
  let due: string | null = null;
  let n = Math.min(4, rest.length);
  for (; n >= 1 && !due; n--) due = readDueDay(rest.slice(0, n).join(' '), fy);
  if (!due) throw new ValidationError(`What is ${literal(action.ref)}'s new due date? e.g. \`/kpi update ${inCode(action.ref)} due 30 June 2018 <why it moved>\`.`);
  const reason = rest.slice(n + 1).join(' ').replace(/^[\s:–-]+/, '').trim();
  if (due === action.due) throw new ValidationError(`${literal(action.ref)} is already due ${formatDate(due)}.`);
  if (due < today) throw new ValidationError(`${formatDate(due)} has passed: give the date it will now be done by.`);
  if (reason.split(/\s+/).filter(Boolean).length < 2) throw new ValidationError(`Say why ${literal(action.ref)} moves to ${formatDate(due)}: the report prints the reason beside it.`, {}, `e.g. \`/kpi update ${inCode(action.ref)} due ${formatDate(due)} partner funding confirmed late\``);
  return say(await requestChange(deps, actor, action, { kind: 'due', proposedDue: due, reason, periodKey: null }));
}

/** Ask for a change: decided at once for the theme's director or an admin, else sent to them with Approve / Return. */
async function requestChange(deps: CommandDeps, actor: Actor, action: ActionRecord, c: Pick<ActionChangeRecord, 'kind' | 'proposedDue' | 'reason' | 'periodKey'>): Promise<string> {
  const me = actor.person!;
  const now = deps.clock.now();
  const label = `${actor.platform}:${actor.userId}`;
  const change = await deps.repo.actions.requestChange({ actionId: action.id, ...c, requestedById: me.id, requestedAt: now }, { at: now, actorId: me.id, actorLabel: label });
  const what = describeActionChange(action, change);
  if (canDecideActionChange(me, action)) {
    await deps.repo.actions.decideChange(change.id, 'approved', { personId: me.id, label, at: now });
    return `✅ ${what}: done${change.kind === 'due' ? ` (first due ${formatDate(action.originalDue)}; the report shows it as re-phased)` : ''}.`;
  }
  const deciders = action.directorId !== null ? [action.directorId] : (await deps.repo.people({ role: 'admin' })).filter((p) => p.active).map((p) => p.id);
  for (const id of deciders) {
    await deps.outbox.enqueue(
      {
        key: `action-change:${change.id}:person:${id}`,
        purpose: 'action-change',
        to: { kind: 'person', personId: id },
        message: message(
          plainMarkup(`${literal(me.displayName)} asks: ${what}.`),
          text(`🗓 ${mention(me.id)} asks: **${what}**.`),
          text(`Reason: ${literal(c.reason)}`),
          actions(
            { id: 'approve-action-change', label: 'Approve', value: JSON.stringify({ changeId: change.id }), style: 'primary' },
            { id: 'return-action-change', label: 'Return', value: JSON.stringify({ changeId: change.id }) },
          ),
        ),
      },
      now,
    );
  }
  const who = action.directorId !== null ? 'the theme’s director' : 'the performance admins';
  return `📨 Sent to ${who} to approve: ${what}. ${literal(action.ref)} stays as it is until then; you will be told.`;
}


const changeSchema = z.object({ changeId: z.number().int().positive() });

/** Approve or Return pressed by the theme's director or an admin: decided once, the person who asked told. */
async function decide(deps: CommandDeps, actor: Actor, raw: string, decision: 'approved' | 'returned'): Promise<CommandResult> {
  const { changeId } = parseJson(changeSchema, raw);
  const change = await deps.repo.actions.actionChange(changeId);
  if (!change) throw new NotFoundError('That request no longer exists.');
  const action = (await deps.repo.actions.list({ ids: [change.actionId] }))[0]!;
  if (!actor.person || !canDecideActionChange(actor.person, action)) throw new PermissionError(`Sorry, only the theme’s director or a performance admin can decide changes to ${literal(action.ref)}.`);
  const what = describeActionChange(action, change);
  const now = deps.clock.now();
  const done = await deps.repo.actions.decideChange(change.id, decision, { personId: actor.person.id, label: `${actor.platform}:${actor.userId}`, at: now });
  if (!done) return say(`That request (${what}) was already ${change.state === 'withdrawn' ? 'replaced by a newer one' : change.state}: nothing changed.`);
  if (change.requestedById !== null) {
    await deps.outbox.enqueue(
      {
        key: `action-change-decided:${change.id}`,
        purpose: 'action-change-decided',
        to: { kind: 'person', personId: change.requestedById },
        message: message(
          plainMarkup(`${literal(actor.person.displayName)} ${decision} your request: ${what}.`),
          text(decision === 'approved' ? `✅ ${mention(actor.person.id)} approved: **${what}**.` : `↩️ ${mention(actor.person.id)} returned your request to ${what}: ${literal(action.ref)} stays as it was. Talk to them, or ask again with more detail.`),
        ),
      },
      now,
    );
  }
  return say(decision === 'approved' ? `✅ Approved: ${what}. ${change.requestedById !== null ? 'They have been told.' : ''}`.trim() : `↩️ Returned: ${what}. ${literal(action.ref)} stays as it was; they have been told.`);
}

/** A signed-off quarter's progress is as its report printed it: only a performance admin changes it (audited). */
async function refuseSignedOff(deps: CommandDeps, actor: Actor, action: ActionRecord, quarter: Period): Promise<void> {
  const lock = await deps.repo.lockCovering(quarter.start, quarter.end);
  if (!lock || isAdmin(actor.person)) return;
  throw new LockedPeriodSaveError(
    `${formatPeriodInFull(quarter)} was signed off on ${formatDate(lock.closedAt.toISOString().slice(0, 10))}: ${literal(action.ref)}’s progress for it is as the report printed it. Give progress for a later quarter (\`/kpi update ${inCode(action.ref)} <quarter> …\`), or ask a performance admin to change it.`,
  );
}

/** A chase's button: the update form for that action, for the quarter being reported. */
async function openUpdateForm(deps: CommandDeps, actor: Actor, raw: string): Promise<Result> {
  const { actionId } = parseJson(z.object({ actionId: z.number().int().positive() }), raw);
  const action = (await deps.repo.actions.list({ ids: [actionId] }))[0];
  if (!action) throw new NotFoundError('That action is no longer in the register.');
  if (!canUpdateAction(actor.person, action)) throw new PermissionError(`Sorry, only its owner, its deputy, the theme’s director or a performance admin can update ${literal(action.ref)}.`);
  const org = await deps.repo.org();
  return updateForm(action, reportingQuarter(localDateOf(deps.clock.now(), org.timeZone), org.fyStartMonth), org.actionWord ?? 'action');
}

const formState = z.object({ actionId: z.number().int().positive(), periodKey: z.string().min(1).max(20) });

/** `/kpi update EEP 02` alone: a form with the progress, % complete, commentary and — only if it moves — a new due date with why. */
function updateForm(action: ActionRecord, quarter: Period, word: string): Result {
  return {
    kind: 'form',
    form: {
      id: 'action-update',
      title: `Update ${action.ref}`.slice(0, 24),
      submitLabel: 'Save',
      intro: [text(`**${literal(action.ref)}** ${literal(action.title)} — progress for **${formatPeriodInFull(quarter)}**, ${dueWords(action)}.`)],
      fields: [
        { id: 'progress', label: 'Progress', kind: 'select', required: true, options: PROGRESS.map((p) => ({ value: p, label: PROGRESS_LABEL[p] })), ...(action.latest ? { initial: action.latest.progress } : {}) },
        { id: 'percent', label: '% complete', kind: 'number', placeholder: '0–100' },
        { id: 'commentary', label: 'Commentary', kind: 'textarea', maxLength: MAX_COMMENTARY, hint: `What is happening, and — unless it is on target — why.` },
        { id: 'due', label: 'New due date (only if it moves)', kind: 'text', placeholder: 'e.g. 30 June 2018', hint: `The theme's director approves a new date; the ${word} stays as it is until then.` },
        { id: 'reason', label: 'Why the due date moves', kind: 'text', maxLength: 500 },
      ],
      state: JSON.stringify({ actionId: action.id, periodKey: quarter.key }),
    },
  };
}

const one = (v: FormValues[string]) => [v ?? ''].flat().join(' ').trim();

/** The form submitted: each problem by its field; then the progress saved and any new date sent for approval. */
async function submitUpdateForm(deps: CommandDeps, actor: Actor, state: string, values: FormValues): Promise<Result> {
  const { actionId, periodKey } = parseJson(formState, state);
  if (!actor.person) throw new NotInRegisterError('You are not in the register, so you cannot update an action.');
  const action = (await deps.repo.actions.list({ ids: [actionId] }))[0];
  if (!action) throw new NotFoundError('That action no longer exists.');
  if (!canUpdateAction(actor.person, action)) throw new PermissionError(`Sorry, only its owner, its deputy, the theme’s director or a performance admin can update ${literal(action.ref)}.`);
  const org = await deps.repo.org();
  const today = localDateOf(deps.clock.now(), org.timeZone);
  const errors: Record<string, string> = {};
  const progress = readProgress(one(values.progress));
  if (!progress) errors.progress = 'Choose the progress.';
  const pctText = one(values.percent).replace(/%$/, '');
  const percent = pctText ? Number(pctText) : null;
  if (percent !== null && (!Number.isInteger(percent) || percent < 0 || percent > 100)) errors.percent = 'A whole number from 0 to 100.';
  const commentary = one(values.commentary);
  if (progress && !commentary && progress !== 'on_target' && progress !== 'delivered') errors.commentary = `Say why it is ${PROGRESS_LABEL[progress].toLowerCase()}.`;
  if (commentary.length > MAX_COMMENTARY) errors.commentary = `At most ${MAX_COMMENTARY} characters.`;
  const dueText = one(values.due);
  const due = dueText ? readDueDay(dueText, org.fyStartMonth) : null;
  const reason = one(values.reason);
  if (dueText && !due) errors.due = 'A date such as 30 June 2018 or 30/06/2018.';
  else if (due && due < today) errors.due = `${formatDate(due)} has passed.`;
  else if (due && due === action.due) errors.due = `It is already due ${formatDate(due)}.`;
  if (due && reason.split(/\s+/).filter(Boolean).length < 2) errors.reason = 'Say why it moves: the report prints the reason.';
  if (Object.keys(errors).length) return { kind: 'form-errors', errors };
  const quarter = periodFromKey(periodKey, org.fyStartMonth);
  const said: string[] = [];
  if (progress === 'no_longer_viable' && !canDecideActionChange(actor.person, action)) {
    said.push(await requestChange(deps, actor, action, { kind: 'no_longer_viable', proposedDue: null, reason: commentary, periodKey }));
  } else said.push((await recordProgress(deps, actor, action, quarter, progress!, percent, commentary)).said);
  if (due) said.push(await requestChange(deps, actor, action, { kind: 'due', proposedDue: due, reason, periodKey: null }));
  return { kind: 'form-done', message: message(plainMarkup(said.join(' ')), ...said.map((x) => text(x))) };
}
