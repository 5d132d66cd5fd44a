// The four ways a platform reaches the handlers: a slash command, a button, a form submission and
// a type-ahead query. Slack, Teams and the console all call these.
import type { Actor, CommandDeps, IncomingFile } from '../src/ports.ts';
import type { CommandResult, FormId, FormValues } from '../src/messages/types.ts';
import { say } from '../src/messages/build.ts';
import { errorResult, guardDeferred, runSlashCommand } from './router.ts';
import { showIndicator } from './show.ts';
import { confirmCorrection, confirmUnusualValue, indicatorOptions, submitForm, submitFormValues } from './submit.ts';
import { approveException, openExceptionForm, openReturnForm, submitExceptionForm, submitReturnForm } from './exception-report.ts';
import { indicatorIdSchema, parseJson, periodKeySchema, storable, storableValues } from './payload.ts';
import { snoozeIndicator } from './snooze.ts';
import { confirmCloseQuarter } from './close-quarter.ts';
import { fileShared, submitImportForm } from './import.ts';
import { z } from 'zod';
import { DEFAULT_DATABASE_RETRY, isDatabaseUnavailable, retryWhileUnavailable, type RetryPolicy } from '../src/db/unavailable.ts';
import { notSaved } from './unavailable.ts';

export interface Dispatcher {
  slash(actor: Actor, text: string): Promise<CommandResult>;
  action(actor: Actor, actionId: string, value: string): Promise<CommandResult>;
  /** `files`: what the person uploaded in the form's file fields, by field id. */
  /** `opts.databaseRetryMs`: keep trying this long while the database is unavailable (a Slack modal has 3 s). */
  submitForm(actor: Actor, formId: FormId, state: string, values: FormValues, files?: Record<string, IncomingFile[]>, opts?: { databaseRetryMs?: number }): Promise<CommandResult>;
  options(actor: Actor, formId: FormId, fieldId: string, query: string): Promise<CommandResult>;
  /** A file shared with the bot in a direct message, with the message's text. */
  fileShared(actor: Actor, file: IncomingFile, text: string): Promise<CommandResult>;
}

const prefillSchema = z.object({ indicatorId: indicatorIdSchema.optional(), periodKey: periodKeySchema.optional() });

/** Form errors stay on the form; anything else becomes a private answer. */
async function guard(deps: CommandDeps, fn: () => Promise<CommandResult>): Promise<CommandResult> {
  try {
    return guardDeferred(deps, await fn());
  } catch (e) {
    return errorResult(deps, e);
  }
}

/**
 * Buttons whose answer takes the place of the message they are on: a confirmation's outcome (or
 * "Nothing changed") replaces the question, so its buttons cannot be pressed twice.
 */
const REPLACES_ORIGINAL: ReadonlySet<string> = new Set(['confirm-correction', 'cancel']);

/** Mark the answer to a button that replaces its message. */
function inPlaceOf(actionId: string, r: CommandResult): CommandResult {
  return r.kind === 'message' && REPLACES_ORIGINAL.has(actionId) ? { ...r, replacesOriginal: true } : r;
}

/** Where to reopen each form, for the "not saved" answer. */
const REOPEN: Partial<Record<FormId, string>> = {
  submit: 'open the form again with `/kpi submit`, or type `/kpi submit <indicator> <period> <value>`',
  'confirm-correction': 'submit the value again (`/kpi submit`)',
  exception: 'open the report again with `/kpi exception <indicator>` — your answers are above',
  'return-exception': 'press "Return with a comment" again',
  import: 'open `/kpi import` again',
};

/**
 * Every platform's text comes in through here: cleaned once, before any handler sees it. A handler
 * that fails because the database is unavailable changed nothing (each save is one transaction), so
 * it is run again for up to `databaseRetry.budgetMs`; after that the person is told plainly that
 * nothing was saved, with what they sent.
 */
export function createDispatcher(deps: CommandDeps, opts: { databaseRetry?: RetryPolicy } = {}): Dispatcher {
  const inner = handlers(deps);
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
    slash: (actor, text) => retrying('slash', () => inner.slash(actor, storable(text)), (n) => notSaved(n, { slash: storable(text) })),
    action: async (actor, actionId, value) => inPlaceOf(actionId, await retrying(`action ${actionId}`, () => inner.action(actor, actionId, storable(value)), (n) => notSaved(n, { button: 'press the button again' }))),
    submitForm: (actor, formId, state, values, files, opts) =>
      retrying(
        `form ${formId}`,
        () => inner.submitForm(actor, formId, storable(state), storableValues(values), files),
        (n) => notSaved(n, { form: storableValues(values), reopen: REOPEN[formId] ?? 'open the form again' }),
        opts?.databaseRetryMs,
      ),
    options: (actor, formId, fieldId, query) => inner.options(actor, formId, fieldId, storable(query)),
    fileShared: (actor, file, text) => retrying('file', () => inner.fileShared(actor, file, storable(text)), (n) => notSaved(n, { button: 'send the file again' })),
  };
}

function handlers(deps: CommandDeps): Dispatcher {
  return {
    slash: (actor, text) => runSlashCommand(deps, actor, text),

    action: (actor, actionId, value) =>
      guard(deps, async () => {
        switch (actionId) {
          case 'show': {
            const ind = await deps.repo.indicatorBySlug(value);
            return ind ? showIndicator(deps, ind) : say(`There is no indicator \`${value}\` any more.`);
          }
          case 'open-submit':
            return submitForm(deps, actor, parseJson(prefillSchema, value || '{}'));
          case 'open-exception':
            return openExceptionForm(deps, actor, value);
          case 'confirm-correction':
            return confirmCorrection(deps, actor, value, null, 'button');
          case 'confirm-value':
            return confirmUnusualValue(deps, actor, value, 'button');
          case 'cancel':
            return say('Nothing changed.');
          case 'approve-exception':
            return approveException(deps, actor, value);
          case 'return-exception':
            return openReturnForm(deps, actor, value);
          case 'snooze':
            return snoozeIndicator(deps, actor, value);
          case 'confirm-close-quarter':
            return confirmCloseQuarter(deps, actor, value);
          default:
            deps.log.warn({ actionId }, 'unknown action');
            return say('That button is from an older version of the bot and no longer does anything. Try the command again.');
        }
      }),

    submitForm: (actor, formId, state, values, files = {}) =>
      guard(deps, async () => {
        switch (formId) {
          case 'submit':
            return submitFormValues(deps, actor, values);
          case 'confirm-correction': {
            const reason = [values.reason].flat().join(' ').trim() || null;
            return confirmCorrection(deps, actor, state, reason, 'form');
          }
          case 'confirm-value':
            return confirmUnusualValue(deps, actor, state, 'form', [values.value].flat()[0] ?? '');
          case 'exception':
            return submitExceptionForm(deps, actor, state, values);
          case 'return-exception':
            return submitReturnForm(deps, actor, state, values);
          case 'import':
            return submitImportForm(deps, actor, values, files);
          default:
            return say('That form is from an older version of the bot. Please start again.');
        }
      }),

    fileShared: (actor, file, text) => guard(deps, () => fileShared(deps, actor, file, text)),

    options: (actor, _formId, fieldId, query) =>
      guard(deps, async () => (fieldId === 'indicator' ? indicatorOptions(deps, actor, query) : { kind: 'options', options: [] })),
  };
}
