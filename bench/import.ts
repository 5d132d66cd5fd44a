// `kpi import` at scale: a generated register of N indicators, each with 4 quarterly targets and 8
// quarterly values (12 register rows' worth of data per indicator), parsed from CSV (and XLSX), then
// written in one transaction; then imported again (nothing changes). The floor is the same targets
// and values written with one INSERT … SELECT FROM unnest per table: no parsing, no checks, no diff.
import ExcelJS from 'exceljs';
import { PrismaRepository } from '../src/repo/prisma-repository.ts';
import { importFile, parseImportFile } from '../src/import/import.ts';
import { benchDatabase, type BenchBackend } from './databases.ts';
import { record, recordText, time } from './stats.ts';

const QUARTERS = ['2024/25 Q1', '2024/25 Q2', '2024/25 Q3', '2024/25 Q4', '2025/26 Q1', '2025/26 Q2', '2025/26 Q3', '2025/26 Q4'];
const HEAD = ['Ref', 'Slug', 'Name', 'Theme', 'Owner', 'Unit', 'Polarity', 'Frequency', 'Tolerance', ...QUARTERS.slice(4).map((q) => `Target ${q}`), ...QUARTERS.map((q) => `Actual ${q}`)];
const ACTOR = { personId: null, label: 'bench', isAdmin: true };

export function generatedRows(n: number): string[][] {
  const rows: string[][] = [HEAD];
  for (let i = 1; i <= n; i++) {
    rows.push([
      `G ${i}`, `gen-${i}`, `Generated indicator ${i}`, `Theme ${1 + (i % 12)}`, '', '%', i % 2 ? 'higher' : 'lower', 'Q', '10%',
      ...QUARTERS.slice(4).map((_, k) => String(60 + ((i + k) % 7))),
      ...QUARTERS.map((_, k) => (50 + ((i * 7 + k * 13) % 400) / 10).toFixed(1)),
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
      const at = new Date('2026-05-01T09:00:00Z');
      const first = await time(() => importFile(repo, { name: 'bench.csv', bytes: csv }, { dryRun: false, reason: null, actor: ACTOR, at }));
      const s = first.result.summary!;
      const written = s.targets.created + s.observations.created;
      const again = await time(() => importFile(repo, { name: 'bench.csv', bytes: csv }, { dryRun: false, reason: null, actor: ACTOR, at }));
      if (again.result.summary!.observations.unchanged !== s.observations.created) throw new Error('re-import changed something');

      // Floor: the same rows sent from here as column arrays, one INSERT … SELECT FROM unnest per table,
      // into empty copies of the tables: the transfer and the insert, without parsing, checks or diff.
      const ids = (await db.prisma.$queryRawUnsafe<{ id: number }[]>('SELECT id FROM indicator ORDER BY id')).map((r) => r.id);
      await db.prisma.$executeRawUnsafe('CREATE TEMP TABLE t_target (LIKE target INCLUDING DEFAULTS)');
      await db.prisma.$executeRawUnsafe('CREATE TEMP TABLE t_observation (LIKE observation INCLUDING DEFAULTS)');
      const cols = (quarters: string[]) => {
        const pairs = ids.flatMap((id) => quarters.map((q) => [id, q] as const));
        return { id: pairs.map((_, i) => i + 1), ind: pairs.map((p) => p[0]), key: pairs.map((p) => p[1]), value: pairs.map((_, i) => String(50 + (i % 400) / 10)) };
      };
      const floor = await time(async () => {
        const t = cols(QUARTERS.slice(4));
        await db.prisma.$executeRawUnsafe(
          `INSERT INTO t_target (id, indicator_id, period_key, period_start, period_end, value, amber_floor, text, updated_at)
           SELECT u.id, u.ind, u.key, date '2025-04-01', date '2025-06-30', u.value, NULL, NULL, now()
           FROM unnest($1::int[], $2::int[], $3::text[], $4::numeric[]) AS u(id, ind, key, value)`,
          t.id, t.ind, t.key, t.value,
        );
        const o = cols(QUARTERS);
        await db.prisma.$executeRawUnsafe(
          `INSERT INTO t_observation (id, indicator_id, period_key, period_start, period_end, version, latest, value, estimated, provisional, source, submitted_at)
           SELECT u.id, u.ind, u.key, date '2025-04-01', date '2025-06-30', 1, true, u.value, false, false, 'floor', now()
           FROM unnest($1::int[], $2::int[], $3::text[], $4::numeric[]) AS u(id, ind, key, value)`,
          o.id, o.ind, o.key, o.value,
        );
      });
      const write = first.ms - parse.ms;
      record(`import ${n.toLocaleString('en-GB')} indicators, CSV: parse and validate`, parse.ms, `${Math.round((n / parse.ms) * 1000).toLocaleString('en-GB')} rows/s`);
      record(`import ${n.toLocaleString('en-GB')} indicators, XLSX: parse and validate`, parseXlsx.ms, `${(parseXlsx.ms / parse.ms).toFixed(1)}× CSV`);
      record(`floor: ${written.toLocaleString('en-GB')} targets and values, one INSERT … unnest of sent arrays per table (${backend})`, floor.ms, '1×');
      record(
        `import ${n.toLocaleString('en-GB')} indicators + ${written.toLocaleString('en-GB')} targets and values, one transaction (${backend})`,
        first.ms,
        `${(first.ms / floor.ms).toFixed(1)}× floor (write ≈ ${(write / floor.ms).toFixed(1)}×)`,
        'parse + validate + diff + write',
      );
      record(`re-import the same ${n.toLocaleString('en-GB')} indicators: nothing changes (${backend})`, again.ms, `${(again.ms / first.ms).toFixed(2)}× first import`);
    } finally {
      await db.close();
    }
  }
  if (sizes.length > 1) recordText('import sizes', sizes.join(' → '), '', 'see rows above');
}
