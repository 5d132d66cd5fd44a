// The weekly digest for 50 directors over a generated register (1,000 indicators × 8 quarters' worth
// of monthly values): queueing the 50 messages, then rendering their 50 small-multiples charts.
import { openDatabase } from '../src/db/database.ts';
import { createChartRenderer } from '../src/charts/render.ts';
import { evaluateStatuses } from '../jobs/evaluate-statuses.ts';
import { weeklyDigest } from '../jobs/weekly-digest.ts';
import type { Message } from '../src/messages/types.ts';
import { generateRegister } from './register.ts';
import { benchServices } from './services.ts';
import { record, time } from './stats.ts';

export async function benchDigest(): Promise<void> {
  const db = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { migrations: 'apply' });
  try {
    await generateRegister(db.prisma, { indicators: 1000, periods: 24, directors: 50 });
    const charts = createChartRenderer();
    const now = new Date('2026-05-04T07:00:00Z');
    const deps = benchServices(db.prisma, now, charts);
    await evaluateStatuses(deps, now);
    const queued = await time(() => weeklyDigest(deps, now));
    const messages = await db.prisma.outboundMessage.findMany({ where: { purpose: 'weekly-digest' }, select: { payload: true } });
    const rendered = await time(async () => {
      let n = 0;
      for (const m of messages) {
        for (const b of (m.payload as unknown as Message).blocks) {
          if (b.type !== 'chart') continue;
          await charts.render(b.chart);
          n++;
        }
      }
      return n;
    });
    record(`weekly-digest for ${queued.result.directors} directors (1,000 indicators): build and queue`, queued.ms, `${(queued.ms / Number(queued.result.directors)).toFixed(1)} ms per director`);
    record(`weekly-digest: render ${rendered.result} small-multiples charts`, rendered.ms, `${(rendered.ms / Math.max(1, rendered.result)).toFixed(1)} ms per chart`);
  } finally {
    await db.close();
  }
}
