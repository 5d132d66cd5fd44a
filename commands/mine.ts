// /kpi mine — what I owe: values due or overdue, my red indicators, exception reports to write.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { Block, CommandResult } from '../src/messages/types.ts';
import { actions, context, header, message, reply, text } from '../src/messages/build.ts';
import { formatPeriod } from '../src/domain/periods.ts';
import { formatDate } from '../src/domain/dates.ts';
import { byStatus, loadPortfolio, type Portfolio } from '../src/services/portfolio.ts';
import { indicatorLine, linesToBlocks } from '../src/services/indicator-lines.ts';
import { NotInRegisterError } from '../src/errors.ts';
import { demoDateLine } from '../src/demo/clock.ts';
import { defineCommand } from './types.ts';
import { owedLabel } from '../src/services/exception-states.ts';

/** The blocks of "my indicators", shared by /kpi mine and the App Home tab. */
export function mineBlocks(p: Portfolio, opts: { buttons: boolean }): Block[] {
  const states = [...p.states].sort(byStatus);
  const dueNow = states.filter((s) => s.due.missing && s.due.period);
  const owed = states.filter((s) => s.exceptionOwed);
  const blocks: Block[] = [];
  if (dueNow.length) {
    blocks.push(text(`**Values due** (${dueNow.length})`));
    for (const s of dueNow.slice(0, 15)) {
      const when = s.due.overdue ? `⏰ overdue by ${s.due.daysOverdue} day(s)` : `due ${s.due.due ? formatDate(s.due.due) : ''}`;
      blocks.push(text(`\`${s.indicator.slug}\` ${formatPeriod(s.due.period!)} — ${when}`));
      if (opts.buttons) blocks.push(actions({ id: 'open-submit', label: `Submit ${formatPeriod(s.due.period!)}`, value: JSON.stringify({ indicatorId: s.indicator.id, periodKey: s.due.period!.key }), style: 'primary' }));
    }
  }
  if (owed.length) {
    blocks.push(text(`**Exception reports to write** (${owed.length})`));
    for (const s of owed.slice(0, 10)) {
      const state = s.exception ? ` (${owedLabel(s.exception.state)})` : '';
      const { period, evaluation } = s.exceptionFor!;
      blocks.push(text(`\`${s.indicator.slug}\` ${formatPeriod(period)} is ${evaluation.status}${state}`));
      if (opts.buttons) blocks.push(actions({ id: 'open-exception', label: 'Write exception report', value: JSON.stringify({ indicatorId: s.indicator.id, periodKey: period.key }) }));
    }
  }
  blocks.push(text(`**All your indicators** (${states.length})`), ...linesToBlocks(states.slice(0, 30).map((s) => indicatorLine(s.indicator, s.evaluation))));
  if (!dueNow.length && !owed.length) blocks.unshift(context('Nothing due from you right now. 👍'));
  return blocks;
}

export async function mine(deps: CommandDeps, actor: Actor): Promise<CommandResult> {
  if (!actor.person) throw new NotInRegisterError('You are not in the indicator register, so you have no indicators of your own. Ask your performance team to add you (with your email address).');
  const p = await loadPortfolio(deps.repo, deps.clock.now(), { personId: actor.person.id });
  if (!p.states.length) return reply('private', message('You own no indicators.', text('You do not own or deputise for any indicator. `/kpi list` shows them all.')));
  const due = p.states.filter((s) => s.due.missing).length;
  const owed = p.states.filter((s) => s.exceptionOwed).length;
  const dated = demoDateLine(p.org, deps.clock.now());
  return reply(
    'private',
    message(`Your indicators: ${due} value(s) due, ${owed} exception report(s) to write.`, header('Your indicators'), ...(dated ? [context(dated)] : []), ...mineBlocks(p, { buttons: true })),
  );
}

export const mineCommand = defineCommand({
  name: 'mine',
  aliases: ['me'],
  usage: 'mine',
  summary: 'your indicators: values due or overdue, reds, exception reports owed',
  run: (deps, actor) => mine(deps, actor),
});
