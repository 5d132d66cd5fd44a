// The error policy every way in shares (slash commands, buttons, forms, type-ahead, shared files):
// a user error is said to the person with its hint; "database unavailable" goes up to the
// dispatcher, which tries again and then says nothing was saved; anything else is a bug: logged,
// and the person is told plainly that nothing changed.
import { isDatabaseUnavailable } from '../src/db/unavailable.ts';
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { isUserError, NotInRegisterError } from '../src/errors.ts';
import { context, say } from '../src/messages/build.ts';

/**
 * Turn an error into what the person sees. Anything that is not a UserError is a bug: log it, say
 * sorry. "Not in the register" said to someone whose account is held for an admin to check says why.
 */
export function errorResult(deps: CommandDeps, e: unknown, actor?: Actor): CommandResult {
  // Not a failure of the command: the dispatcher tries again, then says it was not saved.
  if (isDatabaseUnavailable(e)) throw e;
  if (e instanceof NotInRegisterError && actor?.held && !actor.person) return say(actor.held);
  if (isUserError(e)) return say(e.message, ...(e.hint ? [context(e.hint)] : []));
  deps.log.error({ err: e }, 'command failed');
  return say('Sorry, something went wrong on our side and nothing was changed. The error has been logged; please try again in a minute.');
}

/** The later part of a deferred answer fails the same way as the rest: user errors are said, bugs logged. */
export function guardDeferred(deps: CommandDeps, r: CommandResult, actor?: Actor): CommandResult {
  if (r.kind !== 'deferred') return r;
  const later = r.result;
  return {
    ...r,
    result: async () => {
      try {
        return guardDeferred(deps, await later(), actor);
      } catch (e) {
        return errorResult(deps, e, actor);
      }
    },
  };
}

/** Run a handler under the policy: its answer, or the error as the person (`actor`) should see it. */
export async function answering(deps: CommandDeps, fn: () => Promise<CommandResult>, actor?: Actor): Promise<CommandResult> {
  try {
    return guardDeferred(deps, await fn(), actor);
  } catch (e) {
    return errorResult(deps, e, actor);
  }
}
