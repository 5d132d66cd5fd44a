// Actions and milestones in PostgreSQL (or PGlite) through Prisma: the ActionStore port. Given the
// client or a transaction's client, so an import writes actions in the register's one transaction.
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { Progress } from '../domain/actions.ts';
import type { LocalDate } from '../domain/types.ts';
import type { ActionChangeRecord, ActionFields, ActionReminderRecord, ActionFilter, ActionKind, ActionRecord, ActionStore, ActionUpdateRecord, AuditEntry, NewActionChange, NewActionUpdate } from '../ports.ts';
import { actionChanged, newerUpdate, noLongerViableUpdate, sameUpdate } from './action-rules.ts';

type Db = PrismaClient | Prisma.TransactionClient;

const day = (d: Date): LocalDate => d.toISOString().slice(0, 10);
const date = (d: LocalDate): Date => new Date(`${d}T00:00:00.000Z`);

type UpdateRow = { id: number; actionId: number; periodKey: string; version: number; progress: string; percentComplete: number | null; commentary: string; authorId: number | null; source: string; createdAt: Date };
const toUpdate = (u: UpdateRow): ActionUpdateRecord => ({ ...u, progress: u.progress as Progress });

type ChangeRow = { id: number; actionId: number; kind: string; proposedDue: Date | null; reason: string; periodKey: string | null; state: string; requestedById: number | null; requestedAt: Date; decidedById: number | null; decidedAt: Date | null };
const toChange = (c: ChangeRow): ActionChangeRecord => ({ ...c, kind: c.kind as ActionChangeRecord['kind'], state: c.state as ActionChangeRecord['state'], proposedDue: c.proposedDue ? day(c.proposedDue) : null });

const INCLUDE = { theme: { select: { name: true, directorId: true } }, indicators: { select: { indicatorId: true } }, updates: true } as const;
type Row = Prisma.ActionGetPayload<{ include: typeof INCLUDE }>;

function toRecord(a: Row): ActionRecord {
  return {
    id: a.id,
    ref: a.ref,
    kind: a.kind as ActionKind,
    title: a.title,
    description: a.description,
    themeId: a.themeId,
    themeName: a.theme?.name ?? null,
    ownerId: a.ownerId,
    deputyId: a.deputyId,
    directorId: a.theme?.directorId ?? null,
    start: a.startDate ? day(a.startDate) : null,
    due: day(a.dueDate),
    originalDue: day(a.originalDue),
    rephaseReason: a.rephaseReason,
    isKey: a.isKey,
    active: a.active,
    indicatorIds: a.indicators.map((i) => i.indicatorId).sort((x, y) => x - y),
    latest: a.updates.map(toUpdate).reduce<ActionUpdateRecord | null>((best, u) => (newerUpdate(u, best) ? u : best), null),
  };
}

export class PrismaActionStore implements ActionStore {
  /** `db`: the client, or — inside a transaction already (an import) — the transaction's client. */
  constructor(private readonly db: Db, private readonly client: PrismaClient | null = null) {}

  async list(f: ActionFilter = {}): Promise<ActionRecord[]> {
    const where: Prisma.ActionWhereInput = {
      ...(f.themeId !== undefined ? { themeId: f.themeId } : {}),
      ...(f.personId !== undefined ? { OR: [{ ownerId: f.personId }, { deputyId: f.personId }] } : {}),
      ...(f.directorId !== undefined ? { theme: { directorId: f.directorId } } : {}),
      ...(f.indicatorId !== undefined ? { indicators: { some: { indicatorId: f.indicatorId } } } : {}),
      ...(f.activeOnly ? { active: true } : {}),
      ...(f.ids ? { id: { in: f.ids } } : {}),
    };
    const rows = await this.db.action.findMany({ where, include: INCLUDE, orderBy: [{ dueDate: 'asc' }, { ref: 'asc' }] });
    return rows.map(toRecord);
  }

  async byRef(ref: string): Promise<ActionRecord | null> {
    const row = await this.db.action.findFirst({ where: { ref: { equals: ref.trim(), mode: 'insensitive' } }, include: INCLUDE });
    return row ? toRecord(row) : null;
  }

  async updates(actionIds: number[]): Promise<ActionUpdateRecord[]> {
    if (!actionIds.length) return [];
    const rows = await this.db.actionUpdate.findMany({ where: { actionId: { in: actionIds } }, orderBy: [{ actionId: 'asc' }, { periodKey: 'desc' }, { version: 'desc' }] });
    return rows.map(toUpdate);
  }

  async saveUpdate(u: NewActionUpdate, audit: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>): Promise<{ update: ActionUpdateRecord; created: boolean }> {
    const run = async (tx: Prisma.TransactionClient) => {
      const current = await tx.actionUpdate.findFirst({ where: { actionId: u.actionId, periodKey: u.periodKey }, orderBy: { version: 'desc' } });
      if (current && sameUpdate(toUpdate(current), u)) return { update: toUpdate(current), created: false };
      const row = await tx.actionUpdate.create({
        data: { actionId: u.actionId, periodKey: u.periodKey, version: (current?.version ?? 0) + 1, progress: u.progress, percentComplete: u.percentComplete, commentary: u.commentary, authorId: u.authorId, source: u.source, createdAt: u.at },
      });
      await tx.auditLog.create({ data: { ...audit, action: 'action.update', entity: 'action', entityId: String(u.actionId), details: { periodKey: u.periodKey, version: row.version, progress: u.progress, percentComplete: u.percentComplete, source: u.source } } });
      return { update: toUpdate(row), created: true };
    };
    return this.inTransaction(run);
  }

  async requestChange(c: NewActionChange, audit: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>): Promise<ActionChangeRecord> {
    return this.inTransaction(async (tx) => {
      await tx.actionChange.updateMany({ where: { actionId: c.actionId, state: 'pending' }, data: { state: 'withdrawn' } });
      const row = await tx.actionChange.create({ data: { ...c, proposedDue: c.proposedDue ? date(c.proposedDue) : null, state: 'pending' } });
      await tx.auditLog.create({ data: { ...audit, action: 'action.change-requested', entity: 'action', entityId: String(c.actionId), details: { change: row.id, kind: c.kind, proposedDue: c.proposedDue, reason: c.reason } } });
      return toChange(row);
    });
  }

  async actionChange(id: number): Promise<ActionChangeRecord | null> {
    const row = await this.db.actionChange.findUnique({ where: { id } });
    return row ? toChange(row) : null;
  }

  async pendingChanges(actionId?: number): Promise<ActionChangeRecord[]> {
    return (await this.db.actionChange.findMany({ where: { state: 'pending', ...(actionId !== undefined ? { actionId } : {}) }, orderBy: { id: 'asc' } })).map(toChange);
  }

  async decideChange(id: number, decision: 'approved' | 'returned', by: { personId: number; label: string; at: Date }): Promise<ActionChangeRecord | null> {
    return this.inTransaction(async (tx) => {
      // Decided once: a second press (or another process) finds it no longer pending.
      const claimed = await tx.actionChange.updateMany({ where: { id, state: 'pending' }, data: { state: decision, decidedById: by.personId, decidedAt: by.at } });
      if (!claimed.count) return null;
      const row = toChange(await tx.actionChange.findUniqueOrThrow({ where: { id } }));
      const audit = { at: by.at, actorId: by.personId, actorLabel: by.label };
      if (decision === 'approved' && row.kind === 'due') await tx.action.update({ where: { id: row.actionId }, data: { dueDate: date(row.proposedDue!), rephaseReason: row.reason, updatedAt: by.at } });
      if (decision === 'approved' && row.kind === 'no_longer_viable') await new PrismaActionStore(tx).saveUpdate(noLongerViableUpdate(row, by.at, row.requestedById), audit);
      await tx.auditLog.create({ data: { ...audit, action: `action.change-${decision}`, entity: 'action', entityId: String(row.actionId), details: { change: row.id, kind: row.kind, proposedDue: row.proposedDue } } });
      return row;
    });
  }

  private inTransaction<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.client ? this.client.$transaction(fn) : fn(this.db as Prisma.TransactionClient);
  }

  async reminders(actionIds: number[], periodKey: string): Promise<ActionReminderRecord[]> {
    if (!actionIds.length) return [];
    const rows = await this.db.actionReminder.findMany({ where: { actionId: { in: actionIds }, periodKey }, orderBy: [{ sentOn: 'asc' }, { id: 'asc' }] });
    return rows.map((r) => ({ actionId: r.actionId, periodKey: r.periodKey, personId: r.personId, level: r.level, sentOn: day(r.sentOn) }));
  }

  async recordReminders(rows: ActionReminderRecord[]): Promise<number> {
    if (!rows.length) return 0;
    const r = await this.db.actionReminder.createMany({ data: rows.map((x) => ({ ...x, sentOn: date(x.sentOn) })), skipDuplicates: true });
    return r.count;
  }

  async upsert(actions: ActionFields[], at: Date): Promise<{ created: number; updated: number; unchanged: number; ids: Map<string, number> }> {
    const existing = await this.db.action.findMany({ where: { ref: { in: actions.map((a) => a.ref) } }, include: INCLUDE });
    const byRef = new Map(existing.map((e) => [e.ref, toRecord(e)]));
    const out = { created: 0, updated: 0, unchanged: 0, ids: new Map<string, number>() };
    for (const a of actions) {
      const found = byRef.get(a.ref);
      const data = {
        kind: a.kind,
        title: a.title,
        description: a.description,
        themeId: a.themeId,
        ownerId: a.ownerId,
        deputyId: a.deputyId,
        startDate: a.start ? date(a.start) : null,
        dueDate: date(a.due),
        ...(a.originalDue ? { originalDue: date(a.originalDue) } : {}),
        ...(a.rephaseReason !== undefined ? { rephaseReason: a.rephaseReason } : {}),
        isKey: a.isKey,
        active: a.active,
      };
      if (!found) {
        const row = await this.db.action.create({ data: { ref: a.ref, ...data, originalDue: date(a.originalDue ?? a.due), createdAt: at, updatedAt: at } });
        if (a.indicatorIds.length) await this.db.actionIndicator.createMany({ data: a.indicatorIds.map((indicatorId) => ({ actionId: row.id, indicatorId })), skipDuplicates: true });
        out.created++;
        out.ids.set(a.ref, row.id);
        continue;
      }
      out.ids.set(a.ref, found.id);
      if (!actionChanged(found, a)) {
        out.unchanged++;
        continue;
      }
      await this.db.action.update({ where: { id: found.id }, data: { ...data, updatedAt: at } });
      await this.db.actionIndicator.deleteMany({ where: { actionId: found.id, indicatorId: { notIn: a.indicatorIds } } });
      if (a.indicatorIds.length) await this.db.actionIndicator.createMany({ data: a.indicatorIds.map((indicatorId) => ({ actionId: found.id, indicatorId })), skipDuplicates: true });
      out.updated++;
    }
    return out;
  }
}
