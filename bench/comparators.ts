// Benchmarks against other councils at the scale of "all English councils": comparator data for 300
// areas × 20 indicators × 8 quarters (48,000 rows, LG Inform's long CSV) imported with
// `kpi comparators import` (read, checked, diffed, written in one transaction), then again (nothing
// changes). The floor is the same rows written with one INSERT … SELECT FROM unnest: no parsing, no
// checks, no diff. And what benchmarks add to `/kpi show`: loading one indicator's comparator data and
// ranking it among a 300-area group, against the history read show already makes.
import { PrismaRepository } from '../src/repo/prisma-repository.ts';
import { registerSchema } from '../src/register/types.ts';
import { importComparators, loadBenchmarks, standingFor } from '../src/services/comparators.ts';
import { benchDatabase, type BenchBackend } from './databases.ts';
import { median, record, time } from './stats.ts';

const AREAS = Array.from({ length: 300 }, (_, i) => `E0${String(6000001 + i).padStart(7, '0')}`);
const INDICATORS = 20;
const QUARTERS = ['2023/24 Q1', '2023/24 Q2', '2023/24 Q3', '2023/24 Q4', '2024/25 Q1', '2024/25 Q2', '2024/25 Q3', '2024/25 Q4'];
const AT = new Date('2025-06-01T09:00:00Z');

function comparatorCsv(): Uint8Array {
  const lines = ['Comparator data (generated for the benchmark),,,,', 'Area code,Area name,Period,Indicator,Value'];
  for (let i = 1; i <= INDICATORS; i++) {
    for (const q of QUARTERS) {
      for (const [k, a] of AREAS.entries()) lines.push(`${a},Area ${k},${q},cmp-${i},${k % 37 === 0 ? 'M' : (5 + ((k * 7 + i * 13) % 900) / 100).toFixed(2)}`);
    }
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

export async function benchComparators(backend: BenchBackend): Promise<void> {
  const db = await benchDatabase(backend);
  try {
    const repo = new PrismaRepository(db.prisma);
    await repo.writeRegister(
      registerSchema.parse({ indicators: Array.from({ length: INDICATORS }, (_, i) => ({ slug: `cmp-${i + 1}`, name: `Comparator indicator ${i + 1}`, unit: 'days', polarity: 'lower', frequency: 'quarterly' })) }),
      { source: 'bench', at: AT, actorId: null, actorLabel: 'bench' },
    );
    await repo.comparators.saveGroup({ name: 'All English councils', areas: AREAS }, { at: AT, actorId: null, actorLabel: 'bench' }, AT);
    await repo.updateOrg({ comparatorArea: AREAS[123]!, comparatorGroup: 'All English councils' });
    const bytes = comparatorCsv();
    const rows = INDICATORS * QUARTERS.length * AREAS.length;
    const file = { name: 'england.csv', bytes };
    const by = { at: AT, actorId: null, actorLabel: 'bench' };

    const first = await time(() => importComparators(repo, file, by));
    const again = await time(() => importComparators(repo, file, by));
    if (first.result.save.added !== rows || again.result.save.unchanged !== rows) throw new Error('bench comparators: the import did not write what it read');

    // Floor: the same rows, one INSERT … SELECT FROM unnest, into an empty table.
    const ids = new Map((await repo.indicators()).map((i) => [i.slug, i.id]));
    await db.prisma.$executeRawUnsafe('DELETE FROM comparator_value');
    const cols: [number[], string[], string[], string[], (number | null)[]] = [[], [], [], [], []];
    for (let i = 1; i <= INDICATORS; i++) for (const q of QUARTERS) for (const [k, a] of AREAS.entries()) {
      cols[0].push(ids.get(`cmp-${i}`)!);
      cols[1].push(q);
      cols[2].push(a);
      cols[3].push(`Area ${k}`);
      cols[4].push(k % 37 === 0 ? null : 5 + ((k * 7 + i * 13) % 900) / 100);
    }
    const floor = await time(() =>
      db.prisma.$executeRawUnsafe(
        `INSERT INTO comparator_value (indicator_id, period_key, area_code, area_name, value, source, imported_at)
         SELECT i, p, a, n, v, 'floor', now() FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::numeric[]) AS t(i, p, a, n, v)`,
        ...cols,
      ),
    );
    record(`comparators import, ${rows.toLocaleString('en-GB')} rows, ${backend}`, first.ms, `${(first.ms / floor.ms).toFixed(1)}× the unnest INSERT (${floor.ms.toFixed(0)} ms); ${Math.round(rows / (first.ms / 1000)).toLocaleString('en-GB')} rows/s`, 'read, checked, diffed, one transaction');
    record(`comparators import again (nothing changes), ${backend}`, again.ms, `${(again.ms / first.ms).toFixed(2)} of the first import`);

    // What show adds: one indicator's comparator data and its rank among 300, against the history read it already makes.
    const org = await repo.org();
    const id = ids.get('cmp-7')!;
    const bench: number[] = [];
    const hist: number[] = [];
    for (let k = 0; k < 20; k++) {
      bench.push((await time(async () => standingFor(await loadBenchmarks(repo, org, [id]), { id, polarity: 'lower' }))).ms);
      hist.push((await time(() => repo.history(id))).ms);
    }
    record(`show: comparator data + rank among 300 areas, ${backend} (median of 20)`, median(bench), `${(median(bench) / median(hist)).toFixed(1)}× the history read show makes (${median(hist).toFixed(2)} ms)`, '2,400 rows for one indicator');
  } finally {
    await db.close();
  }
}
