// The bot's services in memory for unit tests of handlers and jobs: the memory repository and
// outbox, the real people directory over them, a recording chart and document renderer, a clock
// the test moves, Slack channels — and a small council (test/support/council.ts) to work on,
// everyone in it linked on Slack as U<their id>. Plus readers for what a handler answered.
import { beforeEach } from 'vitest';
import type { Action, Block, CommandResult, Form, Message } from '../../src/messages/types.ts';
import type { Actor, ChannelAccess, ChartRenderer, CommandDeps, DocumentRenderer, PeopleFinder, PersonRecord, PlatformName } from '../../src/ports.ts';
import { silentLogger } from '../../src/log.ts';
import { MemoryRepository } from './memory/repository.ts';
import { MemoryOutbox } from './memory/outbox.ts';
import { PeopleDirectory } from '../../src/people/directory.ts';
import { registerSchema, type RegisterInput, type WriteSummary } from '../../src/register/types.ts';
import { TestClock } from './clock.ts';
import { aCouncil, type Council } from './council.ts';

/** Charts drawn as a few bytes, with what was asked for. */
export class RecordingCharts implements ChartRenderer {
  readonly specs: Parameters<ChartRenderer['render']>[0][] = [];
  async render(spec: Parameters<ChartRenderer['render']>[0]) {
    this.specs.push(spec);
    return { png: Buffer.from('\x89PNG chart'), altText: 'chart', width: 600, height: 300, filename: 'chart.png' };
  }
}

/** PDFs as "%PDF-" and the page's title, with each page and footer asked for. */
export class RecordingDocuments implements DocumentRenderer {
  readonly pages: { html: string; footer: string }[] = [];
  async pdf(html: string, opts: { footer: string }) {
    this.pages.push({ html, footer: opts.footer });
    return new TextEncoder().encode(`%PDF-1.4 ${/<title>(.*?)<\/title>/.exec(html)?.[1] ?? ''}`);
  }
}

/**
 * Slack channels as a workspace has them, answering in the words the Slack transport uses
 * (src/platforms/slack/people.ts): public channels are joined, a private one the bot is not in is
 * invisible to it (invite it first), a direct message is no place for alerts.
 */
export class FakeChannels implements ChannelAccess {
  readonly platform = 'slack' as const;
  readonly joined: string[] = [];
  constructor(private readonly publicChannels: Record<string, string> = { CPERF: 'performance', CDIR: 'directorate' }) {}
  async prepare(channelId: string) {
    if (/^D/.test(channelId)) return { ok: false as const, reason: 'Alerts go to channels, not direct messages: type `/kpi subscribe` in the channel that should get them.' };
    const name = this.publicChannels[channelId];
    if (!name) return { ok: false as const, reason: 'I am not in this private channel, so I cannot post here. Invite me with `/invite @kpi`, then type `/kpi subscribe` again.' };
    if (!this.joined.includes(channelId)) this.joined.push(channelId);
    return { ok: true as const, name };
  }
  async nameOf(channelId: string) {
    return this.publicChannels[channelId] ?? null;
  }
}

/**
 * Slack's users.lookupByEmail and users.info over a workspace's members (e-mail → user id), counting
 * the lookups: an id that is nobody's is "no such user", as Slack answers it.
 */
export class FakeFinder implements PeopleFinder {
  readonly platform = 'slack' as const;
  readonly label = 'Slack';
  readonly asked: string[] = [];
  readonly confirmed: string[] = [];
  constructor(private readonly members: Record<string, string>) {}
  async findByEmail(email: string) {
    this.asked.push(email);
    return this.members[email.toLowerCase()] ?? null;
  }
  notFound(email: string) {
    return `no Slack member has the e-mail ${email}`;
  }
  async confirm(userId: string, email: string) {
    this.confirmed.push(userId);
    const theirs = Object.entries(this.members).find(([, id]) => id === userId)?.[0];
    if (!theirs) return { verdict: 'no' as const, why: `Slack has no user ${userId}` };
    return theirs === email.toLowerCase() ? { verdict: 'yes' as const } : { verdict: 'no' as const, why: `Slack user ${userId} has another e-mail address` };
  }
}

export interface TestBot {
  deps: CommandDeps;
  repo: MemoryRepository;
  outbox: MemoryOutbox;
  directory: PeopleDirectory;
  clock: TestClock;
  charts: RecordingCharts;
  documents: RecordingDocuments;
  council: Council;
  /** Who is asking: a register person (or nobody) on Slack, in a channel when given. */
  as(person: PersonRecord | null, over?: Partial<Actor>): Actor;
  /** Write more of a register (as an import would, by the system, now). */
  load(reg: RegisterInput): Promise<WriteSummary>;
}

export interface BotOptions {
  /** The clock (default: Monday 5 February 2018, 09:00 UTC — 2017/18 Q3 has ended, Q4 has begun). */
  now?: string;
  /** More of the council's register. */
  register?: (tag: string) => Partial<RegisterInput>;
  /** Platforms delivered on, in order (default Slack), and who can be looked up there. */
  platforms?: PlatformName[];
  finders?: PeopleFinder[];
  /** Default: Slack's FakeChannels (public #performance CPERF and #directorate CDIR; any other channel private). */
  channels?: Partial<Record<PlatformName, ChannelAccess>>;
}

/** The bot's services on an empty memory repository (no council): for a register of a test's own, such as the demo. */
export function botServices(o: Omit<BotOptions, 'register'> = {}): Omit<TestBot, 'council' | 'as' | 'load'> {
  const clock = new TestClock(new Date(o.now ?? '2018-02-05T09:00:00Z'));
  const repo = new MemoryRepository({ clock });
  const directory = new PeopleDirectory({ repo, platforms: o.platforms ?? ['slack'], finders: o.finders ?? [], holder: 'unit-test', log: silentLogger });
  const outbox = new MemoryOutbox(repo.store, repo, directory);
  const charts = new RecordingCharts();
  const documents = new RecordingDocuments();
  // Import files read on the test's thread (as KPI_IMPORT_THREAD=off): test/unit/import/off-thread.test.ts proves the import thread.
  const deps: CommandDeps = { repo, clock, charts, documents, outbox, log: silentLogger, directory, channels: o.channels ?? { slack: new FakeChannels() }, importReadOn: 'this-thread' };
  return { deps, repo, outbox, directory, clock, charts, documents };
}

export async function aBot(o: BotOptions = {}): Promise<TestBot> {
  const { deps, repo, outbox, directory, clock, charts, documents } = botServices(o);
  const council = await aCouncil(repo, o.register ?? {}, clock.now());
  // Everyone in the council has written to the bot on Slack once: messages to them are deliverable there.
  for (const p of [council.admin, council.director, council.owner, council.deputy, council.officer]) {
    await repo.linkPlatformUser(p.id, 'slack', `U${p.id}`, { linkedBy: 'first-contact', at: clock.now() });
    p.identities = { slack: `U${p.id}` };
  }
  const as = (person: PersonRecord | null, over: Partial<Actor> = {}): Actor => ({ platform: 'slack', userId: person ? `U${person.id}` : 'UNKNOWN', person, ...over });
  const load = (reg: RegisterInput) => repo.writeRegister(registerSchema.parse(reg), { source: 'test', at: clock.now(), actorId: null, actorLabel: 'test' });
  return { deps, repo, outbox, directory, clock, charts, documents, council, as, load };
}

/** For a describe block: a fresh bot before each test (its fields are those of the current test's bot). */
export function useBot(o: BotOptions = {}): TestBot {
  const ctx = {} as TestBot;
  beforeEach(async () => {
    Object.assign(ctx, await aBot(o));
  });
  return ctx;
}

// ---- reading what a handler answered ----

function blockText(b: Block): string[] {
  switch (b.type) {
    case 'header':
    case 'text':
    case 'context':
      return [b.text];
    case 'fields':
      return b.fields.map((f) => `${f.label}: ${f.value}`);
    case 'table':
      return [b.columns.join(' | '), ...b.rows.map((r) => r.join(' | '))];
    case 'actions':
      return b.actions.map((a) => `[${a.label}]`);
    case 'chart':
      return [`(chart: ${b.title ?? ''})`];
    case 'file':
      return [`(file: ${b.file.filename})`];
    case 'divider':
      return [];
  }
}

const messageText = (m: Message) => [m.text, ...m.blocks.flatMap(blockText)].join('\n');
const formText = (f: Form) => [f.title, ...(f.intro ?? []).flatMap(blockText), ...f.fields.map((x) => `${x.label}${x.hint ? ` (${x.hint})` : ''}`)].join('\n');

/** Everything a person reads in an answer (a message, a form, the errors on a form), as one text. */
export function said(r: CommandResult): string {
  switch (r.kind) {
    case 'message':
    case 'deferred':
      return messageText(r.message);
    case 'form-done':
      return messageText(r.message);
    case 'form':
    case 'form-update':
      return formText(r.form);
    case 'form-errors':
      return Object.entries(r.errors).map(([k, v]) => `${k}: ${v}`).join('\n');
    case 'options':
      return r.options.map((x) => x.label).join('\n');
    case 'none':
      return '';
  }
}

/** The message of an answer (throws when the answer is not one). */
export function messageOf(r: CommandResult): Message {
  if (r.kind === 'message' || r.kind === 'form-done' || r.kind === 'deferred') return r.message;
  throw new Error(`expected a message, got ${r.kind}: ${said(r)}`);
}

/** The buttons of an answer's message. */
export function buttons(r: CommandResult): Action[] {
  return messageOf(r).blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
}

/** The form of an answer (a new one, or one replacing the open form). */
export function formOf(r: CommandResult): Form {
  if (r.kind === 'form' || r.kind === 'form-update') return r.form;
  throw new Error(`expected a form, got ${r.kind}: ${said(r)}`);
}

/** What a deferred answer delivers once its slow work is done. */
export async function later(r: CommandResult): Promise<CommandResult> {
  if (r.kind !== 'deferred') throw new Error(`expected a deferred answer, got ${r.kind}`);
  return r.result();
}
