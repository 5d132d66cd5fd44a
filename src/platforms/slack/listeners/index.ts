// Every Slack surface the bot listens on, one file each (as bolt-js apps lay them out).
import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.ts';
import { registerCommand } from './command.ts';
import { registerActions } from './actions.ts';
import { registerViews } from './views.ts';
import { registerOptions } from './options.ts';
import { registerEvents } from './events.ts';

export function registerListeners(app: App, ctx: SlackContext): void {
  registerCommand(app, ctx);
  registerActions(app, ctx);
  registerViews(app, ctx);
  registerOptions(app, ctx);
  registerEvents(app, ctx);
}
