// evaluate-statuses over a generated register (N indicators × 60 monthly values), against the floor:
// one SQL query that reads every indicator's latest value.
import { evaluateStatuses, HISTORY_WINDOW } from '../jobs/evaluate-statuses.ts';
import { benchDatabase, type BenchBackend } from './databases.ts';
import { generateRegister } from './register.ts';
import { benchServices } from './services.ts';
import { median, record, recordText, time } from './stats.ts';

const NOW = new Date('2026-05-01T09:00:00Z');

export async function benchEvaluate(backend: BenchBackend, sizes: number[], periods = 60): Promise<void> {
  const perSize: { n: number; ms: number; fullMs: number }[] = [];
  for (const n of sizes) {
    const db = await benchDatabase(backend);
    try {
      const gen = await time(() => generateRegister(db.prisma, { indicators: n, periods, directors: 50 }));
      console.log(`  (${backend}: generated ${n} indicators × ${periods} values in ${(gen.ms / 1000).toFixed(1)} s)`);
      const floorRuns: number[] = [];
      for (let i = 0; i < 5; i++) {
        floorRuns.push(
          (await time(() => db.prisma.$queryRawUnsafe(`SELECT DISTINCT ON (indicator_id) indicator_id, value::float8 AS value FROM observation WHERE latest ORDER BY indicator_id, period_start DESC`))).ms,
        );
      }
      const floor = median(floorRuns);
      // The same latest values through the (indicator_id, latest, period_start) index, one probe per indicator.
      const indexRuns: number[] = [];
      for (let i = 0; i < 5; i++) {
        indexRuns.push(
          (await time(() => db.prisma.$queryRawUnsafe(`SELECT i.id, o.value::float8 AS value FROM indicator i CROSS JOIN LATERAL (SELECT value FROM observation o WHERE o.indicator_id = i.id AND o.latest ORDER BY o.period_start DESC LIMIT 1) o`))).ms,
        );
      }
      const indexFloor = median(indexRuns);
      // The rows the job itself reads: each indicator's last HISTORY_WINDOW values, through the same index.
      const windowRuns: number[] = [];
      for (let i = 0; i < 5; i++) {
        windowRuns.push(
          (await time(() => db.prisma.$queryRawUnsafe(`SELECT i.id, o.period_key, o.value::float8 AS value, o.estimated, o.provisional FROM indicator i CROSS JOIN LATERAL (SELECT period_key, value, estimated, provisional FROM observation o WHERE o.indicator_id = i.id AND o.latest ORDER BY o.period_start DESC LIMIT ${HISTORY_WINDOW}) o`))).ms,
        );
      }
      const windowFloor = median(windowRuns);
      const deps = benchServices(db.prisma, NOW);
      const first = await time(() => evaluateStatuses(deps, NOW));
      const steadyRuns: number[] = [];
      for (let i = 0; i < 3; i++) steadyRuns.push((await time(() => evaluateStatuses(deps, NOW))).ms);
      const steady = median(steadyRuns);
      // Every indicator evaluated again, nothing changed: what a daily or `--full` run costs.
      const fullRuns: number[] = [];
      for (let i = 0; i < 3; i++) fullRuns.push((await time(() => evaluateStatuses(deps, NOW, { full: true }))).ms);
      const full = median(fullRuns);
      record(`floor: latest value of ${n} indicators, one query, DISTINCT ON (${backend})`, floor, '1×');
      record(`floor: latest value of ${n} indicators, one index probe each, LATERAL (${backend})`, indexFloor, `${(indexFloor / floor).toFixed(2)}× floor`, 'reads 1 value per indicator; evaluation needs 13 (same month last year)');
      record(`floor: the ${HISTORY_WINDOW} recent values the job reads per indicator, one query, LATERAL (${backend})`, windowFloor, `${(windowFloor / floor).toFixed(2)}× floor`, `${n * Math.min(HISTORY_WINDOW, periods)} rows`);
      record(`evaluate-statuses, ${n} × ${periods}, no changes since the last run (${backend})`, steady, `${(steady / indexFloor).toFixed(3)}× index probe (goal ≤ 2×)`, 'incremental: nothing to evaluate; median of 3');
      record(`evaluate-statuses --full, ${n} × ${periods}, nothing changed (${backend})`, full, `${(full / windowFloor).toFixed(2)}× the rows it reads (goal ≤ 1.5×), ${(full / floor).toFixed(1)}× DISTINCT ON floor`, 'every indicator evaluated; median of 3');
      record(`evaluate-statuses, ${n} × ${periods}, first run: ${first.result.changes} changes recorded (${backend})`, first.ms, `${(first.ms / floor).toFixed(1)}× floor`);
      perSize.push({ n, ms: steady, fullMs: full });
    } finally {
      await db.close();
    }
  }
  if (perSize.length > 1) {
    const [a, b] = [perSize[0]!, perSize[perSize.length - 1]!];
    recordText(`evaluate-statuses --full growth ${a.n} → ${b.n} (${backend})`, `${(b.fullMs / a.fullMs).toFixed(1)}× time`, `${(b.n / a.n).toFixed(0)}× register`, 'linear = equal ratios');
    recordText(`evaluate-statuses no-change growth ${a.n} → ${b.n} (${backend})`, `${(b.ms / a.ms).toFixed(1)}× time`, `${(b.n / a.n).toFixed(0)}× register`, 'independent of the register: nothing to evaluate');
  }
}
