// What the bot serves itself for Teams cards. A Teams message (~28 KB for the whole activity) can
// carry neither a chart PNG (~25–40 KB, so a data: URI is out) nor a file, and a bot cannot upload
// to a channel. So both are stored in the database under 128 random bits and the card links to them
// on this bot's one HTTP server:
// - charts at <KPI_PUBLIC_URL>/charts/<id>.png, drawn once and kept so old posts keep their chart;
// - files a message carries (the quarterly report, an import's full validation report) at
//   <KPI_PUBLIC_URL>/files/<id>/<filename>, as a download, for `retentionDays` (then 404; rows past
//   that are deleted whenever a new file is stored).
// Stored rather than cached so every process behind a load balancer can serve them. The random id is
// the only key: anyone who has the link can download, like a Slack file shared in a channel.
import { randomBytes } from 'node:crypto';
import type { ChartRenderer, Clock, HostedFileStore } from '../../ports.ts';
import type { ChartSpec } from '../../charts/spec.ts';
import type { FileAttachment } from '../../messages/types.ts';
import type { HttpResponse, HttpServer } from '../../http/server.ts';
import type { CardFile, CardImage } from './cards.ts';

const ID = '[A-Za-z0-9_-]{22}';
const CHART_PATH = new RegExp(`^/charts/(${ID})\\.png$`);
const FILE_PATH = new RegExp(`^/files/(${ID})/([^/]+)$`);
const DAY_MS = 86_400_000;
export const DEFAULT_FILE_RETENTION_DAYS = 30;

const notFound: HttpResponse = { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not found' };

/** A file name safe in a URL path segment and a header: no path separators or control characters. */
export function safeFilename(name: string): string {
  const s = name.replace(/[\u0000-\u001f\u007f/\\]+/g, '_').trim().slice(-200);
  return s && s !== '.' && s !== '..' ? s : 'file';
}

/** A declared media type, or a neutral one when it is not a well-formed type/subtype. */
function safeContentType(t: string): string {
  return /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+"-]+)*$/.test(t) ? t : 'application/octet-stream';
}

/** `attachment` with the name as ASCII and, for other characters, RFC 5987 UTF-8. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const utf8 = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

export class HostedFiles {
  private readonly retentionMs: number;

  constructor(
    private readonly files: HostedFileStore,
    private readonly charts: ChartRenderer,
    private readonly publicUrl: string,
    private readonly clock: Clock,
    retentionDays = DEFAULT_FILE_RETENTION_DAYS,
  ) {
    this.retentionMs = retentionDays * DAY_MS;
  }

  /** Files stored before this are no longer served. */
  private cutoff(): Date {
    return new Date(this.clock.now().getTime() - this.retentionMs);
  }

  /** Draw a chart and store it; returns the URL and alt text for the card. */
  async publishChart(spec: ChartSpec): Promise<CardImage> {
    // Drawn for the card's width, which a phone shows about 316 px wide.
    const chart = await this.charts.render(spec, { size: 'card' });
    const id = randomBytes(16).toString('base64url');
    await this.files.put({ id, kind: 'chart', filename: `${id}.png`, contentType: 'image/png', bytes: new Uint8Array(chart.png), altText: chart.altText, createdAt: this.clock.now() });
    return { url: `${this.publicUrl}/charts/${id}.png`, altText: chart.altText };
  }

  /** Store a file a message carries (deleting files past the retention period); returns its download link. */
  async publishFile(file: FileAttachment): Promise<CardFile> {
    const bytes = Buffer.from(file.base64, 'base64');
    const filename = safeFilename(file.filename);
    const id = randomBytes(16).toString('base64url');
    await this.files.deleteFilesBefore(this.cutoff());
    await this.files.put({ id, kind: 'file', filename, contentType: safeContentType(file.mimeType), bytes: new Uint8Array(bytes), altText: null, createdAt: this.clock.now() });
    return { url: `${this.publicUrl}/files/${id}/${encodeURIComponent(filename)}`, filename, title: file.title, size: bytes.length };
  }

  async png(id: string): Promise<Buffer | null> {
    const row = await this.files.get(id);
    return row?.kind === 'chart' ? Buffer.from(row.bytes) : null;
  }

  /** A file still within its retention period. */
  async file(id: string): Promise<{ filename: string; contentType: string; bytes: Buffer } | null> {
    const row = await this.files.get(id);
    if (row?.kind !== 'file' || row.createdAt < this.cutoff()) return null;
    return { filename: row.filename, contentType: row.contentType, bytes: Buffer.from(row.bytes) };
  }

  /** GET /charts/<id>.png and GET /files/<id>/<filename> on the shared server. */
  mount(http: HttpServer): void {
    // Images never change, so clients may cache them for good.
    http.routePrefix('GET', '/charts/', async (req, reply) => {
      const id = CHART_PATH.exec(req.path)?.[1];
      const png = id ? await this.png(id) : null;
      if (!png) return reply(notFound);
      reply({ status: 200, headers: { 'content-type': 'image/png', 'content-length': String(png.length), 'cache-control': 'public, max-age=31536000, immutable' }, body: png });
    });
    // Always a download, never rendered in the browser (an HTML report included), and not kept by shared caches.
    http.routePrefix('GET', '/files/', async (req, reply) => {
      const m = FILE_PATH.exec(req.path);
      let name: string | null = null;
      try {
        name = m ? decodeURIComponent(m[2]!) : null;
      } catch {
        /* a malformed escape: not one of ours */
      }
      const file = m && name ? await this.file(m[1]!) : null;
      if (!file || file.filename !== name) return reply(notFound);
      reply({
        status: 200,
        headers: {
          'content-type': file.contentType,
          'content-length': String(file.bytes.length),
          'content-disposition': contentDisposition(file.filename),
          'cache-control': 'private, no-store',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "sandbox; default-src 'none'",
          'referrer-policy': 'no-referrer',
        },
        body: file.bytes,
      });
    });
  }
}
