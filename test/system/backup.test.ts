// Backup, restore and the move to PostgreSQL, on the demo with council-shaped mess added (a note in
// another script with a line break, an estimated value, a person with no e-mail, an exception report
// being written). After each: every table's row count is what it was, and /kpi show, /kpi history
// and the quarterly report read exactly the same.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { backupDatabase, restoreDatabase } from '../../src/db/backup.ts';
import { copyDatabase, countRows } from '../../src/db/copy.ts';
import { silentLogger } from '../../src/log.ts';
import { runCli } from '../../src/cli/kpi.ts';
import { startPgCluster, type PgCluster } from '../support/postgres-cluster.ts';
import { backends } from '../support/db.ts';
import { startConsole, testConfig, TestClock, withDemo } from '../support/app.ts';
import { periodFromKey } from '../../src/domain/periods.ts';

const clock = new TestClock(new Date('2018-01-15T10:00:00Z'));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kpi-backup-'));

/** What people read: /kpi show and /kpi history of a few indicators, and the quarterly report (Markdown). */
async function answers(db: Database, name: string): Promise<string[]> {
  const con = await startConsole(db, clock);
  const out: string[] = [];
  try {
    for (const slug of ['sickness-absence', 'street-cleanliness', 'new-volunteers']) {
      out.push(await con.type(`/kpi show ${slug}`));
      out.push(await con.type(`/kpi history ${slug}`));
    }
  } finally {
    await con.close();
  }
  const file = path.join(tmp, `${name}.md`);
  const code = await runCli(['report', '--period', '2017/18 Q3', '--format', 'md', '--out', file, '--now', '2018-01-15T10:00'], { database: { db, config: testConfig(), clock } });
  expect(code).toBe(0);
  out.push(readFileSync(file, 'utf8'));
  // Chart files are written per run: their names are not part of the answer.
  return out.map((t) => t.replace(/\S+\.png/g, '<chart>'));
}

/** The demo, and the mess a council's data has. */
async function messyDemo(db: Database): Promise<void> {
  await withDemo(db, clock.now());
  const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'sickness-absence' } });
  const q2 = periodFromKey('2017/18 Q2');
  await db.prisma.observation.updateMany({ where: { indicatorId: ind.id, periodKey: q2.key, latest: true }, data: { note: 'Figures from payroll — “provisional”\nŁódź office; 10% FTE ≈ 3.2', estimated: true } });
  await db.prisma.person.create({ data: { displayName: "Seán O'Brien-Ng ", email: null, role: 'officer' } });
}

describe('backup and restore of the embedded database', () => {
  const dataDir = path.join(tmp, 'pglite');
  const config = testConfig({ KPI_DATA_DIR: dataDir }).database;
  let db: Database | null = null;
  afterAll(async () => {
    await db?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('restores exactly what was backed up, keeps what was there aside, and refuses while the database is open', async () => {
    db = await openDatabase(config, { migrations: 'apply' });
    await messyDemo(db);
    const before = { counts: await countRows(db), answers: await answers(db, 'before') };
    const file = path.join(tmp, 'kpi.backup.tar.gz');
    const bytes = await backupDatabase(db, config, file);
    expect(bytes).toBeGreaterThan(100_000);

    // A change after the backup, then a restore attempted while the database is open: refused, nothing touched.
    await db.prisma.observation.deleteMany({ where: { indicator: { slug: 'street-cleanliness' } } });
    await expect(restoreDatabase(config, file, silentLogger)).rejects.toThrow(/already open|in use/);
    await db.close();
    db = null;

    const r = await restoreDatabase(config, file, silentLogger, new Date('2018-01-15T12:00:00Z'));
    expect(r.setAside).toBe(`${dataDir}.before-restore-20180115T120000`);
    expect(existsSync(path.join(r.setAside!, 'PG_VERSION'))).toBe(true);
    expect(r.migrated).toEqual([]);
    db = await openDatabase(config, { migrations: 'require-current' });
    expect(await countRows(db)).toEqual(before.counts);
    expect(await answers(db, 'restored')).toEqual(before.answers);
    // Two embedded databases on disk, the demo written and the report made twice: about 45 s on an idle 2-core machine.
  }, 240_000);

  it('refuses a file that is not a backup, and leaves the database as it was', async () => {
    const bogus = path.join(tmp, 'not-a-backup.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bogus, 'Indicator,Value\nsickness-absence,8.4\n');
    await db?.close();
    db = null;
    await expect(restoreDatabase(config, bogus, silentLogger)).rejects.toThrow(/is not a backup/);
    await expect(restoreDatabase(config, path.join(tmp, 'missing.tar.gz'), silentLogger)).rejects.toThrow(/There is no backup/);
    db = await openDatabase(config, { migrations: 'require-current' });
    expect((await countRows(db)).find((c) => c.table === 'observation')!.rows).toBeGreaterThan(0);
  }, 120_000);
});

describe.runIf(backends('both').includes('postgres'))('moving the embedded database to PostgreSQL, and backing that up', () => {
  let cluster: PgCluster;
  let source: Database;
  let target: Database;
  let url: string;
  beforeAll(async () => {
    cluster = await startPgCluster();
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE kpi_moved');
    await admin.end();
    url = cluster.url('kpi_moved');
    source = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { migrations: 'apply' });
    await messyDemo(source);
  }, 60_000);
  afterAll(async () => {
    await target?.close();
    await source?.close();
    cluster?.stop();
  });

  it('keeps every row and every answer, and a new row gets a new id', async () => {
    const before = { counts: await countRows(source), answers: await answers(source, 'embedded') };
    const code = await runCli(['db', 'copy', '--to', url], { database: { db: source, config: testConfig(), clock } });
    expect(code).toBe(0);
    target = await openDatabase({ kind: 'postgres', url }, { migrations: 'require-current' });
    expect(await countRows(target)).toEqual(before.counts);
    expect(before.counts.filter((c) => c.rows > 0).length).toBeGreaterThan(10);
    expect(await answers(target, 'postgres')).toEqual(before.answers);
    // The sequences were moved on past the copied ids.
    const person = await target.prisma.person.create({ data: { displayName: 'New Starter', email: 'new.starter@trafford.example.gov.uk', role: 'officer' } });
    expect(person.id).toBeGreaterThan(Math.max(...(await source.prisma.person.findMany({ select: { id: true } })).map((p) => p.id)));
  });

  it('refuses to copy into a database that holds data, changing nothing', async () => {
    const counts = await countRows(target);
    await expect(copyDatabase(source, target)).rejects.toThrow(/already holds data/);
    expect(await countRows(target)).toEqual(counts);
  });

  it('backs PostgreSQL up with pg_dump and restores it with pg_restore', async () => {
    const config = { kind: 'postgres' as const, url };
    const counts = await countRows(target);
    const file = path.join(tmp, 'kpi.pgdump');
    expect(await backupDatabase(target, config, file)).toBeGreaterThan(10_000);
    await target.prisma.observation.deleteMany({ where: { indicator: { slug: 'sickness-absence' } } });
    await target.close();
    await restoreDatabase(config, file, silentLogger);
    target = await openDatabase(config, { migrations: 'require-current' });
    expect(await countRows(target)).toEqual(counts);
  });
});
