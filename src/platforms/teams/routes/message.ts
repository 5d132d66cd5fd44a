// A message ("kpi show sickness-absence", "@kpi list red" in a channel), acknowledged at once: the
// answer follows as a card in the same conversation, or privately in the person's 1:1 chat. A file
// sent in the 1:1 chat (a register to import) goes to the dispatcher as a shared file.
import type { App } from '@microsoft/teams.apps';
import { MAX_IMPORT_BYTES } from '../../../import/import.ts';
import { activitySchema, commandText } from '../activity.ts';
import { httpOriginOf, sentFile, type DownloadPolicy } from '../incoming-files.ts';
import type { TeamsContext } from '../context.ts';

export function routeMessage(app: App, ctx: TeamsContext): void {
  /** Files people send: https only (plain http only from a local fake Bot Connector), at most the import limit. */
  const downloads: DownloadPolicy = { httpOrigin: httpOriginOf(ctx.config.serviceUrl), maxBytes: MAX_IMPORT_BYTES };
  app.on('message', (c) => {
    const a = activitySchema.parse(c.activity);
    const typed = commandText(a);
    void ctx.afterAck('message', () => ctx.turnFor(a, { command: typed }), async (turn) => {
      const file = sentFile(turn.activity.attachments, downloads);
      await ctx.answer(file ? await ctx.dispatcher.fileShared(turn.actor, file, typed) : await ctx.dispatcher.slash(turn.actor, typed || 'help'), turn);
    });
  });
}
