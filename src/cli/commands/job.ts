// `kpi job <name> [--now …]`: run one scheduled job once, then send what it queued — to each chat
// platform that is configured, and messages for people and channels on the console printed here.
import { formatDateTime } from '../../domain/dates.ts';
import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { JobRunner } from '../../runner.ts';
import { JOBS, JOB_NAMES, isJobName, jobNamed } from '../../../jobs/index.ts';
import { OutboxSender, outboxOptions } from '../../outbox/sender.ts';
import { commandClock, withServices } from '../context.ts';
import { slowestCallMs } from '../../platforms/index.ts';
import type { Clock, Repository } from '../../ports.ts';

export function addJobCommand(program: Command): void {
  const takingFull = JOBS.filter((j) => j.takes?.includes('full')).map((j) => j.name).join(', ');
  program
    .command('job')
    .description('run a scheduled job once, now or as of a given time')
    .argument('<name>', JOB_NAMES.join(' | '))
    .option('--now <time>', 'run as of this time, e.g. 2025-10-06T08:00 (UTC unless an offset is given)')
    .option('--no-send', 'queue messages without sending them (they go out with the next drain-outbox)')
    .option('--full', `${takingFull} only: evaluate every indicator, not only those changed since the last run`)
    .addHelpText('after', `\nJobs:\n${JOBS.map((j) => `  ${j.name.padEnd(18)} ${j.describe}`).join('\n')}\n`)
    .action(async (name: string, opts: { now?: string; send: boolean; full?: boolean }) => {
      if (!isJobName(name)) throw new UserError(`There is no job "${name}".`, `Jobs: ${JOB_NAMES.join(', ')}`);
      if (opts.full && !jobNamed(name).takes?.includes('full')) throw new UserError(`--full is for ${takingFull}, not ${name}.`);
      // Without --now, the organisation's own date where it has one (the demo runs on 15 January 2018); the job runs as of one instant.
      const asOf = async (repo: Repository): Promise<Clock> => {
        const now = (await commandClock(repo, opts.now)).now();
        return { now: () => now };
      };
      await withServices(asOf, async ({ config, db, services, messengers, log }) => {
        const now = services.deps.clock.now();
        const sender = opts.send ? new OutboxSender(db.prisma, messengers, log, outboxOptions(config, slowestCallMs(config))) : null;
        const r = await new JobRunner(db.prisma, services.deps, sender, log).run(name, now, { full: opts.full ?? false });
        if (r.outcome === 'skipped') throw new UserError(`${name} did not run: ${r.reason}.`);
        if (r.outcome === 'failed') throw new Error(`${name} failed: ${r.error}`);
        console.log(`${name} as of ${formatDateTime(now, (await services.repo.org()).timeZone)}: ${JSON.stringify(r.summary)}${r.sent ? `; messages ${JSON.stringify(r.sent)}` : ''} (${r.ms} ms)`);
      });
    });
}
