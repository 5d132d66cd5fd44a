// Attributed commentary in PostgreSQL (or PGlite) through Prisma: the CommentaryStore port. A scope
// key (theme:<id> or report) makes the whole report's commentary unique per version like a theme's.
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { commentaryScope, sameCommentary, type CommentarySection, type CommentaryState } from '../domain/commentary.ts';
import type { LocalDate } from '../domain/types.ts';
import type { AuditEntry, CommentaryRecord, CommentaryReminderRecord, CommentaryStore, NewCommentary } from '../ports.ts';

type Db = PrismaClient | Prisma.TransactionClient;
type Row = Prisma.CommentaryGetPayload<object>;

const day = (d: Date): LocalDate => d.toISOString().slice(0, 10);

const toRecord = (r: Row): CommentaryRecord => ({
  id: r.id,
  themeId: r.themeId,
  periodKey: r.periodKey,
  version: r.version,
  sections: r.sections as unknown as CommentarySection[],
  state: r.state as CommentaryState,
  authorId: r.authorId,
  source: r.source,
  createdAt: r.createdAt,
});

export class PrismaCommentaryStore implements CommentaryStore {
  constructor(private readonly db: Db, private readonly client: PrismaClient | null = null) {}

  async forQuarter(periodKey: string, opts: { submitted?: boolean } = {}): Promise<CommentaryRecord[]> {
    const rows = await this.db.commentary.findMany({ where: { periodKey, ...(opts.submitted ? { state: 'submitted' } : {}) }, orderBy: [{ scope: 'asc' }, { version: 'desc' }], distinct: ['scope'] });
    return rows.map(toRecord).sort((a, b) => (a.themeId ?? 0) - (b.themeId ?? 0));
  }

  async versions(periodKey: string, themeId: number | null): Promise<CommentaryRecord[]> {
    const rows = await this.db.commentary.findMany({ where: { periodKey, scope: commentaryScope(themeId) }, orderBy: { version: 'desc' } });
    return rows.map(toRecord);
  }

  async save(c: NewCommentary, audit: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>): Promise<{ commentary: CommentaryRecord; created: boolean }> {
    const scope = commentaryScope(c.themeId);
    const run = async (tx: Prisma.TransactionClient) => {
      const found = await tx.commentary.findFirst({ where: { scope, periodKey: c.periodKey }, orderBy: { version: 'desc' } });
      const current = found ? toRecord(found) : null;
      if (current && sameCommentary(current, c)) return { commentary: current, created: false };
      // Two saves at once both read the same version: the unique (scope, period, version) refuses the second.
      const row = await tx.commentary.create({
        data: { scope, themeId: c.themeId, periodKey: c.periodKey, version: (current?.version ?? 0) + 1, sections: c.sections as unknown as Prisma.InputJsonValue, state: c.state, authorId: c.authorId, source: c.source, createdAt: c.at },
      });
      await tx.auditLog.create({ data: { ...audit, action: c.state === 'submitted' ? 'commentary.submit' : 'commentary.save', entity: 'commentary', entityId: scope, details: { periodKey: c.periodKey, version: row.version, source: c.source } } });
      return { commentary: toRecord(row), created: true };
    };
    return this.client ? this.client.$transaction(run) : run(this.db as Prisma.TransactionClient);
  }

  async reminders(periodKey: string): Promise<CommentaryReminderRecord[]> {
    const rows = await this.db.commentaryReminder.findMany({ where: { periodKey }, orderBy: [{ sentOn: 'asc' }, { id: 'asc' }] });
    return rows.map((r) => ({ themeId: r.themeId, periodKey: r.periodKey, personId: r.personId, level: r.level, sentOn: day(r.sentOn) }));
  }

  async recordReminders(rows: CommentaryReminderRecord[]): Promise<number> {
    if (!rows.length) return 0;
    const r = await this.db.commentaryReminder.createMany({
      data: rows.map((x) => ({ ...x, scope: commentaryScope(x.themeId), sentOn: new Date(`${x.sentOn}T00:00:00.000Z`) })),
      skipDuplicates: true,
    });
    return r.count;
  }
}
