// A fake Slack Web API on 127.0.0.1 for tests: records every call and answers like Slack, including
// `ok:false` errors, HTTP 429 with Retry-After, 500s and timeouts on demand, or at random (chaos).
// Like a workspace it keeps what was posted — each conversation's messages with their metadata,
// threads and shared files — and answers conversations.history from it. Its members (`users`) are
// the workspace's: users.info gives a member's real e-mail and `user_not_found` for an id that is
// nobody's (a placeholder such as ULUCY in a People sheet); with `onlyMembers`, a message posted to
// such an id fails with `channel_not_found`, as Slack answers (tests that send from made-up users,
// the fuzz tests, leave it off). Also the upload URL of the
// external file-upload flow and slash commands' response_url.
// Its token has scopes, as a Slack token does: by default those deploy/slack-manifest.yml asks for
// (`scopes` changes them); every Web API answer carries them in `x-oauth-scopes`, and a method whose
// scope the token lacks is refused with `missing_scope`, naming the scope `needed` (for the kind of
// conversation asked about: channels:history for a public channel, groups:history for a private one,
// im:history for a direct message) and those `provided`, as Slack answers.
import { readFileSync } from 'node:fs';
import { seeded } from './random.ts';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { CallLog, closeServer, EXPECTED_CALL_TIMEOUT_MS, listenOnLoopback } from './loopback.ts';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  at: number;
  faulted?: boolean;
  /** Done, but its answer was held back past the caller's timeout. */
  lostReply?: boolean;
  /** Refused for want of this scope (also `faulted`). */
  missingScope?: string;
}

/** The bot scopes deploy/slack-manifest.yml asks for, in its order. */
export function manifestScopes(): string[] {
  const text = readFileSync(new URL('../../deploy/slack-manifest.yml', import.meta.url), 'utf8');
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s+bot:\s*$/.test(l));
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    const m = /^\s+-\s+([a-z:._]+)/.exec(l);
    if (!m) break;
    out.push(m[1]!);
  }
  return out;
}

/** Web API methods that need a scope whatever they are asked about. */
const METHOD_SCOPES: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.delete': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'conversations.open': 'im:write',
  'conversations.join': 'channels:join',
  'users.info': 'users:read',
  'users.lookupByEmail': 'users:read.email',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  'files.info': 'files:read',
};

/** Methods whose scope depends on the kind of conversation: [public channel, private channel, direct message]. */
const CONVERSATION_SCOPES: Record<string, [string, string, string]> = {
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
  'conversations.info': ['channels:read', 'groups:read', 'im:read'],
};

export type Fault =
  | { kind: 'error'; error: string }
  | { kind: 'ratelimit'; retryAfterSeconds: number }
  | { kind: 'http'; status: number }
  | { kind: 'timeout'; ms: number }
  /** Answer normally, but only after this long. */
  | { kind: 'slow'; ms: number }
  /** Do what was asked (the post is made), but hold the answer this long: longer than the client waits, it is lost. */
  | { kind: 'lost-reply'; ms: number };

/** A message as the workspace keeps it (what people see). */
export interface PostedMessage {
  channel: string;
  ts: string;
  text: string;
  thread_ts?: string;
  blocks?: unknown;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Edits made to it (chat.update). */
  edits: number;
}

/** A file made visible in a conversation (files.completeUploadExternal). */
export interface SharedFile {
  channel: string;
  thread_ts?: string;
  id: string;
  title: string;
}

/** Random faults on the listed methods, from a seeded generator (reproducible). */
export interface Chaos {
  seed: number;
  methods: string[];
  /** Probabilities of each fault per call (the rest answer normally). */
  ratelimit?: number;
  http500?: number;
  slow?: number;
  retryAfterSeconds?: number;
  /** Slow answers take between these many ms. */
  slowMs?: [number, number];
}

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
  /** Message timestamps are the server's clock in microseconds, as Slack's are, and never repeat. */
  private ts = 0;
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
  /** Every message posted, by conversation, oldest first. */
  readonly messages = new Map<string, PostedMessage[]>();
  /** Every file shared into a conversation. */
  readonly sharedFiles: SharedFile[] = [];
  private chaos: { config: Chaos; random: () => number } | null = null;
  /** The bot token's scopes now (`reset` puts back those it started with). */
  scopes: Set<string>;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly startScopes: readonly string[],
  ) {
    this.scopes = new Set(startScopes);
  }

  /** A fake workspace whose bot token has `scopes` (default: the manifest's). */
  static async start(opts: { scopes?: readonly string[] } = {}): Promise<FakeSlack> {
    const holder: { fake?: FakeSlack } = {};
    const { server, port } = await listenOnLoopback((req, res) => holder.fake!.handle(req, res));
    holder.fake = new FakeSlack(server, port, opts.scopes ?? manifestScopes());
    return holder.fake;
  }

  /** The scope a call needs, as Slack decides it (for conversations, by the kind of conversation). */
  private scopeNeeded(method: string, args: Record<string, unknown>): string | undefined {
    const byKind = CONVERSATION_SCOPES[method];
    if (!byKind) return METHOD_SCOPES[method];
    const id = String(args.channel ?? '');
    if (/^D/.test(id)) return byKind[2];
    const c = this.channels.get(id);
    return c?.isPrivate || (!c && /^G/.test(id)) ? byKind[1] : byKind[0];
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
    this.messages.clear();
    this.sharedFiles.length = 0;
    this.chaos = null;
    this.scopes = new Set(this.startScopes);
  }

  /** Fault calls to these methods at random (until reset or `setChaos(null)`). */
  setChaos(config: Chaos | null): void {
    this.chaos = config ? { config, random: seeded(config.seed) } : null;
  }

  /** Every message posted, in all conversations. */
  allMessages(): PostedMessage[] {
    return [...this.messages.values()].flat();
  }

  private randomFault(method: string): Fault | undefined {
    if (!this.chaos || !this.chaos.config.methods.includes(method)) return undefined;
    const { config, random } = this.chaos;
    const r = random();
    const p429 = config.ratelimit ?? 0;
    const p500 = config.http500 ?? 0;
    const pSlow = config.slow ?? 0;
    if (r < p429) return { kind: 'ratelimit', retryAfterSeconds: config.retryAfterSeconds ?? 1 };
    if (r < p429 + p500) return { kind: 'http', status: 500 };
    if (r < p429 + p500 + pSlow) {
      const [lo, hi] = config.slowMs ?? [500, 2000];
      return { kind: 'slow', ms: Math.round(lo + random() * (hi - lo)) };
    }
    return undefined;
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
  waitFor(method: string, predicate: (c: RecordedCall) => boolean = () => true, timeoutMs = EXPECTED_CALL_TIMEOUT_MS): Promise<RecordedCall> {
    return this.log.waitFor(method, predicate, timeoutMs);
  }

  /** Wait until a call to `method` has arrived, whether or not it was given a fault. */
  waitForAttempt(method: string, timeoutMs = EXPECTED_CALL_TIMEOUT_MS): Promise<RecordedCall> {
    return this.log.waitForAny(method, () => true, timeoutMs);
  }

  /** Posting to a user id posts in the direct message with them, as Slack does (conversations.open's id). */
  private conversationOf(channel: string): string {
    return /^[UW]/.test(channel) ? `D${channel.slice(1)}` : channel;
  }

  /** Refuse messages to user ids that are no member's, as Slack does. */
  onlyMembers = false;

  /** A user id that is nobody's in the workspace, when the fake is told to care. */
  private nobody(userId: string): boolean {
    return this.onlyMembers && /^[UW]/.test(userId) && !this.users.has(userId);
  }

  private nextTs(): string {
    this.ts = Math.max(this.ts + 1, Date.now() * 1000);
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
    let send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
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
    // Every answer says which scopes the token has; a method it lacks the scope for is refused first.
    const provided = [...this.scopes].join(',');
    const needed = this.scopeNeeded(method, args);
    const sendApi = send;
    send = (status, json, headers = {}) => sendApi(status, json, { 'x-oauth-scopes': provided, ...(needed ? { 'x-accepted-oauth-scopes': needed } : {}), ...headers });
    if (needed && !this.scopes.has(needed)) {
      this.record({ method, args, token, at: Date.now(), faulted: true, missingScope: needed });
      return send(200, { ok: false, error: 'missing_scope', needed, provided });
    }
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
    let fault = this.faults.get(method)?.shift() ?? this.randomFault(method);
    if (fault?.kind === 'slow') {
      const { ms } = fault;
      await new Promise((r) => setTimeout(r, ms));
      fault = undefined;
    }
    if (fault?.kind === 'lost-reply') {
      const { ms } = fault;
      // Slack does the work; the answer never reaches the caller (it has given up by then).
      this.record({ method, args, token, at: Date.now(), lostReply: true });
      const answer = this.answers.get(method)?.(args) ?? this.answer(method, args);
      await new Promise((r) => setTimeout(r, ms));
      if (!res.destroyed) send(200, answer);
      return;
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
        if (this.nobody(String(args.channel ?? ''))) return { ok: false, error: 'channel_not_found' };
        const ts = this.nextTs();
        const channel = this.conversationOf(String(args.channel ?? ''));
        const metadata = args.metadata as PostedMessage['metadata'] | undefined;
        const posted: PostedMessage = { channel, ts, text: String(args.text ?? ''), blocks: args.blocks, edits: 0, ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}), ...(metadata ? { metadata } : {}) };
        this.messages.set(channel, [...(this.messages.get(channel) ?? []), posted]);
        return { ok: true, channel, ts, message: { ts, text: args.text, blocks: args.blocks, thread_ts: args.thread_ts, ...(metadata ? { metadata } : {}) } };
      }
      case 'chat.update': {
        const found = this.messages.get(String(args.channel))?.find((m) => m.ts === args.ts);
        if (found) {
          found.text = String(args.text ?? '');
          found.blocks = args.blocks;
          found.edits++;
        }
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case 'conversations.history': {
        // Newest first; oldest/latest bound the window (exclusive unless inclusive); metadata only when asked for.
        const list = [...(this.messages.get(String(args.channel)) ?? [])].filter((m) => !m.thread_ts || m.thread_ts === m.ts).reverse();
        const inclusive = args.inclusive === true || args.inclusive === 'true';
        const oldest = args.oldest !== undefined ? Number(args.oldest) : -Infinity;
        const latest = args.latest !== undefined ? Number(args.latest) : Infinity;
        const withMeta = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const inWindow = list.filter((m) => (inclusive ? Number(m.ts) >= oldest && Number(m.ts) <= latest : Number(m.ts) > oldest && Number(m.ts) < latest));
        const limit = Math.min(Number(args.limit ?? 100) || 100, 999);
        return {
          ok: true,
          messages: inWindow.slice(0, limit).map((m) => ({ type: 'message', user: 'UBOT', bot_id: 'BBOT', ts: m.ts, text: m.text, ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) })),
          has_more: inWindow.length > limit,
        };
      }
      case 'conversations.replies': {
        const all = this.messages.get(String(args.channel)) ?? [];
        const withMeta = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const thread = all.filter((m) => m.ts === args.ts || m.thread_ts === args.ts);
        return { ok: true, messages: thread.map((m) => ({ type: 'message', user: 'UBOT', bot_id: 'BBOT', ts: m.ts, text: m.text, thread_ts: m.thread_ts, ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) })), has_more: false };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.delete':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'conversations.open': {
        const users = String(args.users ?? args.user ?? '');
        if (this.nobody(users)) return { ok: false, error: 'user_not_found' };
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
        if (args.channel_id) {
          const channel = this.conversationOf(String(args.channel_id));
          for (const f of files) this.sharedFiles.push({ channel, id: f.id, title: f.title ?? '', ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}) });
        }
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? '', name: f.title ?? '' })) };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}
