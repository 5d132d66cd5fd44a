// Risks in PostgreSQL (or PGlite) through Prisma: the RiskStore port. Given the client or a
// transaction's client, so an import writes risks in the register's one transaction.
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { LocalDate } from '../domain/types.ts';
import type { NewRiskReview, RiskAssessment, RiskAudit, RiskFields, RiskFilter, RiskRecord, RiskReminderRecord, RiskReviewRecord, RiskStore } from '../ports.ts';
import { latestTwo, riskChanged, sameReview } from './risk-rules.ts';

type Db = PrismaClient | Prisma.TransactionClient;

const day = (d: Date): LocalDate => d.toISOString().slice(0, 10);
const date = (d: LocalDate): Date => new Date(`${d}T00:00:00.000Z`);

type ReviewRow = { id: number; riskId: number; reviewedOn: Date; likelihood: number; impact: number; commentary: string; authorId: number | null; source: string; createdAt: Date };
const toReview = (r: ReviewRow): RiskReviewRecord => ({ ...r, reviewedOn: day(r.reviewedOn) });

const INCLUDE = { theme: { select: { name: true, directorId: true } }, indicators: { select: { indicatorId: true } }, actions: { select: { actionId: true } }, reviews: true } as const;
type Row = Prisma.RiskGetPayload<{ include: typeof INCLUDE }>;

const assessment = (likelihood: number | null, impact: number | null): RiskAssessment | null => (likelihood !== null && impact !== null ? { likelihood, impact } : null);

function toRecord(r: Row): RiskRecord {
  return {
    id: r.id,
    ref: r.ref,
    title: r.title,
    description: r.description,
    themeId: r.themeId,
    themeName: r.theme?.name ?? null,
    ownerId: r.ownerId,
    deputyId: r.deputyId,
    directorId: r.theme?.directorId ?? null,
    controls: r.controls,
    inherent: assessment(r.inherentLikelihood, r.inherentImpact),
    target: assessment(r.targetLikelihood, r.targetImpact),
    reviewMonths: r.reviewMonths,
    active: r.active,
    createdOn: day(r.createdAt),
    actionIds: r.actions.map((a) => a.actionId).sort((x, y) => x - y),
    indicatorIds: r.indicators.map((i) => i.indicatorId).sort((x, y) => x - y),
    ...latestTwo(r.reviews.map(toReview)),
  };
}

function data(r: RiskFields) {
  return {
    title: r.title,
    description: r.description,
    themeId: r.themeId,
    ownerId: r.ownerId,
    deputyId: r.deputyId,
    controls: r.controls,
    inherentLikelihood: r.inherent?.likelihood ?? null,
    inherentImpact: r.inherent?.impact ?? null,
    targetLikelihood: r.target?.likelihood ?? null,
    targetImpact: r.target?.impact ?? null,
    reviewMonths: r.reviewMonths,
    active: r.active,
  };
}

export class PrismaRiskStore implements RiskStore {
  /** `db`: the client, or — inside a transaction already (an import) — the transaction's client. */
  constructor(private readonly db: Db, private readonly client: PrismaClient | null = null) {}

  async list(f: RiskFilter = {}): Promise<RiskRecord[]> {
    const where: Prisma.RiskWhereInput = {
      ...(f.themeId !== undefined ? { themeId: f.themeId } : {}),
      ...(f.personId !== undefined ? { OR: [{ ownerId: f.personId }, { deputyId: f.personId }] } : {}),
      ...(f.directorId !== undefined ? { theme: { directorId: f.directorId } } : {}),
      ...(f.indicatorId !== undefined ? { indicators: { some: { indicatorId: f.indicatorId } } } : {}),
      ...(f.actionId !== undefined ? { actions: { some: { actionId: f.actionId } } } : {}),
      ...(f.activeOnly ? { active: true } : {}),
      ...(f.ids ? { id: { in: f.ids } } : {}),
    };
    return (await this.db.risk.findMany({ where, include: INCLUDE, orderBy: { ref: 'asc' } })).map(toRecord);
  }

  async byRef(ref: string): Promise<RiskRecord | null> {
    const row = await this.db.risk.findFirst({ where: { ref: { equals: ref.trim(), mode: 'insensitive' } }, include: INCLUDE });
    return row ? toRecord(row) : null;
  }

  async reviews(riskIds: number[]): Promise<RiskReviewRecord[]> {
    if (!riskIds.length) return [];
    const rows = await this.db.riskReview.findMany({ where: { riskId: { in: riskIds } }, orderBy: [{ riskId: 'asc' }, { reviewedOn: 'desc' }, { id: 'desc' }] });
    return rows.map(toReview);
  }

  async saveReview(r: NewRiskReview, audit: RiskAudit): Promise<{ review: RiskReviewRecord; created: boolean }> {
    const run = async (tx: Prisma.TransactionClient) => {
      const latest = await tx.riskReview.findFirst({ where: { riskId: r.riskId }, orderBy: [{ reviewedOn: 'desc' }, { id: 'desc' }] });
      if (latest && sameReview(toReview(latest), r)) return { review: toReview(latest), created: false };
      const row = await tx.riskReview.create({
        data: { riskId: r.riskId, reviewedOn: date(r.reviewedOn), likelihood: r.likelihood, impact: r.impact, commentary: r.commentary, authorId: r.authorId, source: r.source, createdAt: r.at },
      });
      await tx.auditLog.create({ data: { ...audit, action: 'risk.review', entity: 'risk', entityId: String(r.riskId), details: { review: row.id, reviewedOn: r.reviewedOn, likelihood: r.likelihood, impact: r.impact, source: r.source } } });
      return { review: toReview(row), created: true };
    };
    return this.client ? this.client.$transaction(run) : run(this.db as Prisma.TransactionClient);
  }

  async reminders(riskIds: number[], dueOn: LocalDate): Promise<RiskReminderRecord[]> {
    if (!riskIds.length) return [];
    const rows = await this.db.riskReminder.findMany({ where: { riskId: { in: riskIds }, dueOn: date(dueOn) }, orderBy: [{ sentOn: 'asc' }, { id: 'asc' }] });
    return rows.map((r) => ({ riskId: r.riskId, dueOn: day(r.dueOn), personId: r.personId, level: r.level, sentOn: day(r.sentOn) }));
  }

  async recordReminders(rows: RiskReminderRecord[]): Promise<number> {
    if (!rows.length) return 0;
    const r = await this.db.riskReminder.createMany({ data: rows.map((x) => ({ ...x, dueOn: date(x.dueOn), sentOn: date(x.sentOn) })), skipDuplicates: true });
    return r.count;
  }

  async upsert(risks: RiskFields[], at: Date): Promise<{ created: number; updated: number; unchanged: number; ids: Map<string, number> }> {
    const existing = await this.db.risk.findMany({ where: { ref: { in: risks.map((r) => r.ref) } }, include: INCLUDE });
    const byRef = new Map(existing.map((e) => [e.ref, toRecord(e)]));
    const out = { created: 0, updated: 0, unchanged: 0, ids: new Map<string, number>() };
    const links = async (id: number, r: RiskFields) => {
      await this.db.riskAction.deleteMany({ where: { riskId: id, actionId: { notIn: r.actionIds } } });
      await this.db.riskIndicator.deleteMany({ where: { riskId: id, indicatorId: { notIn: r.indicatorIds } } });
      if (r.actionIds.length) await this.db.riskAction.createMany({ data: r.actionIds.map((actionId) => ({ riskId: id, actionId })), skipDuplicates: true });
      if (r.indicatorIds.length) await this.db.riskIndicator.createMany({ data: r.indicatorIds.map((indicatorId) => ({ riskId: id, indicatorId })), skipDuplicates: true });
    };
    for (const r of risks) {
      const found = byRef.get(r.ref);
      if (!found) {
        const row = await this.db.risk.create({ data: { ref: r.ref, ...data(r), createdAt: at, updatedAt: at } });
        await links(row.id, r);
        out.created++;
        out.ids.set(r.ref, row.id);
        continue;
      }
      out.ids.set(r.ref, found.id);
      if (!riskChanged(found, r)) {
        out.unchanged++;
        continue;
      }
      await this.db.risk.update({ where: { id: found.id }, data: { ...data(r), updatedAt: at } });
      await links(found.id, r);
      out.updated++;
    }
    return out;
  }
}
