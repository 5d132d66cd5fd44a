// Benchmarks in memory: the ComparatorStore port over the memory store's tables (tests and the memory
// repository), with the same keys, rounding and rules as the Prisma store (src/repo/rules.ts).
import type { ComparatorAudit, ComparatorGroupRecord, ComparatorSave, ComparatorStore, ComparatorValueRecord } from '../../../src/ports.ts';
import { copy, storedAudit, type MemoryStore } from './store.ts';
import { compareComparatorValues, comparatorKey, groupChange, sameComparatorValue, storedComparatorValue } from '../../../src/repo/rules.ts';

export class MemoryComparatorStore implements ComparatorStore {
  constructor(private readonly store: MemoryStore) {}

  private get t() {
    return this.store.t;
  }

  async values(filter: { indicatorIds?: number[]; periodKeys?: string[] } = {}): Promise<ComparatorValueRecord[]> {
    return copy(
      this.t.comparatorValues
        .filter((v) => (!filter.indicatorIds || filter.indicatorIds.includes(v.indicatorId)) && (!filter.periodKeys || filter.periodKeys.includes(v.periodKey)))
        .sort(compareComparatorValues),
    );
  }

  async saveValues(rows: ComparatorValueRecord[], audit: ComparatorAudit, at: Date): Promise<ComparatorSave> {
    return this.store.transaction(async () => {
      const held = new Map(this.t.comparatorValues.map((v, i) => [comparatorKey(v), i]));
      const out: ComparatorSave = { added: 0, changed: 0, unchanged: 0 };
      for (const r of rows.map(storedComparatorValue)) {
        const i = held.get(comparatorKey(r));
        if (i === undefined) {
          held.set(comparatorKey(r), this.t.comparatorValues.push(copy(r)) - 1);
          out.added++;
        } else if (sameComparatorValue(this.t.comparatorValues[i]!, r)) out.unchanged++;
        else {
          this.t.comparatorValues[i] = copy(r);
          out.changed++;
        }
      }
      if (out.added || out.changed) this.t.audit.push(storedAudit({ ...audit, at, action: 'comparators.import', entity: 'comparator_value', entityId: null, details: { ...out, source: rows[0]?.source ?? null } }));
      return out;
    });
  }

  async groups(): Promise<ComparatorGroupRecord[]> {
    return copy([...this.t.comparatorGroups].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
  }

  async saveGroup(group: ComparatorGroupRecord, audit: ComparatorAudit, at: Date): Promise<'created' | 'updated' | 'unchanged'> {
    const i = this.t.comparatorGroups.findIndex((g) => g.name === group.name);
    const change = groupChange(i < 0 ? null : this.t.comparatorGroups[i]!, group);
    if (change === 'unchanged') return change;
    if (i < 0) this.t.comparatorGroups.push(copy(group));
    else this.t.comparatorGroups[i] = copy(group);
    this.t.audit.push(storedAudit({ ...audit, at, action: 'comparators.group', entity: 'comparator_group', entityId: group.name, details: { areas: group.areas } }));
    return change;
  }
}
