// `kpi import` at scale: a generated register of N indicators, parsed from CSV (and XLSX), then
// written in one transaction; then imported again (nothing changes). Two shapes: N quarterly
// indicators with 4 targets and 8 values each, and the register scale of the issue, 10,000 monthly
// indicators with 60 months of values each (600,000 values) and 5 annual targets. The floor is the
// same targets and values written with one INSERT … SELECT FROM unnest per table: no parsing, no
// checks, no diff.
import ExcelJS from 'exceljs';
import { PrismaRepository } from '../src/repo/prisma-repository.ts';
import { importFile, parseImportFile } from '../src/import/import.ts';
import { benchDatabase, type BenchBackend } from './databases.ts';
import { peakRss, record, recordText, time } from './stats.ts';

/** What each generated indicator carries: its frequency and the periods of its targets and values. */
interface Shape {
  frequency: 'Q' | 'M';
  targets: string[];
  actuals: string[];
}

const QUARTERS = ['2024/25 Q1', '2024/25 Q2', '2024/25 Q3', '2024/25 Q4', '2025/26 Q1', '2025/26 Q2', '2025/26 Q3', '2025/26 Q4'];
const QUARTERLY: Shape = { frequency: 'Q', targets: QUARTERS.slice(4), actuals: QUARTERS };
const MONTH_NAMES = ['Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb', 'Mar'];
/** April 2021 to March 2026: five financial years of months. */
const MONTHLY: Shape = {
  frequency: 'M',
  targets: ['2021/22', '2022/23', '2023/24', '2024/25', '2025/26'],
  actuals: Array.from({ length: 60 }, (_, i) => `${MONTH_NAMES[i % 12]} ${2021 + Math.floor(i / 12) + (i % 12 >= 9 ? 1 : 0)}`),
};
const ACTOR = { personId: null, label: 'bench', isAdmin: true };
const AT = new Date('2026-05-01T09:00:00Z');
const GB = 1024 ** 3;

export function generatedRows(n: number, shape: Shape = QUARTERLY): string[][] {
  const head = ['Ref', 'Slug', 'Name', 'Theme', 'Owner', 'Unit', 'Polarity', 'Frequency', 'Tolerance', ...shape.targets.map((q) => `Target ${q}`), ...shape.actuals.map((q) => `Actual ${q}`)];
  const rows: string[][] = [head];
  for (let i = 1; i <= n; i++) {
    rows.push([
      `G ${i}`, `gen-${i}`, `Generated indicator ${i}`, `Theme ${1 + (i % 12)}`, '', '%', i % 2 ? 'higher' : 'lower', shape.frequency, '10%',
      ...shape.targets.map((_, k) => String(60 + ((i + k) % 7))),
      ...shape.actuals.map((_, k) => (50 + ((i * 7 + k * 13) % 400) / 10).toFixed(1)),
    ]);
  }
  return rows;
}

export const toCsv = (rows: string[][]) => new TextEncoder().encode(rows.map((r) => r.join(',')).join('\n') + '\n');

async function toXlsx(rows: string[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Indicators');
  for (const [i, r] of rows.entries()) ws.addRow(i === 0 ? r : r.map((c) => (/^-?\d+(\.\d+)?$/.test(c) ? Number(c) : c)));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

type Sql = Pick<Awaited<ReturnType<typeof benchDatabase>>['prisma'], '$executeRawUnsafe'>;

/** The targets and values of `shape` for each of `ids`, one INSERT … SELECT FROM unnest of sent arrays per table. */
async function insertByUnnest(db: Sql, tables: { target: string; observation: string }, ids: number[], shape: Shape): Promise<void> {
  const cols = (keys: string[]) => {
    const pairs = ids.flatMap((id) => keys.map((q) => [id, q] as const));
    return { ind: pairs.map((p) => p[0]), key: pairs.map((p) => p[1]), value: pairs.map((_, i) => String(50 + (i % 400) / 10)) };
  };
  const t = cols(shape.targets);
  await db.$executeRawUnsafe(
    `INSERT INTO ${tables.target} (indicator_id, period_key, period_start, period_end, value, amber_floor, text, updated_at)
     SELECT u.ind, u.key, date '2025-04-01', date '2025-06-30', u.value, NULL, NULL, now()
     FROM unnest($1::int[], $2::text[], $3::numeric[]) AS u(ind, key, value)`,
    t.ind, t.key, t.value,
  );
  const o = cols(shape.actuals);
  await db.$executeRawUnsafe(
    `INSERT INTO ${tables.observation} (indicator_id, period_key, period_start, period_end, version, latest, value, estimated, provisional, source, submitted_at)
     SELECT u.ind, u.key, date '2025-04-01', date '2025-06-30', 1, true, u.value, false, false, 'floor', now()
     FROM unnest($1::int[], $2::text[], $3::numeric[]) AS u(ind, key, value)`,
    o.ind, o.key, o.value,
  );
}

/**
 * The floor: the same number of targets and values for the imported indicators, into empty
 * copies of the tables (no indexes, keys or triggers): the transfer and the insert, without
 * parsing, checks or diff.
 */
async function unnestFloor(db: Awaited<ReturnType<typeof benchDatabase>>, shape: Shape): Promise<number> {
  const ids = (await db.prisma.$queryRawUnsafe<{ id: number }[]>('SELECT id FROM indicator ORDER BY id')).map((r) => r.id);
  await db.prisma.$executeRawUnsafe('CREATE TEMP TABLE t_target (LIKE target INCLUDING DEFAULTS)');
  await db.prisma.$executeRawUnsafe('CREATE TEMP TABLE t_observation (LIKE observation INCLUDING DEFAULTS)');
  const floor = await time(() => insertByUnnest(db.prisma, { target: 't_target', observation: 't_observation' }, ids, shape));
  await db.prisma.$executeRawUnsafe('DROP TABLE t_target, t_observation');
  return floor.ms;
}

class RollBack extends Error {}

/**
 * The same INSERTs into the real tables, with their indexes, foreign keys and change triggers, for
 * `n` new indicators, in one transaction rolled back afterwards: what the database itself costs.
 */
async function tablesFloor(db: Awaited<ReturnType<typeof benchDatabase>>, n: number, shape: Shape): Promise<number> {
  let ms = NaN;
  await db.prisma
    .$transaction(
      async (tx) => {
        const ids = (
          await tx.$queryRawUnsafe<{ id: number }[]>(
            `INSERT INTO indicator (slug, name, polarity, frequency, aggregation, unit, updated_at)
             SELECT 'floor-' || g, 'floor', 'higher', 'monthly', 'snapshot', '%', now() FROM generate_series(1, ${n}) g RETURNING id`,
          )
        ).map((r) => r.id);
        ms = (await time(() => insertByUnnest(tx, { target: 'target', observation: 'observation' }, ids, shape))).ms;
        throw new RollBack();
      },
      { timeout: 600_000 },
    )
    .catch((e: unknown) => {
      if (!(e instanceof RollBack)) throw e;
    });
  return ms;
}

export async function benchImport(backend: BenchBackend, sizes: number[]): Promise<void> {
  for (const n of sizes) {
    const rows = generatedRows(n);
    const csv = toCsv(rows);
    const empty = { people: [], indicators: [], themes: [] };
    const parse = await time(() => parseImportFile({ name: 'bench.csv', bytes: csv }, empty));
    if (parse.result.issues.length) throw new Error(`bench register invalid: ${parse.result.issues[0]!.message}`);
    const xlsx = await toXlsx(rows);
    const parseXlsx = await time(() => parseImportFile({ name: 'bench.xlsx', bytes: xlsx }, empty));

    const db = await benchDatabase(backend);
    try {
      const repo = new PrismaRepository(db.prisma);
      const first = await time(() => importFile(repo, { name: 'bench.csv', bytes: csv }, { dryRun: false, reason: null, actor: ACTOR, at: AT, acceptOutliers: true }));
      const s = first.result.summary!;
      const written = s.targets.created + s.observations.created;
      const again = await time(() => importFile(repo, { name: 'bench.csv', bytes: csv }, { dryRun: false, reason: null, actor: ACTOR, at: AT, acceptOutliers: true }));
      if (again.result.summary!.observations.unchanged !== s.observations.created) throw new Error('re-import changed something');
      const floor = await unnestFloor(db, QUARTERLY);
      const write = first.ms - parse.ms;
      record(`import ${n.toLocaleString('en-GB')} indicators, CSV: parse and validate`, parse.ms, `${Math.round((n / parse.ms) * 1000).toLocaleString('en-GB')} rows/s`);
      record(`import ${n.toLocaleString('en-GB')} indicators, XLSX: parse and validate`, parseXlsx.ms, `${(parseXlsx.ms / parse.ms).toFixed(1)}× CSV`);
      record(`floor: ${written.toLocaleString('en-GB')} targets and values, one INSERT … unnest of sent arrays per table (${backend})`, floor, '1×');
      record(
        `import ${n.toLocaleString('en-GB')} indicators + ${written.toLocaleString('en-GB')} targets and values, one transaction (${backend})`,
        first.ms,
        `${(first.ms / floor).toFixed(1)}× floor (write ≈ ${(write / floor).toFixed(1)}×)`,
        'parse + validate + diff + write',
      );
      record(`re-import the same ${n.toLocaleString('en-GB')} indicators: nothing changes (${backend})`, again.ms, `${(again.ms / first.ms).toFixed(2)}× first import`);
    } finally {
      await db.close();
    }
  }
  if (sizes.length > 1) recordText('import sizes', sizes.join(' → '), '', 'see rows above');
  await benchRegisterScale(backend, Number(process.env.KPI_BENCH_REGISTER ?? 10_000));
}

/** The issue's register scale: 10,000 monthly indicators × 60 months (KPI_BENCH_REGISTER=n for fewer) in one all-or-nothing import, with the process's peak memory. */
export async function benchRegisterScale(backend: BenchBackend, n = 10_000): Promise<void> {
  const limitMs = backend === 'pglite' ? 30_000 : 15_000;
  const csv = toCsv(generatedRows(n, MONTHLY));
  // On disk as the bot runs it: the memory a fresh in-memory database's initdb leaves behind is not the import's.
  const db = await benchDatabase(backend, { onDisk: true });
  try {
    const repo = new PrismaRepository(db.prisma);
    const inTables = await tablesFloor(db, n, MONTHLY);
    const { peak, result: first } = await peakRss(() => time(() => importFile(repo, { name: 'register.csv', bytes: csv }, { dryRun: false, reason: null, actor: ACTOR, at: AT, acceptOutliers: true })));
    const s = first.result.summary;
    if (!s) throw new Error(`register-scale import refused: ${first.result.issues?.[0]?.message ?? 'no summary'}`);
    const written = s.targets.created + s.observations.created;
    if (s.observations.created !== n * MONTHLY.actuals.length) throw new Error(`register-scale import wrote ${s.observations.created} values, not ${n * MONTHLY.actuals.length}`);
    const floor = await unnestFloor(db, MONTHLY);
    const label = `${n.toLocaleString('en-GB')} monthly indicators × ${MONTHLY.actuals.length} months`;
    record(`floor: ${written.toLocaleString('en-GB')} targets and values (${label}), one INSERT … unnest per table into empty copies (${backend})`, floor, '1×');
    record(`the same INSERTs into the real tables: their indexes, foreign keys and change triggers (${backend})`, inTables, `${(inTables / floor).toFixed(1)}× floor`, 'rolled back; what the database itself costs');
    record(
      `import ${label} = ${s.observations.created.toLocaleString('en-GB')} values + ${s.targets.created.toLocaleString('en-GB')} targets, one transaction, from ${(csv.length / 1024 ** 2).toFixed(1)} MB of CSV (${backend})`,
      first.ms,
      `${(first.ms / floor).toFixed(1)}× floor (goal ≤ 2×), ${(first.ms / inTables).toFixed(1)}× the real-table INSERTs; ${(first.ms / limitMs).toFixed(2)} of ${limitMs / 1000} s`,
      `peak RSS of the process ${(peak / 1024 ** 2).toFixed(0)} MB = ${(peak / GB).toFixed(2)} of 1 GB${backend === 'pglite' ? ', PGlite on disk in process' : ''}`,
    );
  } finally {
    await db.close();
  }
}
