// Actions and milestones in memory: the ActionStore port over the memory store's tables (tests and
// the memory repository), with the same keys and rules as the Prisma store (src/repo/action-rules.ts).
import type { ActionChangeRecord, ActionFields, ActionReminderRecord, ActionFilter, ActionRecord, ActionStore, ActionUpdateRecord, AuditEntry, NewActionChange, NewActionUpdate } from '../../../src/ports.ts';
import { actionChanged, newerUpdate, noLongerViableUpdate, sameUpdate } from '../../../src/repo/action-rules.ts';
import { copy, insertNew, storedAudit, type ActionRow, type MemoryStore } from './store.ts';

export class MemoryActionStore implements ActionStore {
  constructor(private readonly store: MemoryStore) {}

  private get t() {
    return this.store.t;
  }

  private toRecord(a: ActionRow): ActionRecord {
    const theme = a.themeId === null ? undefined : this.t.themes.find((t) => t.id === a.themeId);
    const { createdAt: _c, updatedAt: _u, ...fields } = a;
    return copy({
      ...fields,
      themeName: theme?.name ?? null,
      directorId: theme?.directorId ?? null,
      indicatorIds: this.t.actionIndicators.filter((l) => l.actionId === a.id).map((l) => l.indicatorId).sort((x, y) => x - y),
      latest: this.t.actionUpdates.filter((u) => u.actionId === a.id).reduce<ActionUpdateRecord | null>((best, u) => (newerUpdate(u, best) ? u : best), null),
    });
  }

  async list(f: ActionFilter = {}): Promise<ActionRecord[]> {
    return this.t.actions
      .map((a) => this.toRecord(a))
      .filter(
        (a) =>
          (f.themeId === undefined || a.themeId === f.themeId) &&
          (f.personId === undefined || a.ownerId === f.personId || a.deputyId === f.personId) &&
          (f.directorId === undefined || a.directorId === f.directorId) &&
          (f.indicatorId === undefined || a.indicatorIds.includes(f.indicatorId)) &&
          (!f.activeOnly || a.active) &&
          (!f.ids || f.ids.includes(a.id)),
      )
      .sort((x, y) => (x.due === y.due ? (x.ref < y.ref ? -1 : x.ref > y.ref ? 1 : 0) : x.due < y.due ? -1 : 1));
  }

  async byRef(ref: string): Promise<ActionRecord | null> {
    const row = this.t.actions.find((a) => a.ref.toLowerCase() === ref.trim().toLowerCase());
    return row ? this.toRecord(row) : null;
  }

  async updates(actionIds: number[]): Promise<ActionUpdateRecord[]> {
    const order = (a: ActionUpdateRecord, b: ActionUpdateRecord) => a.actionId - b.actionId || (a.periodKey === b.periodKey ? b.version - a.version : a.periodKey < b.periodKey ? 1 : -1);
    return copy(this.t.actionUpdates.filter((u) => actionIds.includes(u.actionId)).sort(order));
  }

  async saveUpdate(u: NewActionUpdate, audit: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>): Promise<{ update: ActionUpdateRecord; created: boolean }> {
    const current = this.t.actionUpdates.filter((x) => x.actionId === u.actionId && x.periodKey === u.periodKey).sort((a, b) => b.version - a.version)[0];
    if (current && sameUpdate(current, u)) return { update: copy(current), created: false };
    const row: ActionUpdateRecord = {
      id: this.store.nextId('action_update'),
      actionId: u.actionId,
      periodKey: u.periodKey,
      version: (current?.version ?? 0) + 1,
      progress: u.progress,
      percentComplete: u.percentComplete,
      commentary: u.commentary,
      authorId: u.authorId,
      source: u.source,
      createdAt: u.at,
    };
    this.t.actionUpdates.push(row);
    this.t.audit.push(storedAudit({ ...audit, action: 'action.update', entity: 'action', entityId: String(u.actionId), details: { periodKey: u.periodKey, version: row.version, progress: u.progress, percentComplete: u.percentComplete, source: u.source } }));
    return { update: copy(row), created: true };
  }

  async requestChange(c: NewActionChange, audit: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>): Promise<ActionChangeRecord> {
    for (const p of this.t.actionChanges) if (p.actionId === c.actionId && p.state === 'pending') p.state = 'withdrawn';
    const row: ActionChangeRecord = { id: this.store.nextId('action_change'), ...c, state: 'pending', decidedById: null, decidedAt: null };
    this.t.actionChanges.push(row);
    this.t.audit.push(storedAudit({ ...audit, action: 'action.change-requested', entity: 'action', entityId: String(c.actionId), details: { change: row.id, kind: c.kind, proposedDue: c.proposedDue, reason: c.reason } }));
    return copy(row);
  }

  async actionChange(id: number): Promise<ActionChangeRecord | null> {
    const row = this.t.actionChanges.find((c) => c.id === id);
    return row ? copy(row) : null;
  }

  async pendingChanges(actionId?: number): Promise<ActionChangeRecord[]> {
    return copy(this.t.actionChanges.filter((c) => c.state === 'pending' && (actionId === undefined || c.actionId === actionId)));
  }

  decideChange(id: number, decision: 'approved' | 'returned', by: { personId: number; label: string; at: Date }): Promise<ActionChangeRecord | null> {
    return this.store.transaction(async () => {
      const row = this.t.actionChanges.find((c) => c.id === id);
      if (!row || row.state !== 'pending') return null;
      Object.assign(row, { state: decision, decidedById: by.personId, decidedAt: by.at });
      const audit = { at: by.at, actorId: by.personId, actorLabel: by.label };
      if (decision === 'approved' && row.kind === 'due') Object.assign(this.t.actions.find((a) => a.id === row.actionId)!, { due: row.proposedDue!, rephaseReason: row.reason, updatedAt: by.at });
      if (decision === 'approved' && row.kind === 'no_longer_viable') await this.saveUpdate(noLongerViableUpdate(row, by.at, row.requestedById), audit);
      this.t.audit.push(storedAudit({ ...audit, action: `action.change-${decision}`, entity: 'action', entityId: String(row.actionId), details: { change: row.id, kind: row.kind, proposedDue: row.proposedDue } }));
      return copy(row);
    });
  }

  async reminders(actionIds: number[], periodKey: string): Promise<ActionReminderRecord[]> {
    return copy(this.t.actionReminders.filter((r) => actionIds.includes(r.actionId) && r.periodKey === periodKey).sort((a, b) => (a.sentOn < b.sentOn ? -1 : a.sentOn > b.sentOn ? 1 : 0)));
  }

  async recordReminders(rows: ActionReminderRecord[]): Promise<number> {
    return insertNew(this.t.actionReminders, rows, (x, r) => x.actionId === r.actionId && x.periodKey === r.periodKey && x.sentOn === r.sentOn, copy);
  }

  async upsert(actions: ActionFields[], at: Date): Promise<{ created: number; updated: number; unchanged: number; ids: Map<string, number> }> {
    const out = { created: 0, updated: 0, unchanged: 0, ids: new Map<string, number>() };
    for (const a of actions) {
      const row = this.t.actions.find((x) => x.ref === a.ref);
      const { indicatorIds, originalDue, rephaseReason, ...fields } = a;
      const links = (id: number) => {
        this.t.actionIndicators = this.t.actionIndicators.filter((l) => l.actionId !== id);
        for (const indicatorId of new Set(indicatorIds)) this.t.actionIndicators.push({ actionId: id, indicatorId });
      };
      if (!row) {
        const id = this.store.nextId('action');
        this.t.actions.push({ id, ...fields, originalDue: originalDue ?? a.due, rephaseReason: rephaseReason ?? null, createdAt: at, updatedAt: at });
        links(id);
        out.created++;
        out.ids.set(a.ref, id);
        continue;
      }
      out.ids.set(a.ref, row.id);
      if (!actionChanged(this.toRecord(row), a)) {
        out.unchanged++;
        continue;
      }
      Object.assign(row, fields, originalDue ? { originalDue } : {}, rephaseReason !== undefined ? { rephaseReason } : {}, { updatedAt: at });
      links(row.id);
      out.updated++;
    }
    return out;
  }
}
