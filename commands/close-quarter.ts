// /kpi close-quarter <period> — a performance admin signs off a quarter: its report is kept as it
// stands, and what it covers is held — the quarter's values and its months', the years it shows
// (src/repo/rules.ts) — so later changes need a performance admin and a reason, are audited, and are
// listed apart in the report as "Changed after sign-off". Asks to confirm first, saying what is
// still missing.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { actions, context, literal, message, reply, say, text } from '../src/messages/build.ts';
import { localDateOf } from '../src/domain/dates.ts';
import { isPeriodKey, periodFromKey } from '../src/domain/periods.ts';
import type { Period } from '../src/domain/types.ts';
import { ensureAllowed } from '../src/services/permissions.ts';
import { commentaryStatus, scopeName } from '../src/services/commentary.ts';
import { readQuarter } from '../src/services/quarters.ts';
import { buildQuarterReport } from '../src/report/model.ts';
import { signOffQuarter } from '../src/report/snapshot.ts';
import { longDate } from '../src/report/text.ts';
import { ValidationError } from '../src/errors.ts';
import { defineCommand } from './types.ts';

const USAGE = 'Usage: /kpi close-quarter <period> — e.g. /kpi close-quarter 2025/26 Q2 (or "last quarter")';

const list = (slugs: string[]) => `${slugs.slice(0, 8).map((s) => `\`${s}\``).join(', ')}${slugs.length > 8 ? ` and ${slugs.length - 8} more` : ''}`;

/** What signing off a quarter would leave behind: values not in, exception reports not written, commentary not submitted. */
export async function quarterReadiness(deps: CommandDeps, quarter: Period) {
  const r = await buildQuarterReport(deps.repo, quarter.key, deps.clock.now());
  const rows = r.themes.flatMap((t) => t.rows);
  return {
    counts: r.counts,
    missing: rows.filter((x) => x.state === 'missing').map((x) => x.indicator.slug),
    owed: rows.filter((x) => x.exceptionOwed).map((x) => x.indicator.slug),
    commentary: (await commentaryStatus(deps.repo, quarter.key)).filter((s) => s.owed).map((s) => scopeName(s.theme)),
  };
}

async function quarterToClose(deps: CommandDeps, text: string): Promise<Period> {
  const org = await deps.repo.org();
  const today = localDateOf(deps.clock.now(), org.timeZone);
  if (!text.trim()) throw new ValidationError('Which quarter? Give it as e.g. 2025/26 Q2 or "last quarter".', {}, USAGE);
  const q = readQuarter(text, today, org.fyStartMonth);
  if (!q.ok) throw new ValidationError(q.error, {}, USAGE);
  if (q.value.end >= today) throw new ValidationError(`${q.value.key} has not ended yet (it ends on ${q.value.end}): a quarter is signed off after it ends.`, {}, USAGE);
  return q.value;
}

async function alreadyClosed(deps: CommandDeps, quarter: Period): Promise<CommandResult | null> {
  const lock = await deps.repo.lockCovering(quarter.start, quarter.end);
  if (!lock) return null;
  const by = lock.closedById ? await deps.repo.person(lock.closedById) : null;
  return say(`${quarter.key} is already signed off${lock.periodKey !== quarter.key ? ` (as part of ${lock.periodKey})` : ''}: on ${longDate(lock.closedAt)}${by ? ` by ${literal(by.displayName)}` : ''}. Nothing changed.`);
}

export async function closeQuarter(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  ensureAllowed(actor.person, 'close-quarter');
  const quarter = await quarterToClose(deps, args);
  const closed = await alreadyClosed(deps, quarter);
  if (closed) return closed;
  const r = await quarterReadiness(deps, quarter);
  const notes = [
    `${r.counts.reported} of ${r.counts.indicators} indicators have a value for the quarter${r.counts.annual ? ` (${r.counts.annual} are reported annually)` : ''}.`,
    r.missing.length ? `⚠️ ${r.missing.length} ${r.missing.length === 1 ? 'has' : 'have'} no value yet: ${list(r.missing)}.` : '',
    r.owed.length ? `⚠️ ${r.owed.length} exception ${r.owed.length === 1 ? 'report is' : 'reports are'} still due: ${list(r.owed)}.` : '',
    r.commentary.length ? `⚠️ No commentary submitted for ${r.commentary.map((n) => literal(n)).join(', ')}: signing off locks the quarter's commentary, so none can be added after.` : '',
  ].filter(Boolean);
  return reply(
    'private',
    message(
      `Sign off ${quarter.key}?`,
      text(`**Sign off ${quarter.key}?** ${notes.join(' ')}`),
      context(
        'Signing off keeps the quarterly report as it stands now and locks what it shows — the values of the quarter, its months and the years it reports, and its commentary: after that only a performance admin can change them, with a reason; every change is audited and listed in the report under "Changed after sign-off", which otherwise stays as signed off.',
      ),
      actions({ id: 'confirm-close-quarter', label: `Sign off ${quarter.key}`, value: quarter.key, style: 'primary' }, { id: 'cancel', label: 'Not yet', value: '' }),
    ),
  );
}

/** The confirmation button. */
export async function confirmCloseQuarter(deps: CommandDeps, actor: Actor, value: string): Promise<CommandResult> {
  ensureAllowed(actor.person, 'close-quarter');
  const org = await deps.repo.org();
  if (!isPeriodKey(value) || periodFromKey(value, org.fyStartMonth).kind !== 'quarter') throw new ValidationError('That button is out of date. Run /kpi close-quarter again.');
  const quarter = periodFromKey(value, org.fyStartMonth);
  const closed = await alreadyClosed(deps, quarter);
  if (closed) return closed;
  const now = deps.clock.now();
  const { report } = await signOffQuarter(deps.repo, quarter, { personId: actor.person?.id ?? null, name: actor.person?.displayName ?? null, label: `${actor.platform}:${actor.userId}` }, now);
  return reply(
    'channel',
    message(
      `${quarter.key} is signed off.`,
      text(`🔒 **${quarter.key} is signed off** by ${literal(actor.person?.displayName ?? 'a performance admin')} on ${longDate(now)}, with ${report.counts.reported} of ${report.counts.indicators} indicators reported.`),
      context(
        'Its report is kept as it is now, and what it shows is locked: a change needs a performance admin and a reason, is audited, and is listed in `/kpi report` under "Changed after sign-off" — the report itself stays as signed off.',
      ),
    ),
  );
}

export const closeQuarterCommand = defineCommand({
  name: 'close-quarter',
  aliases: ['sign-off', 'signoff'],
  usage: 'close-quarter <period>',
  summary: 'sign off a quarter: its report is kept as signed off and its values locked; to change one later, a performance admin submits it with the reason, and the report lists it apart (performance admins)',
  examples: ['/kpi close-quarter last quarter'],
  roles: ['admin'],
  run: closeQuarter,
  actions: {
    /** value: the quarter's period key, e.g. 2025/26 Q2 */
    'confirm-close-quarter': confirmCloseQuarter,
  },
});
