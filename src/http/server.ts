// One HTTP server for every transport (each mounts its own routes: src/platforms/<name>), and /healthz
// (the process answers; /readyz and /metrics are mounted beside it: readiness.ts, metrics-route.ts).
// Routes only carry bytes: each gets the raw body and answers; nothing here knows a platform. Every
// request is logged at debug (method, path without its query, status, time to the answer — never a
// header or a body), and a platform's route has its time to the answer — its acknowledgement —
// observed per surface. When the process is stopping (drain()), new requests to the platforms' routes
// get 503, so the platform tries again and a load balancer moves them to another replica.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.ts';
import { NO_OBSERVER, type Observer, type PlatformName } from '../ports.ts';

export interface HttpRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  /** Set by a platform's route once it knows what the request is (a slash command, a button…): the acknowledgement is observed under it. */
  surface?: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** A route handler answers through `reply` (at most once); it may keep working after replying. */
export type RouteHandler = (req: HttpRequest, reply: (res: HttpResponse) => void) => Promise<void>;

/** Chat platforms' payloads are small; anything bigger is refused (413). A route may set its own limit. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** GET and HEAD carry no body worth reading. */
const GET_BODY_LIMIT = 16 * 1024;
/**
 * Past its limit a body is read and thrown away (so the client, still sending, gets the 413 rather
 * than a reset connection) up to this many times the limit; beyond that the connection is cut.
 */
const DISCARD_FACTOR = 8;

export interface RouteOptions {
  /** Largest request body accepted, in bytes (default DEFAULT_BODY_LIMIT; GET 16 KB). */
  bodyLimit?: number;
  /** A chat platform's route: its answer is that platform's acknowledgement (observed), and it is refused while draining. */
  platform?: PlatformName;
}

interface Route {
  handler: RouteHandler;
  bodyLimit: number;
  platform?: PlatformName;
}

export class HttpServer {
  private readonly routes = new Map<string, Route>();
  private readonly prefixRoutes: ({ method: string; prefix: string } & Route)[] = [];
  private server: Server | null = null;
  private draining = false;

  constructor(
    private readonly log: Logger,
    private readonly observe: Observer = NO_OBSERVER,
  ) {
    this.route('GET', '/healthz', async (_req, reply) => reply({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }));
  }

  route(method: string, path: string, handler: RouteHandler, opts: RouteOptions = {}): void {
    this.routes.set(`${method} ${path}`, { handler, bodyLimit: limitFor(method, opts), ...(opts.platform ? { platform: opts.platform } : {}) });
  }

  /** The process is stopping: platforms' requests are refused with 503 from now on (health, readiness and metrics still answer). */
  drain(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Every path under `prefix` (which ends with "/"), e.g. the chart images under /charts/. */
  routePrefix(method: string, prefix: string, handler: RouteHandler, opts: RouteOptions = {}): void {
    if (!prefix.endsWith('/')) throw new Error(`route prefix ${prefix} must end with /`);
    this.prefixRoutes.push({ method, prefix, handler, bodyLimit: limitFor(method, opts), ...(opts.platform ? { platform: opts.platform } : {}) });
  }

  /** Every route mounted, as "GET /readyz"; a prefix route ends with "/*" (the API's description is checked against it). */
  mounted(): string[] {
    return [...this.routes.keys(), ...this.prefixRoutes.map((r) => `${r.method} ${r.prefix}*`)];
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
    const arrived = performance.now();
    let replied = false;
    let route: Route | undefined;
    let request: HttpRequest | undefined;
    let path = '?';
    const reply = (r: HttpResponse) => {
      if (replied || res.headersSent) return;
      replied = true;
      res.writeHead(r.status, r.headers ?? {});
      res.end(r.body ?? '');
      const seconds = (performance.now() - arrived) / 1000;
      const surface = request?.surface;
      if (route?.platform) this.observe.acknowledged(route.platform, surface ?? 'other', seconds);
      this.log.debug({ method: req.method, path, status: r.status, ms: Math.round(seconds * 10_000) / 10, ...(surface ? { surface } : {}) }, 'http request');
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      path = url.pathname.slice(0, 200);
      route =
        this.routes.get(`${req.method} ${url.pathname}`) ??
        this.prefixRoutes.find((r) => r.method === req.method && url.pathname.startsWith(r.prefix) && url.pathname.length > r.prefix.length);
      if (!route) {
        const known = [...this.routes.keys()].some((k) => k.endsWith(` ${url.pathname}`)) || this.prefixRoutes.some((r) => url.pathname.startsWith(r.prefix));
        return reply({ status: known ? 405 : 404, headers: { 'content-type': 'text/plain' }, body: known ? 'Method not allowed' : 'Not found' });
      }
      if (this.draining && route.platform) {
        // Not read, not acknowledged: the platform sends it again, to this replica's successor or another one.
        res.shouldKeepAlive = false;
        return reply({ status: 503, headers: { 'content-type': 'text/plain', 'retry-after': '5', connection: 'close' }, body: 'Stopping: try again' });
      }
      const body = await readBody(req, route.bodyLimit);
      if (body === 'too-large' || body === 'cut') {
        // The client is told, and the connection is not used again: what is left of its request
        // (if anything) must not be read as the next one.
        if (body === 'cut') res.shouldKeepAlive = false;
        reply({ status: 413, headers: { 'content-type': 'text/plain', connection: 'close' }, body: 'Request body too large' });
        if (body === 'cut') req.socket.destroySoon();
        return;
      }
      if (body === 'unreadable') return reply({ status: 400, headers: { 'content-type': 'text/plain', connection: 'close' }, body: 'Bad request' });
      request = { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, rawBody: body };
      await route.handler(request, reply);
    } catch (e) {
      if (e instanceof TypeError && /Invalid URL/.test(e.message)) return reply({ status: 400, headers: { 'content-type': 'text/plain' }, body: 'Bad request' });
      this.log.error({ err: e, path }, 'request failed');
      reply({ status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal error' });
    }
  }
}

function limitFor(method: string, opts: RouteOptions): number {
  return opts.bodyLimit ?? (method === 'GET' || method === 'HEAD' ? GET_BODY_LIMIT : DEFAULT_BODY_LIMIT);
}

/**
 * The request body as UTF-8, or why not: over the limit ('too-large', the rest read and dropped),
 * far over it ('cut': the connection is closed), or broken off / not UTF-8 ('unreadable').
 */
async function readBody(req: IncomingMessage, limit: number): Promise<string | 'too-large' | 'cut' | 'unreadable'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit * DISCARD_FACTOR) return 'cut';
  let size = 0;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit * DISCARD_FACTOR) return 'cut';
      if (size > limit) {
        chunks.length = 0;
        continue;
      }
      chunks.push(chunk as Buffer);
    }
  } catch {
    return 'unreadable';
  }
  if (size > limit) return 'too-large';
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    return 'unreadable';
  }
}
