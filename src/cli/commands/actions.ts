// `kpi actions [mine <email> | theme <name> | off-track | overdue | due | re-phased | <ref>] [--now <time>]`:
// actions and milestones with their progress in the organisation's vocabulary, worst first — the
// same list as `/kpi actions` in chat, as plain text; one action's updates by its ref.
import type { Command } from 'commander';
import { localDateOf } from '../../domain/dates.ts';
import { ACTIONS_USAGE, actionState, describeActionChange, dueWords, listActions, namesOf, updateAuthor, updateLine } from '../../services/actions.ts';
import { UserError } from '../../errors.ts';
import { commandClock, withDatabase } from '../context.ts';

/** Chat markup to the terminal: `code` and *bold* as plain text. */
const plainText = (s: string) => s.replace(/`([^`]*)`/g, '$1').replace(/\*\*([^*]*)\*\*/g, '$1').replace(/\*([^*]*)\*/g, '$1').replace(/_\(([^)]*)\)_/g, '($1)');

export function addActionsCommand(program: Command): void {
  program
    .command('actions')
    .description('actions and milestones with their progress, worst first; one action’s updates by its ref')
    .argument('[words...]', `${ACTIONS_USAGE.replace(/^actions /, '')} — "mine" takes --as`)
    .option('--as <email>', 'whose actions "mine" lists')
    .option('--all', 'every line, not only the first 200')
    .option('--now <time>', 'as of another time (2018-02-05T09:00)')
    .action(async (words: string[], opts: { as?: string; all?: boolean; now?: string }) => {
      await withDatabase(async ({ repo }) => {
        const org = await repo.org();
        const today = localDateOf((await commandClock(repo, opts.now)).now(), org.timeZone);
        const person = opts.as ? await repo.personByEmail(opts.as) : null;
        if (opts.as && !person) throw new UserError(`--as: nobody in the register has the e-mail ${opts.as}.`);
        const found = await listActions(repo, org, today, words.join(' '), person, opts.all ? Number.MAX_SAFE_INTEGER : 200);
        if ('one' in found) {
          const a = found.one;
          const s = actionState(a, today, org);
          console.log(`${a.ref} ${a.title}\n${s.label} · ${dueWords(a)}${a.rephaseReason ? ` — ${a.rephaseReason}` : ''}`);
          for (const c of await repo.actions.pendingChanges(a.id)) console.log(`  Waiting for approval: ${plainText(describeActionChange(a, c))} — ${c.reason}`);
          const updates = await repo.actions.updates([a.id]);
          const authors = await namesOf(repo, updates.map((u) => u.authorId));
          for (const u of updates) console.log(`  ${plainText(updateLine(u, updateAuthor(u, authors), org.timeZone, org.fyStartMonth))}`);
          return;
        }
        console.log(`${found.title}: ${found.total}${found.total ? ` (${found.counts})` : ''}`);
        for (const l of found.lines) console.log(plainText(l));
        if (found.total > found.lines.length) console.log(`…and ${found.total - found.lines.length} more (--all lists them).`);
      });
    });
}
