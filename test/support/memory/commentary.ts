// Attributed commentary in memory: the CommentaryStore port over the memory store's tables (tests and
// the memory repository), with the same keys and rules as the Prisma store.
import { commentaryScope, sameCommentary } from '../../../src/domain/commentary.ts';
import type { AuditEntry, CommentaryRecord, CommentaryReminderRecord, CommentaryStore, NewCommentary } from '../../../src/ports.ts';
import { copy, insertNew, storedAudit, type MemoryStore } from './store.ts';

export class MemoryCommentaryStore implements CommentaryStore {
  constructor(private readonly store: MemoryStore) {}

  private get t() {
    return this.store.t;
  }

  async forQuarter(periodKey: string, opts: { submitted?: boolean } = {}): Promise<CommentaryRecord[]> {
    const newest = new Map<string, CommentaryRecord>();
    for (const c of this.t.commentary) {
      if (c.periodKey !== periodKey || (opts.submitted && c.state !== 'submitted')) continue;
      const k = commentaryScope(c.themeId);
      if ((newest.get(k)?.version ?? 0) < c.version) newest.set(k, c);
    }
    return copy([...newest.values()].sort((a, b) => (a.themeId ?? 0) - (b.themeId ?? 0)));
  }

  async versions(periodKey: string, themeId: number | null): Promise<CommentaryRecord[]> {
    return copy(this.t.commentary.filter((c) => c.periodKey === periodKey && c.themeId === themeId).sort((a, b) => b.version - a.version));
  }

  async save(c: NewCommentary, audit: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>): Promise<{ commentary: CommentaryRecord; created: boolean }> {
    const [current] = await this.versions(c.periodKey, c.themeId);
    if (current && sameCommentary(current, c)) return { commentary: current, created: false };
    const row: CommentaryRecord = {
      id: this.store.nextId('commentary'),
      themeId: c.themeId,
      periodKey: c.periodKey,
      version: (current?.version ?? 0) + 1,
      sections: c.sections,
      state: c.state,
      authorId: c.authorId,
      source: c.source,
      createdAt: c.at,
    };
    this.t.commentary.push(copy(row));
    this.t.audit.push(storedAudit({ ...audit, action: c.state === 'submitted' ? 'commentary.submit' : 'commentary.save', entity: 'commentary', entityId: commentaryScope(c.themeId), details: { periodKey: c.periodKey, version: row.version, source: c.source } }));
    return { commentary: copy(row), created: true };
  }

  async reminders(periodKey: string): Promise<CommentaryReminderRecord[]> {
    return copy(this.t.commentaryReminders.filter((r) => r.periodKey === periodKey).sort((a, b) => (a.sentOn < b.sentOn ? -1 : a.sentOn > b.sentOn ? 1 : 0)));
  }

  async recordReminders(rows: CommentaryReminderRecord[]): Promise<number> {
    return insertNew(this.t.commentaryReminders, rows, (x, r) => x.themeId === r.themeId && x.periodKey === r.periodKey && x.sentOn === r.sentOn, copy);
  }
}
