// A fake Slack Web API on 127.0.0.1 for tests: records every call and answers like Slack, including
// `ok:false` errors, HTTP 429 with Retry-After, 500s and timeouts on demand. Also the upload URL of
// the external file-upload flow and slash commands' response_url.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { CallLog, closeServer, listenOnLoopback } from './loopback.ts';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  at: number;
  faulted?: boolean;
}

export type Fault =
  | { kind: 'error'; error: string }
  | { kind: 'ratelimit'; retryAfterSeconds: number }
  | { kind: 'http'; status: number }
  | { kind: 'timeout'; ms: number }
  /** Answer normally, but only after this long. */
  | { kind: 'slow'; ms: number };

/** Fields Slack's clients send as JSON strings inside form bodies. */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'files', 'metadata', 'options', 'response_action'];

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (JSON_FIELDS.includes(k)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        /* keep as string */
      }
    }
    out[k] = v;
  }
  return out;
}

export class FakeSlack {
  private readonly log = new CallLog<RecordedCall>();
  readonly calls = this.log.calls;
  /** Bytes uploaded through files.getUploadURLExternal's upload URL, by file id. */
  readonly uploads = new Map<string, Buffer>();
  private faults = new Map<string, Fault[]>();
  private ts = 1_700_000_000_000_100;
  private fileSeq = 0;
  private viewSeq = 0;
  /** Per method, an override of the answer (after recording). */
  readonly answers = new Map<string, (args: Record<string, unknown>) => Record<string, unknown>>();
  /** The workspace's members: user id → profile. Most never write to the bot; lookups find them by e-mail. */
  readonly users = new Map<string, { email: string; name: string; deleted?: boolean }>();
  /** The workspace's channels: id → name, private or not, and whether the bot is in it (conversations.join adds it). */
  readonly channels = new Map<string, { name: string; isPrivate?: boolean; botIsMember?: boolean; archived?: boolean }>();
  /** Per method, Slack's rate limit: at most `perMinute` calls in any minute, then 429 with Retry-After (users.lookupByEmail is Tier 3). */
  readonly rateLimits = new Map<string, number>([['users.lookupByEmail', 50]]);
  private readonly recent = new Map<string, number[]>();
  /** Files people "uploaded", served at url_private_download to the bot token only (as Slack does). */
  private readonly hosted = new Map<string, { name: string; bytes: Uint8Array }>();
  private hostedSeq = 0;

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(): Promise<FakeSlack> {
    const holder: { fake?: FakeSlack } = {};
    const { server, port } = await listenOnLoopback((req, res) => holder.fake!.handle(req, res));
    holder.fake = new FakeSlack(server, port);
    return holder.fake;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string | number): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  /** A file as Slack describes it in a view submission or a file_share message. */
  hostFile(name: string, bytes: Uint8Array): { id: string; name: string; size: number; url_private: string; url_private_download: string } {
    const id = `FUP${String(++this.hostedSeq).padStart(6, '0')}`;
    this.hosted.set(id, { name, bytes });
    const url = `http://127.0.0.1:${this.port}/files-pri/T0COUNCIL-${id}/${encodeURIComponent(name)}`;
    return { id, name, size: bytes.length, url_private: url, url_private_download: `${url}?download=1` };
  }

  /** Calls to users.lookupByEmail that were answered, per e-mail address. */
  lookupsOf(email: string): number {
    return this.callsTo('users.lookupByEmail').filter((c) => String(c.args.email).toLowerCase() === email.toLowerCase()).length;
  }

  reset(): void {
    this.recent.clear();
    this.calls.length = 0;
    this.uploads.clear();
    this.faults.clear();
  }

  /** The next `times` calls to `method` fail this way. */
  failNext(method: string, fault: Fault, times = 1): void {
    const list = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.faults.set(method, list);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && !c.faulted);
  }

  /** Wait until a call to `method` matching `predicate` has been recorded (and answered without a fault). */
  waitFor(method: string, predicate: (c: RecordedCall) => boolean = () => true, timeoutMs = 5000): Promise<RecordedCall> {
    return this.log.waitFor(method, predicate, timeoutMs);
  }

  /** Wait until a call to `method` has arrived, whether or not it was given a fault. */
  waitForAttempt(method: string, timeoutMs = 5000): Promise<RecordedCall> {
    return this.log.waitForAny(method, () => true, timeoutMs);
  }

  private nextTs(): string {
    this.ts += 100;
    const s = String(this.ts);
    return `${s.slice(0, 10)}.${s.slice(10)}`;
  }

  private record(call: RecordedCall) {
    this.log.record(call);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(json));
    };

    if (url.pathname.startsWith('/upload/')) {
      const id = url.pathname.slice('/upload/'.length);
      // Slack's upload URL takes the raw bytes, or a multipart form with a "file" part.
      const ct = req.headers['content-type'] ?? '';
      let bytes = body;
      const boundary = /boundary=(.+)$/.exec(ct)?.[1];
      if (boundary) {
        const start = body.indexOf('\r\n\r\n') + 4;
        const end = body.lastIndexOf(Buffer.from(`\r\n--${boundary}`));
        bytes = body.subarray(start, end);
      }
      this.uploads.set(id, bytes);
      this.record({ method: 'upload', args: { fileId: id, bytes: bytes.length }, at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`OK - ${bytes.length}`);
      return;
    }

    if (url.pathname.startsWith('/files-pri/')) {
      const id = /T0COUNCIL-(FUP\d+)\//.exec(url.pathname)?.[1] ?? '';
      const file = this.hosted.get(id);
      const authorised = req.headers.authorization === 'Bearer xoxb-test-token';
      this.record({ method: 'file_download', args: { fileId: id, authorised }, at: Date.now() });
      if (!file) return send(404, { ok: false, error: 'file_not_found' });
      if (!authorised) {
        // Slack sends its sign-in page to a request without a token that may read the file.
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.bytes.length) });
      res.end(Buffer.from(file.bytes));
      return;
    }

    if (url.pathname.startsWith('/response/')) {
      const args = parseBody(body.toString(), req.headers['content-type']);
      this.record({ method: 'response_url', args: { ...args, responseId: url.pathname.slice('/response/'.length) }, at: Date.now() });
      send(200, { ok: true });
      return;
    }

    const method = url.pathname.replace(/^\/api\//, '');
    const args = { ...Object.fromEntries(url.searchParams), ...parseBody(body.toString(), req.headers['content-type']) };
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : (args.token as string | undefined);
    // Slack's rate limits: past the allowance, 429 with the seconds until a call would be let through.
    const limit = this.rateLimits.get(method);
    if (limit !== undefined) {
      const t = Date.now();
      const times = (this.recent.get(method) ?? []).filter((x) => x > t - 60_000);
      if (times.length >= limit) {
        this.recent.set(method, times);
        this.record({ method, args, token, at: t, faulted: true });
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(Math.max(1, Math.ceil((times[0]! + 60_000 - t) / 1000))) });
      }
      times.push(t);
      this.recent.set(method, times);
    }
    let fault = this.faults.get(method)?.shift();
    if (fault?.kind === 'slow') {
      const { ms } = fault;
      await new Promise((r) => setTimeout(r, ms));
      fault = undefined;
    }
    if (fault) {
      this.record({ method, args, token, at: Date.now(), faulted: true });
      switch (fault.kind) {
        case 'error':
          return send(200, { ok: false, error: fault.error });
        case 'ratelimit':
          return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfterSeconds) });
        case 'http':
          return send(fault.status, { ok: false, error: 'internal_error' });
        case 'timeout':
          await new Promise((r) => setTimeout(r, fault.ms));
          return send(200, { ok: false, error: 'request_timeout' });
      }
    }
    this.record({ method, args, token, at: Date.now() });
    const override = this.answers.get(method);
    if (override) return send(200, override(args));
    send(200, this.answer(method, args));
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://council.slack.com/', team: 'Council', user: 'kpi-bot', team_id: 'T0COUNCIL', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        return { ok: true, channel: args.channel, ts, message: { ts, text: args.text, blocks: args.blocks, thread_ts: args.thread_ts } };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.delete':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'conversations.open': {
        const users = String(args.users ?? args.user ?? '');
        return { ok: true, channel: { id: `D${users.replace(/^U/, '')}` } };
      }
      case 'conversations.join': {
        const c = this.channels.get(String(args.channel));
        // Unknown channels are treated as public ones (tests that do not describe the workspace).
        if (!c) return { ok: true, channel: { id: args.channel } };
        if (c.isPrivate) return { ok: false, error: c.botIsMember ? 'method_not_supported_for_channel_type' : 'channel_not_found' };
        if (c.archived) return { ok: false, error: 'is_archived' };
        c.botIsMember = true;
        return { ok: true, channel: { id: args.channel, name: c.name, is_member: true } };
      }
      case 'conversations.info': {
        const id = String(args.channel);
        if (/^D/.test(id)) return { ok: true, channel: { id, is_im: true } };
        const c = this.channels.get(id);
        // Slack does not show the bot a private channel it is not in.
        if (!c || (c.isPrivate && !c.botIsMember)) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: { id, name: c.name, is_channel: !c.isPrivate, is_private: Boolean(c.isPrivate), is_member: Boolean(c.botIsMember), is_archived: Boolean(c.archived) } };
      }
      case 'views.open':
      case 'views.update':
      case 'views.push':
        return { ok: true, view: { id: `V${++this.viewSeq}`, ...(args.view as object) } };
      case 'views.publish':
        return { ok: true, view: { id: `V${++this.viewSeq}` } };
      case 'users.info': {
        const u = this.users.get(String(args.user));
        return u
          ? { ok: true, user: { id: args.user, name: u.name, real_name: u.name, profile: { email: u.email, real_name: u.name } } }
          : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        // Slack compares e-mail addresses without regard to case.
        const hit = [...this.users.entries()].find(([, u]) => u.email.toLowerCase() === String(args.email).toLowerCase());
        return hit ? { ok: true, user: { id: hit[0], name: hit[1].name, deleted: Boolean(hit[1].deleted), profile: { email: hit[1].email, real_name: hit[1].name } } } : { ok: false, error: 'users_not_found' };
      }
      case 'files.getUploadURLExternal': {
        const id = `F${String(++this.fileSeq).padStart(8, '0')}`;
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/${id}`, file_id: id };
      }
      case 'files.info': {
        const f = this.hosted.get(String(args.file));
        if (!f) return { ok: false, error: 'file_not_found' };
        const ref = `http://127.0.0.1:${this.port}/files-pri/T0COUNCIL-${String(args.file)}/${encodeURIComponent(f.name)}`;
        return { ok: true, file: { id: args.file, name: f.name, size: f.bytes.length, url_private: ref, url_private_download: `${ref}?download=1` } };
      }
      case 'files.completeUploadExternal': {
        const files = (args.files as { id: string; title?: string }[]) ?? [];
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? '', name: f.title ?? '' })) };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
