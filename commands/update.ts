// /kpi update <ref> [<quarter>] <progress> <commentary…> — an action's owner (or deputy, the theme's
// director, a performance admin) gives its progress for the quarter being reported: on target, at
// risk, off track, not started, delivered or no longer viable, with what is happening. The answer
// says the quarter in full and how the action now reads; a repeat changes nothing.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, inCode, literal, message, plainMarkup, reply, text } from '../src/messages/build.ts';
import { NotInRegisterError, PermissionError, ValidationError } from '../src/errors.ts';
import { localDateOf } from '../src/domain/dates.ts';
import { formatPeriodInFull, parsePeriodLabel } from '../src/domain/periods.ts';
import { isFinal, leadingProgress, PROGRESS_LABEL } from '../src/domain/actions.ts';
import { actionState, canUpdateAction, dueWords, reportingQuarter } from '../src/services/actions.ts';
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
  const { created } = await deps.repo.actions.saveUpdate(
    { actionId: action.id, periodKey: quarter.key, progress: lead.progress, percentComplete: null, commentary, authorId: actor.person.id, source: `chat:${actor.platform}`, at: deps.clock.now() },
    { at: deps.clock.now(), actorId: actor.person.id, actorLabel: `${actor.platform}:${actor.userId}` },
  );
  const after = (await deps.repo.actions.byRef(action.ref))!;
  const s = actionState(after, today, org);
  const lead1 = created
    ? `✅ Saved ${literal(action.ref)}’s progress for ${formatPeriodInFull(quarter)}: ${PROGRESS_LABEL[lead.progress]}.`
    : `${literal(action.ref)} already has that progress for ${formatPeriodInFull(quarter)}: nothing changed.`;
  return reply(
    'private',
    message(plainMarkup(lead1), text(lead1), text(`${s.icon} ${s.label} · ${dueWords(after)}${commentary ? `\n“${literal(commentary)}”` : ''}`), context(`\`/kpi actions ${inCode(action.ref)}\` shows every update.`)),
  );
}

export const updateCommand = defineCommand({
  name: 'update',
  usage: USAGE,
  summary: 'give an action’s or milestone’s progress for the quarter being reported',
  examples: ['/kpi update EEP 02 on target'],
  run: updateAction,
});
