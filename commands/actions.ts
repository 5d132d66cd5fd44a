// /kpi actions [mine | theme <name> | off-track | overdue | due | re-phased | <ref>] — what the council
// is doing about its indicators: actions and milestones with their progress in the organisation's
// vocabulary, worst first; one action's dates, indicators and every update with its ref.
import type { Actor, ActionRecord, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, fields, header, inCode, literal, message, reply, text } from '../src/messages/build.ts';
import { formatDate, formatDateTime, localDateOf } from '../src/domain/dates.ts';
import { formatPeriodInFull, periodFromKey } from '../src/domain/periods.ts';
import { PROGRESS_LABEL, rephasing } from '../src/domain/actions.ts';
import { ACTIONS_USAGE, actionState, dueWords, listActions, namesOf, plural, reportingQuarter } from '../src/services/actions.ts';
import { linesToBlocks } from '../src/services/views.ts';
import { defineCommand } from './types.ts';

const USAGE = ACTIONS_USAGE;

export async function actionsList(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const org = await deps.repo.org();
  const today = localDateOf(deps.clock.now(), org.timeZone);
  const found = await listActions(deps.repo, org, today, args, actor.person);
  if ('one' in found) return actionDetail(deps, found.one, today);
  const { title, lines, total, counts, word } = found;
  if (!total) return reply('private', message(`${title}: none.`, header(title), context(args.trim() ? 'Nothing matches right now.' : `No ${word}s yet: a performance admin imports them with an Actions sheet (see the README, "Import").`)));
  const more = total > lines.length ? [context(`…and ${total - lines.length} more. Narrow the list: \`/kpi actions off-track\`, \`/kpi actions theme <name>\`.`)] : [];
  return reply('private', message(`${title}: ${total} (${counts}).`, header(title), context(`${total} ${plural(word, total)}: ${counts}. \`/kpi actions <ref>\` for one, \`/kpi update <ref>\` to give its progress.`), ...linesToBlocks(lines), ...more));
}

async function actionDetail(deps: CommandDeps, a: ActionRecord, today: string): Promise<CommandResult> {
  const org = await deps.repo.org();
  const s = actionState(a, today, org);
  const people = await namesOf(deps.repo, [a.ownerId, a.deputyId, a.directorId]);
  const name = (id: number | null) => (id === null ? 'nobody' : literal(people.get(id) ?? 'nobody'));
  const indicators = (await deps.repo.indicators({ ids: a.indicatorIds })).map((i) => `\`${i.slug}\``);
  const r = rephasing(a.originalDue, a.due);
  const updates = await deps.repo.actions.updates([a.id]);
  const authors = await namesOf(deps.repo, updates.map((u) => u.authorId));
  const history = updates.slice(0, 8).map((u) => {
    const period = formatPeriodInFull(periodFromKey(u.periodKey, org.fyStartMonth));
    const by = u.authorId !== null ? (authors.get(u.authorId) ?? 'someone') : u.source.startsWith('import') ? 'an import' : u.source;
    return `**${period}**${u.version > 1 ? ` (version ${u.version})` : ''}: ${PROGRESS_LABEL[u.progress]}${u.percentComplete !== null ? `, ${u.percentComplete}% complete` : ''} — ${u.commentary ? literal(u.commentary) : 'no commentary'} _(${literal(by)}, ${formatDateTime(u.createdAt, org.timeZone)})_`;
  });
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
