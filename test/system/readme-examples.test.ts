// The README's and docs' examples run as written on the demo, on its own date: the quick-start listing
// typed line by line into the console (as the people it names, answering the form's prompts it shows), the
// intro's commands as the people its bullets name, every example /kpi help gives, the absences of the
// performance team's People section, and every complete `npm run kpi -- …` command in README.md and
// docs/*.md through the admin CLI — none answered with an error.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommandResult } from '../../src/messages/types.ts';
import type { Actor, CommandDeps } from '../../src/ports.ts';
import { NotInRegisterError } from '../../src/errors.ts';
import { silentLogger } from '../../src/log.ts';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestClock, useConsoleDemo, withDemo, type ConsoleHarness } from '../support/app.ts';
import { runKpi } from '../support/cli.ts';

// Every error a command, button or form answers with (a user error said to the person, or a bug) passes
// through commands/errors.ts: record each, whatever its wording. Files in a test process share their
// modules (isolate: false), so this mock stays in place for the files run after this one there: it must
// change nothing but what it records, every argument passed on (it once dropped `answering`'s actor, and
// a later file's person whose account was held for an admin was told they were not in the register).
const errors = vi.hoisted(() => [] as string[]);
vi.mock('../../commands/errors.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../commands/errors.ts')>();
  const record = async (fn: () => Promise<CommandResult>): Promise<CommandResult> => {
    try {
      const r = await fn();
      return r.kind === 'deferred' ? { ...r, result: () => record(r.result) } : r;
    } catch (e) {
      errors.push((e as Error).message);
      throw e;
    }
  };
  return { ...m, answering: (...[deps, fn, ...rest]: Parameters<typeof m.answering>) => m.answering(deps, () => record(fn), ...rest) };
});

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const README = read('README.md');
/** The README and every document under docs/, by path. */
const DOCS = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** A section of a document (the README unless named), from its heading to the next of the same level. */
function section(heading: string, file = 'README.md'): string {
  const text = read(file);
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`${file} has no "${heading}"`);
  const level = heading.split(' ')[0]!;
  const end = text.indexOf(`\n${level} `, start + heading.length + 2);
  return text.slice(start, end < 0 ? undefined : end);
}

/** A line of the listing without its comment: the comment is in brackets after two or more spaces. */
const withoutComment = (line: string) => line.replace(/\s{2,}\(.*\)\s*$/, '').trimEnd();

/** What the console printed that says something went wrong, whatever the command. */
const CONSOLE_TROUBLE = [/Sorry/, /There is no button/, /No one called/, /^\s+✗ /m, /not linked to anyone/];

/** Runs lines as typed, and fails on any error answer or a form prompt the listing does not show. */
class Typist {
  readonly transcript: string[] = [];
  constructor(private readonly con: ConsoleHarness) {}

  async type(line: string): Promise<string> {
    const before = errors.length;
    const out = await this.con.type(line);
    this.transcript.push(`> ${line}\n${out}`);
    expect(errors.slice(before), `"${line}" was answered with an error:\n${out}`).toEqual([]);
    for (const re of CONSOLE_TROUBLE) expect(out, `"${line}"`).not.toMatch(re);
    return out;
  }
}

/** Still at a form's prompt ("Label [kept]: "), not back at "kpi> ". */
const atFormPrompt = (out: string) => /: $/.test(out);

describe.each(backends('pglite'))('the README’s examples on the demo (%s)', (backend) => {
  // The demo's own date, as the console shows it on any machine.
  const clock = new TestClock(new Date('2018-01-15T10:00:00Z'));
  // One console on the demo for the quick-start listing and then the intro's and the guides' commands
  // (which expect no particular state of the demo, only no error): as a reader types them after it.
  const app = useConsoleDemo(backend, clock);

  describe('the quick-start listing, typed as written', () => {
    let con: ConsoleHarness;
    beforeAll(() => {
      ({ con } = app);
    });

    it('runs every line in order, as the people it names, with no error', async () => {
      const listing = /```\n(kpi> [\s\S]*?)```/.exec(section('## Quick start'))?.[1];
      expect(listing, 'the Quick start has a console listing').toBeTruthy();
      const lines = listing!.trimEnd().split('\n');
      expect(lines.at(-1)).toBe('kpi> quit');
      const t = new Typist(con);
      let out = '';
      const asked: string[] = [];
      for (const raw of lines.slice(0, -1)) {
        if (raw.startsWith('kpi> ')) {
          expect(atFormPrompt(out), `a form is still asking (${out.split('\n').at(-1)}) before "${raw}"`).toBe(false);
          out = await t.type(withoutComment(raw.slice('kpi> '.length)));
          asked.push(raw);
          continue;
        }
        // A form's prompt and its answer: the console must be asking exactly that.
        const m = /^([^:]+): ?(.*)$/.exec(withoutComment(raw));
        expect(m, `"${raw}" is neither a command nor "Prompt: answer"`).toBeTruthy();
        const prompt = out.split('\n').at(-1)!;
        expect(prompt.startsWith(m![1]!), `the console asks "${prompt}", the README shows "${m![1]}"`).toBe(true);
        out = await t.type(m![2]!);
      }
      expect(atFormPrompt(out)).toBe(false);
      // What the listing says each line does, it did.
      const all = t.transcript.join('\n');
      expect(all).toContain('Corrected sickness-absence for 2017/18 Q3 (Oct–Dec 2017): 10.49 days → 10.2 days (estimated)');
      expect(all).toContain('84 days is 8× anything sickness-absence has had');
      expect(all).toContain('Saved 8.4 days for sickness-absence, 2017/18 Q4 (Jan–Mar 2018)');
      expect(all).toContain('Saved 44 (estimated) for new-volunteers, 2017/18 Q2 (Jul–Sep 2017)');
      expect(all).toMatch(/File: \S+\.pdf/);
      expect(asked.length).toBeGreaterThanOrEqual(10);
    });
  });

  describe('the intro’s commands and the help’s examples', () => {
    let con: ConsoleHarness;
    beforeAll(() => {
      ({ con } = app);
    });

    /** Who the intro's bullets speak of, in the demo. */
    const PERSON: Record<string, string> = { Officers: 'Lucy Chambers', Anyone: 'Lucy Chambers', 'Performance teams': 'Priya Shah', Directors: 'Tom Brennan', 'Action owners': 'Emma Walsh', 'Risk owners': 'Olu Adeyemi' };

    const runAs = async (t: Typist, person: string, command: string) => {
      await t.type(`as ${person}`);
      const out = await t.type(command);
      // A command that opens a form (`/kpi submit`, `/kpi import`): leave it.
      if (atFormPrompt(out)) await con.type('cancel');
    };

    it('the intro: each bullet’s commands, as that person', async () => {
      const intro = README.slice(0, README.indexOf('\n## '));
      const bullets = intro.split('\n- ').slice(1);
      expect(bullets.length).toBeGreaterThanOrEqual(4);
      const t = new Typist(con);
      let ran = 0;
      for (const b of bullets) {
        const who = /^\*\*([^*]+)\*\*/.exec(b)?.[1];
        expect(who && PERSON[who], `who is "${who}" in the demo?`).toBeTruthy();
        for (const [, cmd] of b.matchAll(/`(\/kpi [^`]*)`/g)) {
          if (/[<[…]/.test(cmd!)) continue;
          await runAs(t, PERSON[who!]!, cmd!);
          ran++;
        }
      }
      expect(ran).toBeGreaterThanOrEqual(7);
    });

    it('every example /kpi help gives, as the performance admin who sees them all', async () => {
      const t = new Typist(con);
      await t.type('as Priya Shah');
      const help = await t.type('/kpi help');
      const examples = [...(/Examples: (.*)/.exec(help)?.[1] ?? '').matchAll(/(\/kpi [^·]*?)(?:\s·|$)/g)].map((m) => m[1]!.trim());
      expect(examples.length).toBeGreaterThanOrEqual(5);
      for (const e of examples) await runAs(t, 'Priya Shah', e);
    });

    it('the People section’s absences (the performance team’s guide), as an officer', async () => {
      const t = new Typist(con);
      const people = section('## People and how the bot reaches them', 'docs/performance-team.md');
      const absence = /`(\/kpi away until [^`]*)` \(or a date such as `([^`]+)`, `([^`]+)`\)/.exec(people);
      expect(absence).toBeTruthy();
      for (const cmd of [absence![1]!, `/kpi away until ${absence![2]}`, `/kpi away until ${absence![3]}`, '/kpi back']) await runAs(t, 'Lucy Chambers', cmd);
    });

    it('the officers’ and directors’ guide: every command in its table, as the person its row is for', async () => {
      /** Who each row of docs/using-kpi-bot.md's table is for, in the demo: an officer unless the row says otherwise. */
      const ROW_PERSON: Record<string, string> = { 'report on an action': 'Emma Walsh', 'review a risk': 'Olu Adeyemi' };
      const table = section('## The commands', 'docs/using-kpi-bot.md');
      const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| to…'));
      expect(rows.length).toBeGreaterThanOrEqual(10);
      const t = new Typist(con);
      let ran = 0;
      for (const row of rows) {
        const what = row.split('|')[1]!.trim();
        const person = ROW_PERSON[what] ?? (what.includes('(directors)') ? 'Tom Brennan' : 'Lucy Chambers');
        for (const [, cmd] of row.matchAll(/`(\/kpi [^`]*)`/g)) {
          if (/[<[…]/.test(cmd!)) continue;
          await runAs(t, person, cmd!);
          ran++;
        }
      }
      expect(ran).toBeGreaterThanOrEqual(12);
    });
  });

  describe('the admin CLI examples', () => {
    // The machine's clock: years after the demo's own date, which the CLI goes by.
    const machine = new TestClock(new Date('2026-03-02T10:00:00Z'));
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(backend);
      await withDemo(db);
      return () => db.close();
    });

    /** Every complete `npm run kpi -- …` command in the README and docs/ (not a synopsis with <placeholders>, nor a file of your own), each once. */
    function cliExamples(): string[][] {
      const out: string[][] = [];
      const seen = new Set<string>();
      for (const [, args] of DOCS.map(read).join('\n').matchAll(/`npm run (?:--silent )?kpi -- ([^`]*)`/g)) {
        if (/[<[…]/.test(args!)) continue;
        const argv = [...args!.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
        const file = argv.find((a) => /\.(xlsx|csv|json)$/.test(a));
        if (file && !existsSync(path.join(ROOT, file))) continue; // register.xlsx: the council's own
        if (seen.has(argv.join(' '))) continue; // the same command in two documents
        seen.add(argv.join(' '));
        out.push(argv);
      }
      return out;
    }

    /** Step 1 of the Teams section, for its package (which reads the environment itself; no Teams is called). */
    const teamsConfigured = () => {
      vi.stubEnv('TEAMS_APP_ID', '00000000-0000-0000-0000-0000000000a1');
      vi.stubEnv('KPI_PUBLIC_URL', 'https://kpi.example.gov.uk');
      vi.stubEnv('KPI_OUT_DIR', mkdtempSync(path.join(os.tmpdir(), 'kpi-readme-')));
    };

    it('each runs as written and exits 0', async () => {
      expect(DOCS).toEqual(expect.arrayContaining(['docs/operating.md', 'docs/performance-team.md', 'docs/contributing.md', 'docs/using-kpi-bot.md']));
      const examples = cliExamples();
      expect(examples.map((a) => a[0])).toEqual(expect.arrayContaining(['demo', 'evaluate', 'import', 'forecast', 'report', 'people']));
      for (const argv of examples) {
        if (argv[0] === 'teams-package') teamsConfigured();
        try {
          const r = await runKpi(argv[0] === 'evaluate' ? null : db, argv, {}, machine);
          expect(r.code, `kpi ${argv.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
        } finally {
          vi.unstubAllEnvs();
        }
      }
    });
  });
});

describe('recording the errors answered', () => {
  // The mock above outlives this file in its test process: it may record, and must change nothing else.
  it('passes every argument on: a person whose account is held is still told why', async () => {
    const { answering } = await import('../../commands/errors.ts');
    const held = 'Your e-mail address is in the indicator register, but …';
    const actor: Actor = { platform: 'slack', userId: 'U2', person: null, held };
    const before = errors.length;
    const r = await answering({ log: silentLogger } as CommandDeps, () => Promise.reject(new NotInRegisterError('You are not in the indicator register yet.')), actor);
    expect(JSON.stringify(r)).toContain(held);
    expect(errors.slice(before)).toEqual(['You are not in the indicator register yet.']);
  });
});
