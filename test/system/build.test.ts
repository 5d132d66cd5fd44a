// The compiled build (`npm run build`, bin/build.ts): plain JavaScript that runs with node alone — the
// bot, its worker threads, the admin CLI and a job — from a project root that holds nothing of the
// sources (package.json, prisma/ and node_modules beside dist/, as a production install has them).
// The build is the one the integration and system set-up prepares once per run for every child process
// (test/setup/build.ts); the TypeScript entry points still run from the sources through tsx.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRoot } from '../support/children.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
// A deadline, not a budget: the first start of a new build prepares its database image beside it
// (initdb, the migrations and the demo, ~20 s on a busy 2-core machine); later runs of the same build copy it.
const DEADLINE = 180_000;

/** Run `cmd <args>` in `cwd` with the embedded database under `dir`, no chat platform, `input` on stdin. */
function run(cmd: string, args: string[], cwd: string, dir: string, input = ''): Promise<{ code: number | null; out: string; err: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(SLACK_|TEAMS_|DATABASE_URL|KPI_|NODE_OPTIONS|VITEST)/.test(k)) env[k] = v;
  Object.assign(env, { KPI_DATA_DIR: path.join(dir, 'pglite'), KPI_OUT_DIR: path.join(dir, 'out'), LOG_LEVEL: 'warn' });
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
    child.stdin.end(input);
  });
}
const node = (args: string[], cwd: string, dir: string, input = '') => run(process.execPath, args, cwd, dir, input);

/** Every file under `dir`, as a path from it. */
const filesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));

describe('the compiled build', () => {
  const app = buildRoot();
  let data: string;
  let files: string[];
  beforeAll(() => {
    data = mkdtempSync(path.join(tmpdir(), 'kpi-build-'));
    files = filesUnder(path.join(app, 'dist')).map((f) => path.join(app, 'dist', f));
  });
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it('is one bundle per entry point and per worker (and chunks they share or load later), with no TypeScript left to load', () => {
    const entries = files.map((f) => path.relative(app, f)).filter((f) => !/^dist\/[\w-]+-[A-Z0-9]{8}\.js$/.test(f));
    expect(entries.sort()).toEqual(['dist/kpi.js', 'dist/main.js', 'dist/workers/parse-worker.js', 'dist/workers/pglite-worker.js', 'dist/workers/worker.js']);
    for (const f of files) expect(readFileSync(f, 'utf8')).not.toMatch(/^\s*import\b[^;]*\.ts["']/m);
    expect(readFileSync(path.join(app, 'dist/kpi.js'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    // What the bot loads before it runs (main.js and the chunks it imports statically) leaves out what
    // is loaded only when needed: a chat platform (Teams, Slack), chart drawing, import readers.
    const loaded = new Set<string>();
    const packages = new Set<string>();
    const walk = (file: string): void => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const m of readFileSync(path.join(app, 'dist', file), 'utf8').matchAll(/^import\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"/gm)) {
        const spec = (m[1] ?? m[2])!;
        if (spec.startsWith('./')) walk(spec.slice(2));
        else packages.add(spec);
      }
    };
    walk('main.js');
    expect([...packages].filter((p) => /^(@microsoft\/teams|@slack\/bolt|canvas|chartjs-node-canvas|exceljs|csv-parse|saxes)/.test(p))).toEqual([]);
    expect(packages).toContain('pino');
  });

  it('starts the bot with node alone: the demo loaded on its database thread, a chart drawn on its worker', async () => {
    const r = await node(['dist/main.js'], app, data, '/kpi show sickness-absence\nquit\n');
    expect(r.err).not.toMatch(/Error|cannot start/);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Red: 10.49 days against a target of 8.5 days');
    const chart = /Chart: (\S+\.png)/.exec(r.out)?.[1];
    expect(chart && readFileSync(chart).subarray(1, 4).toString()).toBe('PNG');
    // Nothing was bundled at run time: the workers came from dist/workers.
    expect(existsSync(path.join(app, '.cache', 'workers'))).toBe(false);
  }, DEADLINE);

  it('runs the admin CLI and a job from the build on the same database', async () => {
    const status = await node(['dist/kpi.js', 'db', 'status'], app, data);
    expect(status.code).toBe(0);
    expect(status.out).toContain('Pending migrations: none');
    const job = await node(['dist/kpi.js', 'job', 'evaluate-statuses', '--no-send'], app, data);
    expect(job.err).toBe('');
    expect(job.code).toBe(0);
    expect(job.out).toMatch(/^evaluate-statuses as of 15 Jan 2018/m);
    const report = await node(['dist/kpi.js', 'report', '--period', '2017/18 Q3', '--format', 'md'], app, data);
    expect(report.code).toBe(0);
    expect(readdirSync(path.join(data, 'out')).some((f) => f.endsWith('-2017-18-q3.md'))).toBe(true);
  }, DEADLINE);

  // Every other test's child process runs the build: this is the one that runs the sources as a
  // development install does, through `npm run kpi` (bin/kpi, tsx) on the same database.
  it('still runs from the sources through tsx: bin/kpi runs a job on the database the build made', async () => {
    const job = await run(path.join(ROOT, 'bin/kpi'), ['job', 'evaluate-statuses', '--no-send'], ROOT, data);
    expect(job.err).toBe('');
    expect(job.code).toBe(0);
    expect(job.out).toMatch(/^evaluate-statuses as of 15 Jan 2018/m);
  }, DEADLINE);
});
