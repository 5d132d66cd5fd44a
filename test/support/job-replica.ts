// One of several bot processes on one PostgreSQL running the same jobs at the same moment, for the
// exactly-once tests of the jobs themselves: the real app (Slack over HTTP against the fake, the
// production outbox), each job in KPI_REPLICA_JOBS run as of KPI_REPLICA_NOW by calling its `run`
// directly — not through the runner's claim on the scheduled time, as when `kpi job` is run by hand
// while the scheduler runs it — once the test writes a line to stdin (all replicas start together),
// then draining the outbox until nothing is pending. Its clock runs KPI_REPLICA_SPEED times faster
// than real time from KPI_REPLICA_NOW, so back-offs pass in seconds. Prints "ready", then one JSON line.
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startApp } from '../../src/app.ts';
import { isJobName, jobNamed } from '../../jobs/index.ts';

const base = Date.parse(process.env.KPI_REPLICA_NOW!);
const speed = Number(process.env.KPI_REPLICA_SPEED ?? 60);
const seconds = Number(process.env.KPI_REPLICA_SECONDS ?? 60);
const jobs = process.env.KPI_REPLICA_JOBS!.split(',').filter(isJobName);
const app = await startApp({ config: loadConfig({ ...process.env, KPI_SCHEDULER: 'off', KPI_DEMO: 'off', PORT: '0' }), log: createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr), clock: { now: () => new Date(base) } });
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
const t0 = Date.now();
const clock = { now: () => new Date(base + (Date.now() - t0) * speed) };
const out: Record<string, unknown> = { pid: process.pid };
for (const name of jobs) out[name] = await jobNamed(name).run(app.deps, new Date(base), {}, { outbox: null });
let sent = 0;
const deadline = Date.now() + seconds * 1000;
while (Date.now() < deadline) {
  const r = await app.runner.run('drain-outbox', clock.now());
  if (r.outcome === 'ok') sent += Number(r.summary.sent ?? 0);
  if (!(await app.db.prisma.outboundMessage.count({ where: { state: 'pending' } }))) break;
  await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
}
process.stdout.write(`${JSON.stringify({ ...out, sent })}\n`);
await app.stop();
process.exit(0);
