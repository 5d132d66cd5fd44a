// Files people upload on Slack (shared in a DM, or in a form's file field), downloaded with the bot
// token only when a command reads them — and only from Slack's own hosts.
import type { WebClient } from '@slack/web-api';
import type { IncomingFile } from '../../ports.ts';
import { ValidationError } from '../../errors.ts';
import { readAtMost } from '../core/downloads.ts';
import type { SlackFileRef } from './blocks.ts';
import type { SlackConfig } from './settings.ts';

export type SlackFiles = (f: SlackFileRef) => IncomingFile;

export function slackFiles(config: SlackConfig, readClient: WebClient): SlackFiles {
  /** Slack's file hosts, and the configured API host (tests, proxies): the bot token goes nowhere else. */
  const fileHosts = (host: string) => host === 'slack.com' || host.endsWith('.slack.com') || (config.apiUrl ? host === new URL(config.apiUrl).host : false);
  return (f) => ({
    name: f.name ?? f.title ?? `${f.id}.csv`,
    size: f.size ?? null,
    async read() {
      let url = f.url_private_download ?? f.url_private;
      if (!url) {
        const info = await readClient.files.info({ file: f.id });
        url = info.file?.url_private_download ?? info.file?.url_private;
      }
      if (!url) throw new ValidationError(`Slack did not give me a way to download ${f.name ?? 'the file'}.`);
      const u = new URL(url);
      if ((u.protocol !== 'https:' && !config.apiUrl) || !fileHosts(u.host)) throw new ValidationError('Slack gave a file address I do not trust; nothing was downloaded.');
      const res = await fetch(url, { headers: { authorization: `Bearer ${config.botToken}` }, signal: AbortSignal.timeout(60_000) });
      if (!res.ok) throw new Error(`file download answered HTTP ${res.status}`);
      if (/text\/html/i.test(res.headers.get('content-type') ?? '')) {
        // Slack answers a sign-in page when the token may not read files.
        throw new ValidationError('Slack would not let me download the file: the app needs the files:read scope (see deploy/slack-manifest.yml).');
      }
      return readAtMost(res, f.name ?? 'The file');
    },
  });
}
