// `kpi not-collected [undo] <indicator | theme <name> | all> <period> [reason] [--by <email>]`: mark a
// period "not collected" (never chased; `/kpi show` and the quarterly report say why), take the mark
// back, or — with no words — list the marks. The same as `/kpi not-collected` in chat; audited.
import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { applyNotCollected, NOT_COLLECTED_USAGE, notCollectedLines, readNotCollected } from '../../services/not-collected.ts';
import { organisationClock } from '../../demo/clock.ts';
import { systemClock } from '../../ports.ts';
import { withDatabase } from '../context.ts';
import { cliActor } from './import.ts';
import { plainMarkup } from '../../messages/markup.ts';

/** Chat markup to the terminal: `code` and **bold** as plain text. */

export function addNotCollectedCommand(program: Command): void {
  program
    .command('not-collected')
    .description('mark a period “not collected” for an indicator, a theme or all (never chased; the report says why), undo it, or list the marks')
    .argument('[words...]', `${NOT_COLLECTED_USAGE.replace(/^not-collected /, '')} — e.g. physical-inactivity 2016/17 survey not run that year`)
    .option('--by <email>', 'the performance admin marking it (recorded in the audit log)')
    .action(async (words: string[], opts: { by?: string }) => {
      await withDatabase(async ({ repo }) => {
        const org = await repo.org();
        if (!words.length) {
          const lines = await notCollectedLines(repo, org);
          console.log(lines.length ? lines.map((l) => plainMarkup(l)).join('\n') : 'No period is marked not collected.');
          return;
        }
        const actor = await cliActor(repo, opts.by);
        if (opts.by && !actor.isAdmin) throw new UserError(`${opts.by} is not a performance admin: only performance admins mark periods not collected.`);
        const req = await readNotCollected(repo, words.join(' '), org.fyStartMonth);
        // Now, as the organisation's clock has it (the demo's own date on the demo).
        const at = organisationClock(org, systemClock).now();
        console.log(plainMarkup(await applyNotCollected(repo, req, { personId: actor.personId, name: actor.name, label: actor.label }, at)));
      });
    });
}
