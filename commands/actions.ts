// /kpi actions [mine | theme <name> | off-track | overdue | due | re-phased | <ref>] — what the council
// is doing about its indicators: actions and milestones with their progress in the organisation's
// vocabulary, worst first; one action's dates, indicators and every update with its ref.
import type { Actor, ActionRecord, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { actions, context, fields, header, inCode, literal, message, reply, text } from '../src/messages/build.ts';
import type { Block } from '../src/messages/types.ts';
import { formatDate, localDateOf } from '../src/domain/dates.ts';
import { formatPeriodInFull } from '../src/domain/periods.ts';
import { rephasing } from '../src/domain/actions.ts';
import { ACTIONS_USAGE, actionState, canDecideActionChange, describeActionChange, dueWords, listActions, namesOf, plural, reportingQuarter, updateAuthor, updateLine } from '../src/services/actions.ts';
import { linesToBlocks } from '../src/services/indicator-lines.ts';
import { defineCommand } from './types.ts';

const USAGE = ACTIONS_USAGE;

export async function actionsList(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const org = await deps.repo.org();
  const today = localDateOf(deps.clock.now(), org.timeZone);
  const found = await listActions(deps.repo, org, today, args, actor.person);
  if ('one' in found) return actionDetail(deps, actor, found.one, today);
  const { title, lines, total, counts, word } = found;
  if (!total) return reply('private', message(`${title}: none.`, header(title), context(args.trim() ? 'Nothing matches right now.' : `No ${word}s yet: a performance admin imports them with an Actions sheet (see docs/performance-team.md, "Import").`)));
  const more = total > lines.length ? [context(`…and ${total - lines.length} more. Narrow the list: \`/kpi actions off-track\`, \`/kpi actions theme <name>\`.`)] : [];
  return reply('private', message(`${title}: ${total} (${counts}).`, header(title), context(`${total} ${plural(word, total)}: ${counts}. \`/kpi actions <ref>\` for one, \`/kpi update <ref>\` to give its progress.`), ...linesToBlocks(lines), ...more));
}

/** Requests waiting for the director (a new due date, "no longer viable"): said to everyone, with Approve / Return for whoever decides. */
async function pendingRequests(deps: CommandDeps, actor: Actor, a: ActionRecord): Promise<Block[]> {
  const changes = await deps.repo.actions.pendingChanges(a.id);
  if (!changes.length) return [];
  const org = await deps.repo.org();
  const names = await namesOf(deps.repo, changes.map((c) => c.requestedById));
  const decides = canDecideActionChange(actor.person, a);
  return changes.flatMap((c) => [
    text(`⏳ Waiting for approval: **${describeActionChange(a, c)}** — asked by ${literal(c.requestedById !== null ? (names.get(c.requestedById) ?? 'someone') : 'someone')} on ${formatDate(localDateOf(c.requestedAt, org.timeZone))}: ${literal(c.reason)}`),
    ...(decides
      ? [
          actions(
            { id: 'approve-action-change', label: 'Approve', value: JSON.stringify({ changeId: c.id }), style: 'primary' },
            { id: 'return-action-change', label: 'Return', value: JSON.stringify({ changeId: c.id }) },
          ),
        ]
      : []),
  ]);
}

async function actionDetail(deps: CommandDeps, actor: Actor, a: ActionRecord, today: string): Promise<CommandResult> {
  const org = await deps.repo.org();
  const s = actionState(a, today, org);
  const people = await namesOf(deps.repo, [a.ownerId, a.deputyId, a.directorId]);
  const name = (id: number | null) => (id === null ? 'nobody' : literal(people.get(id) ?? 'nobody'));
  const indicators = (await deps.repo.indicators({ ids: a.indicatorIds })).map((i) => `\`${i.slug}\``);
  const r = rephasing(a.originalDue, a.due);
  const updates = await deps.repo.actions.updates([a.id]);
  const authors = await namesOf(deps.repo, updates.map((u) => u.authorId));
  const history = updates.slice(0, 8).map((u) => updateLine(u, updateAuthor(u, authors), org.timeZone, org.fyStartMonth));
  const pending = await pendingRequests(deps, actor, a);
  const quarter = reportingQuarter(today, org.fyStartMonth);
  const owed = !updates.some((u) => u.periodKey === quarter.key) && !['delivered', 'no_longer_viable'].includes(a.latest?.progress ?? '');
  return reply(
    'private',
    message(
      `${a.ref} ${a.title}: ${s.label}, ${dueWords(a)}.`,
      header(`${a.ref} ${a.title}`.slice(0, 150)),
      text(`${s.icon} **${s.label}** · ${dueWords(a)}${r !== 'none' ? ` — re-phased ${r === 'over_3_months' ? 'over' : 'under'} 3 months${a.rephaseReason ? `: ${literal(a.rephaseReason)}` : ''}` : ''}`),
      fields([
        { label: 'Owner', value: name(a.ownerId) },
        { label: 'Deputy', value: name(a.deputyId) },
        { label: 'Theme', value: literal(a.themeName ?? 'none') },
        { label: 'Director', value: name(a.directorId) },
        ...(a.start ? [{ label: 'Start', value: formatDate(a.start) }] : []),
        { label: 'Indicators', value: indicators.join(', ') || 'none linked' },
      ]),
      ...(a.description ? [text(literal(a.description))] : []),
      ...pending,
      ...(history.length ? linesToBlocks(history) : [context('No progress update yet.')]),
      context(owed ? `Progress for ${formatPeriodInFull(quarter)} is due: \`/kpi update ${inCode(a.ref)} <on target | at risk | off track | delivered …> <commentary>\`.` : `\`/kpi update ${inCode(a.ref)} …\` to give its progress.`),
    ),
  );
}

export const actionsCommand = defineCommand({
  name: 'actions',
  aliases: ['milestones'],
  usage: USAGE,
  summary: 'actions and milestones with their progress, worst first; one by its ref',
  examples: ['/kpi actions off-track'],
  run: actionsList,
});
