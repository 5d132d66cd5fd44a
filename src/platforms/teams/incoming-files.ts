// Files people send the bot in their 1:1 chat (a register to import). With `supportsFiles: true` in
// the app manifest, Teams stores the file in the sender's OneDrive and sends the bot a message whose
// attachment is `application/vnd.microsoft.teams.file.download.info`:
//   { contentType, name, contentUrl, content: { downloadUrl, uniqueId, fileType, etag } }
// `downloadUrl` is pre-authenticated and short-lived: a plain GET with no bearer token (the bot's
// token must never go there). It is only downloaded when the command reads the file, over https,
// following at most a few redirects (each checked), and no more than the import limit is read.
import { z } from 'zod';
import type { IncomingFile } from '../../ports.ts';
import { ValidationError } from '../../errors.ts';
import { readAtMost } from '../core/downloads.ts';

export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
const MAX_REDIRECTS = 5;

export const attachmentSchema = z.looseObject({ contentType: z.string(), name: z.string().optional(), contentUrl: z.string().optional(), content: z.unknown().optional() });
export type Attachment = z.infer<typeof attachmentSchema>;

const downloadInfoSchema = z.looseObject({ downloadUrl: z.string().min(1), uniqueId: z.string().optional(), fileType: z.string().optional() });

export interface DownloadPolicy {
  /**
   * Plain http is refused, except from this origin: the Bot Connector service's own address when
   * TEAMS_SERVICE_URL points at a local http fake (tests). Null in production.
   */
  httpOrigin: string | null;
  maxBytes: number;
  timeoutMs?: number;
}

/** The http origin files may come from: TEAMS_SERVICE_URL's, when that is overridden to plain http. */
export function httpOriginOf(serviceUrl: string): string | null {
  const u = new URL(serviceUrl);
  return u.protocol === 'http:' ? u.origin : null;
}

/** A download address the bot may fetch: https (or the allowed http origin), with no credentials in it. */
export function trustedDownloadUrl(url: string, httpOrigin: string | null): URL | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.username || u.password) return null;
  if (u.protocol === 'https:') return u;
  return u.protocol === 'http:' && httpOrigin !== null && u.origin === httpOrigin ? u : null;
}

/** The file a message carries, if it carries one; its bytes are fetched when the command reads it. */
export function sentFile(attachments: Attachment[] | undefined, policy: DownloadPolicy): IncomingFile | null {
  const a = attachments?.find((x) => x.contentType === FILE_DOWNLOAD_INFO);
  if (!a) return null;
  const info = downloadInfoSchema.safeParse(a.content);
  const fallback = info.success && info.data.uniqueId ? `${info.data.uniqueId}.${info.data.fileType ?? 'bin'}` : 'file';
  const name = a.name?.trim() || fallback;
  return {
    name,
    size: null,
    async read() {
      if (!info.success) throw new ValidationError(`Teams did not give me a way to download ${name}; nothing was downloaded. Please send it again.`);
      return download(info.data.downloadUrl, name, policy);
    },
  };
}

async function download(url: string, name: string, policy: DownloadPolicy): Promise<Uint8Array> {
  let next = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const u = trustedDownloadUrl(next, policy.httpOrigin);
    if (!u) throw new ValidationError(`Teams gave an address for ${name} that I do not trust (only https is allowed); nothing was downloaded.`);
    const res = await fetch(u, { redirect: 'manual', signal: AbortSignal.timeout(policy.timeoutMs ?? 60_000) });
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      next = new URL(location, u).href;
      continue;
    }
    if ([401, 403, 404, 410].includes(res.status)) {
      await res.body?.cancel();
      throw new ValidationError(`The link Teams gave me for ${name} has expired or was refused (HTTP ${res.status}). Please send the file again.`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`file download answered HTTP ${res.status}`);
    }
    return readAtMost(res, name, policy.maxBytes);
  }
  throw new Error(`file download redirected more than ${MAX_REDIRECTS} times`);
}
