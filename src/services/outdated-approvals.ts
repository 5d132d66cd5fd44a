// Approved exception reports whose value moved on: when the value of a report's period, or its
// status, is no longer what the report was approved for (a correction, a value after sign-off, a new
// target), the report goes back to "needs update" (audited as exception.needs-update) and its owner
// is told once, with a button to update it; chase-exceptions then chases it like any report owed.
// Run where values change: after a value is saved in chat, and by evaluate-statuses for whatever
// changed (imports, the CLI, SQL typed by hand).
import type { ExceptionReportRecord, IndicatorRecord, Outbox, Repository } from '../ports.ts';
import { formatValue } from '../domain/format.ts';
import { formatDateTime } from '../domain/dates.ts';
import { formatPeriod, periodFromKey } from '../domain/periods.ts';
import type { Status } from '../domain/types.ts';
import { actions, context, literal, mention, message, text } from '../messages/build.ts';
import { evaluateIndicator } from './evaluation.ts';
import { approvalOutdated, nextState, StaleReportError, type OutdatedApproval } from './exception-states.ts';
import { statusWord } from './labels.ts';
import { givenBy } from './provenance.ts';

export interface OutdatedReport {
  report: ExceptionReportRecord;
  indicator: IndicatorRecord;
  change: OutdatedApproval;
  /** Whose it is to update (the indicator's owner, else the report's author), if anyone. */
  toldId: number | null;
  /** A message went to them (not when they made the change themselves: the answer to it says so). */
  messaged: boolean;
}

/** "83.8% (Amber)" */
export function valueAndStatus(ind: Pick<IndicatorRecord, 'unit' | 'decimals'>, v: { value: number | null; status: Status | null }): string {
  const value = v.value === null ? 'no value' : formatValue(v.value, ind.unit, ind.decimals);
  return v.status ? `${value} (${statusWord(v.status)})` : value;
}

/**
 * Put back to "needs update" every approved report of these indicators (all, without ids) whose
 * period no longer has the value or status it was approved for, and tell each owner. Safe to run
 * again and from two processes at once: a report already put back is not approved any more, the
 * write is conditioned on the version read, and the message's key is the report's new version.
 */
export async function reopenOutdatedApprovals(
  deps: { repo: Repository; outbox: Outbox },
  now: Date,
  opts: { indicatorIds?: number[]; actorLabel: string; byId?: number | null },
): Promise<OutdatedReport[]> {
  const { repo } = deps;
  if (opts.indicatorIds && !opts.indicatorIds.length) return [];
  const approved = await repo.exceptionReports({ states: ['approved'], ...(opts.indicatorIds ? { indicatorIds: opts.indicatorIds } : {}) });
  if (!approved.length) return [];
  const ids = [...new Set(approved.map((r) => r.indicatorId))];
  const [org, indicators, histories] = await Promise.all([repo.org(), repo.indicators({ ids, activeOnly: false }), repo.histories(ids)]);
  const byId = new Map(indicators.map((i) => [i.id, i]));
  const out: OutdatedReport[] = [];
  for (const r of approved) {
    const ind = byId.get(r.indicatorId);
    const h = histories.get(r.indicatorId);
    if (!ind || !h) continue;
    const period = periodFromKey(r.periodKey, org.fyStartMonth);
    const ev = evaluateIndicator(ind, h, org, period);
    const obs = h.observations.find((o) => o.periodKey === period.key) ?? null;
    const change = approvalOutdated(r, { value: obs?.value ?? null, status: ev.status });
    if (!change) continue;
    let saved: ExceptionReportRecord;
    try {
      saved = await repo.saveExceptionReport(
        { ...r, state: nextState(r, 'outdate') },
        { expectedVersion: r.version, audit: { at: now, actorId: null, actorLabel: opts.actorLabel, action: 'exception.needs-update', details: { was: change.was, now: change.now } } },
      );
    } catch (e) {
      // Someone changed it first (a new submission, another run): nothing to put back.
      if (e instanceof StaleReportError) continue;
      throw e;
    }
    const toldId = ind.ownerId ?? r.authorId;
    const messaged = toldId !== null && toldId !== (opts.byId ?? null);
    if (messaged) {
      const people = new Map((obs?.submittedById ? await repo.people({ ids: [obs.submittedById] }) : []).map((p) => [p.id, p]));
      const how = obs ? `${givenBy(obs, people)} gave ${formatValue(obs.value, ind.unit, ind.decimals)} on ${formatDateTime(obs.submittedAt, org.timeZone)}${obs.correctionReason ? ` (reason: ${obs.correctionReason})` : ''}.` : '';
      await deps.outbox.enqueue(
        {
          // From the transition (the report's new version), never the clock: a second run queues nothing.
          key: `exception-needs-update:${saved.id}:v${saved.version}`,
          purpose: 'exception-needs-update',
          to: { kind: 'person', personId: toldId! },
          message: message(
            `The exception report for ${ind.slug}, ${formatPeriod(period)} needs updating: it was approved for ${valueAndStatus(ind, change.was)}, and the period now has ${valueAndStatus(ind, change.now)}.`,
            text(
              `📝 ${mention(toldId!)}, the approved exception report for **${ind.slug}**, ${formatPeriod(period)} needs updating: it was written for ` +
                `**${valueAndStatus(ind, change.was)}**, and the period now has **${valueAndStatus(ind, change.now)}**.`,
            ),
            ...(how ? [context(literal(how))] : []),
            actions({ id: 'open-exception', label: 'Update the report', value: JSON.stringify({ indicatorId: ind.id, periodKey: period.key }), style: 'primary' }),
          ),
        },
        now,
      );
    }
    out.push({ report: saved, indicator: ind, change, toldId, messaged });
  }
  return out;
}
