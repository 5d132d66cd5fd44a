// A fake Bot Connector service (the Teams end of a bot's conversation) on 127.0.0.1: records every
// call and answers like the real one — new activity ids, 1:1 chats created on demand, members
// with their e-mail, 401 without the bot's token — and fails on demand with 429 + Retry-After,
// 500s, 403s. It is the `serviceUrl` of every test activity. It also stands in for the OneDrive
// where a file sent to the bot lands: `hostFile` gives the file.download.info attachment Teams
// sends, whose pre-authenticated downloadUrl it serves (no token needed, as in Teams). Every card it
// receives is checked with Microsoft's `adaptivecards` library at the card's declared version, and
// every activity against Teams' size limit in bytes: the problems are kept in `cardProblems`.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { CallLog, closeServer, EXPECTED_CALL_TIMEOUT_MS, listenOnLoopback } from './loopback.ts';
import { activityProblems } from './adaptive-cards.ts';

export type ConnectorMethod = 'send' | 'update' | 'createConversation' | 'getMember' | 'download' | 'pagedMembers';

export interface ConnectorCall {
  method: ConnectorMethod;
  conversationId: string;
  activityId?: string;
  body: Record<string, unknown>;
  at: number;
  faulted?: boolean;
}

export type ConnectorFault = { status: number; retryAfterSeconds?: number; code?: string };

export interface Member {
  id: string;
  aadObjectId: string;
  name: string;
  email: string;
  /** The member's tenant (default: the connector's). */
  tenantId?: string;
}


/** The Adaptive Card an activity carries. */
export function cardOf(call: ConnectorCall): Record<string, unknown> {
  const a = (call.body.attachments as { contentType: string; content: Record<string, unknown> }[] | undefined)?.[0];
  if (a?.contentType !== 'application/vnd.microsoft.card.adaptive') throw new Error(`no adaptive card in ${JSON.stringify(call.body).slice(0, 200)}`);
  return a.content;
}

/** Every element of a card, nested ones included. */
export function cardElements(card: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.type === 'string') out.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

export class FakeBotConnector {
  private readonly log = new CallLog<ConnectorCall>();
  readonly calls = this.log.calls;
  readonly members = new Map<string, Member>();
  /** Team id → the keys (in `members`) of its members: the roster the paged members API serves, a page at a time. */
  readonly teams = new Map<string, string[]>();
  /** Members per page of the roster (the real service allows 50–500; small here so paging is exercised). */
  rosterPageSize = 3;
  /** What was wrong with the cards and activities sent: invalid at their version, or over the size limit. */
  readonly cardProblems: string[] = [];
  private faults = new Map<ConnectorMethod, ConnectorFault[]>();
  private seq = 1_700_000_000_000;
  private readonly files = new Map<string, { bytes: Uint8Array; expired: boolean }>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly authorised: (token: string) => boolean,
    /** The tenant this service's conversations and members are in. */
    readonly tenantId: string,
  ) {}

  /** `authorised` says whether a bearer token is one the bot may call with. */
  static async start(authorised: (token: string) => boolean, tenantId: string): Promise<FakeBotConnector> {
    const holder: { fake?: FakeBotConnector } = {};
    const { server, port } = await listenOnLoopback((req, res) => holder.fake!.handle(req, res));
    holder.fake = new FakeBotConnector(server, port, authorised, tenantId);
    return holder.fake;
  }

  /** The service URL, with the trailing slash Teams sends. */
  get serviceUrl(): string {
    return `http://127.0.0.1:${this.port}/teams/`;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  /**
   * A file a person sent the bot, as the attachment Teams puts on the message. `expired`: the
   * short-lived download link no longer works (403, as OneDrive answers).
   */
  hostFile(name: string, bytes: Uint8Array, opts: { expired?: boolean } = {}): Record<string, unknown> {
    const token = `dl-${++this.seq}`;
    this.files.set(token, { bytes, expired: opts.expired ?? false });
    return {
      contentType: 'application/vnd.microsoft.teams.file.download.info',
      contentUrl: `https://contoso.sharepoint.com/personal/user/Documents/Microsoft%20Teams%20Chat%20Files/${encodeURIComponent(name)}`,
      name,
      content: { downloadUrl: `${this.serviceUrl}download/${token}?tempauth=${token}`, uniqueId: token.toUpperCase(), fileType: name.split('.').pop(), etag: '1' },
    };
  }

  reset(): void {
    this.calls.length = 0;
    this.cardProblems.length = 0;
    this.faults.clear();
  }

  failNext(method: ConnectorMethod, fault: ConnectorFault, times = 1): void {
    const list = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.faults.set(method, list);
  }

  callsTo(method: ConnectorMethod, conversationId?: string): ConnectorCall[] {
    return this.calls.filter((c) => c.method === method && !c.faulted && (conversationId === undefined || c.conversationId === conversationId));
  }

  async waitFor(method: ConnectorMethod, predicate: (c: ConnectorCall) => boolean = () => true, timeoutMs = EXPECTED_CALL_TIMEOUT_MS): Promise<ConnectorCall> {
    return this.log.waitFor(method, predicate, timeoutMs, (c) => `${c.method} ${c.conversationId}`);
  }

  private record(call: ConnectorCall) {
    this.log.record(call);
  }

  /** The pre-authenticated download link: no token needed, and none should come. Sent in chunks with no Content-Length, as a stream. */
  private serveFile(token: string, req: IncomingMessage, res: ServerResponse) {
    this.record({ method: 'download', conversationId: '', activityId: token, body: { authorization: req.headers.authorization ?? null }, at: Date.now() });
    const file = this.files.get(token);
    if (!file || file.expired) {
      res.writeHead(file ? 403 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: file ? 'accessDenied' : 'itemNotFound', message: 'The link has expired.' } }));
      return;
    }
    // The bot stops reading a file over its limit: the rest is not written anywhere.
    res.on('error', () => {});
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = 1 << 20;
    for (let at = 0; at < file.bytes.length; at += chunk) res.write(Buffer.from(file.bytes.subarray(at, at + chunk)));
    res.end();
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(json));
    };
    const download = /^\/teams\/download\/([^/?]+)/.exec(req.url ?? '');
    if (req.method === 'GET' && download) return this.serveFile(download[1]!, req, res);
    const auth = req.headers.authorization;
    if (!auth?.startsWith('Bearer ') || !this.authorised(auth.slice(7))) {
      return send(401, { error: { code: 'Unauthorized', message: 'Authorization has been denied for this request.' } });
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname).replace(/^\/teams/, '');
    let m: RegExpExecArray | null;
    let call: Omit<ConnectorCall, 'at'>;
    if (req.method === 'POST' && path === '/v3/conversations') call = { method: 'createConversation', conversationId: '', body };
    else if (req.method === 'POST' && (m = /^\/v3\/conversations\/([^/]+)\/activities$/.exec(path))) call = { method: 'send', conversationId: m[1]!, body };
    else if (req.method === 'PUT' && (m = /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/.exec(path))) call = { method: 'update', conversationId: m[1]!, activityId: m[2]!, body };
    else if (req.method === 'GET' && (m = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path))) call = { method: 'getMember', conversationId: m[1]!, activityId: m[2]!, body };
    else if (req.method === 'GET' && (m = /^\/v3\/conversations\/([^/]+)\/pagedMembers$/.exec(path))) {
      const q = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
      call = { method: 'pagedMembers', conversationId: m[1]!, body: { continuationToken: q.get('continuationToken'), pageSize: q.get('pageSize') } };
    }
    else return send(404, { error: { code: 'NotFound', message: `no route for ${req.method} ${path}` } });

    const fault = this.faults.get(call.method)?.shift();
    if (fault) {
      this.record({ ...call, at: Date.now(), faulted: true });
      const code = fault.code ?? (fault.status === 429 ? 'TooManyRequests' : fault.status === 403 ? 'BotNotInConversationRoster' : 'ServiceError');
      return send(fault.status, { error: { code, message: `fake ${fault.status}` } }, fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {});
    }
    this.record({ ...call, at: Date.now() });
    if (call.method === 'send' || call.method === 'update') this.cardProblems.push(...activityProblems(raw).map((p) => `${call.method} ${call.conversationId}: ${p}`));
    switch (call.method) {
      case 'createConversation': {
        const member = ((body.members as { id: string }[] | undefined) ?? [])[0];
        if (!member || !body.tenantId) return send(400, { error: { code: 'BadSyntax', message: 'members and tenantId are required' } });
        return send(201, { id: `a:1on1-${member.id}` });
      }
      case 'send':
        // In a channel, a new post's id also names its thread (conversation id + ";messageid=<id>").
        return send(201, { id: String(++this.seq) });
      case 'update':
        return send(200, { id: call.activityId });
      case 'getMember': {
        // The service takes a member's Bot Framework id or their Entra object id.
        const member = [...this.members.values()].find((x) => x.id === call.activityId || x.aadObjectId === call.activityId);
        if (!member) return send(404, { error: { code: 'MemberNotFoundInConversation', message: 'not a member' } });
        return send(200, { id: member.id, aadObjectId: member.aadObjectId, name: member.name, email: member.email, userPrincipalName: member.email, tenantId: member.tenantId ?? this.tenantId });
      }
      case 'pagedMembers': {
        const keys = this.teams.get(call.conversationId);
        if (!keys) return send(404, { error: { code: 'ConversationNotFound', message: 'no such team' } });
        const start = Number(call.body.continuationToken ?? 0);
        const page = keys.slice(start, start + this.rosterPageSize).flatMap((k) => {
          const x = this.members.get(k);
          return x ? [{ id: x.id, objectId: x.aadObjectId, name: x.name, email: x.email, userPrincipalName: x.email, tenantId: x.tenantId ?? this.tenantId, userRole: 'user' }] : [];
        });
        const next = start + this.rosterPageSize < keys.length ? String(start + this.rosterPageSize) : undefined;
        return send(200, { members: page, ...(next ? { continuationToken: next } : {}) });
      }
    }
  }
}
