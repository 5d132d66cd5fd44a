// /kpi history <indicator> [period] — every version of every value (or of one period's): the value,
// who gave it, when, the way it came in and the reason for a correction. Corrections are kept, never
// overwritten; this is where people see them.
import type { Actor, CommandDeps, IndicatorRecord, ObservationRecord } from '../src/ports.ts';
import type { Block, CommandResult } from '../src/messages/types.ts';
import { context, file, header, literal, plainMarkup, message, reply, text } from '../src/messages/build.ts';
import { formatValue } from '../src/domain/format.ts';
import { formatDate, localDateOf } from '../src/domain/dates.ts';
import { describePeriodError, formatPeriod, parsePeriod, periodFromKey } from '../src/domain/periods.ts';
import { findIndicator } from '../src/services/find-indicator.ts';
import { provenance, signedOffBefore } from '../src/services/provenance.ts';
import type { PeriodLockRecord } from '../src/ports.ts';
import { chooseIndicatorBlocks, linesToBlocks } from '../src/services/indicator-lines.ts';
import { NotFoundError, ValidationError } from '../src/errors.ts';
import { defineCommand } from './types.ts';

const USAGE = 'history <indicator> [period]';
const EXAMPLE = '/kpi history sickness-absence 2017/18 Q3';
/** Versions listed in the message; the full list is attached as a file beyond that. */
export const SHOWN_VERSIONS = 30;

export async function history(deps: CommandDeps, _actor: Actor, args: string): Promise<CommandResult> {
  const tokens = args.trim().split(/\s+/).filter(Boolean);
  if (!tokens.length) throw new ValidationError('Which indicator? Give its short name, e.g. `/kpi history sickness-absence`.', {}, `Usage: /kpi ${USAGE} — e.g. ${EXAMPLE}`);
  const found = await findIndicator(deps.repo, tokens[0]!);
  if (found.kind !== 'one') {
    const choices = found.kind === 'many' ? found.matches : found.suggestions;
    if (!choices.length) throw new NotFoundError(`No indicator matches "${literal(tokens[0])}".`, '`/kpi list` shows every indicator.');
    return reply('private', message(`Which indicator is "${tokens[0]}"?`, text(`Which indicator is "${literal(tokens[0])}"?`), ...chooseIndicatorBlocks(choices, 'show', (m) => m.slug)));
  }
  const ind = found.indicator;
  const org = await deps.repo.org();
  let periodKey: string | undefined;
  if (tokens.length > 1) {
    const p = parsePeriod(tokens.slice(1).join(' '), { frequency: ind.frequency, today: localDateOf(deps.clock.now(), org.timeZone), fyStartMonth: org.fyStartMonth });
    if (!p.ok) throw new ValidationError(describePeriodError(p.reason, { indicator: ind.slug }), {}, `Usage: /kpi ${USAGE} — e.g. ${EXAMPLE}`);
    periodKey = p.value.key;
  }
  const versions = await deps.repo.observationVersions(ind.id, periodKey);
  const where = periodKey ? ` for ${formatPeriod(periodFromKey(periodKey, org.fyStartMonth))}` : '';
  if (!versions.length) return reply('private', message(`${ind.slug} has no values${where} yet.`, text(`**${ind.slug}** has no values${where} yet.`)));

  const ids = [...new Set(versions.map((v) => v.submittedById).filter((id): id is number => id !== null))];
  const [people, locks] = await Promise.all([ids.length ? deps.repo.people({ ids }) : Promise.resolve([]), deps.repo.periodLocks()]);
  const byId = new Map(people.map((p) => [p.id, p]));
  const lines = historyLines(ind, versions, { people: byId, locks, timeZone: org.timeZone, fy: org.fyStartMonth });
  const corrected = new Set(versions.filter((v) => v.version > 1).map((v) => v.periodKey)).size;
  const periods = new Set(versions.map((v) => v.periodKey)).size;
  const summary = `${ind.slug}${where}: ${versions.length} version${versions.length === 1 ? '' : 's'} of ${periods} value${periods === 1 ? '' : 's'}, ${corrected} corrected.`;
  const blocks: Block[] = [header(`History · ${ind.slug}${where}`), context(summary), ...linesToBlocks(lines.slice(0, SHOWN_VERSIONS + countHeadings(lines, SHOWN_VERSIONS)))];
  const shown = Math.min(versions.length, SHOWN_VERSIONS);
  if (versions.length > shown) {
    blocks.push(context(`${shown} of ${versions.length} versions shown, latest periods first; all of them are in the attached file. \`/kpi history ${ind.slug} <period>\` shows one period.`));
    blocks.push(file(`${ind.slug}-history.txt`, 'text/plain; charset=utf-8', new TextEncoder().encode(lines.map((l) => plainMarkup(l)).join('\n') + '\n'), `History of ${ind.slug}`));
  }
  return reply('private', message(summary, ...blocks));
}

/** Period headings, then one line per version, newest first: "v2 (current) · **10.5 days** · Priya Shah, 4 Dec 2026, 14:05, chat (<platform>) · reason: …". */
export function historyLines(
  ind: IndicatorRecord,
  versions: ObservationRecord[],
  o: { people: ReadonlyMap<number, { displayName: string }>; locks: readonly PeriodLockRecord[]; timeZone: string; fy: number },
): string[] {
  const fmt = (v: number) => formatValue(v, ind.unit, ind.decimals);
  const lines: string[] = [];
  let current: string | null = null;
  for (const v of versions) {
    if (v.periodKey !== current) {
      current = v.periodKey;
      lines.push(`**${formatPeriod(periodFromKey(v.periodKey, o.fy))}**`);
    }
    // Given after a sign-off whose report covers the period (its quarter's, or for a year one that shows it).
    const lock = signedOffBefore(v, o.locks, periodFromKey(v.periodKey, o.fy), o.fy);
    const latest = versions.find((x) => x.periodKey === v.periodKey) === v;
    const markers = [v.estimated ? 'estimated' : '', v.provisional ? 'provisional' : ''].filter(Boolean).join(', ');
    const parts = [
      `v${v.version}${latest ? ' (current)' : ''}`,
      `**${fmt(v.value)}**${markers ? ` (${markers})` : ''}`,
      literal(provenance(v, o.people, o.timeZone)),
      ...(lock ? [`🔒 after the ${lock.periodKey} sign-off on ${formatDate(localDateOf(lock.closedAt, o.timeZone))}`] : []),
      // A calculated value says which inputs changed it ("recalculated: staff-days-lost 810 → 840").
      ...(v.correctionReason ? [v.source === 'calculated' ? literal(v.correctionReason) : `reason: ${literal(v.correctionReason)}`] : v.version > 1 ? ['no reason given'] : []),
      // A correction's note is its reason unless another was given: said once.
      ...(v.note && v.note !== v.correctionReason ? [`note: ${literal(v.note)}`] : []),
    ];
    lines.push(`• ${parts.join(' · ')}`);
  }
  return lines;
}

/** Headings among the first `n` version lines (so the message shows `n` versions). */
function countHeadings(lines: string[], n: number): number {
  let versions = 0;
  let headings = 0;
  for (const l of lines) {
    if (l.startsWith('•')) {
      if (++versions > n) break;
    } else headings++;
  }
  return headings;
}

export const historyCommand = defineCommand({
  name: 'history',
  aliases: ['versions', 'audit'],
  usage: USAGE,
  summary: 'every version of an indicator\'s values: who gave each, when, how, and why it was corrected',
  run: history,
});
