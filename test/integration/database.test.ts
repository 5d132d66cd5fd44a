// The database layer on both backends: every migration applied, versioned observations, exact decimals and
// finding indicators. The database as an install has it — on disk, held by other processes, started on
// PostgreSQL, and carried across migrations from older versions — is test/system/installed-database.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrationStatus } from '../../src/db/database.ts';
import { listMigrationNames } from '../../src/db/migrate.ts';
import { ConflictError } from '../../src/errors.ts';
import { PrismaRepository } from '../../src/repo/prisma-repository.ts';
import type { NewObservation } from '../../src/ports.ts';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';

const AT = new Date('2025-10-06T08:00:00Z');

describe.each(backends('both'))('database on %s', (backend) => {
  let db: TestDatabase;
  let repo: PrismaRepository;
  let indicatorId: number;

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    repo = new PrismaRepository(db.prisma);
    const owner = await db.prisma.person.create({ data: { displayName: 'Olu Adeyemi', email: 'olu@example.org' } });
    indicatorId = (
      await db.prisma.indicator.create({
        data: { slug: 'sickness-absence', name: 'Average days lost to sickness absence per FTE', polarity: 'lower', frequency: 'quarterly', unit: 'days', ownerId: owner.id },
      })
    ).id;
  });
  afterAll(() => db?.close());

  it('has every committed migration applied', async () => {
    const s = await migrationStatus(db);
    expect(s.pending).toEqual([]);
    expect(s.applied).toEqual(await listMigrationNames());
    expect(await migrate(db)).toEqual([]);
  });

  const obs = (value: number, replacesVersion: number | null, extra: Partial<NewObservation> = {}): NewObservation => ({
    indicatorId,
    periodKey: '2025/26 Q2',
    periodStart: '2025-07-01',
    periodEnd: '2025-09-30',
    value,
    estimated: false,
    provisional: false,
    note: null,
    source: 'test',
    submittedById: null,
    submittedByLabel: 'test',
    submittedAt: AT,
    replacesVersion,
    ...extra,
  });

  it('keeps every correction as a new version and shows the latest', async () => {
    const v1 = await repo.saveObservation(obs(8.4, null, { estimated: true }));
    const v2 = await repo.saveObservation(obs(8.45, 1, { correctionReason: 'payroll late' }));
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const versions = await repo.observationVersions(indicatorId, '2025/26 Q2');
    expect(versions.map((v) => [v.version, v.value, v.estimated])).toEqual([
      [2, 8.45, false],
      [1, 8.4, true],
    ]);
    const { observations } = await repo.history(indicatorId);
    expect(observations.map((o) => o.value)).toEqual([8.45]);
    const audit = await db.prisma.auditLog.findMany({ where: { entity: 'observation' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['observation.submit', 'observation.correct']);
  });

  it('refuses a stale correction instead of overwriting someone else’s value', async () => {
    await expect(repo.saveObservation(obs(9, 1))).rejects.toBeInstanceOf(ConflictError);
    await expect(repo.saveObservation(obs(9, null))).rejects.toBeInstanceOf(ConflictError);
    expect((await repo.observationVersions(indicatorId, '2025/26 Q2')).length).toBe(2);
  });

  it('stores values as exact decimals', async () => {
    const v = await repo.saveObservation(obs(86.44, 2));
    expect(v.value).toBe(86.44);
    const raw = await db.prisma.$queryRawUnsafe<{ value: string }[]>(`SELECT value::text FROM observation WHERE id = ${v.id}`);
    expect(raw[0]!.value).toBe('86.440000');
  });

  it('finds indicators by slug, reference without spaces, and words of the name', async () => {
    await db.prisma.indicator.create({ data: { slug: 'council-tax', ref: 'BV 9', name: 'Percentage of Council Tax collected', polarity: 'higher', frequency: 'monthly' } });
    expect((await repo.searchIndicators('sickness-absence', 5))[0]!.slug).toBe('sickness-absence');
    expect((await repo.searchIndicators('bv9', 5))[0]!.slug).toBe('council-tax');
    expect((await repo.searchIndicators('tax collected', 5)).map((i) => i.slug)).toEqual(['council-tax']);
    expect(await repo.searchIndicators('zzz', 5)).toEqual([]);
  });
});
