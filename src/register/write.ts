// Write a validated register in one transaction. Upserts by email (people), name (themes) and slug
// (indicators); a value becomes a new observation version only when it differs from the latest,
// so importing the same file twice changes nothing.
import type { PrismaClient } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { periodFromKey } from '../domain/periods.ts';
import { ValidationError } from '../errors.ts';
import { fromLocalDate, toLocalDate } from '../repo/prisma-repository.ts';
import type { Register, RegisterIndicator } from './types.ts';
import { TRAFFORD_QUESTIONS, DEFAULT_ORG } from '../repo/defaults.ts';

export interface WriteOptions {
  /** Recorded on each observation: import:<file>, demo. */
  source: string;
  at: Date;
  actorId: number | null;
  actorLabel: string;
  fyStartMonth?: number;
  /** Allow values inside signed-off periods (an admin, with a reason). */
  lockedPeriodReason?: string;
  /** Called after each indicator is written (progress bars). */
  onProgress?: (done: number, total: number) => void;
}

export interface WriteSummary {
  people: { created: number; updated: number };
  themes: { created: number; updated: number };
  indicators: { created: number; updated: number; unchanged: number };
  targets: { created: number; updated: number };
  observations: { created: number; corrected: number; unchanged: number };
}

type Tx = Prisma.TransactionClient;

const dec = (d: Prisma.Decimal | null) => (d === null ? null : d.toNumber());

function indicatorData(i: RegisterIndicator, themeId: number | null, ownerId: number | null, deputyId: number | null) {
  return {
    ref: i.ref,
    slug: i.slug,
    name: i.name,
    definition: i.definition,
    themeId,
    ownerId,
    deputyId,
    unit: i.unit,
    polarity: i.polarity,
    frequency: i.frequency,
    reportingLagDays: i.reportingLagDays,
    aggregation: i.aggregation,
    toleranceKind: i.tolerance?.kind ?? null,
    toleranceValue: i.tolerance?.value ?? null,
    dotBasis: i.dotBasis,
    decimals: i.decimals,
    isKey: i.isKey,
    active: i.active,
    baselineValue: i.baseline?.value ?? null,
    baselinePeriod: i.baseline?.period ?? null,
    baselineText: i.baseline?.text ?? null,
  };
}

type IndicatorData = ReturnType<typeof indicatorData>;

function sameIndicator(existing: Record<string, unknown>, data: IndicatorData): boolean {
  return (Object.keys(data) as (keyof IndicatorData)[]).every((k) => {
    const a = existing[k];
    const b = data[k];
    if (a instanceof Prisma.Decimal) return b !== null && a.equals(b as number);
    return (a ?? null) === (b ?? null);
  });
}

export async function writeRegister(db: PrismaClient, reg: Register, opts: WriteOptions): Promise<WriteSummary> {
  const fy = opts.fyStartMonth ?? 4;
  const summary: WriteSummary = {
    people: { created: 0, updated: 0 },
    themes: { created: 0, updated: 0 },
    indicators: { created: 0, updated: 0, unchanged: 0 },
    targets: { created: 0, updated: 0 },
    observations: { created: 0, corrected: 0, unchanged: 0 },
  };

  return db.$transaction(
    async (tx) => {
      if (reg.organisation) await writeOrganisation(tx, reg.organisation);
      const personIds = await writePeople(tx, reg, summary);
      const themeIds = await writeThemes(tx, reg, personIds, summary);
      const locks = await tx.periodLock.findMany({ select: { periodKey: true, periodStart: true, periodEnd: true } });
      const lockedViolations: string[] = [];

      const existing = new Map(
        (
          await tx.indicator.findMany({
            where: { slug: { in: reg.indicators.map((i) => i.slug) } },
          })
        ).map((i) => [i.slug, i]),
      );
      let done = 0;
      for (const ind of reg.indicators) {
        const themeId = ind.theme ? (themeIds.get(ind.theme) ?? (await ensureTheme(tx, ind.theme, summary, themeIds))) : null;
        const data = indicatorData(ind, themeId, ind.ownerEmail ? (personIds.get(ind.ownerEmail) ?? null) : null, ind.deputyEmail ? (personIds.get(ind.deputyEmail) ?? null) : null);
        const found = existing.get(ind.slug);
        let indicatorId: number;
        if (!found) {
          indicatorId = (await tx.indicator.create({ data, select: { id: true } })).id;
          summary.indicators.created++;
        } else {
          indicatorId = found.id;
          if (sameIndicator(found as unknown as Record<string, unknown>, data)) summary.indicators.unchanged++;
          else {
            await tx.indicator.update({ where: { id: found.id }, data });
            summary.indicators.updated++;
          }
        }
        await writeTargets(tx, indicatorId, ind, fy, summary);
        await writeObservations(tx, indicatorId, ind, fy, opts, summary, (periodKey, start, end) => {
          const lock = locks.find((l) => toLocalDate(l.periodStart) <= start && toLocalDate(l.periodEnd) >= end);
          if (lock && !opts.lockedPeriodReason) lockedViolations.push(`${ind.slug} ${periodKey} (in signed-off ${lock.periodKey})`);
        });
        opts.onProgress?.(++done, reg.indicators.length);
      }
      if (lockedViolations.length) {
        throw new ValidationError(
          `${lockedViolations.length} value(s) would change signed-off periods: ${lockedViolations.slice(0, 10).join('; ')}` +
            (lockedViolations.length > 10 ? ` and ${lockedViolations.length - 10} more` : '') +
            '. Nothing was written. A performance admin can import them with a reason (--reason "…").',
        );
      }
      await tx.auditLog.create({
        data: {
          at: opts.at,
          actorId: opts.actorId,
          actorLabel: opts.actorLabel,
          action: 'register.import',
          entity: 'register',
          entityId: opts.source,
          details: summary as unknown as Prisma.InputJsonValue,
        },
      });
      return summary;
    },
    { timeout: 600_000, maxWait: 30_000 },
  );
}

async function writeOrganisation(tx: Tx, o: NonNullable<Register['organisation']>) {
  const data = {
    name: o.name,
    ...(o.toleranceKind ? { toleranceKind: o.toleranceKind } : {}),
    ...(o.toleranceValue !== undefined ? { toleranceValue: o.toleranceValue } : {}),
    ...(o.exceptionQuestions ? { exceptionQuestions: o.exceptionQuestions } : {}),
  };
  await tx.organisation.upsert({
    where: { id: 1 },
    create: {
      id: 1,
      exceptionQuestions: TRAFFORD_QUESTIONS,
      chaseCadence: DEFAULT_ORG.chaseCadence,
      ...data,
    },
    update: data,
  });
}

async function writePeople(tx: Tx, reg: Register, summary: WriteSummary): Promise<Map<string, number>> {
  const emails = [
    ...reg.people.map((p) => p.email),
    ...reg.indicators.flatMap((i) => [i.ownerEmail, i.deputyEmail]),
    ...reg.themes.map((t) => t.directorEmail),
  ].filter((e): e is string => Boolean(e));
  const found = await tx.person.findMany({ where: { email: { in: [...new Set(emails)] } } });
  const ids = new Map(found.map((p) => [p.email!, p.id]));
  const byEmail = new Map(found.map((p) => [p.email!, p]));
  for (const p of reg.people) {
    const data = {
      displayName: p.displayName,
      email: p.email,
      role: p.role,
      ...(p.slackUserId ? { slackUserId: p.slackUserId } : {}),
      ...(p.teamsUserId ? { teamsUserId: p.teamsUserId } : {}),
    };
    const existing = byEmail.get(p.email);
    if (!existing) {
      ids.set(p.email, (await tx.person.create({ data, select: { id: true } })).id);
      summary.people.created++;
    } else if (
      existing.displayName !== data.displayName ||
      existing.role !== data.role ||
      (p.slackUserId && existing.slackUserId !== p.slackUserId) ||
      (p.teamsUserId && existing.teamsUserId !== p.teamsUserId)
    ) {
      await tx.person.update({ where: { id: existing.id }, data });
      summary.people.updated++;
    }
  }
  for (const p of reg.people) {
    if (!p.deputyEmail) continue;
    const deputyId = ids.get(p.deputyEmail);
    const id = ids.get(p.email)!;
    if (deputyId !== undefined && byEmail.get(p.email)?.deputyId !== deputyId) {
      await tx.person.update({ where: { id }, data: { deputyId } });
    }
  }
  return ids;
}

async function writeThemes(tx: Tx, reg: Register, personIds: Map<string, number>, summary: WriteSummary): Promise<Map<string, number>> {
  const found = await tx.theme.findMany();
  const ids = new Map(found.map((t) => [t.name, t.id]));
  for (const t of reg.themes) {
    const directorId = t.directorEmail ? (personIds.get(t.directorEmail) ?? null) : null;
    const existing = found.find((f) => f.name === t.name || f.slug === t.slug);
    if (!existing) {
      ids.set(t.name, (await tx.theme.create({ data: { name: t.name, slug: t.slug, kind: t.kind, directorId }, select: { id: true } })).id);
      summary.themes.created++;
    } else {
      ids.set(t.name, existing.id);
      if (existing.slug !== t.slug || existing.kind !== t.kind || existing.directorId !== directorId || existing.name !== t.name) {
        await tx.theme.update({ where: { id: existing.id }, data: { name: t.name, slug: t.slug, kind: t.kind, directorId } });
        summary.themes.updated++;
      }
    }
  }
  return ids;
}

/** A theme named only on an indicator row: create it with a slug from its name. */
async function ensureTheme(tx: Tx, name: string, summary: WriteSummary, ids: Map<string, number>): Promise<number> {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'theme';
  let slug = base;
  for (let n = 2; await tx.theme.findUnique({ where: { slug }, select: { id: true } }); n++) slug = `${base}-${n}`;
  const id = (await tx.theme.create({ data: { name, slug }, select: { id: true } })).id;
  ids.set(name, id);
  summary.themes.created++;
  return id;
}

async function writeTargets(tx: Tx, indicatorId: number, ind: RegisterIndicator, fy: number, summary: WriteSummary) {
  if (!ind.targets.length) return;
  const existing = new Map(
    (await tx.target.findMany({ where: { indicatorId }, select: { periodKey: true, value: true, amberFloor: true, text: true } })).map((t) => [t.periodKey, t]),
  );
  for (const t of ind.targets) {
    const p = periodFromKey(t.periodKey, fy);
    const cur = existing.get(p.key);
    if (cur && dec(cur.value) === t.value && dec(cur.amberFloor) === t.amberFloor && cur.text === t.text) continue;
    await tx.target.upsert({
      where: { indicatorId_periodKey: { indicatorId, periodKey: p.key } },
      create: { indicatorId, periodKey: p.key, periodStart: fromLocalDate(p.start), periodEnd: fromLocalDate(p.end), value: t.value, amberFloor: t.amberFloor, text: t.text },
      update: { value: t.value, amberFloor: t.amberFloor, text: t.text },
    });
    if (cur) summary.targets.updated++;
    else summary.targets.created++;
  }
}

async function writeObservations(
  tx: Tx,
  indicatorId: number,
  ind: RegisterIndicator,
  fy: number,
  opts: WriteOptions,
  summary: WriteSummary,
  checkLock: (periodKey: string, start: string, end: string) => void,
) {
  if (!ind.observations.length) return;
  const latest = new Map(
    (
      await tx.observation.findMany({
        where: { indicatorId, latest: true },
        select: { id: true, periodKey: true, version: true, value: true, estimated: true, provisional: true, note: true, assessedStatus: true },
      })
    ).map((o) => [o.periodKey, o]),
  );
  for (const o of ind.observations) {
    const p = periodFromKey(o.periodKey, fy);
    const cur = latest.get(p.key);
    if (
      cur &&
      cur.value.equals(o.value) &&
      cur.estimated === o.estimated &&
      cur.provisional === o.provisional &&
      (cur.note ?? null) === o.note &&
      (cur.assessedStatus ?? null) === o.assessedStatus
    ) {
      summary.observations.unchanged++;
      continue;
    }
    checkLock(p.key, p.start, p.end);
    if (cur) await tx.observation.update({ where: { id: cur.id }, data: { latest: false } });
    await tx.observation.create({
      data: {
        indicatorId,
        periodKey: p.key,
        periodStart: fromLocalDate(p.start),
        periodEnd: fromLocalDate(p.end),
        version: (cur?.version ?? 0) + 1,
        latest: true,
        value: o.value,
        estimated: o.estimated,
        provisional: o.provisional,
        note: o.note,
        assessedStatus: o.assessedStatus,
        source: opts.source,
        submittedById: opts.actorId,
        submittedByLabel: opts.actorLabel,
        submittedAt: opts.at,
        correctionReason: cur ? (opts.lockedPeriodReason ?? `re-imported from ${opts.source}`) : null,
      },
    });
    if (cur) summary.observations.corrected++;
    else summary.observations.created++;
  }
}
