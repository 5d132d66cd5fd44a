// One HTTP server for every transport: Slack's /slack/events, Teams' /api/messages, and /healthz.
// Routes only carry bytes: each gets the raw body and answers; nothing here knows a platform.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.ts';

export interface HttpRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** A route handler answers through `reply` (at most once); it may keep working after replying. */
export type RouteHandler = (req: HttpRequest, reply: (res: HttpResponse) => void) => Promise<void>;

/** Slack and Bot Framework payloads are small; anything bigger is refused. */
const BODY_LIMIT = 1024 * 1024;

export class HttpServer {
  private readonly routes = new Map<string, RouteHandler>();
  private readonly prefixRoutes: { method: string; prefix: string; handler: RouteHandler }[] = [];
  private server: Server | null = null;

  constructor(private readonly log: Logger) {
    this.route('GET', '/healthz', async (_req, reply) => reply({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }));
  }

  route(method: string, path: string, handler: RouteHandler): void {
    this.routes.set(`${method} ${path}`, handler);
  }

  /** Every path under `prefix` (which ends with "/"), e.g. the chart images under /charts/. */
  routePrefix(method: string, prefix: string, handler: RouteHandler): void {
    if (!prefix.endsWith('/')) throw new Error(`route prefix ${prefix} must end with /`);
    this.prefixRoutes.push({ method, prefix, handler });
  }

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 65_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  /** Stop taking requests; answers under way get a few seconds (a slow download must not hold up a shutdown). */
  async close(graceMs = 5000): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    s.closeIdleConnections();
    const force = setTimeout(() => s.closeAllConnections(), graceMs);
    await new Promise<void>((resolve) => s.close(() => resolve()));
    clearTimeout(force);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handler =
      this.routes.get(`${req.method} ${url.pathname}`) ??
      this.prefixRoutes.find((r) => r.method === req.method && url.pathname.startsWith(r.prefix) && url.pathname.length > r.prefix.length)?.handler;
    let replied = false;
    const reply = (r: HttpResponse) => {
      if (replied) return;
      replied = true;
      res.writeHead(r.status, r.headers ?? {});
      res.end(r.body ?? '');
    };
    if (!handler) {
      const known = [...this.routes.keys()].some((k) => k.endsWith(` ${url.pathname}`)) || this.prefixRoutes.some((r) => url.pathname.startsWith(r.prefix));
      return reply({ status: known ? 405 : 404, headers: { 'content-type': 'text/plain' }, body: known ? 'Method not allowed' : 'Not found' });
    }
    let size = 0;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > BODY_LIMIT) return reply({ status: 413, body: 'Request body too large' });
        chunks.push(chunk as Buffer);
      }
    } catch {
      return reply({ status: 400, body: 'Bad request' });
    }
    try {
      await handler({ method: req.method ?? 'GET', path: url.pathname, headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') }, reply);
    } catch (e) {
      this.log.error({ err: e, path: url.pathname }, 'request failed');
      reply({ status: 500, body: 'Internal error' });
    }
  }
}
