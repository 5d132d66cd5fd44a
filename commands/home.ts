// The App Home tab: my indicators with what is due and a submit button; for directors, the reds in
// their area; for performance admins, exception reports waiting for review.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { Block, Message } from '../src/messages/types.ts';
import { context, divider, header, literal, message, text } from '../src/messages/build.ts';
import { byStatus, loadPortfolio } from '../src/services/portfolio.ts';
import { indicatorLine, linesToBlocks } from '../src/services/indicator-lines.ts';
import { isAdmin } from '../src/services/permissions.ts';
import { mineBlocks } from './mine.ts';
import { unreachableLines, unreachablePeople } from '../src/people/unreachable.ts';

export async function homeView(deps: CommandDeps, actor: Actor): Promise<Message> {
  const blocks: Block[] = [header('Performance indicators')];
  const p = actor.person;
  if (!p) {
    blocks.push(
      text(actor.held ?? 'You are not in the indicator register yet, so there is nothing of yours to show. Ask your performance team to add you (with your email address).'),
      context('Anyone can look: `/kpi show <indicator>`, `/kpi list red`, `/kpi help`.'),
    );
    return message('Performance indicators', ...blocks);
  }
  const now = deps.clock.now();
  const mine = await loadPortfolio(deps.repo, now, { personId: p.id });
  if (mine.states.length) blocks.push(text(`**Your indicators**, ${literal(p.displayName)}`), ...mineBlocks(mine, { buttons: true }));
  else blocks.push(context('You do not own or deputise for any indicator.'));

  if (p.role === 'director') {
    const area = await loadPortfolio(deps.repo, now, { directorId: p.id });
    const reds = area.states.filter((s) => s.evaluation.status === 'red').sort(byStatus);
    blocks.push(divider, text(`**Reds in your area** (${reds.length} of ${area.states.length} indicators)`));
    if (reds.length) blocks.push(...linesToBlocks(reds.slice(0, 20).map((s) => indicatorLine(s.indicator, s.evaluation))));
    else blocks.push(context('No red indicators in your area. 🎉'));
  }
  if (isAdmin(p)) {
    const waiting = await deps.repo.exceptionReports({ states: ['submitted'] });
    blocks.push(divider, text(`**Exception reports waiting for review**: ${waiting.length}`));
    const unreachable = await unreachablePeople(deps);
    if (unreachable.length) blocks.push(text(`**People the bot cannot reach** (${unreachable.length})\n${unreachableLines(unreachable, 5).join('\n')}`), context('`/kpi people` for everyone and why; `/kpi people sync` looks them up again.'));
  }
  blocks.push(context('`/kpi help` for everything you can do.'));
  return message('Performance indicators', ...blocks);
}
