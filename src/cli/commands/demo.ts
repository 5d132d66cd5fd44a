import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { loadDemo, resetDemo } from '../../demo/demo.ts';
import { baseClock, servicesFor, withDatabase } from '../context.ts';
import { evaluateStatuses } from '../../../jobs/evaluate-statuses.ts';

export function addDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('load the demo organisation (Trafford Council 2017/18 Q3 indicators as published, invented people)')
    .option('--reset', 'delete ALL data in the configured database first, then load the demo')
    .action(async (opts: { reset?: boolean }) => {
      await withDatabase(async (ctx) => {
        const { db } = ctx;
        const at = baseClock().now();
        if (!opts.reset && (await db.prisma.indicator.count()) > 0) {
          throw new UserError(`${db.description} already has indicators. Use --reset to delete everything and reload the demo.`);
        }
        const s = opts.reset ? await resetDemo(db.prisma, at) : await loadDemo(db.prisma, at);
        // Where everything stands on the demo's own date is the baseline: the first evaluation alerts nobody, later changes do.
        const { services } = await servicesFor(ctx, null);
        await evaluateStatuses(services.deps, services.deps.clock.now());
        console.log(
          `Demo loaded into ${db.description}: ${s.indicators.created} indicators, ${s.people.created} people, ` +
            `${s.themes.created} themes, ${s.observations.created} values, ${s.targets.created} targets, ${s.exceptionReports.created} exception reports.`,
        );
      });
    });
}
