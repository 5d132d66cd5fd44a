// Condition changes in memory: the ConditionChangeStore port over the memory store's tables, with the
// Prisma store's unique key (subject, subject id, transition key).
import type { AlertSubject, ConditionChangeRecord, ConditionChangeStore, NewConditionChange } from '../../../src/ports.ts';
import { copy, type MemoryStore } from './store.ts';

export class MemoryConditionChanges implements ConditionChangeStore {
  constructor(private readonly store: MemoryStore) {}

  async latest(subject: AlertSubject, subjectIds?: number[]): Promise<Map<number, ConditionChangeRecord>> {
    const out = new Map<number, ConditionChangeRecord>();
    for (const { transitionKey: _k, ...c } of this.store.t.conditionChanges) if (c.subject === subject && (!subjectIds || subjectIds.includes(c.subjectId))) out.set(c.subjectId, copy(c));
    return out;
  }

  async record(changes: NewConditionChange[]): Promise<ConditionChangeRecord[]> {
    const out: ConditionChangeRecord[] = [];
    for (const c of changes) {
      const t = this.store.t.conditionChanges;
      if (t.some((x) => x.subject === c.subject && x.subjectId === c.subjectId && x.transitionKey === c.transitionKey)) continue;
      const row = { id: this.store.nextId('condition_change'), ...copy(c) };
      t.push(row);
      const { transitionKey: _k, ...rec } = row;
      out.push(copy(rec));
    }
    return out;
  }
}
