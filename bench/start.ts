// Start-up, whole process: `tsx src/main.ts` (what `npm start` runs) with Slack configured against
// the fake Slack, timed from spawning it until it logs "kpi-bot started" (listening, demo loaded,
// first evaluation done). Cold: a new embedded data directory (the demo's prepared image copied);
// warm: the same directory opened again. The first start after an upgrade builds the image once.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeSlack } from '../test/support/fake-slack.ts';
import { median, record, recordText } from './stats.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

interface Started {
  ms: number;
  /** Peak RSS of the app's process (tsx runs the app in a child of its own), MB. */
  peakMb: number;
}

/** Start the bot once on `dataDir` and stop it as soon as it says it has started. */
function startOnce(dataDir: string, env: Record<string, string>): Promise<Started> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(TSX, ['src/main.ts'], { cwd: ROOT, env: { ...process.env, ...env, KPI_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
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
          // tsx's command line runs the app in a child process of its own.
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
  try {
    // The first start after an install or upgrade: builds the prepared image.
    const first = await startOnce(path.join(tmp, 'first', 'pglite'), env);
    const cold: Started[] = [];
    const warm: Started[] = [];
    for (let i = 0; i < 3; i++) {
      const dir = path.join(tmp, `cold-${i}`, 'pglite');
      cold.push(await startOnce(dir, env));
      warm.push(await startOnce(dir, env));
    }
    const ms = (s: Started[]) => median(s.map((x) => x.ms));
    const mb = (s: Started[]) => Math.max(...s.map((x) => x.peakMb));
    record('start, first after an upgrade: builds the demo image, then as cold', first.ms, `${(first.ms / 3000).toFixed(2)} of 3 s`, `peak RSS ${first.peakMb.toFixed(0)} MB`);
    record('start, cold: new embedded database (migrations + demo), until "kpi-bot started"', ms(cold), `${(ms(cold) / 3000).toFixed(2)} of 3 s (goal ≤ 1)`, `median of 3, whole process; peak RSS ${mb(cold).toFixed(0)} MB`);
    record('start, warm: the same database again', ms(warm), `${(ms(warm) / 1500).toFixed(2)} of 1.5 s (goal ≤ 1)`, `median of 3; peak RSS ${mb(warm).toFixed(0)} MB`);
  } catch (e) {
    recordText('start', 'failed', '—', (e as Error).message.slice(0, 200));
  } finally {
    await fake.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}
