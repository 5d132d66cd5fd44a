// Every chat command, in the order help lists them. A new command is one file in commands/ that
// exports a defineCommand(…) and one line here; the router, help, the dispatcher's button, form and
// type-ahead tables and each platform's command list (e.g. an app manifest) all read this list.
import type { ActionId, FormId } from '../src/messages/types.ts';
import { collectCommands } from './registry.ts';
import { submitCommand } from './submit.ts';
import { showCommand } from './show.ts';
import { historyCommand } from './history.ts';
import { listCommand } from './list.ts';
import { mineCommand } from './mine.ts';
import { exceptionCommand } from './exception-report.ts';
import { actionsCommand } from './actions.ts';
import { updateCommand } from './update.ts';
import { risksCommand, riskCommand } from './risks.ts';
import { reviewCommand } from './review.ts';
import { commentaryChatCommand } from './commentary.ts';
import { awayCommand } from './away.ts';
import { backCommand } from './back.ts';
import { subscribeCommand } from './subscribe.ts';
import { unsubscribeCommand } from './unsubscribe.ts';
import { subscriptionsCommand } from './subscriptions.ts';
import { reportCommand } from './report.ts';
import { closeQuarterCommand } from './close-quarter.ts';
import { importCommand } from './import.ts';
import { peopleCommand } from './people.ts';
import { settingsCommand } from './settings.ts';
import { notCollectedCommand } from './not-collected.ts';
import { apiTokenCommand } from './api-token.ts';
import { helpCommand } from './help.ts';
import { snoozeCommand } from './snooze.ts';
import { cancelCommand } from './cancel.ts';

export const COMMANDS = [
  submitCommand,
  showCommand,
  historyCommand,
  listCommand,
  mineCommand,
  exceptionCommand,
  actionsCommand,
  updateCommand,
  risksCommand,
  riskCommand,
  reviewCommand,
  commentaryChatCommand,
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
  notCollectedCommand,
  apiTokenCommand,
  helpCommand,
  // Buttons only: typed nowhere.
  snoozeCommand,
  cancelCommand,
] as const;

/** The router's and the dispatcher's tables; a second owner of any word or id fails here, at start. */
export const COMMAND_TABLES = collectCommands(COMMANDS);

/** The commands that are typed, in help order (help and each platform's command list, e.g. an app manifest, show these). */
export const SLASH_COMMANDS = COMMAND_TABLES.slash;

// The ids in the message model (src/messages/types.ts, which commands build buttons and forms with)
// are the ids these commands own, both ways: adding a button without its handler, or a handler for
// an id no message can carry, does not compile. (messages/ does not import commands/: no cycle.)
type Owned<C, K extends 'actions' | 'forms'> = C extends { [k in K]?: infer T } ? keyof NonNullable<T> & string : never;
type OwnedActionId = Owned<(typeof COMMANDS)[number], 'actions'>;
type OwnedFormId = Owned<(typeof COMMANDS)[number], 'forms'>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** "Type 'false' does not satisfy the constraint 'true'" here: the ids above and the unions in src/messages/types.ts differ. */
type Assert<T extends true> = T;
type _IdsMatch = [Assert<Same<OwnedActionId, ActionId>>, Assert<Same<OwnedFormId, FormId>>];
