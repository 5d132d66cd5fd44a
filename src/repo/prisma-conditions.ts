// Condition changes (the alerting state of actions, and risks next) in PostgreSQL or PGlite: the
// ConditionChangeStore port. A transition already recorded (its unique key) is skipped, not an error.
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import type { AlertSubject, ConditionChangeRecord, ConditionChangeStore, NewConditionChange } from '../ports.ts';

type Row = { id: number; subject: string; subjectId: number; conditions: string[]; detail: unknown; episodeId: number | null; observedAt: Date };
const toRecord = (r: Row): ConditionChangeRecord => ({ ...r, subject: r.subject as AlertSubject, detail: (r.detail ?? {}) as ConditionChangeRecord['detail'] });

export class PrismaConditionChanges implements ConditionChangeStore {
  constructor(private readonly db: PrismaClient) {}

  async latest(subject: AlertSubject, subjectIds?: number[]): Promise<Map<number, ConditionChangeRecord>> {
    // DISTINCT ON in the database: the latest row per subject, not every change ever recorded.
    const ids = subjectIds ? Prisma.sql`AND subject_id = ANY(${subjectIds}::int[])` : Prisma.empty;
    const rows = await this.db.$queryRaw<Row[]>`
      SELECT DISTINCT ON (subject_id) id, subject, subject_id AS "subjectId", conditions, detail, episode_id AS "episodeId", observed_at AS "observedAt"
      FROM condition_change WHERE subject = ${subject} ${ids}
      ORDER BY subject_id, id DESC`;
    return new Map(rows.map((r) => [r.subjectId, toRecord(r)]));
  }

  async record(changes: NewConditionChange[]): Promise<ConditionChangeRecord[]> {
    if (!changes.length) return [];
    const rows = await this.db.conditionChange.createManyAndReturn({
      data: changes.map((c) => ({ subject: c.subject, subjectId: c.subjectId, transitionKey: c.transitionKey, conditions: c.conditions, detail: c.detail, episodeId: c.episodeId, observedAt: c.observedAt })),
      skipDuplicates: true,
      select: { id: true, subject: true, subjectId: true, conditions: true, detail: true, episodeId: true, observedAt: true },
    });
    return rows.sort((a, b) => a.id - b.id).map(toRecord);
  }
}
