// Benchmarks in PostgreSQL (or PGlite) through Prisma: the ComparatorStore port. Values are keyed by
// indicator, period and area; a file saved again writes nothing (src/repo/rules.ts decides what changed).
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import type { ComparatorAudit, ComparatorGroupRecord, ComparatorSave, ComparatorStore, ComparatorValueRecord } from '../ports.ts';
import { compareComparatorValues, comparatorKey, groupChange, sameComparatorValue, storedComparatorValue } from './rules.ts';

type Db = PrismaClient | Prisma.TransactionClient;
type Row = Prisma.ComparatorValueGetPayload<object>;

const toRecord = (r: Row): ComparatorValueRecord => ({
  indicatorId: r.indicatorId,
  periodKey: r.periodKey,
  areaCode: r.areaCode,
  areaName: r.areaName,
  value: r.value === null ? null : r.value.toNumber(),
  source: r.source,
});

/** Rows per statement: well inside PostgreSQL's limit on bound parameters. */
const CHUNK = 2000;

export class PrismaComparatorStore implements ComparatorStore {
  constructor(private readonly db: Db, private readonly client: PrismaClient | null = null) {}

  async values(filter: { indicatorIds?: number[]; periodKeys?: string[] } = {}): Promise<ComparatorValueRecord[]> {
    const rows = await this.db.comparatorValue.findMany({
      where: { ...(filter.indicatorIds ? { indicatorId: { in: filter.indicatorIds } } : {}), ...(filter.periodKeys ? { periodKey: { in: filter.periodKeys } } : {}) },
      orderBy: [{ indicatorId: 'asc' }, { periodKey: 'asc' }, { areaCode: 'asc' }],
    });
    // Sorted here: the database's collation need not order text as the memory store does.
    return rows.map(toRecord).sort(compareComparatorValues);
  }

  async saveValues(rows: ComparatorValueRecord[], audit: ComparatorAudit, at: Date): Promise<ComparatorSave> {
    const incoming = new Map(rows.map(storedComparatorValue).map((r) => [comparatorKey(r), r]));
    const run = async (tx: Prisma.TransactionClient): Promise<ComparatorSave> => {
      const indicatorIds = [...new Set([...incoming.values()].map((r) => r.indicatorId))];
      const periodKeys = [...new Set([...incoming.values()].map((r) => r.periodKey))];
      const held = new Map((await new PrismaComparatorStore(tx).values({ indicatorIds, periodKeys })).map((r) => [comparatorKey(r), r]));
      const fresh: ComparatorValueRecord[] = [];
      const changed: ComparatorValueRecord[] = [];
      let unchanged = 0;
      for (const [k, r] of incoming) {
        const h = held.get(k);
        if (!h) fresh.push(r);
        else if (sameComparatorValue(h, r)) unchanged++;
        else changed.push(r);
      }
      for (const r of changed) {
        await tx.comparatorValue.update({ where: { indicatorId_periodKey_areaCode: { indicatorId: r.indicatorId, periodKey: r.periodKey, areaCode: r.areaCode } }, data: { areaName: r.areaName, value: r.value, source: r.source, importedAt: at } });
      }
      for (let i = 0; i < fresh.length; i += CHUNK) {
        await tx.comparatorValue.createMany({ data: fresh.slice(i, i + CHUNK).map((r) => ({ ...r, importedAt: at })) });
      }
      const out = { added: fresh.length, changed: changed.length, unchanged };
      if (out.added || out.changed) await tx.auditLog.create({ data: { ...audit, at, action: 'comparators.import', entity: 'comparator_value', entityId: null, details: { ...out, source: rows[0]?.source ?? null } } });
      return out;
    };
    return this.client ? this.client.$transaction(run, { timeout: 120_000 }) : run(this.db as Prisma.TransactionClient);
  }

  async groups(): Promise<ComparatorGroupRecord[]> {
    const rows = await this.db.comparatorGroup.findMany({ orderBy: { name: 'asc' } });
    return rows.map((g) => ({ name: g.name, areas: g.areas as string[] }));
  }

  async saveGroup(group: ComparatorGroupRecord, audit: ComparatorAudit, at: Date): Promise<'created' | 'updated' | 'unchanged'> {
    const run = async (tx: Prisma.TransactionClient) => {
      const found = await tx.comparatorGroup.findUnique({ where: { name: group.name } });
      const change = groupChange(found ? { name: found.name, areas: found.areas as string[] } : null, group);
      if (change === 'unchanged') return change;
      await tx.comparatorGroup.upsert({ where: { name: group.name }, create: { name: group.name, areas: group.areas, updatedAt: at }, update: { areas: group.areas, updatedAt: at } });
      await tx.auditLog.create({ data: { ...audit, at, action: 'comparators.group', entity: 'comparator_group', entityId: group.name, details: { areas: group.areas } } });
      return change;
    };
    return this.client ? this.client.$transaction(run) : run(this.db as Prisma.TransactionClient);
  }
}
