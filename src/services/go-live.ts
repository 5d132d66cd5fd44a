// Going live: the day the chases start. If nobody said which period values are collected from
// (`collect-from`), the first chase records the most recent quarter that has ended — so the first
// run can never chase years of history — and tells the performance admins, with how to change it.
// Reminders and escalation count from the later of an item's due date and that day: nobody is
// escalated on day one for a value nobody had been asked for.
import { defaultFirstPeriod } from '../domain/collection.ts';
import { formatDate } from '../domain/dates.ts';
import { formatPeriod, periodFromKey, previousPeriod } from '../domain/periods.ts';
import type { LocalDate } from '../domain/types.ts';
import { context, header, message, text } from '../messages/build.ts';
import type { Logger } from '../log.ts';
import type { OrgSettings, Outbox, Repository } from '../ports.ts';

/**
 * The organisation with its go-live recorded: `collectFrom` set (the default recorded and announced
 * when it was not) and `collectingSince` set (today, when it was not).
 */
export async function startCollecting(deps: { repo: Repository; outbox: Outbox; log: Logger }, org: OrgSettings, today: LocalDate, now: Date, job: string): Promise<OrgSettings & { collectFrom: string; collectingSince: LocalDate }> {
  if (org.collectFrom && org.collectingSince) return { ...org, collectFrom: org.collectFrom, collectingSince: org.collectingSince };
  if (org.collectFrom) {
    const updated = await deps.repo.updateOrg({ collectingSince: today });
    return { ...updated, collectFrom: org.collectFrom, collectingSince: today };
  }
  const first = defaultFirstPeriod(today, org.fyStartMonth);
  const updated = await deps.repo.updateOrg({ collectFrom: first.key, collectingSince: today });
  await deps.repo.audit({
    at: now,
    actorId: null,
    actorLabel: `job:${job}`,
    action: 'settings.change',
    entity: 'organisation',
    entityId: 'collect-from',
    details: { before: 'not set', after: first.key, collectingSince: today, why: 'the first chase: the most recent quarter that has ended' },
  });
  const admins = (await deps.repo.people({ role: 'admin' })).filter((a) => a.active);
  for (const a of admins) {
    await deps.outbox.enqueue({ key: `go-live:${first.key}:person:${a.id}`, purpose: 'go-live', to: { kind: 'person', personId: a.id }, message: goLiveNotice(first.key, today, org.fyStartMonth) }, now);
  }
  if (!admins.length) deps.log.warn({ collectFrom: first.key }, 'go-live: no performance admin to tell which period values are collected from');
  deps.log.info({ collectFrom: first.key, collectingSince: today }, 'go-live: collecting from the most recent quarter that has ended');
  return { ...updated, collectFrom: first.key, collectingSince: today };
}

/** What the performance admins are told when the first chase chose the first period collected. */
export function goLiveNotice(collectFrom: string, today: LocalDate, fy: number) {
  const first = periodFromKey(collectFrom, fy);
  return message(
    `Chasing starts: values are collected from ${formatPeriod(first)} on`,
    header(`📅 Values are collected from ${formatPeriod(first)} on`),
    text(
      `Nobody had said which period the council collects values from, so the first chase today (${formatDate(today)}) starts with **${formatPeriod(first)}**, the most recent quarter that has ended. ` +
        `Values for periods that ended before ${formatDate(first.start)} are never chased, and reminders count from today: nobody is escalated for a value that was not asked for before.`,
    ),
    context(
      `To collect from another period: \`/kpi settings collect-from <period>\` (e.g. \`/kpi settings collect-from ${formatPeriod(previousPeriod(first, fy))}\` to collect one quarter earlier), \`kpi settings collect-from …\`, or a Settings sheet in an import. ` +
        'A period that will not be collected for some indicators: `/kpi not-collected <indicator | theme <name> | all> <period> <reason>`.',
    ),
  );
}

/** What the bot is, in the first chase a person gets. */
export const ABOUT_THE_BOT = 'I am the council’s performance bot: owners give their indicators’ values here, and I remind them when one is due.';

/** Reminders for an item count from its due date, but never from before collection began. */
export function chaseFrom(due: LocalDate, collectingSince: LocalDate): LocalDate {
  return due > collectingSince ? due : collectingSince;
}
