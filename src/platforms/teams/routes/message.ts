// A message ("kpi show sickness-absence", "@kpi list red" in a channel), acknowledged at once: the
// answer follows as a card in the same conversation, or privately in the person's 1:1 chat. A file
// sent in the 1:1 chat (a register to import) goes to the dispatcher as a shared file.
import type { App } from '@microsoft/teams.apps';
import { MAX_IMPORT_BYTES } from '../../../import/import.ts';
import { activitySchema, commandText } from '../activity.ts';
import { httpOriginOf, sentFile, type DownloadPolicy } from '../incoming-files.ts';
import type { TeamsParts } from './parts.ts';

export function routeMessage(app: App, { inbound, turns, config }: Pick<TeamsParts, 'inbound' | 'turns' | 'config'>): void {
  /** Files people send: https only (plain http only from a local fake Bot Connector), at most the import limit. */
  const downloads: DownloadPolicy = { httpOrigin: httpOriginOf(config.serviceUrl), maxBytes: MAX_IMPORT_BYTES };
  app.on('message', (c) => {
    const a = activitySchema.parse(c.activity);
    const typed = commandText(a);
    const turn = turns.turnFor(a, { command: typed });
    const file = sentFile(a.attachments, downloads);
    void inbound.afterAck('message', turn, turns.senderOf(turn), file ? { kind: 'file', file, text: typed } : { kind: 'slash', text: typed || 'help' });
  });
}
