// The bot under load, in a process of its own (as in production, and so its memory is its own):
// a new embedded database on disk from the demo's prepared image, everyone linked to the platform,
// the app listening with the given environment and a clock fixed at the demo's time.
// Driven over IPC by bench/servers/control.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import { DEMO_SEED } from '../../src/demo/seed.ts';
import { startApp } from '../../src/app.ts';
import { demoStart } from '../../src/demo/start.ts';
import { silentLogger } from '../../src/log.ts';
import { testConfig } from '../../test/support/app.ts';
import { linkDemoPeopleToSlack } from '../../test/support/slack-app.ts';
import { linkDemoPeopleToTeams } from '../../test/support/teams-app.ts';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serve } from './control.ts';

const { platform, env, now } = JSON.parse(process.argv[2]!) as { platform: 'slack' | 'teams'; env: Record<string, string>; now: string };
const dir = mkdtempSync(path.join(tmpdir(), 'kpi-bench-bot-'));
const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pglite') }, { migrations: 'apply', seed: DEMO_SEED });
if (platform === 'slack') await linkDemoPeopleToSlack(db);
else await linkDemoPeopleToTeams(db);
const clock = { now: () => new Date(now) };
// The demo's baseline at start (as a first start from the prepared image), on the clock given.
const app = await startApp({ config: testConfig({ PORT: '0', ...env }), log: silentLogger, clock, db, policy: demoStart({ seedIfEmpty: false, ownDate: false }) });

// How long the main thread (the one that acknowledges) was held at most, since the last reset.
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

serve(app.port!, {
  idle: () => app.idle(),
  async loopDelay(reset?: boolean) {
    const maxMs = loop.max / 1e6;
    if (reset) loop.reset();
    return maxMs;
  },
  async memory() {
    return process.memoryUsage();
  },
  async indicatorId(slug: string) {
    return (await db.prisma.indicator.findUniqueOrThrow({ where: { slug } })).id;
  },
  async stop() {
    await app.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  },
});
