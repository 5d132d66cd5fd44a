// A value a sign-off holds, as people are told it: which signed-off report holds it and why (the
// rule is src/repo/rules.ts, signOffHold), who can still change it and how.
import { formatDate, localDateOf } from '../domain/dates.ts';
import { formatPeriod } from '../domain/periods.ts';
import type { Period } from '../domain/types.ts';
import type { IndicatorRecord, Repository, SignOffHold } from '../ports.ts';
import { literal } from '../messages/build.ts';

/** "2017/18 was printed in the 2017/18 Q3 report, signed off on 15 Jan 2018 by Priya Shah" */
export function holdSentence(period: Period, hold: SignOffHold, o: { timeZone: string; by?: string | null }): string {
  const on = `signed off on ${formatDate(localDateOf(hold.closedAt, o.timeZone))}${o.by ? ` by ${o.by}` : ''}`;
  const p = formatPeriod(period);
  switch (hold.reason) {
    case 'signed-off':
      return hold.periodKey === period.key ? `${p} was ${on}` : `${p} is part of ${hold.periodKey}, ${on}`;
    case 'printed':
      return `${p} was printed in the ${hold.periodKey} report, ${on}`;
    case 'year-running':
      return `${p} is covered by the ${hold.periodKey} report, ${on}, and has not ended yet`;
    case 'last-report':
      return `${p} is covered by the ${hold.periodKey} report, the last one to show it, ${on}`;
  }
}

/**
 * What someone who is not a performance admin is told when a sign-off holds the value they gave:
 * which report holds it, who can change it and how, and — for a year still running — when they can.
 */
export async function holdRefusal(repo: Repository, ind: Pick<IndicatorRecord, 'slug'>, period: Period, hold: SignOffHold): Promise<string> {
  const [org, admins, closer] = await Promise.all([repo.org(), repo.people({ role: 'admin' }), hold.closedById !== null ? repo.person(hold.closedById) : Promise.resolve(null)]);
  const names = admins.filter((a) => a.active).map((a) => literal(a.displayName));
  const who = names.length ? ` (${names.slice(0, 3).join(', ')}${names.length > 3 ? ' or another' : ''})` : '';
  const later = hold.reason === 'year-running' ? ` Once the year has ended (${formatDate(period.end)}), you can give its value yourself, for the year-end report.` : '';
  return (
    `${holdSentence(period, hold, { timeZone: org.timeZone, by: closer ? literal(closer.displayName) : null })}: its values are locked. ` +
    `Only a performance admin${who} can give or change its value now, with the reason: \`/kpi submit ${ind.slug} ${formatPeriod(period)} <value> <reason>\`; ` +
    `the change is audited and listed in the quarter's report under "Changed after sign-off".${later}`
  );
}
