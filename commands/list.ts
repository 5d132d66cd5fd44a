// /kpi list [theme | red | amber | green | overdue | mine] — indicators with their status, worst first.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, header, message, reply } from '../src/messages/build.ts';
import { formatPeriod } from '../src/domain/periods.ts';
import { byStatus, loadPortfolio, type IndicatorState } from '../src/services/portfolio.ts';
import { indicatorLine, linesToBlocks } from '../src/services/indicator-lines.ts';
import { NotInRegisterError, ValidationError } from '../src/errors.ts';
import { defineCommand } from './types.ts';

/** How many lines fit comfortably in one message (the strictest platform allows 50 blocks of 3,000 characters). */
const MAX_LINES = 40;

type Filter = { title: string; keep: (s: IndicatorState) => boolean; themeId?: number; personId?: number };

async function resolveFilter(deps: CommandDeps, actor: Actor, arg: string): Promise<Filter> {
  const a = arg.trim().toLowerCase();
  if (!a || a === 'all') return { title: 'All indicators', keep: () => true };
  if (a === 'red' || a === 'amber' || a === 'green') return { title: `${a[0]!.toUpperCase()}${a.slice(1)} indicators`, keep: (s) => s.evaluation.status === a };
  if (a === 'overdue') return { title: 'Indicators with data overdue', keep: (s) => s.due.overdue };
  if (a === 'mine' || a === 'my') {
    if (!actor.person) throw new NotInRegisterError('You are not in the indicator register, so you have no indicators of your own. Ask your performance team to add you.');
    return { title: 'Your indicators', keep: () => true, personId: actor.person.id };
  }
  const themes = await deps.repo.themes();
  const theme =
    themes.find((t) => t.slug === a) ??
    themes.find((t) => t.slug.startsWith(a)) ??
    themes.find((t) => t.name.toLowerCase().includes(a));
  if (!theme) {
    throw new ValidationError(
      `"${arg.trim()}" is not a filter I know.`,
      {},
      `Try /kpi list red, amber, green, overdue, mine, or a theme: ${themes.map((t) => t.slug).join(', ')}.`,
    );
  }
  return { title: theme.name, keep: () => true, themeId: theme.id };
}

export async function list(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const f = await resolveFilter(deps, actor, args);
  const portfolio = await loadPortfolio(deps.repo, deps.clock.now(), { ...(f.themeId ? { themeId: f.themeId } : {}), ...(f.personId ? { personId: f.personId } : {}) });
  const states = portfolio.states.filter(f.keep).sort(byStatus);
  if (!states.length) return reply('private', message(`${f.title}: none.`, header(f.title), context('Nothing matches right now.')));
  const lines = states.slice(0, MAX_LINES).map((s) => {
    const overdue = s.due.overdue && s.due.period ? ` — ⏰ ${formatPeriod(s.due.period)} overdue ${s.due.daysOverdue} day(s)` : '';
    return indicatorLine(s.indicator, s.evaluation) + overdue;
  });
  const counts = (['red', 'amber', 'green'] as const).map((st) => `${states.filter((s) => s.evaluation.status === st).length} ${st}`).join(', ');
  const more = states.length > MAX_LINES ? [context(`…and ${states.length - MAX_LINES} more. Narrow the list: /kpi list red, /kpi list <theme>.`)] : [];
  return reply(
    'private',
    message(`${f.title}: ${states.length} indicators (${counts}).`, header(f.title), context(`${states.length} indicators: ${counts}. \`/kpi show <name>\` for detail.`), ...linesToBlocks(lines), ...more),
  );
}

export const listCommand = defineCommand({
  name: 'list',
  aliases: ['ls'],
  usage: 'list [theme | red | amber | green | overdue | mine]',
  summary: 'indicators with their status, worst first',
  examples: ['/kpi list red'],
  run: list,
});
