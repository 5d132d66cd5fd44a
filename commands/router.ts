// Routes "/kpi <subcommand> <args>" to its handler and turns user errors into a private answer.
import { isDatabaseUnavailable } from '../src/db/unavailable.ts';
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { isUserError } from '../src/errors.ts';
import { context, say } from '../src/messages/build.ts';
import { help, helpFor } from './help.ts';
import { showCommand } from './show.ts';
import { submitCommand } from './submit.ts';
import { listCommand } from './list.ts';
import { mineCommand } from './mine.ts';
import { exceptionCommand } from './exception-report.ts';
import { reportCommand } from './report.ts';
import { closeQuarterCommand } from './close-quarter.ts';
import { importCommand } from './import.ts';
import { historyCommand } from './history.ts';
import { subscribeCommand } from './subscribe.ts';
import { unsubscribeCommand } from './unsubscribe.ts';
import { subscriptionsCommand } from './subscriptions.ts';
import { peopleCommand } from './people.ts';
import { awayCommand } from './away.ts';
import { backCommand } from './back.ts';
import { settingsCommand } from './settings.ts';
import type { SubCommand } from './types.ts';

export const SUBCOMMANDS: SubCommand[] = [
  submitCommand,
  showCommand,
  historyCommand,
  listCommand,
  mineCommand,
  exceptionCommand,
  awayCommand,
  backCommand,
  subscribeCommand,
  unsubscribeCommand,
  subscriptionsCommand,
  reportCommand,
  closeQuarterCommand,
  importCommand,
  peopleCommand,
  settingsCommand,
  help,
];

export function findSubCommand(name: string, commands: SubCommand[] = SUBCOMMANDS): SubCommand | undefined {
  const n = name.toLowerCase();
  return commands.find((c) => c.name === n || c.aliases?.includes(n));
}

/** Turn an error into what the person sees. Anything that is not a UserError is a bug: log it, say sorry. */
export function errorResult(deps: CommandDeps, e: unknown): CommandResult {
  // Not a failure of the command: the dispatcher tries again, then says it was not saved.
  if (isDatabaseUnavailable(e)) throw e;
  if (isUserError(e)) return say(e.message, ...(e.hint ? [context(e.hint)] : []));
  deps.log.error({ err: e }, 'command failed');
  return say('Sorry, something went wrong on our side and nothing was changed. The error has been logged; please try again in a minute.');
}

/** The later part of a deferred answer fails the same way as the rest: user errors are said, bugs logged. */
export function guardDeferred(deps: CommandDeps, r: CommandResult): CommandResult {
  if (r.kind !== 'deferred') return r;
  const later = r.result;
  return {
    ...r,
    result: async () => {
      try {
        return guardDeferred(deps, await later());
      } catch (e) {
        return errorResult(deps, e);
      }
    },
  };
}

export async function runSlashCommand(deps: CommandDeps, actor: Actor, input: string, commands: SubCommand[] = SUBCOMMANDS): Promise<CommandResult> {
  const trimmed = input.trim().replace(/^\/?kpi\b\s*/i, '');
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const args = rest.join(' ');
  if (!first || first === 'help' || first === '--help' || first === '?') return helpFor(commands, actor);
  const cmd = findSubCommand(first, commands);
  if (!cmd) return helpFor(commands, actor, `I don't know \`${first}\`. Here is what I can do:`);
  try {
    return guardDeferred(deps, await cmd.run(deps, actor, args));
  } catch (e) {
    return errorResult(deps, e);
  }
}
