// Start-up, whole process, with Slack configured against the fake Slack, timed from spawning it until
// it logs "kpi-bot started" (listening, demo loaded, first evaluation done): the build (`node
// dist/main.js`, what `npm start` runs; `npm run build` first) and the sources through tsx (`npm run
// dev`), against a bare Bolt app started the same way in the same run (the floor: node, Bolt, its
// HTTP receiver listening). Cold: a new embedded data directory (the demo's prepared image copied);
// warm: the same directory opened again. The first start after an upgrade builds the image once.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { FakeSlack } from '../test/support/fake-slack.ts';
import { startPgCluster } from '../test/support/postgres-cluster.ts';
import { openDatabase } from '../src/db/database.ts';
import { median, record, recordText } from './stats.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const BUILT = path.join(ROOT, 'dist/main.js');
/** The floor: Bolt's app with its HTTP receiver, listening; nothing of the bot's. */
const BARE_BOLT = `import { App, LogLevel } from '@slack/bolt';
const app = new App({ token: 'xoxb-bench', signingSecret: 'bench-signing-secret', botId: 'BBOT', botUserId: 'UBOT', logLevel: LogLevel.ERROR });
app.command('/kpi', async ({ ack }) => { await ack(); });
await app.start(0);
console.log(JSON.stringify({ msg: 'kpi-bot started' }));`;
type Command = [string, string[]];
const COMMANDS: Record<'built' | 'tsx' | 'bolt', Command> = {
  built: [process.execPath, [BUILT]],
  tsx: [TSX, ['src/main.ts']],
  bolt: [process.execPath, ['--input-type=module', '-e', BARE_BOLT]],
};

interface Started {
  ms: number;
  /** Peak RSS of the app's process (tsx runs the app in a child of its own), MB. */
  peakMb: number;
}

/** Start the bot once on `dataDir` and stop it as soon as it says it has started. */
function startOnce([cmd, args]: Command, dataDir: string, env: Record<string, string>): Promise<Started> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env, KPI_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let done: Started | null = null;
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      for (const line of out.split('\n').slice(0, -1)) {
        let m: { msg?: string };
        try {
          m = JSON.parse(line);
        } catch {
          continue;
        }
        if (m.msg !== 'kpi-bot started') continue;
        const ms = performance.now() - t0;
        let peakMb = NaN;
        try {
          // tsx's command line runs the app in a child process of its own (node runs it in its own).
          const appPid = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0] || child.pid;
          const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${appPid}/status`, 'utf8'));
          peakMb = hwm ? Number(hwm[1]) / 1024 : NaN;
        } catch {
          /* not Linux */
        }
        clearTimeout(timer);
        done = { ms, peakMb };
        child.kill('SIGTERM');
        return;
      }
      out = out.slice(out.lastIndexOf('\n') + 1);
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (done) resolve(done);
      else reject(new Error(`the bot exited (${code}) before it started: ${err.slice(-800)}`));
    });
  });
}

export async function benchStart(): Promise<void> {
  const fake = await FakeSlack.start();
  const tmp = mkdtempSync(path.join(tmpdir(), 'kpi-bench-start-'));
  const imageDir = path.join(tmp, 'images');
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_API_URL: fake.apiUrl,
    SLACK_BOT_ID: 'BBOT',
    SLACK_BOT_USER_ID: 'UBOT',
    PORT: '0',
    LOG_LEVEL: 'info',
    KPI_CACHE_DIR: imageDir,
  };
  const ms = (s: Started[]) => median(s.map((x) => x.ms));
  const mb = (s: Started[]) => Math.max(...s.map((x) => x.peakMb));
  const sec = (n: number) => `${(n / 1000).toFixed(2)} s`;
  try {
    if (!existsSync(BUILT)) throw new Error('no build: run `npm run build` first');
    // The first start after an install or upgrade: builds the prepared image. Each kind has its own
    // cache (an image is keyed on the code that wrote it: dist/ or src/).
    const envOf = (kind: 'built' | 'tsx') => ({ ...env, KPI_CACHE_DIR: path.join(imageDir, kind) });
    const first = await startOnce(COMMANDS.built, path.join(tmp, 'first', 'pglite'), envOf('built'));
    await startOnce(COMMANDS.tsx, path.join(tmp, 'first-tsx', 'pglite'), envOf('tsx'));
    const bolt: Started[] = [];
    const runs = { built: { cold: [] as Started[], warm: [] as Started[] }, tsx: { cold: [] as Started[], warm: [] as Started[] } };
    // Interleaved, so a busy moment on the machine falls on each kind alike.
    for (let i = 0; i < 3; i++) {
      bolt.push(await startOnce(COMMANDS.bolt, path.join(tmp, 'bolt'), env));
      for (const kind of ['built', 'tsx'] as const) {
        const dir = path.join(tmp, `${kind}-${i}`, 'pglite');
        runs[kind].cold.push(await startOnce(COMMANDS[kind], dir, envOf(kind)));
        runs[kind].warm.push(await startOnce(COMMANDS[kind], dir, envOf(kind)));
      }
    }
    const floor = ms(bolt);
    record('start, bare Bolt app (node, Bolt, HTTP receiver listening): the floor', floor, '1.00 of the floor', `median of 3; peak RSS ${mb(bolt).toFixed(0)} MB`);
    record('start, first after an upgrade: builds the demo image, then as cold (build)', first.ms, `${(first.ms / floor).toFixed(2)}× the floor`, `peak RSS ${first.peakMb.toFixed(0)} MB`);
    const goals = { cold: 2000, warm: 1000 };
    for (const kind of ['built', 'tsx'] as const) {
      for (const phase of ['cold', 'warm'] as const) {
        const t = ms(runs[kind][phase]);
        const what = phase === 'cold' ? 'new embedded database (migrations + demo)' : 'the same database again';
        const how = kind === 'built' ? 'build, `node dist/main.js` (npm start)' : 'sources through tsx (npm run dev)';
        record(
          `start, ${phase}: ${what}, until "kpi-bot started" — ${how}`,
          t,
          `${(t / floor).toFixed(2)}× the floor (goal ≤ 2); ${(t / goals[phase]).toFixed(2)} of ${sec(goals[phase])}`,
          `median of 3; peak RSS ${mb(runs[kind][phase]).toFixed(0)} MB`,
        );
      }
    }
    const ratio = (phase: 'cold' | 'warm') => (ms(runs.tsx[phase]) / ms(runs.built[phase])).toFixed(2);
    recordText('start, tsx ÷ build', `cold ${ratio('cold')}×, warm ${ratio('warm')}×`, '—', 'how much longer the sources take than the build, same run');

    // Production's set-up: PostgreSQL (migrated beforehand, as `kpi db migrate` does), no demo.
    const cluster = await startPgCluster();
    try {
      const admin = new pg.Client({ connectionString: cluster.url('postgres') });
      await admin.connect();
      await admin.query('CREATE DATABASE kpi_bench_start');
      await admin.end();
      const url = cluster.url('kpi_bench_start');
      await (await openDatabase({ kind: 'postgres', url }, { migrations: 'apply' })).close();
      const onPg = { built: [] as Started[], tsx: [] as Started[] };
      for (let i = 0; i < 3; i++) {
        for (const kind of ['built', 'tsx'] as const) onPg[kind].push(await startOnce(COMMANDS[kind], path.join(tmp, 'unused'), { ...envOf(kind), DATABASE_URL: url }));
      }
      for (const kind of ['built', 'tsx'] as const) {
        const t = ms(onPg[kind]);
        const how = kind === 'built' ? 'build (npm start)' : 'sources through tsx';
        record(`start on PostgreSQL, until "kpi-bot started" — ${how}`, t, `${(t / floor).toFixed(2)}× the floor (goal ≤ 2); ${(t / goals.warm).toFixed(2)} of 1.00 s`, `median of 3; peak RSS ${mb(onPg[kind]).toFixed(0)} MB`);
      }
    } finally {
      cluster.stop();
    }
  } catch (e) {
    recordText('start', 'failed', '—', (e as Error).message.slice(0, 200));
  } finally {
    await fake.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}
