// weekly-digest: a Monday-morning direct message to every director about their area — the reds,
// what turned red and what recovered since last week, overdue data and exception reports owed —
// each line pointing at `/kpi show`, with a small-multiples chart of the reds. Long lists are
// summarised so a message stays inside the strictest platform's block limits for any size of register. Performance
// admins get the same for the whole organisation, with the people the bot cannot reach.
import type { JobDeps, JobSummary, OrgSettings, PersonRecord, RiskRecord, StatusChangeRecord } from '../src/ports.ts';
import { addDays, formatDate, localDateOf, workingDaysBetween } from '../src/domain/dates.ts';
import { organisationDaysOff } from '../src/services/holidays.ts';
import { formatValue } from '../src/domain/format.ts';
import { formatPeriod, periodFromKey } from '../src/domain/periods.ts';
import { loadPortfolio, byStatus, type IndicatorState, type Portfolio } from '../src/services/portfolio.ts';
import { quartileMoves } from '../src/services/comparators.ts';
import { quartileWord } from '../src/domain/comparators.ts';
import { forecastIndicator, trendChart } from '../src/services/evaluation.ts';
import { directionArrow, forecastIcon, statusIcon, statusLabel } from '../src/services/labels.ts';
import { context, divider, header, literal, message, text } from '../src/messages/build.ts';
import { tellAdminsWhoCannotBeReached, unreachableLines, unreachablePeople } from '../src/people/unreachable.ts';
import { setupLines } from '../src/services/setup.ts';
import type { Block, Message } from '../src/messages/types.ts';
import { defineJob } from './types.ts';
import { actionLine, keepsAction, namesOf } from '../src/services/actions.ts';
import { byScore, isAboveAppetite, riskLine, riskMatrix, riskTrend, scoreWords } from '../src/services/risks.ts';
import { owedLabel } from '../src/services/exception-states.ts';

/** Lines per section before "…and N more"; charts in the small-multiples image. */
export const SECTION_LINES = 10;
export const CHARTS = 12;

export const weeklyDigestJob = defineJob({
  name: 'weekly-digest',
  schedule: '0 8 * * 1',
  describe: "send each director the week's reds, new reds, recoveries and overdue data",
  run: weeklyDigest,
});

export async function weeklyDigest(deps: JobDeps, now: Date): Promise<JobSummary> {
  const { repo, outbox, log } = deps;
  const org = await repo.org();
  const today = localDateOf(now, org.timeZone);
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const [people, themes, changes] = await Promise.all([repo.people(), repo.themes(), repo.statusChangesSince(weekAgo)]);
  const directorIds = new Set(themes.map((t) => t.directorId).filter((id): id is number => id !== null));
  const directors = people.filter((p) => p.active && (directorIds.has(p.id) || p.role === 'director'));
  const admins = people.filter((p) => p.active && p.role === 'admin' && !directors.includes(p));
  const summary = { directors: directors.length, admins: admins.length, sent: 0, alreadySent: 0, undeliverable: 0, reds: 0, adminsTold: 0 };
  // One digest per person per week, whatever the retries.
  const week = addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
  const unreachableNow = new Map<number, { person: PersonRecord; reason: string }>();
  const send = async (who: PersonRecord, msg: Message) => {
    const key = `weekly-digest:${week}:person:${who.id}`;
    const queued = await outbox.enqueue({ key, purpose: 'weekly-digest', to: { kind: 'person', personId: who.id }, message: msg }, now);
    if (!queued) return void summary.alreadySent++;
    summary.sent++;
    const reach = await deps.directory.reach((await repo.person(who.id)) ?? who, now);
    if (!reach.ok) {
      summary.undeliverable++;
      unreachableNow.set(who.id, { person: who, reason: reach.reason });
    }
  };

  for (const director of directors) {
    const portfolio = await loadPortfolio(repo, now, { directorId: director.id, activeOnly: true });
    const ids = new Set(portfolio.states.map((s) => s.indicator.id));
    const mine = changes.filter((c) => ids.has(c.indicatorId));
    const extra = [...quartileSection(portfolio), ...(await actionsSection(deps, org, today, director.id)), ...(await risksSection(deps, org, today, director.id)), ...(director.role === 'admin' ? await adminSection(deps) : [])];
    const msg = digestMessage(director, portfolio.states, mine, { today, org, themes: themes.filter((t) => t.directorId === director.id).map((t) => t.name), extra });
    summary.reds += portfolio.states.filter((s) => s.evaluation.status === 'red').length;
    await send(director, msg);
  }
  if (admins.length) {
    // The performance team sees the whole organisation, and who the bot cannot reach.
    const all = await loadPortfolio(repo, now, { activeOnly: true });
    const extra = [...quartileSection(all), ...(await actionsSection(deps, org, today, null)), ...(await risksSection(deps, org, today, null)), ...(await adminSection(deps))];
    for (const admin of admins) await send(admin, digestMessage(admin, all.states, changes, { today, org, themes: [], area: 'the organisation', extra }));
  }
  summary.adminsTold = await tellAdminsWhoCannotBeReached(deps, unreachableNow, 'weekly-digest', today, now);
  log.info(summary, 'weekly-digest');
  return summary;
}

/** Indicators whose quartile among their comparator group moved between the last two periods with comparator data. */
function quartileSection(p: Portfolio): Block[] {
  const lines = quartileMoves(p.benchmarks, p.states.map((s) => s.indicator)).map(
    (m) => `${m.quartile > m.was ? '📉' : '📈'} **${m.indicator.slug}** ${quartileWord(m.was)} in ${formatPeriod(m.previous)} → ${literal(m.line)} in ${formatPeriod(m.period)} · \`/kpi show ${m.indicator.slug}\``,
  );
  return section('Quartile changed among other councils', lines, '`/kpi list`');
}

/** The actions off track or overdue in a director's themes (null: every theme, for the performance team), the owner of each named. */
async function actionsSection(deps: JobDeps, org: OrgSettings, today: string, directorId: number | null): Promise<Block[]> {
  const list = (await deps.repo.actions.list({ activeOnly: true, ...(directorId !== null ? { directorId } : {}) })).filter((a) => keepsAction('off-track', a, today, org.fyStartMonth));
  if (!list.length) return [];
  const owners = await namesOf(deps.repo, list.map((a) => a.ownerId));
  const word = org.actionWord ?? 'action';
  const lines = list.map((a) => actionLine(a, today, org, a.ownerId === null ? null : (owners.get(a.ownerId) ?? null)));
  return section(`${word[0]!.toUpperCase()}${word.slice(1)}s off track or overdue`, lines, '`/kpi actions off-track`');
}

/**
 * The risks above appetite in a director's themes (null: every theme, for the performance team), and
 * those whose score rose at a review in the week before the digest (into a higher band or not).
 */
async function risksSection(deps: JobDeps, org: OrgSettings, today: string, directorId: number | null): Promise<Block[]> {
  const list = (await deps.repo.risks.list({ activeOnly: true, ...(directorId !== null ? { directorId } : {}) })).sort(byScore);
  if (!list.length) return [];
  const m = riskMatrix(org);
  const weekAgo = addDays(today, -7);
  const above = list.filter((r) => isAboveAppetite(r, m));
  const rose = list.filter((r) => r.latest && r.latest.reviewedOn > weekAgo && riskTrend(r) === 'rising');
  const owners = await namesOf(deps.repo, list.map((r) => r.ownerId));
  const line = (r: RiskRecord) => riskLine(r, m, r.ownerId === null ? null : (owners.get(r.ownerId) ?? null));
  const roseLine = (r: RiskRecord) => `${line(r)} — rose from ${scoreWords(r.previous, m)} on ${formatDate(r.latest!.reviewedOn)}`;
  return [...section(`Risks above appetite (scores over ${m.appetite})`, above.map(line), '`/kpi risks high`'), ...section('Risks that rose this week', rose.map(roseLine), '`/kpi risks`')];
}

/** For performance admins: what the bot cannot do as set up (a missing Slack scope, messages held), who it cannot reach, and what to do about it. */
async function adminSection(deps: JobDeps): Promise<Block[]> {
  const setup = await setupLines(deps, (await deps.repo.org()).timeZone);
  const list = await unreachablePeople(deps);
  return [...section('What the bot cannot do as it is set up', setup, '`/kpi people`'), ...section('People the bot cannot reach', unreachableLines(list, Infinity), '`/kpi people`')];
}

function firstWord(p: PersonRecord): string {
  return p.displayName.split(/\s+/)[0] ?? p.displayName;
}

function section(title: string, lines: string[], more: string): Block[] {
  if (!lines.length) return [];
  const shown = lines.slice(0, SECTION_LINES);
  const blocks: Block[] = [text(`**${title}** (${lines.length})`)];
  for (let i = 0; i < shown.length; i += 5) blocks.push(text(shown.slice(i, i + 5).join('\n')));
  if (lines.length > shown.length) blocks.push(context(`…and ${lines.length - shown.length} more: ${more}`));
  return blocks;
}

export function digestMessage(
  director: PersonRecord,
  states: IndicatorState[],
  changes: StatusChangeRecord[],
  o: { today: string; org: OrgSettings; themes: string[]; area?: string; extra?: Block[] },
): Message {
  const bySlug = new Map(states.map((s) => [s.indicator.id, s]));
  const fmt = (s: IndicatorState, v: number | null) => (v === null ? '—' : formatValue(v, s.indicator.unit, s.indicator.decimals));
  const line = (s: IndicatorState) => {
    const ev = s.evaluation;
    const target = ev.target.value !== null ? ` vs ${fmt(s, ev.target.value)}` : '';
    return `${statusIcon(ev.status)} **${s.indicator.slug}** ${fmt(s, ev.value)}${target}${ev.period ? ` · ${formatPeriod(ev.period)}` : ''} ${directionArrow(ev.direction)} · \`/kpi show ${s.indicator.slug}\``;
  };
  const count = (st: string) => states.filter((s) => s.evaluation.status === st).length;
  const reds = states.filter((s) => s.evaluation.status === 'red').sort(byStatus);
  const lastChange = new Map<number, StatusChangeRecord>();
  for (const c of changes) lastChange.set(c.indicatorId, c); // oldest first: the last one wins
  const firstChange = new Map<number, StatusChangeRecord>();
  for (const c of [...changes].reverse()) firstChange.set(c.indicatorId, c);
  // A change with no previous status is an indicator's first record (the baseline), not news.
  const wasBefore = (c: StatusChangeRecord) => firstChange.get(c.indicatorId)!.previousStatus;
  const newReds = [...lastChange.values()].filter((c) => c.status === 'red' && wasBefore(c) !== null && wasBefore(c) !== 'red');
  const recoveries = [...lastChange.values()].filter((c) => c.status !== 'red' && wasBefore(c) === 'red');
  const overdue = states.filter((s) => s.due.overdue);
  const owed = states.filter((s) => s.exceptionOwed);
  const changeLine = (c: StatusChangeRecord) => {
    const s = bySlug.get(c.indicatorId)!;
    const was = wasBefore(c);
    return `${was ? statusIcon(was) : '·'} → ${statusIcon(c.status)} **${s.indicator.slug}** ${fmt(s, c.value)} · ${formatPeriod(periodFromKey(c.periodKey, o.org.fyStartMonth))}`;
  };

  const area = o.area ?? (o.themes.length ? o.themes.join(', ') : 'your indicators');
  const blocks: Block[] = [
    header(`Weekly performance digest · ${formatDate(o.today)}`),
    text(
      `Good morning ${literal(firstWord(director))}. In ${literal(area)}: **${count('red')} red**, ${count('amber')} amber, ${count('green')} green` +
        `${count('in_measurement') ? `, ${count('in_measurement')} in measurement` : ''}${count('no_target') ? `, ${count('no_target')} without a target` : ''} ` +
        `(${states.length} indicators). Since last week: ${newReds.length} turned red, ${recoveries.length} recovered.`,
    ),
  ];
  blocks.push(...section('New reds since last week', newReds.map(changeLine), '`/kpi list red`'));
  blocks.push(...section('Recovered since last week', recoveries.map(changeLine), '`/kpi list`'));
  blocks.push(...section('Red', reds.map(line), '`/kpi list red`'));
  // Green or amber today, but on course to miss the year-end target: the early warning.
  const misses = states
    .filter((s) => s.evaluation.status !== 'red')
    .flatMap((s) => {
      const f = forecastIndicator(s.indicator, s.history, o.org);
      return f && f.status !== 'green' ? [`${forecastIcon(f.status)} **${s.indicator.slug}** ${statusLabel(s.evaluation.status)} now, ${literal(f.sentence)} · \`/kpi show ${s.indicator.slug}\``] : [];
    });
  blocks.push(...section('On course to miss the year end', misses, '`/kpi list`'));
  blocks.push(
    ...section(
      'Data overdue',
      // Overdue in working days, as the owner's chase says it the same morning (weekends and bank holidays left out).
      overdue.map((s) => {
        const late = s.due.due ? workingDaysBetween(s.due.due, o.today, organisationDaysOff(o.org)) : 0;
        return `• **${s.indicator.slug}** ${s.due.period ? formatPeriod(s.due.period) : ''}, due ${s.due.due ? formatDate(s.due.due) : '—'} (${late > 0 ? `${late} working day${late === 1 ? '' : 's'} overdue` : 'due today'})`;
      }),
      '`/kpi list overdue`',
    ),
  );
  blocks.push(...section('Exception reports owed', owed.map((s) => `• **${s.indicator.slug}** ${s.exceptionFor ? formatPeriod(s.exceptionFor.period) : ''} — ${s.exception ? owedLabel(s.exception.state) : 'not started'}`), '`/kpi list red`'));
  if (!reds.length && !newReds.length && !overdue.length && !owed.length && !misses.length) blocks.push(text('Nothing red, overdue or owed in your area this week. 🎉'));
  blocks.push(...(o.extra ?? []));
  const charted = reds.filter((s) => s.history.observations.length > 0).slice(0, CHARTS);
  if (charted.length) {
    blocks.push(divider, {
      type: 'chart',
      title: 'Red indicators',
      chart: {
        kind: 'small-multiples',
        title: `Red indicators in ${area}`.slice(0, 300),
        charts: charted.map((s) => ({ ...trendChart(s.indicator, s.history, s.evaluation, o.org, 6), title: s.indicator.slug })),
      },
    });
    if (reds.length > charted.length) blocks.push(context(`The chart shows ${charted.length} of ${reds.length} reds.`));
  }
  return message(`Weekly digest: ${count('red')} red, ${newReds.length} new, ${recoveries.length} recovered, ${overdue.length} overdue in ${area}`, ...blocks);
}
