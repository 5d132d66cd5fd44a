// Every Slack surface the bot listens on, one file each (as bolt-js apps lay them out). Each only
// translates: a payload into who sent it and what they did for the inbound core (../../core/inbound.ts),
// and — where Slack wants the answer in the acknowledgement — the answer back into Slack's shape.
// Each takes only the parts it uses.
import type { App } from '@slack/bolt';
import type { SlackParts } from './parts.ts';
import { registerCommand } from './command.ts';
import { registerActions } from './actions.ts';
import { registerViews } from './views.ts';
import { registerOptions } from './options.ts';
import { registerEvents } from './events.ts';

export function registerListeners(app: App, parts: SlackParts): void {
  registerCommand(app, parts);
  registerActions(app, parts);
  registerViews(app, parts);
  registerOptions(app, parts);
  registerEvents(app, parts);
}
