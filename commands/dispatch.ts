// Every way a platform reaches the handlers: a slash command, a button, a form submission, a
// type-ahead query, a shared file, the person's home and a channel's welcome. Every platform's
// inbound core (src/platforms/core/inbound.ts) and the console call these; the Dispatcher port is
// src/ports/dispatcher.ts.
import type { Actor, Asker, CommandDeps, Dispatcher, IncomingFile } from '../src/ports.ts';
import type { CommandResult, FormId, FormValues } from '../src/messages/types.ts';
import { reply, say } from '../src/messages/build.ts';
import { runSlashCommand } from './router.ts';
import { answering } from './errors.ts';
import { COMMAND_TABLES } from './index.ts';
import type { CommandTables } from './registry.ts';
import { storable, typedText, typedValues } from './payload.ts';
import { DEFAULT_DATABASE_RETRY, isDatabaseUnavailable, retryWhileUnavailable, type RetryPolicy } from '../src/db/unavailable.ts';
import { notSaved } from './unavailable.ts';
import { homeView } from './home.ts';
import { channelWelcome } from './welcome.ts';

export type { Dispatcher } from '../src/ports.ts';

/**
 * Every platform's text comes in through here: cleaned once, before any handler sees it. A handler
 * that fails because the database is unavailable changed nothing (each save is one transaction), so
 * it is run again — identifying the person included — for up to the budget (`databaseRetry.budgetMs`,
 * or what the surface gives); after that the person is told plainly that nothing was saved, with
 * what they sent.
 */
export function createDispatcher(deps: CommandDeps, opts: { databaseRetry?: RetryPolicy; commands?: CommandTables } = {}): Dispatcher {
  const tables = opts.commands ?? COMMAND_TABLES;
  const inner = handlers(deps, tables);
  const policy = opts.databaseRetry ?? DEFAULT_DATABASE_RETRY;
  /** `unsaved`: the answer when the budget runs out (none: the failure goes up, and the platform says sorry). */
  const retrying = async (what: string, who: Asker, fn: (actor: Actor) => Promise<CommandResult>, unsaved: ((seconds: number) => CommandResult) | null, budgetMs = policy.budgetMs): Promise<CommandResult> => {
    let actor = typeof who === 'function' ? undefined : who;
    const attempt = async () => fn((actor ??= await (who as () => Promise<Actor>)()));
    try {
      return await retryWhileUnavailable(attempt, { budgetMs }, (e, n) => {
        deps.observe?.databaseUnavailable('command');
        deps.log.warn({ err: (e as Error).message, attempt: n, what }, 'database unavailable; trying again');
      });
    } catch (e) {
      if (!isDatabaseUnavailable(e) || !unsaved) throw e;
      deps.log.error({ err: e, what }, `database unavailable for ${Math.round(budgetMs / 1000)} s; the person was told nothing was saved`);
      return unsaved(Math.max(1, Math.round(budgetMs / 1000)));
    }
  };
  return {
    slash: (who, text, o) => retrying('slash', who, (actor) => inner.slash(actor, typedText(text)), (n) => notSaved(n, { slash: typedText(text) }), o?.databaseRetryMs),
    action: (who, actionId, value, o) => retrying(`action ${actionId}`, who, (actor) => inner.action(actor, actionId, storable(value)), (n) => notSaved(n, { button: 'press the button again' }), o?.databaseRetryMs),
    submitForm: (who, formId, state, values, files, o) =>
      retrying(
        `form ${formId}`,
        who,
        (actor) => inner.submitForm(actor, formId, storable(state), typedValues(values), files),
        (n) => notSaved(n, { form: typedValues(values), reopen: tables.forms.get(formId)?.reopen ?? 'open the form again' }),
        o?.databaseRetryMs,
      ),
    options: async (who, formId, fieldId, query) => inner.options(typeof who === 'function' ? await who() : who, formId, fieldId, typedText(query)),
    fileShared: (who, file, text, o) => retrying('file', who, (actor) => inner.fileShared(actor, file, typedText(text)), (n) => notSaved(n, { button: 'send the file again' }), o?.databaseRetryMs),
    // Nothing to save: when the database stays away the platform says sorry.
    home: (who, o) => retrying('home', who, async (actor) => reply('private', await homeView(deps, actor)), null, o?.databaseRetryMs),
    welcome: (channelId) => reply('channel', channelWelcome(channelId)),
  };
}

/** The handlers for a person already identified. */
interface Handlers {
  slash(actor: Actor, text: string): Promise<CommandResult>;
  action(actor: Actor, actionId: string, value: string): Promise<CommandResult>;
  submitForm(actor: Actor, formId: FormId, state: string, values: FormValues, files?: Record<string, IncomingFile[]>): Promise<CommandResult>;
  options(actor: Actor, formId: FormId, fieldId: string, query: string): Promise<CommandResult>;
  fileShared(actor: Actor, file: IncomingFile, text: string): Promise<CommandResult>;
}

/** Each id to the command that owns it (commands/index.ts); ids no command owns come from an older version of the bot. */
function handlers(deps: CommandDeps, tables: CommandTables): Handlers {
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
