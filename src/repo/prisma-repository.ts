// The Repository port over Prisma. Explicit selects everywhere; Decimal → number and Date → LocalDate
// conversions happen here so nothing above this layer sees Prisma types.
import type { PrismaClient } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type {
  AuditEntry,
  ExceptionReportRecord,
  IndicatorFilter,
  IndicatorRecord,
  NewObservation,
  NewStatusChange,
  ReminderKind,
  ReminderRecord,
  ObservationRecord,
  OrgSettings,
  PeriodLockRecord,
  PersonRecord,
  PlatformName,
  Repository,
  Role,
  StatusChangeRecord,
  TargetRecord,
  ThemeRecord,
} from '../ports.ts';
import { ConflictError } from '../errors.ts';
import type { LocalDate } from '../domain/types.ts';
import { DEFAULT_ORG } from './defaults.ts';

type Dec = Prisma.Decimal | null;
type RawObservation = Omit<ObservationRecord, 'assessedStatus'> & { assessedStatus: string | null; periodStart: Date };
type RawTarget = TargetRecord;
const num = (d: Dec): number | null => (d === null ? null : d.toNumber());
export const toLocalDate = (d: Date): LocalDate => d.toISOString().slice(0, 10);
export const fromLocalDate = (d: LocalDate): Date => new Date(`${d}T00:00:00.000Z`);

const personSelect = {
  id: true,
  displayName: true,
  email: true,
  slackUserId: true,
  teamsUserId: true,
  role: true,
  deputyId: true,
  absentUntil: true,
  active: true,
} as const satisfies Prisma.PersonSelect;

function toPerson(p: Prisma.PersonGetPayload<{ select: typeof personSelect }>): PersonRecord {
  return { ...p, absentUntil: p.absentUntil ? toLocalDate(p.absentUntil) : null };
}

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
  decimals: true,
  isKey: true,
  active: true,
  baselineValue: true,
  baselinePeriod: true,
  baselineText: true,
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
    decimals: i.decimals,
    isKey: i.isKey,
    active: i.active,
    baseline: { value: num(i.baselineValue), period: i.baselinePeriod, text: i.baselineText },
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
} as const satisfies Prisma.ExceptionReportSelect;

function toException(r: Prisma.ExceptionReportGetPayload<{ select: typeof exceptionSelect }>): ExceptionReportRecord {
  return { ...r, questions: r.questions as string[], answers: r.answers as string[] };
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
  explanation: true,
  observedAt: true,
} as const satisfies Prisma.StatusChangeSelect;

function toStatusChange(s: Prisma.StatusChangeGetPayload<{ select: typeof statusChangeSelect }>): StatusChangeRecord {
  return { ...s, value: num(s.value) };
}

const lockSelect = { periodKey: true, periodStart: true, periodEnd: true, closedAt: true, closedById: true } as const;

function toLock(l: Prisma.PeriodLockGetPayload<{ select: typeof lockSelect }>): PeriodLockRecord {
  return { ...l, periodStart: toLocalDate(l.periodStart), periodEnd: toLocalDate(l.periodEnd) };
}

function indicatorWhere(f: IndicatorFilter = {}): Prisma.IndicatorWhereInput {
  const where: Prisma.IndicatorWhereInput = {};
  if (f.activeOnly !== false) where.active = true;
  if (f.themeId !== undefined) where.themeId = f.themeId;
  if (f.personId !== undefined) where.OR = [{ ownerId: f.personId }, { deputyId: f.personId }];
  if (f.directorId !== undefined) where.theme = { directorId: f.directorId };
  return where;
}

/** Normalise a reference for matching: "bv12i" finds "BV 12i". */
const refKey = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export class PrismaRepository implements Repository {
  constructor(private readonly db: PrismaClient) {}

  async org(): Promise<OrgSettings> {
    const o = await this.db.organisation.findUnique({ where: { id: 1 } });
    if (!o) return DEFAULT_ORG;
    return {
      name: o.name,
      fyStartMonth: o.fyStartMonth,
      tolerance: { kind: o.toleranceKind, value: o.toleranceValue.toNumber() },
      maintainedBandPercent: o.maintainedBand.toNumber(),
      exceptionQuestions: o.exceptionQuestions as string[],
      exceptionForAmber: o.exceptionForAmber,
      alertOnDeclining: o.alertOnDeclining,
      chaseCadence: o.chaseCadence as number[],
      escalateAfter: o.escalateAfter,
      timeZone: o.timeZone,
    };
  }

  async updateOrg(patch: Partial<OrgSettings>): Promise<OrgSettings> {
    const merged = { ...(await this.org()), ...patch };
    const data = {
      name: merged.name,
      fyStartMonth: merged.fyStartMonth,
      toleranceKind: merged.tolerance.kind,
      toleranceValue: merged.tolerance.value,
      maintainedBand: merged.maintainedBandPercent,
      exceptionQuestions: merged.exceptionQuestions,
      exceptionForAmber: merged.exceptionForAmber,
      alertOnDeclining: merged.alertOnDeclining,
      chaseCadence: merged.chaseCadence,
      escalateAfter: merged.escalateAfter,
      timeZone: merged.timeZone,
    };
    await this.db.organisation.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
    return merged;
  }

  async person(id: number) {
    const p = await this.db.person.findUnique({ where: { id }, select: personSelect });
    return p ? toPerson(p) : null;
  }

  async people(filter: { role?: Role; ids?: number[] } = {}) {
    const rows = await this.db.person.findMany({
      where: { role: filter.role, id: filter.ids ? { in: filter.ids } : undefined },
      select: personSelect,
      orderBy: { displayName: 'asc' },
    });
    return rows.map(toPerson);
  }

  async personByPlatformUser(platform: PlatformName, userId: string) {
    if (platform === 'console') {
      const p = await this.db.person.findFirst({
        where: { OR: [{ email: userId }, { slackUserId: userId }, { displayName: { equals: userId, mode: 'insensitive' } }] },
        select: personSelect,
      });
      return p ? toPerson(p) : null;
    }
    const where: Prisma.PersonWhereUniqueInput = platform === 'slack' ? { slackUserId: userId } : { teamsUserId: userId };
    const p = await this.db.person.findUnique({ where, select: personSelect });
    return p ? toPerson(p) : null;
  }

  async personByEmail(email: string) {
    const p = await this.db.person.findFirst({ where: { email: { equals: email, mode: 'insensitive' } }, select: personSelect });
    return p ? toPerson(p) : null;
  }

  async linkPlatformUser(personId: number, platform: PlatformName, userId: string) {
    if (platform === 'console') return;
    await this.db.person.update({ where: { id: personId }, data: platform === 'slack' ? { slackUserId: userId } : { teamsUserId: userId } });
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

  async indicators(filter?: IndicatorFilter) {
    const rows = await this.db.indicator.findMany({ where: indicatorWhere(filter), select: indicatorSelect, orderBy: [{ themeId: 'asc' }, { id: 'asc' }] });
    return rows.map(toIndicator);
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
    const lq = q.toLowerCase();
    const score = (i: (typeof rows)[number]) => {
      if (i.slug === lq) return 0;
      if (i.ref && refKey(i.ref) === rk) return 1;
      if (i.slug.startsWith(lq)) return 2;
      if (i.slug.includes(lq)) return 3;
      if (i.name.toLowerCase().includes(lq)) return 4;
      if (i.ref && rk.length >= 2 && refKey(i.ref).includes(rk)) return 5;
      if (words.every((w) => i.name.toLowerCase().includes(w.toLowerCase()))) return 6;
      return 99;
    };
    return rows
      .map((r) => ({ r, s: score(r) }))
      .filter((x) => x.s < 99)
      .sort((a, b) => a.s - b.s || a.r.slug.localeCompare(b.r.slug))
      .slice(0, limit)
      .map((x) => toIndicator(x.r));
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

  async observationVersions(indicatorId: number, periodKey: string) {
    const rows = await this.db.observation.findMany({
      where: { indicatorId, periodKey },
      select: observationSelect,
      orderBy: { version: 'desc' },
    });
    return rows.map(toObservation);
  }

  async saveObservation(o: NewObservation): Promise<ObservationRecord> {
    try {
      return await this.db.$transaction(async (tx) => {
        const current = await tx.observation.findFirst({
          where: { indicatorId: o.indicatorId, periodKey: o.periodKey, latest: true },
          select: { id: true, version: true },
        });
        if ((current?.version ?? null) !== o.replacesVersion) {
          throw new ConflictError(
            current
              ? `Someone saved a value for ${o.periodKey} while you were typing (now version ${current.version}). Look at it with /kpi show and try again.`
              : `The value you meant to correct for ${o.periodKey} is no longer there. Try again.`,
          );
        }
        if (current) await tx.observation.update({ where: { id: current.id }, data: { latest: false } });
        const created = await tx.observation.create({
          data: {
            indicatorId: o.indicatorId,
            periodKey: o.periodKey,
            periodStart: fromLocalDate(o.periodStart),
            periodEnd: fromLocalDate(o.periodEnd),
            version: (current?.version ?? 0) + 1,
            latest: true,
            value: o.value,
            estimated: o.estimated,
            provisional: o.provisional,
            note: o.note,
            assessedStatus: o.assessedStatus ?? null,
            source: o.source,
            submittedById: o.submittedById,
            submittedByLabel: o.submittedByLabel,
            submittedAt: o.submittedAt,
            correctionReason: o.correctionReason ?? null,
          },
          select: observationSelect,
        });
        await tx.auditLog.create({
          data: {
            at: o.submittedAt,
            actorId: o.submittedById,
            actorLabel: o.submittedByLabel,
            action: current ? 'observation.correct' : 'observation.submit',
            entity: 'observation',
            entityId: String(created.id),
            details: {
              indicatorId: o.indicatorId,
              periodKey: o.periodKey,
              version: created.version,
              value: o.value,
              estimated: o.estimated,
              provisional: o.provisional,
              source: o.source,
              ...(o.correctionReason ? { reason: o.correctionReason } : {}),
            },
          },
        });
        return toObservation(created);
      });
    } catch (e) {
      // Two saves raced past the check: the unique (indicator, period, version) key stopped the second.
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
        throw new ConflictError(`Someone saved a value for ${o.periodKey} at the same moment. Look at it with /kpi show and try again.`);
      }
      throw e;
    }
  }

  async periodLocks() {
    const rows = await this.db.periodLock.findMany({ select: lockSelect, orderBy: { periodStart: 'asc' } });
    return rows.map(toLock);
  }

  async lockCovering(periodStart: LocalDate, periodEnd: LocalDate) {
    const l = await this.db.periodLock.findFirst({
      where: { periodStart: { lte: fromLocalDate(periodStart) }, periodEnd: { gte: fromLocalDate(periodEnd) } },
      select: lockSelect,
    });
    return l ? toLock(l) : null;
  }

  async closePeriod(lock: { periodKey: string; periodStart: LocalDate; periodEnd: LocalDate; closedById: number | null; at: Date }) {
    const l = await this.db.periodLock.upsert({
      where: { periodKey: lock.periodKey },
      create: {
        periodKey: lock.periodKey,
        periodStart: fromLocalDate(lock.periodStart),
        periodEnd: fromLocalDate(lock.periodEnd),
        closedAt: lock.at,
        closedById: lock.closedById,
      },
      update: {},
      select: lockSelect,
    });
    return toLock(l);
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

  async saveExceptionReport(r: Parameters<Repository['saveExceptionReport']>[0]) {
    const data = {
      questions: r.questions,
      answers: r.answers,
      state: r.state,
      authorId: r.authorId,
      reviewerId: r.reviewerId,
      reviewComment: r.reviewComment,
      submittedAt: r.submittedAt,
      reviewedAt: r.reviewedAt,
    };
    const saved = await this.db.exceptionReport.upsert({
      where: { indicatorId_periodKey: { indicatorId: r.indicatorId, periodKey: r.periodKey } },
      create: { indicatorId: r.indicatorId, periodKey: r.periodKey, ...data },
      update: data,
      select: exceptionSelect,
    });
    return toException(saved);
  }

  async latestStatusChanges(indicatorIds?: number[]) {
    const rows = await this.db.statusChange.findMany({
      where: indicatorIds ? { indicatorId: { in: indicatorIds } } : undefined,
      select: statusChangeSelect,
      orderBy: [{ indicatorId: 'asc' }, { id: 'desc' }],
      distinct: ['indicatorId'],
    });
    return new Map(rows.map((r) => [r.indicatorId, toStatusChange(r)]));
  }

  async statusChangesSince(since: Date) {
    const rows = await this.db.statusChange.findMany({ where: { observedAt: { gte: since } }, select: statusChangeSelect, orderBy: { id: 'asc' } });
    return rows.map(toStatusChange);
  }

  async recordStatusChange(c: NewStatusChange) {
    const rows = await this.db.$queryRaw<{ id: number }[]>`
      INSERT INTO status_change (indicator_id, period_key, transition_key, previous_status, status, previous_direction, direction, value, explanation, observed_at)
      VALUES (${c.indicatorId}, ${c.periodKey}, ${c.transitionKey}, ${c.previousStatus}::"RagStatus", ${c.status}::"RagStatus",
              ${c.previousDirection}::"Direction", ${c.direction}::"Direction", ${c.value}::numeric, ${c.explanation}, ${c.observedAt})
      ON CONFLICT (indicator_id, transition_key) DO NOTHING
      RETURNING id`;
    if (!rows.length) return null;
    const { transitionKey: _key, ...rest } = c;
    return { id: rows[0]!.id, ...rest };
  }

  async recentHistories(window: number) {
    // One LATERAL query for the last `window` values per active indicator (the observation index on
    // (indicator_id, latest, period_start desc) serves it), one for the targets from a year before the
    // oldest of those values onwards (cumulative and same-period-last-year comparisons need them).
    const obs = await this.db.$queryRaw<RawObservation[]>`
      SELECT o.id, o.indicator_id AS "indicatorId", o.period_key AS "periodKey", o.version, o.value::float8 AS value,
             o.estimated, o.provisional, o.note, o.assessed_status::text AS "assessedStatus", o.source,
             o.submitted_by_id AS "submittedById", o.submitted_by_label AS "submittedByLabel", o.submitted_at AS "submittedAt",
             o.correction_reason AS "correctionReason", o.period_start AS "periodStart"
      FROM indicator i
      CROSS JOIN LATERAL (
        SELECT * FROM observation o WHERE o.indicator_id = i.id AND o.latest ORDER BY o.period_start DESC LIMIT ${window}
      ) o
      WHERE i.active`;
    const oldest = new Map<number, Date>();
    for (const o of obs) {
      const cur = oldest.get(o.indicatorId);
      if (!cur || o.periodStart < cur) oldest.set(o.indicatorId, o.periodStart);
    }
    const targets = await this.db.$queryRaw<RawTarget[]>`
      SELECT t.indicator_id AS "indicatorId", t.period_key AS "periodKey", t.value::float8 AS value,
             t.amber_floor::float8 AS "amberFloor", t.text
      FROM target t JOIN indicator i ON i.id = t.indicator_id AND i.active
      LEFT JOIN LATERAL (
        SELECT min(o.period_start) AS since FROM (
          SELECT period_start FROM observation o WHERE o.indicator_id = t.indicator_id AND o.latest ORDER BY o.period_start DESC LIMIT ${window}
        ) o
      ) w ON true
      WHERE w.since IS NULL OR t.period_end >= w.since - interval '1 year'
      ORDER BY t.period_start`;
    const out = new Map<number, { observations: ObservationRecord[]; targets: TargetRecord[] }>();
    const entry = (id: number) => {
      let e = out.get(id);
      if (!e) out.set(id, (e = { observations: [], targets: [] }));
      return e;
    };
    obs.sort((a, b) => a.indicatorId - b.indicatorId || a.periodStart.getTime() - b.periodStart.getTime());
    for (const { periodStart: _ps, assessedStatus, ...o } of obs) entry(o.indicatorId).observations.push({ ...o, assessedStatus: assessedStatus as ObservationRecord['assessedStatus'] });
    for (const t of targets) entry(t.indicatorId).targets.push(t);
    return out;
  }

  async channelSubscriptions() {
    return this.db.channelSubscription.findMany({ select: { platform: true, channelId: true, themeId: true, indicatorId: true }, orderBy: { id: 'asc' } });
  }

  async reminders(kind: ReminderKind, indicatorIds: number[]) {
    const rows = await this.db.reminder.findMany({
      where: { kind, indicatorId: { in: indicatorIds } },
      select: { kind: true, indicatorId: true, periodKey: true, personId: true, level: true, sentOn: true },
      orderBy: { id: 'asc' },
    });
    return rows.map((r) => ({ ...r, kind: r.kind as ReminderKind, sentOn: toLocalDate(r.sentOn) }));
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

  async audit(entry: AuditEntry) {
    await this.db.auditLog.create({
      data: {
        at: entry.at,
        actorId: entry.actorId,
        actorLabel: entry.actorLabel,
        action: entry.action,
        entity: entry.entity,
        entityId: entry.entityId ?? null,
        details: entry.details === undefined ? Prisma.JsonNull : (entry.details as Prisma.InputJsonValue),
      },
    });
  }
}
