// The four ways a platform reaches the handlers: a slash command, a button, a form submission and
// a type-ahead query. Every platform's transport and the console call these.
import type { Actor, CommandDeps, IncomingFile } from '../src/ports.ts';
import type { CommandResult, FormId, FormValues } from '../src/messages/types.ts';
import { say } from '../src/messages/build.ts';
import { runSlashCommand } from './router.ts';
import { answering } from './errors.ts';
import { COMMAND_TABLES } from './index.ts';
import type { CommandTables } from './registry.ts';
import { storable, typedText, typedValues } from './payload.ts';
import { DEFAULT_DATABASE_RETRY, isDatabaseUnavailable, retryWhileUnavailable, type RetryPolicy } from '../src/db/unavailable.ts';
import { notSaved } from './unavailable.ts';

export interface Dispatcher {
  slash(actor: Actor, text: string): Promise<CommandResult>;
  action(actor: Actor, actionId: string, value: string): Promise<CommandResult>;
  /** `files`: what the person uploaded in the form's file fields, by field id. */
  /** `opts.databaseRetryMs`: keep trying this long while the database is unavailable (a form may have only a few seconds for its answer: the platform's listener gives its budget). */
  submitForm(actor: Actor, formId: FormId, state: string, values: FormValues, files?: Record<string, IncomingFile[]>, opts?: { databaseRetryMs?: number }): Promise<CommandResult>;
  options(actor: Actor, formId: FormId, fieldId: string, query: string): Promise<CommandResult>;
  /** A file shared with the bot in a direct message, with the message's text. */
  fileShared(actor: Actor, file: IncomingFile, text: string): Promise<CommandResult>;
}

/**
 * Every platform's text comes in through here: cleaned once, before any handler sees it. A handler
 * that fails because the database is unavailable changed nothing (each save is one transaction), so
 * it is run again for up to `databaseRetry.budgetMs`; after that the person is told plainly that
 * nothing was saved, with what they sent.
 */
export function createDispatcher(deps: CommandDeps, opts: { databaseRetry?: RetryPolicy; commands?: CommandTables } = {}): Dispatcher {
  const tables = opts.commands ?? COMMAND_TABLES;
  const inner = handlers(deps, tables);
  const policy = opts.databaseRetry ?? DEFAULT_DATABASE_RETRY;
  const retrying = async (what: string, fn: () => Promise<CommandResult>, notSavedResult: (seconds: number) => CommandResult, budgetMs = policy.budgetMs): Promise<CommandResult> => {
    try {
      return await retryWhileUnavailable(fn, { budgetMs }, (e, attempt) => deps.log.warn({ err: (e as Error).message, attempt, what }, 'database unavailable; trying again'));
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      deps.log.error({ err: e, what }, `database unavailable for ${Math.round(budgetMs / 1000)} s; the person was told nothing was saved`);
      return notSavedResult(Math.max(1, Math.round(budgetMs / 1000)));
    }
  };
  return {
    slash: (actor, text) => retrying('slash', () => inner.slash(actor, typedText(text)), (n) => notSaved(n, { slash: typedText(text) })),
    action: (actor, actionId, value) => retrying(`action ${actionId}`, () => inner.action(actor, actionId, storable(value)), (n) => notSaved(n, { button: 'press the button again' })),
    submitForm: (actor, formId, state, values, files, opts) =>
      retrying(
        `form ${formId}`,
        () => inner.submitForm(actor, formId, storable(state), typedValues(values), files),
        (n) => notSaved(n, { form: typedValues(values), reopen: tables.forms.get(formId)?.reopen ?? 'open the form again' }),
        opts?.databaseRetryMs,
      ),
    options: (actor, formId, fieldId, query) => inner.options(actor, formId, fieldId, typedText(query)),
    fileShared: (actor, file, text) => retrying('file', () => inner.fileShared(actor, file, typedText(text)), (n) => notSaved(n, { button: 'send the file again' })),
  };
}

/** Each id to the command that owns it (commands/index.ts); ids no command owns come from an older version of the bot. */
function handlers(deps: CommandDeps, tables: CommandTables): Dispatcher {
  return {
    slash: (actor, text) => runSlashCommand(deps, actor, text, tables.slash),

    action: (actor, actionId, value) =>
      answering(deps, async () => {
        const handler = tables.actions.get(actionId);
        if (handler) return handler(deps, actor, value);
        deps.log.warn({ actionId }, 'unknown action');
        return say('That button is from an older version of the bot and no longer does anything. Try the command again.');
      }, actor),

    submitForm: (actor, formId, state, values, files = {}) =>
      answering(deps, async () => {
        const form = tables.forms.get(formId);
        if (form) return form.submitted(deps, actor, state, values, files);
        deps.log.warn({ formId }, 'unknown form');
        return say('That form is from an older version of the bot. Please start again.');
      }, actor),

    fileShared: (actor, file, text) =>
      answering(deps, async () => (tables.fileShared ? tables.fileShared(deps, actor, file, text) : say('I do not take files here. Type `/kpi help` to see what I can do.')), actor),

    options: (actor, _formId, fieldId, query) => answering(deps, async () => (await tables.options.get(fieldId)?.(deps, actor, query)) ?? { kind: 'options', options: [] }),
  };
}
