// Every Slack surface the bot listens on, one file each (as bolt-js apps lay them out). Each only
// translates: a payload into who sent it and what they did for the inbound core (../../core/inbound.ts),
// and — where Slack wants the answer in the acknowledgement — the answer back into Slack's shape.
// Each takes only the parts it uses.
import type { App } from '@slack/bolt';
import type { SlackParts } from './parts.ts';
import { mountSlashCommand } from './command.ts';
import { mountButtons } from './actions.ts';
import { mountViews } from './views.ts';
import { mountOptions } from './options.ts';
import { mountEvents } from './events.ts';

export function mountListeners(app: App, parts: SlackParts): void {
  mountSlashCommand(app, parts);
  mountButtons(app, parts);
  mountViews(app, parts);
  mountOptions(app, parts);
  mountEvents(app, parts);
}
