// /kpi show <slug | ref | part of the name> — value, target, status, direction, the last periods,
// the owner and a chart, posted to the channel.
import type { Actor, CommandDeps, IndicatorRecord } from '../src/ports.ts';
import type { Action, Block, CommandResult } from '../src/messages/types.ts';
import { actions, context, fields, header, literal, mention, message, reply, say, text } from '../src/messages/build.ts';
import { formatValue } from '../src/domain/format.ts';
import { formatPeriod, formatPeriodInFull, periodFromKey } from '../src/domain/periods.ts';
import { localDateOf } from '../src/domain/dates.ts';
import { defaultSubmitPeriod as dueNow, evaluateIndicator, forecastIndicator, needsExceptionReport, startedBy, trendChart } from '../src/services/evaluation.ts';
import { calculationFor, calculationText } from '../src/services/calculated.ts';
import { approvalOutdated } from '../src/services/exception-states.ts';
import { findIndicator } from '../src/services/find-indicator.ts';
import { directionLabel, forecastIcon, statusLabel, statusWord } from '../src/services/labels.ts';
import { chooseIndicatorBlocks } from '../src/services/indicator-lines.ts';
import { markPeriodText, marksFor } from '../src/services/not-collected.ts';
import { ValidationError } from '../src/errors.ts';
import { defineCommand } from './types.ts';
import { actionLine } from '../src/services/actions.ts';
import { benchmarkChart, benchmarkPeriods, findGroup, loadBenchmarks, standingFor, standingSentence, withBenchmark } from '../src/services/comparators.ts';

const USAGE = 'show <indicator>   e.g. /kpi show sickness-absence, /kpi show BV 12i, /kpi show council tax';

/** The full picture of one indicator, as a channel message. */
export async function showIndicator(deps: CommandDeps, ind: IndicatorRecord): Promise<CommandResult> {
  const { repo } = deps;
  const [org, stored, marks] = await Promise.all([repo.org(), repo.history(ind.id), repo.notCollected({ indicatorIds: [ind.id] })]);
  const benchmarks = await loadBenchmarks(repo, org, [ind.id]);
  const history = withBenchmark(benchmarks, ind, startedBy(stored, localDateOf(deps.clock.now(), org.timeZone), org.fyStartMonth));
  const ev = evaluateIndicator(ind, history, org);
  const forecast = forecastIndicator(ind, history, org);
  const latest = ev.period ? history.observations.find((o) => o.periodKey === ev.period!.key) : undefined;
  const fmt = (v: number | null) => (v === null ? '—' : formatValue(v, ind.unit, ind.decimals));
  const exception = ev.period ? await repo.exceptionReport(ind.id, ev.period.key) : null;

  const blocks: Block[] = [header(truncate(ind.ref ? `${ind.ref} · ${ind.name}` : ind.name, 150))];
  blocks.push(text(`**${statusLabel(ev.status)}** — ${literal(ev.explanation)}`));
  // A calculated indicator: its formula and its inputs' values for the period shown (or the one due, when none is calculable yet).
  const calcPeriod = ev.period ?? dueNow(ind, history, localDateOf(deps.clock.now(), org.timeZone), org);
  const calculation = await calculationFor(repo, ind, calcPeriod.key);
  if (calculation) blocks.push(text(calculationText(calculation, formatPeriodInFull(calcPeriod))));
  if (forecast) blocks.push(text(`${forecastIcon(forecast.status)} **Year end ${formatPeriod(forecast.year)}:** ${literal(forecast.sentence)} (${literal(forecast.basis)}).`));
  // Where we stand among our comparator group: for the period shown when other councils' values for it are in, else the latest that are.
  const compared = standingFor(benchmarks, ind, ev.period && benchmarkPeriods(benchmarks, ind.id).some((p) => p.key === ev.period!.key) ? ev.period.key : undefined);
  const comparedLine = standingSentence(compared);
  if (comparedLine) blocks.push(text(`**Compared with other councils:** ${literal(comparedLine)}.`));
  else if (benchmarks.values.has(ind.id) && !org.comparatorArea) blocks.push(context('Other councils’ values are imported for this indicator: set our own area code (`/kpi settings our-area E08000009`) to see where we rank.'));
  else if (benchmarks.values.has(ind.id)) {
    // Our area is set, but which group to rank in is not known (several imported and none chosen, or ours not imported).
    const group = findGroup(benchmarks, null);
    if ('why' in group) blocks.push(context(`Other councils’ values are imported for this indicator, but we are not ranked: ${literal(group.why)}.`));
  }
  blocks.push(
    fields([
      { label: 'Latest', value: ev.period ? `${fmt(ev.value)}${ev.estimated ? ' (estimated)' : ''}${ev.provisional ? ' (provisional)' : ''}${latest && latest.version > 1 ? ' (corrected)' : ''} · ${formatPeriod(ev.period)}` : 'no value yet' },
      { label: 'Target', value: ev.target.value !== null ? `${fmt(ev.target.value)}${ev.target.basis === 'pro-rata' ? ' (pro-rata)' : ''}` : ev.target.text ? literal(ev.target.text) : 'No target set' },
      { label: 'Status', value: statusLabel(ev.status) + (ev.assessed ? ' (management assessment)' : '') },
      { label: 'Direction', value: directionLabel(ev.direction) },
      { label: 'Owner', value: ind.ownerId ? mention(ind.ownerId) : 'no owner set' },
      { label: 'Theme', value: literal(ind.themeName ?? '—') },
    ]),
  );

  // What the council is doing about it: the actions linked to it, worst first (at most five lines).
  const linked = await repo.actions.list({ indicatorId: ind.id, activeOnly: true });
  if (linked.length) {
    const today = localDateOf(deps.clock.now(), org.timeZone);
    const lines = linked.slice(0, 5).map((a) => actionLine(a, today, org, null));
    blocks.push(text(`**${linked.length === 1 ? 'Action' : 'Actions'} on this indicator**\n${lines.join('\n')}${linked.length > 5 ? `\n…and ${linked.length - 5} more` : ''}`));
  }

  const recent = history.observations.slice(-6);
  if (recent.length) {
    const rows = recent.map((o) => {
      const p = periodFromKey(o.periodKey, org.fyStartMonth);
      const t = history.targets.find((x) => x.periodKey === o.periodKey);
      const pev = evaluateIndicator(ind, history, org, p);
      return [
        formatPeriod(p),
        `${fmt(o.value)}${o.estimated ? ' (est)' : ''}${o.provisional ? ' *' : ''}${o.version > 1 ? ' †' : ''}`,
        t?.value !== undefined && t?.value !== null ? fmt(t.value) : pev.target.value !== null ? fmt(pev.target.value) : (t?.text ?? '—'),
        statusWord(pev.status),
      ];
    });
    blocks.push({ type: 'table', columns: ['Period', 'Value', 'Target', 'Status'], rows: rows.reverse(), align: ['left', 'right', 'right', 'left'] });
  }
  const notes: string[] = [];
  if (recent.some((o) => o.estimated)) notes.push('(est) estimated');
  if (recent.some((o) => o.provisional)) notes.push('* provisional, subject to verification');
  if (recent.some((o) => o.version > 1)) notes.push(`† corrected since first given: \`/kpi history ${ind.slug}\` lists every version`);
  if (exception) notes.push(`Exception report for ${exception.periodKey}: ${exception.state}`);
  // Periods with no value on purpose, latest first (a mark whose period has since been given a value says nothing).
  const given = history.observations.map((o) => periodFromKey(o.periodKey, org.fyStartMonth));
  const standing = marksFor(ind, marks, org.fyStartMonth).filter((m) => !given.some((p) => p.start >= m.periodStart && p.end <= m.periodEnd));
  for (const m of standing.slice(-3).reverse()) notes.push(`Not collected: ${markPeriodText(m, org.fyStartMonth)} — ${literal(m.reason)}`);
  if (ind.definition && ind.definition !== ind.name) notes.push(literal(truncate(ind.definition, 280)));
  if (notes.length) blocks.push(context(notes.join(' · ')));
  blocks.push({ type: 'chart', chart: trendChart(ind, history, ev, org), title: `${ind.slug} trend` });
  const strip = compared && benchmarkChart(benchmarks, ind, compared);
  if (strip) blocks.push({ type: 'chart', chart: strip, title: `${ind.slug} compared` });

  // A calculated indicator is never typed: no "Submit a value".
  const buttons: Action[] = calculation ? [] : [{ id: 'open-submit', label: 'Submit a value', value: JSON.stringify({ indicatorId: ind.id }) }];
  if (ev.period && needsExceptionReport(ev.status, org) && (exception?.state !== 'approved' || approvalOutdated(exception, { value: ev.periodValue, status: ev.status }))) {
    buttons.push({ id: 'open-exception', label: 'Exception report', value: JSON.stringify({ indicatorId: ind.id, periodKey: ev.period.key }) });
  }
  if (buttons.length) blocks.push(actions(...buttons));

  const summary = `${ind.name}: ${statusWord(ev.status)}. ${ev.explanation}`;
  return reply('channel', message(summary, ...blocks));
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export async function show(deps: CommandDeps, _actor: Actor, args: string): Promise<CommandResult> {
  const q = args.trim();
  if (!q) throw new ValidationError('Which indicator? Give its short name, reference or part of its name.', {}, `Usage: /kpi ${USAGE}`);
  const found = await findIndicator(deps.repo, q);
  if (found.kind === 'one') return showIndicator(deps, found.indicator);
  if (found.kind === 'many') {
    return reply(
      'private',
      message(
        `Several indicators match "${q}". Which one?`,
        text(`Several indicators match "${literal(q)}". Which one?`),
        text(found.matches.slice(0, 5).map((m) => `\`${m.slug}\` ${literal(m.name)}`).join('\n')),
        ...chooseIndicatorBlocks(found.matches, 'show', (m) => m.slug),
      ),
    );
  }
  if (found.suggestions.length) {
    return reply(
      'private',
      message(
        `No indicator matches "${q}". Did you mean one of these?`,
        text(`No indicator matches "${literal(q)}". Did you mean one of these?`),
        ...chooseIndicatorBlocks(found.suggestions, 'show', (m) => m.slug),
        context('`/kpi list` shows every indicator.'),
      ),
    );
  }
  return say(`No indicator matches "${literal(q)}".`, context('`/kpi list` shows every indicator; `/kpi list <theme>` narrows it down.'));
}

export const showCommand = defineCommand({
  name: 'show',
  aliases: ['view'],
  usage: 'show <indicator>',
  summary: 'value, target, RAG status, direction of travel and a chart, posted to the channel',
  examples: ['/kpi show sickness-absence'],
  run: show,
  actions: {
    /** value: the indicator's slug */
    show: async (deps, _actor, slug) => {
      const ind = await deps.repo.indicatorBySlug(slug);
      return ind ? showIndicator(deps, ind) : say(`There is no indicator \`${slug}\` any more.`);
    },
  },
});
