// The Repository port over Prisma. Explicit selects everywhere; Decimal → number and Date → LocalDate
// conversions happen here so nothing above this layer sees Prisma types.
import { PrismaActionStore } from './prisma-actions.ts';
import { PrismaConditionChanges } from './prisma-conditions.ts';
import { PrismaRiskStore } from './prisma-risks.ts';
import { PrismaCommentaryStore } from './prisma-commentary.ts';
import { PrismaComparatorStore } from './prisma-comparators.ts';
import { PrismaApiStore } from './prisma-api.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type {
  AuditEntry,
  ExceptionReportRecord,
  Cadence,
  IndicatorChange,
  IndicatorFilter,
  IndicatorRecord,
  NewNotCollected,
  NewObservation,
  NewStatusChange,
  NotCollectedRecord,
  ReminderKind,
  ReminderRecord,
  ValueRecord,
  ObservationRecord,
  OrgSettings,
  PeriodLockRecord,
  QuarterSnapshot,
  SignedOffValue,
  SignOffHold,
  NewSubscription,
  PlatformName,
  Repository,
  Role,
  StatusChangeRecord,
  TargetRecord,
  ThemeRecord,
} from '../ports.ts';
import { StaleReportError } from '../services/exception-states.ts';
import type { LocalDate } from '../domain/types.ts';
import { localDateOf } from '../domain/dates.ts';
import { periodFromKey } from '../domain/periods.ts';
import { isYear } from '../domain/coverage.ts';
import { writeRegister } from './prisma-register.ts';
import { recalculate, registerIndicatorIds, type CalculationStore } from './calculated.ts';
import { PeopleStore } from './people.ts';
import { orgData, orgFromRow, toBand } from './org.ts';
import { checkReplaces, checkSave, coveringLock, exceptionAudit, notCollectedAudit, observationAudit, observationFields, periodCloseAudit, rankMatches, refKey, reminderCounts, sameMomentConflict, signOffHold } from './rules.ts';
import type { Register, WriteOptions } from '../register/types.ts';
import { auditRow } from './audit-row.ts';

type ClosingLock = Parameters<Repository['closePeriod']>[0];
type ClosingSnapshot = { takenAt: Date; report: unknown; covered: SignedOffValue[] };

/** Inside a transaction: the row was not at the version expected. */
class StaleVersion extends Error {}

type Dec = Prisma.Decimal | null;
type RawIndicator = Omit<IndicatorRecord, 'tolerance' | 'baseline' | 'maintainedBand'> & {
  toleranceKind: 'relative' | 'absolute' | null;
  toleranceValue: number | null;
  maintainedBandKind: 'relative' | 'precision' | null;
  maintainedBandValue: number | null;
  baselineValue: number | null;
  baselinePeriod: string | null;
  baselineText: string | null;
};
/** Unit and record separators (ASCII 0x1F, 0x1E) for values packed into one text column. */
const US = '\u001f';
const RS = '\u001e';
const num = (d: Dec): number | null => (d === null ? null : d.toNumber());

/** A band as stored (kind, and the % of a relative one) → the engine's. */
export const toLocalDate = (d: Date): LocalDate => d.toISOString().slice(0, 10);
export const fromLocalDate = (d: LocalDate): Date => new Date(`${d}T00:00:00.000Z`);

const indicatorSelect = {
  id: true,
  ref: true,
  slug: true,
  name: true,
  definition: true,
  themeId: true,
  ownerId: true,
  deputyId: true,
  unit: true,
  polarity: true,
  frequency: true,
  reportingLagDays: true,
  aggregation: true,
  toleranceKind: true,
  toleranceValue: true,
  dotBasis: true,
  maintainedBandKind: true,
  maintainedBand: true,
  decimals: true,
  isKey: true,
  active: true,
  baselineValue: true,
  baselinePeriod: true,
  baselineText: true,
  formula: true,
  theme: { select: { name: true, directorId: true } },
} as const satisfies Prisma.IndicatorSelect;

function toIndicator(i: Prisma.IndicatorGetPayload<{ select: typeof indicatorSelect }>): IndicatorRecord {
  return {
    id: i.id,
    ref: i.ref,
    slug: i.slug,
    name: i.name,
    definition: i.definition,
    themeId: i.themeId,
    themeName: i.theme?.name ?? null,
    ownerId: i.ownerId,
    deputyId: i.deputyId,
    directorId: i.theme?.directorId ?? null,
    unit: i.unit,
    polarity: i.polarity,
    frequency: i.frequency,
    reportingLagDays: i.reportingLagDays,
    aggregation: i.aggregation,
    tolerance: i.toleranceKind && i.toleranceValue !== null ? { kind: i.toleranceKind, value: i.toleranceValue.toNumber() } : null,
    dotBasis: i.dotBasis,
    maintainedBand: toBand(i.maintainedBandKind, num(i.maintainedBand)),
    decimals: i.decimals,
    isKey: i.isKey,
    active: i.active,
    baseline: { value: num(i.baselineValue), period: i.baselinePeriod, text: i.baselineText },
    formula: i.formula,
  };
}

const observationSelect = {
  id: true,
  indicatorId: true,
  periodKey: true,
  version: true,
  value: true,
  estimated: true,
  provisional: true,
  note: true,
  assessedStatus: true,
  source: true,
  submittedById: true,
  submittedByLabel: true,
  submittedAt: true,
  correctionReason: true,
} as const satisfies Prisma.ObservationSelect;

function toObservation(o: Prisma.ObservationGetPayload<{ select: typeof observationSelect }>): ObservationRecord {
  return { ...o, value: o.value.toNumber() };
}

const targetSelect = { indicatorId: true, periodKey: true, value: true, amberFloor: true, text: true } as const satisfies Prisma.TargetSelect;

function toTarget(t: Prisma.TargetGetPayload<{ select: typeof targetSelect }>): TargetRecord {
  return { ...t, value: num(t.value), amberFloor: num(t.amberFloor) };
}

const exceptionSelect = {
  id: true,
  version: true,
  indicatorId: true,
  periodKey: true,
  questions: true,
  answers: true,
  state: true,
  authorId: true,
  reviewerId: true,
  reviewComment: true,
  submittedAt: true,
  reviewedAt: true,
  chaseCount: true,
  lastChasedAt: true,
  updatedAt: true,
  approvedValue: true,
  approvedStatus: true,
} as const satisfies Prisma.ExceptionReportSelect;

function toException(r: Prisma.ExceptionReportGetPayload<{ select: typeof exceptionSelect }>): ExceptionReportRecord {
  return { ...r, questions: r.questions as string[], answers: r.answers as string[], approvedValue: num(r.approvedValue) };
}

const statusChangeSelect = {
  id: true,
  indicatorId: true,
  periodKey: true,
  previousStatus: true,
  status: true,
  previousDirection: true,
  direction: true,
  value: true,
  target: true,
  forecastMiss: true,
  explanation: true,
  observedAt: true,
} as const satisfies Prisma.StatusChangeSelect;

function toStatusChange(s: Prisma.StatusChangeGetPayload<{ select: typeof statusChangeSelect }>): StatusChangeRecord {
  return { ...s, value: num(s.value), target: num(s.target) };
}

const lockSelect = { periodKey: true, periodStart: true, periodEnd: true, closedAt: true, closedById: true } as const;

function toLock(l: Prisma.PeriodLockGetPayload<{ select: typeof lockSelect }>): PeriodLockRecord {
  return { ...l, periodStart: toLocalDate(l.periodStart), periodEnd: toLocalDate(l.periodEnd) };
}

/** Taken shared by every save of a value and alone by a sign-off (pg_advisory_xact_lock). */
const SIGNOFF_LOCK = 0x4b5049_01; // "KPI" 1

/** The sign-off a period falls under (src/repo/rules.ts), from the locks overlapping it. */
async function lockCoveringIn(db: Pick<PrismaClient, 'periodLock'>, periodStart: LocalDate, periodEnd: LocalDate): Promise<PeriodLockRecord | null> {
  const rows = await db.periodLock.findMany({ where: { periodStart: { lte: fromLocalDate(periodEnd) }, periodEnd: { gte: fromLocalDate(periodStart) } }, select: lockSelect });
  return coveringLock(rows.map(toLock), periodStart, periodEnd);
}

/**
 * The sign-off that holds a value (src/repo/rules.ts, signOffHold): the locks over its dates, and for
 * a year the quarters whose reports cover it and what their snapshots printed.
 */
async function holdIn(db: Pick<PrismaClient, 'periodLock' | 'signedOffValue' | 'organisation'>, indicatorId: number, periodKey: string, periodStart: LocalDate, periodEnd: LocalDate, at: Date): Promise<SignOffHold | null> {
  const union = await lockCoveringIn(db, periodStart, periodEnd);
  if (union) return { ...union, reason: 'signed-off' };
  // A month or a quarter is held only by its own quarter (whatever month the year starts in).
  if (!isYear(periodFromKey(periodKey))) return null;
  const org = orgFromRow(await db.organisation.findUnique({ where: { id: 1 } }));
  const period = periodFromKey(periodKey, org.fyStartMonth);
  const locks = (await db.periodLock.findMany({ select: lockSelect })).map(toLock);
  if (!locks.length) return null;
  const printed = await db.signedOffValue.findMany({ where: { indicatorId, periodKey, version: { not: null } }, select: { quarterKey: true } });
  return signOffHold(locks, printed.map((p) => p.quarterKey), period, localDateOf(at, org.timeZone), org.fyStartMonth);
}

const notCollectedSelect = { id: true, indicatorId: true, themeId: true, periodKey: true, periodStart: true, periodEnd: true, reason: true, byId: true, byLabel: true, createdAt: true } as const;

function toNotCollected(m: Prisma.NotCollectedGetPayload<{ select: typeof notCollectedSelect }>): NotCollectedRecord {
  const { createdAt, ...rest } = m;
  return { ...rest, periodStart: toLocalDate(m.periodStart), periodEnd: toLocalDate(m.periodEnd), at: createdAt };
}

function indicatorWhere(f: IndicatorFilter = {}): Prisma.IndicatorWhereInput {
  const where: Prisma.IndicatorWhereInput = {};
  if (f.activeOnly !== false) where.active = true;
  if (f.themeId !== undefined) where.themeId = f.themeId;
  if (f.personId !== undefined) where.OR = [{ ownerId: f.personId }, { deputyId: f.personId }];
  if (f.directorId !== undefined) where.theme = { directorId: f.directorId };
  return where;
}


export class PrismaRepository implements Repository {
  private readonly people_: PeopleStore;
  readonly actions: PrismaActionStore;
  readonly conditionChanges: PrismaConditionChanges;
  readonly risks: PrismaRiskStore;
  readonly commentary: PrismaCommentaryStore;
  readonly comparators: PrismaComparatorStore;
  readonly api: PrismaApiStore;

  constructor(private readonly db: PrismaClient) {
    this.people_ = new PeopleStore(db);
    this.actions = new PrismaActionStore(db, db);
    this.conditionChanges = new PrismaConditionChanges(db);
    this.risks = new PrismaRiskStore(db, db);
    this.commentary = new PrismaCommentaryStore(db, db);
    this.comparators = new PrismaComparatorStore(db, db);
    this.api = new PrismaApiStore(db);
  }

  async org(): Promise<OrgSettings> {
    return orgFromRow(await this.db.organisation.findUnique({ where: { id: 1 } }));
  }

  async updateOrg(patch: Partial<OrgSettings>): Promise<OrgSettings> {
    const merged = { ...(await this.org()), ...patch };
    const data = orgData(merged);
    await this.db.organisation.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
    return merged;
  }

  person(id: number) {
    return this.people_.person(id);
  }
  people(filter?: { role?: Role; ids?: number[] }) {
    return this.people_.people(filter);
  }
  personByPlatformUser(platform: PlatformName, userId: string) {
    return this.people_.personByPlatformUser(platform, userId);
  }
  personByEmail(email: string) {
    return this.people_.personByEmail(email);
  }
  linkPlatformUser(...a: Parameters<Repository['linkPlatformUser']>) {
    return this.people_.linkPlatformUser(...a);
  }
  forgetUnconfirmed(...a: Parameters<Repository['forgetUnconfirmed']>) {
    return this.people_.forgetUnconfirmed(...a);
  }
  editPerson(...a: Parameters<Repository['editPerson']>) {
    return this.people_.editPerson(...a);
  }
  mergePeople(...a: Parameters<Repository['mergePeople']>) {
    return this.people_.mergePeople(...a);
  }
  retirePerson(...a: Parameters<Repository['retirePerson']>) {
    return this.people_.retirePerson(...a);
  }
  erasePerson(...a: Parameters<Repository['erasePerson']>) {
    return this.people_.erasePerson(...a);
  }
  personalData(...a: Parameters<Repository['personalData']>) {
    return this.people_.personalData(...a);
  }
  setAbsence(personId: number, until: LocalDate | null) {
    return this.people_.setAbsence(personId, until);
  }
  identityLookups(personIds?: number[]) {
    return this.people_.identityLookups(personIds);
  }
  claimLookup(...a: Parameters<Repository['claimLookup']>) {
    return this.people_.claimLookup(...a);
  }
  recordLookup(...a: Parameters<Repository['recordLookup']>) {
    return this.people_.recordLookup(...a);
  }
  markLookupsReported(...a: Parameters<Repository['markLookupsReported']>) {
    return this.people_.markLookupsReported(...a);
  }
  lastDeliveries(personIds?: number[]) {
    return this.people_.lastDeliveries(personIds);
  }
  channelSubscriptions(filter?: { platform?: PlatformName; channelId?: string }) {
    return this.people_.channelSubscriptions(filter);
  }
  subscribe(sub: NewSubscription) {
    return this.people_.subscribe(sub);
  }
  unsubscribe(...a: Parameters<Repository['unsubscribe']>) {
    return this.people_.unsubscribe(...a);
  }

  async themes(): Promise<ThemeRecord[]> {
    return this.db.theme.findMany({
      select: { id: true, name: true, slug: true, kind: true, directorId: true },
      orderBy: { id: 'asc' },
    });
  }

  async theme(id: number) {
    return this.db.theme.findUnique({ where: { id }, select: { id: true, name: true, slug: true, kind: true, directorId: true } });
  }

  async indicator(id: number) {
    const i = await this.db.indicator.findUnique({ where: { id }, select: indicatorSelect });
    return i ? toIndicator(i) : null;
  }

  async indicatorBySlug(slug: string) {
    const i = await this.db.indicator.findUnique({ where: { slug: slug.toLowerCase() }, select: indicatorSelect });
    return i ? toIndicator(i) : null;
  }

  async indicators(f: IndicatorFilter = {}) {
    // Raw SQL: the whole register is read by every list, digest and evaluation run, and a flat join
    // reads 10,000 indicators several times faster than the relation query (bench/evaluate.ts).
    const conds: Prisma.Sql[] = [Prisma.sql`TRUE`];
    if (f.activeOnly !== false) conds.push(Prisma.sql`i.active`);
    if (f.themeId !== undefined) conds.push(Prisma.sql`i.theme_id = ${f.themeId}`);
    if (f.personId !== undefined) conds.push(Prisma.sql`(i.owner_id = ${f.personId} OR i.deputy_id = ${f.personId})`);
    if (f.directorId !== undefined) conds.push(Prisma.sql`th.director_id = ${f.directorId}`);
    if (f.ids !== undefined) conds.push(Prisma.sql`i.id = ANY(${f.ids}::int[])`);
    const rows = await this.db.$queryRaw<RawIndicator[]>`
      SELECT i.id, i.ref, i.slug, i.name, i.definition, i.theme_id AS "themeId", th.name AS "themeName", i.owner_id AS "ownerId",
             i.deputy_id AS "deputyId", th.director_id AS "directorId", i.unit, i.polarity::text AS polarity, i.frequency::text AS frequency,
             i.reporting_lag_days AS "reportingLagDays", i.aggregation::text AS aggregation, i.tolerance_kind::text AS "toleranceKind",
             i.tolerance_value::float8 AS "toleranceValue", i.dot_basis::text AS "dotBasis",
             i.maintained_band_kind::text AS "maintainedBandKind", i.maintained_band::float8 AS "maintainedBandValue", i.decimals, i.is_key AS "isKey", i.active,
             i.baseline_value::float8 AS "baselineValue", i.baseline_period AS "baselinePeriod", i.baseline_text AS "baselineText", i.formula
      FROM indicator i LEFT JOIN theme th ON th.id = i.theme_id
      WHERE ${Prisma.join(conds, ' AND ')}
      ORDER BY i.theme_id, i.id`;
    return rows.map(({ toleranceKind, toleranceValue, maintainedBandKind, maintainedBandValue, baselineValue, baselinePeriod, baselineText, ...r }) => ({
      ...r,
      maintainedBand: toBand(maintainedBandKind, maintainedBandValue),
      tolerance: toleranceKind && toleranceValue !== null ? { kind: toleranceKind, value: toleranceValue } : null,
      baseline: { value: baselineValue, period: baselinePeriod, text: baselineText },
    }));
  }

  async searchIndicators(query: string, limit: number, filter?: IndicatorFilter) {
    const q = query.trim();
    if (!q) {
      const rows = await this.db.indicator.findMany({ where: indicatorWhere(filter), select: indicatorSelect, orderBy: { slug: 'asc' }, take: limit });
      return rows.map(toIndicator);
    }
    const words = q.split(/\s+/).filter(Boolean);
    const rk = refKey(q);
    // A reference typed without its spaces or punctuation: "bv12i" finds "BV 12i".
    const refMatches =
      rk.length >= 2
        ? await this.db.$queryRaw<{ id: number }[]>`
            SELECT id FROM indicator
            WHERE ref IS NOT NULL AND lower(regexp_replace(ref, '[^a-zA-Z0-9]', '', 'g')) LIKE ${'%' + rk + '%'}
            LIMIT 100`
        : [];
    const rows = await this.db.indicator.findMany({
      where: {
        AND: [
          indicatorWhere(filter),
          {
            OR: [
              { slug: { contains: q.toLowerCase() } },
              { ref: { contains: q, mode: 'insensitive' } },
              { AND: words.map((w) => ({ name: { contains: w, mode: 'insensitive' as const } })) },
              ...(refMatches.length ? [{ id: { in: refMatches.map((r) => r.id) } }] : []),
            ],
          },
        ],
      },
      select: indicatorSelect,
      take: 500,
    });
    return rankMatches(rows, q, limit).map(toIndicator);
  }

  async history(indicatorId: number) {
    return (await this.histories([indicatorId])).get(indicatorId) ?? { observations: [], targets: [] };
  }

  async histories(indicatorIds: number[]) {
    const [obs, targets] = await Promise.all([
      this.db.observation.findMany({
        where: { indicatorId: { in: indicatorIds }, latest: true },
        select: observationSelect,
        orderBy: [{ indicatorId: 'asc' }, { periodStart: 'asc' }],
      }),
      this.db.target.findMany({ where: { indicatorId: { in: indicatorIds } }, select: targetSelect, orderBy: { periodStart: 'asc' } }),
    ]);
    const out = new Map<number, { observations: ObservationRecord[]; targets: TargetRecord[] }>();
    for (const id of indicatorIds) out.set(id, { observations: [], targets: [] });
    for (const o of obs) out.get(o.indicatorId)!.observations.push(toObservation(o));
    for (const t of targets) out.get(t.indicatorId)!.targets.push(toTarget(t));
    return out;
  }

  async observationVersions(indicatorId: number, periodKey?: string) {
    const rows = await this.db.observation.findMany({
      where: { indicatorId, ...(periodKey !== undefined ? { periodKey } : {}) },
      select: observationSelect,
      orderBy: [{ periodStart: 'desc' }, { periodEnd: 'desc' }, { version: 'desc' }],
    });
    return rows.map(toObservation);
  }

  async observationVersionsSince(since: Date, indicatorIds: number[]) {
    if (!indicatorIds.length) return [];
    const rows = await this.db.observation.findMany({
      where: { indicatorId: { in: indicatorIds }, submittedAt: { gt: since } },
      select: observationSelect,
      orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toObservation);
  }

  async saveObservation(o: NewObservation): Promise<ObservationRecord> {
    const saved = await this.saveOne(o);
    // Calculated indicators reading this one, worked out again (src/repo/calculated.ts).
    await recalculate(this.calculationStore(), { indicatorIds: [o.indicatorId], periodKeys: [o.periodKey] }, o.submittedAt);
    return saved;
  }

  private calculationStore(): CalculationStore {
    return { indicators: (f) => this.indicators(f), histories: (ids) => this.histories(ids), org: () => this.org(), saveOne: (x) => this.saveOne(x), anyCalculated: async () => (await this.db.indicator.findFirst({ where: { formula: { not: null } }, select: { id: true } })) !== null };
  }

  /** Save one value (no recalculation). */
  private async saveOne(o: NewObservation): Promise<ObservationRecord> {
    try {
      return await this.db.$transaction(async (tx) => {
        // Sign-off and permission are checked here, in the transaction that saves: a quarter being
        // signed off waits for saves under way (they share this advisory lock; sign-off takes it
        // alone), and a save that comes after sees the lock.
        await tx.$queryRaw`SELECT 1 AS ok FROM (SELECT pg_advisory_xact_lock_shared(${SIGNOFF_LOCK})) l`;
        const lock = await holdIn(tx, o.indicatorId, o.periodKey, o.periodStart, o.periodEnd, o.submittedAt);
        const [who, ind] = await Promise.all([
          o.submittedById !== null ? tx.person.findUnique({ where: { id: o.submittedById }, select: { role: true, active: true } }) : null,
          tx.indicator.findUnique({ where: { id: o.indicatorId }, select: { ownerId: true, deputyId: true, formula: true } }),
        ]);
        checkSave(o, who, ind, lock);
        const current = await tx.observation.findFirst({
          where: { indicatorId: o.indicatorId, periodKey: o.periodKey, latest: true },
          select: { id: true, version: true },
        });
        checkReplaces(o, current);
        if (current) await tx.observation.update({ where: { id: current.id }, data: { latest: false } });
        const created = await tx.observation.create({
          data: { ...observationFields(o, (current?.version ?? 0) + 1), periodStart: fromLocalDate(o.periodStart), periodEnd: fromLocalDate(o.periodEnd), latest: true },
          select: observationSelect,
        });
        await tx.auditLog.create({ data: auditRow(observationAudit(o, created, current !== null, lock)) });
        return toObservation(created);
      });
    } catch (e) {
      // Two saves raced past the check: the unique (indicator, period, version) key stopped the second.
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw sameMomentConflict(o.periodKey);
      throw e;
    }
  }

  async periodLocks() {
    const rows = await this.db.periodLock.findMany({ select: lockSelect, orderBy: { periodStart: 'asc' } });
    return rows.map(toLock);
  }

  async lockCovering(periodStart: LocalDate, periodEnd: LocalDate) {
    return lockCoveringIn(this.db, periodStart, periodEnd);
  }

  async signOffHold(indicatorId: number, periodKey: string, at: Date) {
    const org = await this.org();
    const p = periodFromKey(periodKey, org.fyStartMonth);
    return holdIn(this.db, indicatorId, p.key, p.start, p.end, at);
  }

  async quarterSnapshot(quarterKey: string): Promise<QuarterSnapshot | null> {
    const l = await this.db.periodLock.findUnique({ where: { periodKey: quarterKey }, select: { report: true, reportTakenAt: true } });
    if (!l || l.report === null || !l.reportTakenAt) return null;
    const covered = await this.db.signedOffValue.findMany({ where: { quarterKey }, select: { indicatorId: true, periodKey: true, version: true }, orderBy: [{ indicatorId: 'asc' }, { periodKey: 'asc' }] });
    return { quarterKey, takenAt: l.reportTakenAt, report: l.report, covered };
  }

  async closePeriod(lock: ClosingLock, snapshot?: ClosingSnapshot): Promise<{ lock: PeriodLockRecord; created: boolean }> {
    try {
      return await this.closePeriodOnce(lock, snapshot);
    } catch (e) {
      // Two sign-offs at the same moment: the second finds the first's.
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') return this.closePeriodOnce(lock, snapshot);
      throw e;
    }
  }

  private closePeriodOnce(lock: ClosingLock, snapshot?: ClosingSnapshot) {
    return this.db.$transaction(async (tx) => {
      // Alone: saves under way finish first, later ones see the lock (see saveObservation).
      await tx.$queryRaw`SELECT 1 AS ok FROM (SELECT pg_advisory_xact_lock(${SIGNOFF_LOCK})) l`;
      const existing = await tx.periodLock.findUnique({ where: { periodKey: lock.periodKey }, select: lockSelect });
      if (existing) return { lock: toLock(existing), created: false };
      const values = await tx.observation.count({ where: { latest: true, periodStart: { gte: fromLocalDate(lock.periodStart) }, periodEnd: { lte: fromLocalDate(lock.periodEnd) } } });
      const created = await tx.periodLock.create({
        data: {
          periodKey: lock.periodKey,
          periodStart: fromLocalDate(lock.periodStart),
          periodEnd: fromLocalDate(lock.periodEnd),
          closedAt: lock.at,
          closedById: lock.closedById,
          ...(snapshot ? { report: snapshot.report as Prisma.InputJsonValue, reportTakenAt: snapshot.takenAt } : {}),
        },
        select: lockSelect,
      });
      if (snapshot?.covered.length) await tx.signedOffValue.createMany({ data: snapshot.covered.map((c) => ({ quarterKey: lock.periodKey, ...c })) });
      await tx.auditLog.create({ data: auditRow(periodCloseAudit(lock, values)) });
      return { lock: toLock(created), created: true };
    });
  }

  async notCollected(filter: { indicatorIds?: number[] } = {}) {
    const ids = filter.indicatorIds;
    const where: Prisma.NotCollectedWhereInput = ids
      ? { OR: [{ indicatorId: { in: ids } }, { indicatorId: null, themeId: null }, { indicatorId: null, theme: { indicators: { some: { id: { in: ids } } } } }] }
      : {};
    const rows = await this.db.notCollected.findMany({ where, select: notCollectedSelect, orderBy: [{ periodStart: 'asc' }, { id: 'asc' }] });
    return rows.map(toNotCollected);
  }

  async markNotCollected(mark: NewNotCollected, who: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>) {
    return this.db.$transaction(async (tx) => {
      const { at, ...rest } = mark;
      const data = { ...rest, periodStart: fromLocalDate(mark.periodStart), periodEnd: fromLocalDate(mark.periodEnd), createdAt: at };
      const existing = await tx.notCollected.findFirst({ where: { indicatorId: mark.indicatorId, themeId: mark.themeId, periodKey: mark.periodKey }, select: notCollectedSelect });
      if (existing) {
        const row = toNotCollected(await tx.notCollected.update({ where: { id: existing.id }, data, select: notCollectedSelect }));
        if (existing.reason !== mark.reason) await tx.auditLog.create({ data: auditRow(notCollectedAudit('period.not-collected', row, who, existing.reason)) });
        return { mark: row, created: false };
      }
      const row = toNotCollected(await tx.notCollected.create({ data, select: notCollectedSelect }));
      await tx.auditLog.create({ data: auditRow(notCollectedAudit('period.not-collected', row, who)) });
      return { mark: row, created: true };
    });
  }

  async unmarkNotCollected(scope: { indicatorId: number | null; themeId: number | null; periodKey: string }, who: Omit<AuditEntry, 'entity' | 'entityId' | 'action' | 'details'>) {
    return this.db.$transaction(async (tx) => {
      const existing = await tx.notCollected.findFirst({ where: scope, select: notCollectedSelect });
      if (!existing) return null;
      await tx.notCollected.delete({ where: { id: existing.id } });
      const row = toNotCollected(existing);
      await tx.auditLog.create({ data: auditRow(notCollectedAudit('period.collected', row, who)) });
      return row;
    });
  }

  async exceptionReport(indicatorId: number, periodKey: string) {
    const r = await this.db.exceptionReport.findUnique({ where: { indicatorId_periodKey: { indicatorId, periodKey } }, select: exceptionSelect });
    return r ? toException(r) : null;
  }

  async exceptionReportById(id: number) {
    const r = await this.db.exceptionReport.findUnique({ where: { id }, select: exceptionSelect });
    return r ? toException(r) : null;
  }

  async exceptionReports(filter: { periodKey?: string; states?: ExceptionReportRecord['state'][]; indicatorIds?: number[] } = {}) {
    const rows = await this.db.exceptionReport.findMany({
      where: {
        periodKey: filter.periodKey,
        state: filter.states ? { in: filter.states } : undefined,
        indicatorId: filter.indicatorIds ? { in: filter.indicatorIds } : undefined,
      },
      select: exceptionSelect,
      orderBy: { id: 'asc' },
    });
    return rows.map(toException);
  }

  async saveExceptionReport(r: Parameters<Repository['saveExceptionReport']>[0], opts: Parameters<Repository['saveExceptionReport']>[1]) {
    const data = {
      questions: r.questions,
      answers: r.answers,
      state: r.state,
      authorId: r.authorId,
      reviewerId: r.reviewerId,
      reviewComment: r.reviewComment,
      submittedAt: r.submittedAt,
      reviewedAt: r.reviewedAt,
      approvedValue: r.approvedValue,
      approvedStatus: r.approvedStatus,
      // The time of the change it audits (the bot's clock), not the database's.
      ...(opts.audit ? { updatedAt: opts.audit.at } : {}),
    };
    const where = { indicatorId: r.indicatorId, periodKey: r.periodKey };
    const stale = async () => {
      const now = await this.db.exceptionReport.findUnique({ where: { indicatorId_periodKey: where }, select: exceptionSelect });
      return new StaleReportError(now ? toException(now) : null);
    };
    try {
      return await this.db.$transaction(async (tx) => {
        let saved;
        if (opts.expectedVersion === null) {
          // Only if there is none yet: the unique (indicator, period) key decides between two first writers.
          saved = await tx.exceptionReport.create({ data: { ...where, ...data, version: 1 }, select: exceptionSelect });
        } else {
          const n = await tx.exceptionReport.updateMany({ where: { ...where, version: opts.expectedVersion }, data: { ...data, version: { increment: 1 } } });
          if (n.count !== 1) throw new StaleVersion();
          saved = await tx.exceptionReport.findUniqueOrThrow({ where: { indicatorId_periodKey: where }, select: exceptionSelect });
        }
        if (opts.audit) await tx.auditLog.create({ data: auditRow(exceptionAudit(opts.audit, saved)) });
        return toException(saved);
      });
    } catch (e) {
      // Read the report as it now stands after the transaction has ended (PGlite has one connection).
      if (e instanceof StaleVersion || (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002')) throw await stale();
      throw e;
    }
  }

  async latestStatusChanges(indicatorIds?: number[]) {
    // DISTINCT ON in the database: Prisma's `distinct` would read every change ever recorded.
    const ids = indicatorIds ? Prisma.sql`WHERE indicator_id = ANY(${indicatorIds}::int[])` : Prisma.empty;
    const latest = await this.db.$queryRaw<StatusChangeRecord[]>`
      SELECT DISTINCT ON (indicator_id) id, indicator_id AS "indicatorId", period_key AS "periodKey", previous_status::text AS "previousStatus",
             status::text AS status, previous_direction::text AS "previousDirection", direction::text AS direction, value::float8 AS value,
             target::float8 AS target, forecast_miss AS "forecastMiss", explanation, observed_at AS "observedAt"
      FROM status_change ${ids}
      ORDER BY indicator_id, id DESC`;
    return new Map(latest.map((r) => [r.indicatorId, r]));
  }

  async statusChangesSince(since: Date) {
    const rows = await this.db.statusChange.findMany({ where: { observedAt: { gte: since } }, select: statusChangeSelect, orderBy: { id: 'asc' } });
    return rows.map(toStatusChange);
  }

  async recordStatusChanges(changes: NewStatusChange[]) {
    const out: StatusChangeRecord[] = [];
    // One statement per thousand changes (a first run over a large register records one per indicator).
    for (let i = 0; i < changes.length; i += 1000) {
      const batch = changes.slice(i, i + 1000);
      const col = <K extends keyof NewStatusChange>(k: K) => batch.map((c) => c[k]);
      const rows = await this.db.$queryRaw<{ id: number; indicatorId: number; transitionKey: string }[]>`
        INSERT INTO status_change (indicator_id, period_key, transition_key, previous_status, status, previous_direction, direction, value, target,
                                   forecast_miss, explanation, observed_at)
        SELECT c.indicator_id, c.period_key, c.transition_key, c.previous_status::"RagStatus", c.status::"RagStatus",
               c.previous_direction::"Direction", c.direction::"Direction", c.value::numeric, c.target::numeric, c.forecast_miss, c.explanation, c.observed_at
        FROM unnest(${col('indicatorId')}::int[], ${col('periodKey')}::text[], ${col('transitionKey')}::text[], ${col('previousStatus')}::text[],
                    ${col('status')}::text[], ${col('previousDirection')}::text[], ${col('direction')}::text[], ${col('value')}::float8[],
                    ${batch.map((c) => c.target ?? null)}::float8[], ${batch.map((c) => c.forecastMiss ?? null)}::bool[], ${col('explanation')}::text[], ${col('observedAt')}::timestamp[])
             AS c(indicator_id, period_key, transition_key, previous_status, status, previous_direction, direction, value, target, forecast_miss,
                  explanation, observed_at)
        ON CONFLICT (indicator_id, transition_key) DO NOTHING
        RETURNING id, indicator_id AS "indicatorId", transition_key AS "transitionKey"`;
      const byKey = new Map(batch.map((c) => [`${c.indicatorId}|${c.transitionKey}`, c]));
      for (const r of rows) {
        const { transitionKey: _key, ...c } = byKey.get(`${r.indicatorId}|${r.transitionKey}`)!;
        out.push({ id: r.id, ...c, target: c.target ?? null, forecastMiss: c.forecastMiss ?? null });
      }
    }
    return out;
  }

  async recentHistories(window: number, indicatorIds?: number[]) {
    // Two queries, one row per active indicator each: its last `window` values, then its targets,
    // packed into one text column in the database. Rows and fields,
    // not bytes, are what cost through the driver (bench/evaluate.ts has the figures).
    const only = indicatorIds ? Prisma.sql`AND i.id = ANY(${indicatorIds}::int[])` : Prisma.empty;
    const rows = await this.db.$queryRaw<{ id: number; obs: string; since: string }[]>`
      SELECT i.id, w.obs, w.since::text AS since
      FROM indicator i
      CROSS JOIN LATERAL (
        SELECT string_agg(concat_ws(${US}, o.period_key, o.value::float8, o.estimated::int, o.provisional::int, coalesce(o.assessed_status::text, '')), ${RS} ORDER BY o.period_start) AS obs,
               min(o.period_start) AS since
        FROM (SELECT period_key, value, estimated, provisional, assessed_status, period_start FROM observation o
              WHERE o.indicator_id = i.id AND o.latest ORDER BY o.period_start DESC LIMIT ${window}) o
      ) w
      WHERE i.active AND w.obs IS NOT NULL ${only}`;
    // Targets from a year before the oldest value read: a superset for some indicators (the engine
    // ignores targets it does not need), in one grouped scan rather than a lookup per indicator.
    const since = rows.reduce((min, r) => (r.since < min ? r.since : min), '9999-12-31');
    const targetRows = rows.length
      ? await this.db.$queryRaw<{ id: number; targets: string }[]>`
      SELECT t.indicator_id AS id,
             string_agg(concat_ws(${US}, t.period_key, coalesce(t.value::float8::text, ''), coalesce(t.amber_floor::float8::text, ''),
                                  coalesce(translate(t.text, ${US + RS}, '  '), '')), ${RS} ORDER BY t.period_start) AS targets
      FROM target t JOIN indicator i ON i.id = t.indicator_id AND i.active
      WHERE t.period_end >= ${since}::date - interval '1 year' ${only}
      GROUP BY t.indicator_id`
      : [];
    const targetsOf = new Map(targetRows.map((t) => [t.id, t.targets]));
    const out = new Map<number, { observations: ValueRecord[]; targets: TargetRecord[] }>();
    const nullable = (s: string | undefined) => (s === undefined || s === '' ? null : s);
    for (const r of rows) {
      out.set(r.id, {
        observations: r.obs.split(RS).map((rec) => {
          const [periodKey, value, estimated, provisional, assessed] = rec.split(US);
          return { periodKey: periodKey!, value: Number(value), estimated: estimated === '1', provisional: provisional === '1', assessedStatus: nullable(assessed) as ValueRecord['assessedStatus'] };
        }),
        targets: (targetsOf.get(r.id)?.split(RS) ?? []).map((rec) => {
          // NULLs travel as empty fields (concat_ws would drop them and shift the rest).
          const [periodKey, value, amberFloor, text] = rec.split(US);
          return { indicatorId: r.id, periodKey: periodKey!, value: nullable(value) === null ? null : Number(value), amberFloor: nullable(amberFloor) === null ? null : Number(amberFloor), text: nullable(text) ?? null };
        }),
      });
    }
    return out;
  }

  async hasStatusChanges() {
    return (await this.db.statusChange.findFirst({ select: { id: true } })) !== null;
  }

  async evaluationState() {
    const s = await this.db.evaluationState.findUnique({ where: { id: 1 } });
    return s ? { lastRunAt: s.lastRunAt, lastFullAt: s.lastFullAt, settings: s.settings } : null;
  }

  async changedIndicators() {
    const rows = await this.db.indicatorChange.findMany({ select: { indicatorId: true, seq: true } });
    return rows.map((r) => ({ indicatorId: r.indicatorId, mark: r.seq.toString() }));
  }

  async indicatorCadences() {
    const rows = await this.db.$queryRaw<Cadence[]>`
      SELECT DISTINCT frequency::text AS frequency, reporting_lag_days AS "reportingLagDays" FROM indicator WHERE active`;
    return rows;
  }

  async indicatorIdsWithCadence(cadences: Cadence[]) {
    if (!cadences.length) return [];
    const rows = await this.db.$queryRaw<{ id: number }[]>`
      SELECT i.id FROM indicator i
      JOIN unnest(${cadences.map((c) => c.frequency)}::text[], ${cadences.map((c) => c.reportingLagDays)}::int[]) AS c(frequency, lag)
        ON i.frequency::text = c.frequency AND i.reporting_lag_days = c.lag
      WHERE i.active`;
    return rows.map((r) => r.id);
  }

  async indicatorIdsWithValuesBegun(after: LocalDate, upTo: LocalDate) {
    const rows = await this.db.$queryRaw<{ id: number }[]>`
      SELECT DISTINCT o.indicator_id AS id FROM observation o JOIN indicator i ON i.id = o.indicator_id
      WHERE o.latest AND i.active AND o.period_start > ${fromLocalDate(after)}::date AND o.period_start <= ${fromLocalDate(upTo)}::date`;
    return rows.map((r) => r.id);
  }

  async finishEvaluation(o: { at: Date; full: boolean; settings: string; seen: IndicatorChange[] }) {
    await this.db.$transaction(async (tx) => {
      // A change recorded again since the run read it has a new mark, and stays for the next run.
      if (o.seen.length) {
        await tx.$executeRaw`
          DELETE FROM indicator_change c USING unnest(${o.seen.map((s) => s.indicatorId)}::int[], ${o.seen.map((s) => s.mark)}::bigint[]) AS s(indicator_id, seq)
          WHERE c.indicator_id = s.indicator_id AND c.seq = s.seq`;
      }
      const full = o.full ? { lastFullAt: o.at } : {};
      await tx.evaluationState.upsert({
        where: { id: 1 },
        create: { id: 1, lastRunAt: o.at, lastFullAt: o.full ? o.at : new Date(0), settings: o.settings },
        update: { lastRunAt: o.at, settings: o.settings, ...full },
      });
    });
  }

  async reminders(kind: ReminderKind, indicatorIds: number[]) {
    const rows = await this.db.$queryRaw<{ kind: string; indicatorId: number; periodKey: string; personId: number; level: number; sentOn: Date; messageKey: string | null; state: string | null }[]>`
      SELECT r.kind, r.indicator_id AS "indicatorId", r.period_key AS "periodKey", r.person_id AS "personId", r.level, r.sent_on AS "sentOn", r.message_key AS "messageKey",
             m.state::text AS state
      FROM reminder r LEFT JOIN outbound_message m ON m.idempotency_key = r.message_key
      WHERE r.kind = ${kind} AND r.indicator_id = ANY(${indicatorIds}::int[])
      ORDER BY r.id`;
    return rows.filter((r) => reminderCounts(r.state)).map(({ state: _state, ...r }) => ({ ...r, kind: r.kind as ReminderKind, sentOn: toLocalDate(r.sentOn) }));
  }

  async peopleRemindedSince(since: LocalDate) {
    const rows = await this.db.$queryRaw<{ personId: number; state: string | null }[]>`
      SELECT DISTINCT r.person_id AS "personId", m.state::text AS state
      FROM reminder r LEFT JOIN outbound_message m ON m.idempotency_key = r.message_key
      WHERE r.sent_on >= ${fromLocalDate(since)}::date`;
    return new Set(rows.filter((r) => reminderCounts(r.state)).map((r) => r.personId));
  }

  async recordReminders(rows: ReminderRecord[]) {
    if (!rows.length) return 0;
    const res = await this.db.reminder.createMany({
      data: rows.map((r) => ({ ...r, sentOn: fromLocalDate(r.sentOn) })),
      skipDuplicates: true,
    });
    return res.count;
  }

  async snooze(indicatorId: number, until: Date, byId: number | null) {
    await this.db.snooze.create({ data: { indicatorId, until, byId } });
  }

  async snoozedIndicatorIds(now: Date) {
    const rows = await this.db.snooze.findMany({ where: { until: { gt: now } }, select: { indicatorId: true }, distinct: ['indicatorId'] });
    return new Set(rows.map((r) => r.indicatorId));
  }

  async recordInboundEvent(id: string, at: Date) {
    const n = await this.db.$executeRaw`INSERT INTO inbound_event (id, received_at) VALUES (${id}, ${at}) ON CONFLICT (id) DO NOTHING`;
    // Platforms retry within minutes: a day of ids is plenty.
    if (n === 1 && Math.random() < 0.01) await this.db.inboundEvent.deleteMany({ where: { receivedAt: { lt: new Date(at.getTime() - 86_400_000) } } });
    return n === 1;
  }

  async audit(entry: AuditEntry) {
    await this.db.auditLog.create({ data: auditRow(entry) });
  }

  async writeRegister(register: Register, opts: WriteOptions) {
    const summary = await writeRegister(this.db, register, opts);
    await recalculate(this.calculationStore(), { indicatorIds: await registerIndicatorIds(this, register) }, opts.at);
    return summary;
  }
}
