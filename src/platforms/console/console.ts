// The local console transport: type /kpi commands, read the replies as text. Charts are written
// as PNG files whose paths are printed; scheduled posts print here too. Same handlers and conversation core as every platform.
import { demoDateLine } from '../../demo/clock.ts';
import { createInterface } from 'node:readline';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { genericFailure } from '../../outbox/failure.ts';
import type { Actor, CommandDeps, DeliveryFailure, Dispatcher, IncomingFile, MessageTarget, Messenger, PersonRecord, SentMessage } from '../../ports.ts';
import type { CommandResult, Form, Message } from '../../messages/types.ts';
import { fieldLabel, mentionedPeople } from '../../messages/build.ts';
import { renderMessage, terminalText, type RenderedText } from './render.ts';
import { deliver, type Replies } from '../core/conversation.ts';

export interface ConsoleOptions {
  /** Where it prints (built before the services: scheduled posts print there too). */
  screen: ConsoleScreen;
  deps: CommandDeps;
  dispatcher: Dispatcher;
  input: Readable;
  /** Who the console speaks as at first (email, name or a platform user id); default: the first performance admin. */
  user?: string;
  prompt?: string;
  /** After each command: send what it queued (a request to approve, a review), so it prints now rather than at the next minute's send. */
  afterCommand?: () => Promise<void>;
}

const CONSOLE_HELP = `Console: type a command as in chat, e.g. /kpi help, /kpi show sickness-absence (the leading /kpi is optional).
  as <email or name>   speak as another person from the register (who am I: "whoami")
  1, 2, …              press the numbered button of the last reply
  quit                 leave`;

/** Write a message's files under `outDir` and say where. */
async function writeFiles(files: RenderedText['files'], outDir: string, write: (s: string) => void): Promise<void> {
  for (const f of files) {
    await mkdir(outDir, { recursive: true });
    const file = path.join(outDir, path.basename(f.filename));
    await writeFile(file, Buffer.from(f.base64, 'base64'));
    write(`File: ${file}  (${f.title})`);
  }
}

/** A file named at a form prompt, read from disk when the command asks for it. */
async function localFile(p: string): Promise<IncomingFile | null> {
  const resolved = path.resolve(p.replace(/^~(?=\/)/, process.env.HOME ?? '~'));
  try {
    const s = await stat(resolved);
    if (!s.isFile()) return null;
    return { name: resolved, size: s.size, read: async () => new Uint8Array(await readFile(resolved)) };
  } catch {
    return null;
  }
}

/** Lines from the input, queued so none is lost when input is piped faster than it is read. */
export class LineReader {
  private queue: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private closed = false;

  constructor(input: Readable) {
    const rl = createInterface({ input, terminal: false });
    rl.on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(line);
      } else this.queue.push(line);
    });
    rl.on('close', () => {
      this.closed = true;
      this.waiting?.(null);
      this.waiting = null;
    });
  }

  /** The next line, or null at the end of input. */
  next(): Promise<string | null> {
    if (this.queue.length) return Promise.resolve(this.queue.shift()!);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

/**
 * What the console prints to: replies, forms' prompts and the scheduled posts (alerts, chases) alike.
 * The buttons of the last message printed are the ones a number presses.
 */
export class ConsoleScreen implements MessageSink {
  lastActions: RenderedText['actions'] = [];
  private chartCount = 0;
  private names = new Map<number, string>();

  constructor(
    private readonly o: {
      output: Writable;
      /** Where chart PNGs are written. */
      outDir: string;
      repo: Pick<CommandDeps['repo'], 'people'>;
      charts: CommandDeps['charts'];
    },
  ) {}

  /** Everything printed goes through terminalText: nothing anyone typed can move the cursor, recolour or rewrite the screen. */
  write(s: string) {
    const t = terminalText(s);
    this.o.output.write(t.endsWith('\n') ? t : t + '\n');
  }

  /** A prompt: printed without a line break, the answer typed after it. */
  ask(s: string) {
    this.o.output.write(terminalText(s));
  }

  private async mentionNames(): Promise<void> {
    for (const p of await this.o.repo.people()) this.names.set(p.id, p.displayName);
  }

  /** Print a message and write its charts as PNG files. */
  async show(msg: Message, heading?: string): Promise<void> {
    // Names are read only for a message that mentions someone: "not saved" prints without the database.
    if (!this.names.size && mentionedPeople(msg).length) await this.mentionNames();
    const r = renderMessage(msg, (id) => this.names.get(id) ?? `person ${id}`);
    if (heading && /person:\d/.test(heading) && !this.names.size) await this.mentionNames();
    if (heading) this.write(`--- ${namedHeading(heading, this.names)} ---`);
    this.write(r.text);
    this.lastActions = r.actions;
    for (const c of r.charts) {
      const rendered = await this.o.charts.render(c.chart);
      await mkdir(this.o.outDir, { recursive: true });
      const file = path.join(this.o.outDir, `chart-${Date.now()}-${++this.chartCount}.png`);
      await writeFile(file, rendered.png);
      this.write(`Chart: ${file}\n  (${rendered.altText})`);
    }
    await writeFiles(r.files, this.o.outDir, (x) => this.write(x));
  }
}

export class ConsoleSession {
  private person: PersonRecord | null = null;

  constructor(private readonly opts: ConsoleOptions) {}

  private write(s: string) {
    this.opts.screen.write(s);
  }

  private show(msg: Message): Promise<void> {
    return this.opts.screen.show(msg);
  }

  private actor(): Actor {
    return { platform: 'console', userId: this.person?.email ?? 'console', person: this.person, channelId: 'console' };
  }

  async setUser(who?: string): Promise<void> {
    const { repo } = this.opts.deps;
    const person = who ? await repo.personByPlatformUser('console', who) : ((await repo.people({ role: 'admin' }))[0] ?? null);
    if (who && !person) {
      this.write(`No one called "${who}" is in the register. Try an email address from \`/kpi list\` owners, or "as" with a name.`);
      return;
    }
    this.person = person;
    this.write(person ? `You are ${person.displayName} (${person.role}${person.email ? `, ${person.email}` : ''}).` : 'You are not linked to anyone in the register: you can look, not submit.');
  }

  private async fillForm(rl: LineReader, form: Form): Promise<CommandResult> {
    this.write(`--- ${form.title} --- (Enter keeps the value in [brackets]; "cancel" stops)`);
    if (form.intro) await this.show({ text: form.title, blocks: form.intro });
    const values: Record<string, string | string[]> = {};
    const files: Record<string, IncomingFile[]> = {};
    for (const f of form.fields) {
      const initial = Array.isArray(f.initial) ? f.initial.join(',') : (f.initial ?? '');
      const shownInitial = f.initialLabel ?? initial;
      const opts = f.options ? ` (${f.options.map((o) => o.value).join(' / ')})` : '';
      this.opts.screen.ask(`${fieldLabel(f)}${opts}${shownInitial ? ` [${shownInitial}]` : ''}: `);
      const line = await rl.next();
      if (line === null) return { kind: 'none' };
      const answer = line.trim();
      if (answer.toLowerCase() === 'cancel') return { kind: 'none' };
      const v = answer || initial;
      if (f.kind === 'file') {
        const file = v ? await localFile(v) : null;
        if (v && !file) this.write(`  ✗ ${v}: no such file.`);
        files[f.id] = file ? [file] : [];
        values[f.id] = file ? file.name : '';
        continue;
      }
      values[f.id] = f.kind === 'checkboxes' ? v.split(/[,\s]+/).filter(Boolean) : v;
    }
    return this.opts.dispatcher.submitForm(this.actor(), form.id, form.state, values, files);
  }

  /** The console's replies to the conversation core: everything is printed here; forms are filled in at the prompt. */
  private replies(rl: LineReader): Replies<null> {
    const replies: Replies<null> = {
      inConversation: (_, msg) => this.show(msg),
      privately: (_, msg) => this.show(msg),
      // Filled in at the prompt until it is accepted or cancelled; wrong fields are said and the form asked again.
      form: async (_, form) => {
        for (;;) {
          const r = await this.fillForm(rl, form);
          if (r.kind !== 'form-errors') return deliver(replies, r, null);
          for (const [field, err] of Object.entries(r.errors)) this.write(`  ✗ ${field}: ${err}`);
        }
      },
    };
    return replies;
  }

  /** Show a command's result (through the same conversation core as every platform). */
  handle(rl: LineReader, result: CommandResult): Promise<void> {
    return deliver(this.replies(rl), result, null);
  }

  async line(rl: LineReader, raw: string): Promise<boolean> {
    const input = raw.trim();
    if (!input) return true;
    if (/^(quit|exit|\\q)$/i.test(input)) return false;
    if (/^console\s+help$/i.test(input)) {
      this.write(CONSOLE_HELP);
      return true;
    }
    if (/^whoami$/i.test(input)) {
      await this.setUser(this.person?.email ?? undefined);
      return true;
    }
    const as = /^as\s+(.+)$/i.exec(input);
    if (as) {
      await this.setUser(as[1]!.trim());
      return true;
    }
    if (/^\d+$/.test(input)) {
      const a = this.opts.screen.lastActions[Number(input) - 1];
      if (!a) {
        this.write(`There is no button ${input} on the last reply.`);
        return true;
      }
      await this.handle(rl, await this.opts.dispatcher.action(this.actor(), a.id, a.value));
      await this.sendQueued();
      return true;
    }
    await this.handle(rl, await this.opts.dispatcher.slash(this.actor(), input));
    await this.sendQueued();
    return true;
  }

  /** What the command queued for others prints after its reply; the reply's own buttons stay the ones numbered (a message with none leaves the new message's). */
  private async sendQueued(): Promise<void> {
    if (!this.opts.afterCommand) return;
    const { screen } = this.opts;
    const replied = screen.lastActions;
    await this.opts.afterCommand();
    if (replied.length) screen.lastActions = replied;
  }

  async run(): Promise<void> {
    const rl = new LineReader(this.opts.input);
    this.write(`kpi-bot console. ${CONSOLE_HELP}`);
    const dated = demoDateLine(await this.opts.deps.repo.org(), this.opts.deps.clock.now());
    if (dated) this.write(dated);
    await this.setUser(this.opts.user);
    const prompt = this.opts.prompt ?? 'kpi> ';
    for (;;) {
      this.opts.screen.ask(prompt);
      const raw = await rl.next();
      if (raw === null) break;
      try {
        if (!(await this.line(rl, raw))) break;
      } catch (e) {
        this.opts.deps.log.error({ err: e }, 'console command failed');
        this.write('Sorry, that failed unexpectedly; the error is in the log.');
      }
    }
    this.write('');
  }
}

/** "DM to person:8" as "DM to Sarah Whitfield". */
function namedHeading(heading: string, names: Map<number, string>): string {
  return heading.replace(/person:(\d+)/g, (_, id: string) => names.get(Number(id)) ?? `person ${id}`);
}

/** Anything that can print a message under a heading: the console session, or `kpi job`'s stdout. */
export interface MessageSink {
  show(message: Message, heading?: string): Promise<void>;
}

/** Prints messages (and writes their charts as PNG files) to a stream, outside a console session. */
export class StreamSink implements MessageSink {
  private charts = 0;
  constructor(
    private readonly repo: CommandDeps['repo'],
    private readonly charts_: CommandDeps['charts'],
    private readonly output: Writable,
    private readonly outDir: string,
  ) {}

  async show(message: Message, heading?: string): Promise<void> {
    const names = new Map((await this.repo.people()).map((p) => [p.id, p.displayName]));
    const r = renderMessage(message, (id) => names.get(id) ?? `person ${id}`);
    if (heading) this.output.write(`--- ${terminalText(namedHeading(heading, names))} ---\n`);
    this.output.write(`${r.text}\n`);
    for (const c of r.charts) {
      const rendered = await this.charts_.render(c.chart);
      await mkdir(this.outDir, { recursive: true });
      const file = path.join(this.outDir, `chart-${process.pid}-${++this.charts}.png`);
      await writeFile(file, rendered.png);
      this.output.write(`Chart: ${file}\n  (${rendered.altText})\n`);
    }
    await writeFiles(r.files, this.outDir, (x) => this.output.write(`${terminalText(x)}\n`));
    this.output.write('\n');
  }
}

/** Scheduled posts (alerts, chases, digests) printed on the console. */
export class ConsoleMessenger implements Messenger {
  readonly platform = 'console' as const;
  private seq = 0;
  constructor(private readonly session: MessageSink) {}

  async post(target: MessageTarget, message: Message, opts?: { threadOf?: SentMessage }): Promise<SentMessage> {
    const id = `console-${++this.seq}`;
    const where = target.kind === 'channel' ? `#${target.id}` : `DM to ${target.id}`;
    await this.session.show(message, opts?.threadOf ? `${where} (thread reply)` : where);
    return { messageId: id, channel: target.id };
  }

  /** The edited message printed again, its charts drawn again with it. */
  async update(sent: SentMessage, message: Message): Promise<void> {
    await this.session.show(message, `#${sent.channel} (message ${sent.messageId} updated)`);
  }

  /** Printing fails only when the terminal has gone: try again later. */
  classify(e: unknown): DeliveryFailure {
    return genericFailure(e);
  }
}
