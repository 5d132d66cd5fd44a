// One of several bot processes on one PostgreSQL, for the exactly-once tests: the real app (Slack
// over HTTP against the fake, the production client options and outbox) draining the outbox in a
// loop until nothing is left to send or its time is up. Its clock starts at KPI_REPLICA_BASE and runs
// KPI_REPLICA_SPEED times faster than real time, so back-offs pass in seconds; claims and leases use
// the database's own clock, as in production. Prints one JSON summary line at the end.
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startApp } from '../../src/app.ts';

const base = Date.parse(process.env.KPI_REPLICA_BASE!);
const speed = Number(process.env.KPI_REPLICA_SPEED ?? 60);
const seconds = Number(process.env.KPI_REPLICA_SECONDS ?? 60);
const t0 = Date.now();
const clock = { now: () => new Date(base + (Date.now() - t0) * speed) };
const app = await startApp({ config: loadConfig({ ...process.env, KPI_SCHEDULER: 'off', KPI_DEMO: 'off', PORT: '0' }), log: createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr), clock });
const total: Record<string, number> = {};
const deadline = Date.now() + seconds * 1000;
while (Date.now() < deadline) {
  const r = await app.runner.run('drain-outbox', clock.now());
  if (r.outcome === 'ok') for (const [k, v] of Object.entries(r.summary)) total[k] = (total[k] ?? 0) + Number(v);
  if (!(await app.db.prisma.outboundMessage.count({ where: { state: 'pending' } }))) break;
  await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
}
process.stdout.write(`${JSON.stringify({ pid: process.pid, ...total })}\n`);
await app.stop();
process.exit(0);
