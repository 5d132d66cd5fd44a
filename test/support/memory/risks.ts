// Risks in memory: the RiskStore port over the memory store's tables (tests and the memory
// repository), with the same keys and rules as the Prisma store (src/repo/risk-rules.ts).
import type { LocalDate } from '../../../src/domain/types.ts';
import type { NewRiskReview, RiskAudit, RiskFields, RiskFilter, RiskRecord, RiskReminderRecord, RiskReviewRecord, RiskStore } from '../../../src/ports.ts';
import { latestTwo, reviewOrder, riskChanged, sameReview } from '../../../src/repo/risk-rules.ts';
import { copy, insertNew, storedAudit, type MemoryStore, type RiskRow } from './store.ts';

export class MemoryRiskStore implements RiskStore {
  constructor(private readonly store: MemoryStore) {}

  private get t() {
    return this.store.t;
  }

  private toRecord(r: RiskRow): RiskRecord {
    const theme = r.themeId === null ? undefined : this.t.themes.find((t) => t.id === r.themeId);
    const { createdAt: _c, updatedAt: _u, ...fields } = r;
    return copy({
      ...fields,
      themeName: theme?.name ?? null,
      directorId: theme?.directorId ?? null,
      actionIds: this.t.riskActions.filter((l) => l.riskId === r.id).map((l) => l.actionId).sort((x, y) => x - y),
      indicatorIds: this.t.riskIndicators.filter((l) => l.riskId === r.id).map((l) => l.indicatorId).sort((x, y) => x - y),
      ...latestTwo(this.t.riskReviews.filter((v) => v.riskId === r.id)),
    });
  }

  async list(f: RiskFilter = {}): Promise<RiskRecord[]> {
    return this.t.risks
      .map((r) => this.toRecord(r))
      .filter(
        (r) =>
          (f.themeId === undefined || r.themeId === f.themeId) &&
          (f.personId === undefined || r.ownerId === f.personId || r.deputyId === f.personId) &&
          (f.directorId === undefined || r.directorId === f.directorId) &&
          (f.indicatorId === undefined || r.indicatorIds.includes(f.indicatorId)) &&
          (f.actionId === undefined || r.actionIds.includes(f.actionId)) &&
          (!f.activeOnly || r.active) &&
          (!f.ids || f.ids.includes(r.id)),
      )
      .sort((x, y) => (x.ref < y.ref ? -1 : x.ref > y.ref ? 1 : 0));
  }

  async byRef(ref: string): Promise<RiskRecord | null> {
    const row = this.t.risks.find((r) => r.ref.toLowerCase() === ref.trim().toLowerCase());
    return row ? this.toRecord(row) : null;
  }

  async reviews(riskIds: number[]): Promise<RiskReviewRecord[]> {
    return copy(this.t.riskReviews.filter((r) => riskIds.includes(r.riskId)).sort((a, b) => a.riskId - b.riskId || reviewOrder(a, b)));
  }

  async saveReview(r: NewRiskReview, audit: RiskAudit): Promise<{ review: RiskReviewRecord; created: boolean }> {
    const { latest } = latestTwo(this.t.riskReviews.filter((v) => v.riskId === r.riskId));
    if (latest && sameReview(latest, r)) return { review: copy(latest), created: false };
    const row: RiskReviewRecord = { id: this.store.nextId('risk_review'), riskId: r.riskId, reviewedOn: r.reviewedOn, likelihood: r.likelihood, impact: r.impact, commentary: r.commentary, authorId: r.authorId, source: r.source, createdAt: r.at };
    this.t.riskReviews.push(row);
    this.t.audit.push(storedAudit({ ...audit, action: 'risk.review', entity: 'risk', entityId: String(r.riskId), details: { review: row.id, reviewedOn: r.reviewedOn, likelihood: r.likelihood, impact: r.impact, source: r.source } }));
    return { review: copy(row), created: true };
  }

  async reminders(riskIds: number[], dueOn: LocalDate): Promise<RiskReminderRecord[]> {
    return copy(this.t.riskReminders.filter((r) => riskIds.includes(r.riskId) && r.dueOn === dueOn).sort((a, b) => (a.sentOn < b.sentOn ? -1 : a.sentOn > b.sentOn ? 1 : 0)));
  }

  async recordReminders(rows: RiskReminderRecord[]): Promise<number> {
    return insertNew(this.t.riskReminders, rows, (x, r) => x.riskId === r.riskId && x.dueOn === r.dueOn && x.sentOn === r.sentOn, copy);
  }

  async upsert(risks: RiskFields[], at: Date): Promise<{ created: number; updated: number; unchanged: number; ids: Map<string, number> }> {
    const out = { created: 0, updated: 0, unchanged: 0, ids: new Map<string, number>() };
    const day = at.toISOString().slice(0, 10);
    for (const r of risks) {
      const { actionIds, indicatorIds, ...fields } = r;
      const links = (id: number) => {
        this.t.riskActions = this.t.riskActions.filter((l) => l.riskId !== id);
        this.t.riskIndicators = this.t.riskIndicators.filter((l) => l.riskId !== id);
        for (const actionId of new Set(actionIds)) this.t.riskActions.push({ riskId: id, actionId });
        for (const indicatorId of new Set(indicatorIds)) this.t.riskIndicators.push({ riskId: id, indicatorId });
      };
      const row = this.t.risks.find((x) => x.ref === r.ref);
      if (!row) {
        const id = this.store.nextId('risk');
        this.t.risks.push({ id, ...copy(fields), createdOn: day, createdAt: at, updatedAt: at });
        links(id);
        out.created++;
        out.ids.set(r.ref, id);
        continue;
      }
      out.ids.set(r.ref, row.id);
      if (!riskChanged(this.toRecord(row), r)) {
        out.unchanged++;
        continue;
      }
      Object.assign(row, copy(fields), { updatedAt: at });
      links(row.id);
      out.updated++;
    }
    return out;
  }
}
