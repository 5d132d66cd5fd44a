// `kpi close-quarter <period> [--by <email>]`: sign off a quarter. Its report is kept as it stands and
// what it shows is locked (the quarter, its months, the years it reports); later changes need a
// performance admin and a reason, are audited, and are listed apart in the report.
import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { localDateOf } from '../../domain/dates.ts';
import { readQuarter } from '../../services/quarters.ts';
import { signOffQuarter } from '../../report/snapshot.ts';
import { longDate } from '../../report/text.ts';
import { commandClock, withDatabase } from '../context.ts';
import { cliActor } from './import.ts';

export function addCloseQuarterCommand(program: Command): void {
  program
    .command('close-quarter')
    .description('sign off a quarter: its report is kept as it stands and its values locked; later changes need an admin and a reason, and are listed apart in the report')
    .argument('<period>', 'the quarter, e.g. "2017/18 Q3" (or "last quarter")')
    .option('--by <email>', 'the performance admin signing off (recorded in the audit log)')
    .option('--now <time>', 'as of this time (default: now, on the organisation\'s own date where it has one, as in chat)')
    .action(async (period: string, opts: { by?: string; now?: string }) => {
      await withDatabase(async ({ repo }) => {
        const org = await repo.org();
        const now = (await commandClock(repo, opts.now)).now();
        const today = localDateOf(now, org.timeZone);
        const q = readQuarter(period, today, org.fyStartMonth);
        if (!q.ok) throw new UserError(q.error);
        const quarter = q.value;
        if (quarter.end >= today) throw new UserError(`${quarter.key} has not ended yet (it ends on ${quarter.end}): a quarter is signed off after it ends.`);
        const actor = await cliActor(repo, opts.by);
        if (opts.by && !actor.isAdmin) throw new UserError(`${opts.by} is not a performance admin: only performance admins sign off quarters.`);
        const existing = await repo.lockCovering(quarter.start, quarter.end);
        if (existing) {
          console.log(`${quarter.key} is already signed off (on ${longDate(existing.closedAt)}). Nothing changed.`);
          return;
        }
        const { report: r } = await signOffQuarter(repo, quarter, { personId: actor.personId, name: actor.personId !== null ? actor.name : null, label: actor.label }, now);
        const rows = r.themes.flatMap((t) => t.rows);
        const missing = rows.filter((x) => x.state === 'missing').map((x) => x.indicator.slug);
        const owed = rows.filter((x) => x.exceptionOwed).map((x) => x.indicator.slug);
        console.log(
          `${quarter.key} is signed off by ${actor.name}: ${r.counts.reported} of ${r.counts.indicators} indicators have a value for it. Its report is kept as it is now, and its values are locked: ` +
            'a later change needs a performance admin and a reason (--by <admin> --reason …), and is listed in the report under "Changed after sign-off".',
        );
        if (missing.length) console.log(`  No value yet (${missing.length}): ${missing.join(', ')}`);
        if (owed.length) console.log(`  Exception reports still due (${owed.length}): ${owed.join(', ')}`);
      });
    });
}
