// Writing a register through Prisma: the RegisterTx of src/register/write.ts in one interactive
// transaction, indicators, targets and values set-based (unnest of arrays, a chunk per statement).
import { PrismaActionStore } from './prisma-actions.ts';
import { PrismaRiskStore } from './prisma-risks.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { LocalDate } from '../domain/types.ts';
import type { PlausibilityIndicator } from '../domain/plausibility.ts';
import { writeRegister as write, INDICATOR_COLUMNS, type IndicatorColumns, type RegisterTx } from '../register/write.ts';
import type { Register, WriteOptions, WriteSummary } from '../register/types.ts';
import { orgData, orgFromRow } from './org.ts';
import { auditRow } from './audit-row.ts';

type Tx = Prisma.TransactionClient;

const toLocalDate = (d: Date): LocalDate => d.toISOString().slice(0, 10);
const fromLocalDate = (d: LocalDate | null | undefined) => (d === undefined ? undefined : d === null ? null : new Date(`${d}T00:00:00.000Z`));
const numOrNull = (s: string | null): number | null => (s === null ? null : Number(s));
const dec = (v: number | null): string | null => (v === null ? null : String(v));

export function writeRegister(db: PrismaClient, reg: Register, opts: WriteOptions): Promise<WriteSummary> {
  return write((work) => db.$transaction((tx) => work(prismaRegisterTx(tx)), { timeout: 600_000, maxWait: 30_000 }), reg, opts);
}


function prismaRegisterTx(tx: Tx): RegisterTx {
  return {
    actions: new PrismaActionStore(tx),
    risks: new PrismaRiskStore(tx),
    async organisation() {
      const row = await tx.organisation.findUnique({ where: { id: 1 } });
      return row ? orgFromRow(row) : null;
    },
    async saveOrganisation(o) {
      const data = orgData(o);
      await tx.organisation.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
    },
    async peopleByEmail(emails) {
      const found = await tx.person.findMany({ where: { email: { in: emails } }, include: { identities: { select: { platform: true, platformUserId: true, confirmed: true } } } });
      return found.map((p) => ({ id: p.id, email: p.email!, displayName: p.displayName, role: p.role, deputyId: p.deputyId, absentUntil: p.absentUntil ? toLocalDate(p.absentUntil) : null, identities: p.identities }));
    },
    async createPerson(p) {
      return (await tx.person.create({ data: { ...p, absentUntil: fromLocalDate(p.absentUntil) }, select: { id: true } })).id;
    },
    async updatePerson(id, p) {
      await tx.person.update({ where: { id }, data: { ...p, absentUntil: fromLocalDate(p.absentUntil) } });
    },
    async linkFromSheet(personId, platform, userId, at) {
      // Only unconfirmed ids give way: a link the platform confirmed is never replaced by a sheet.
      await tx.personIdentity.deleteMany({ where: { platform, confirmed: false, OR: [{ personId }, { platformUserId: userId }] } });
      const n = await tx.$executeRaw`
        INSERT INTO person_identity (platform, platform_user_id, person_id, linked_by, linked_at, confirmed)
        VALUES (${platform}, ${userId}, ${personId}, 'import', ${at}, false)
        ON CONFLICT DO NOTHING`;
      return n === 1;
    },
    async forgetLookups(personId) {
      await tx.identityLookup.deleteMany({ where: { personId } });
    },
    themes: () => tx.theme.findMany({ select: { id: true, name: true, slug: true, kind: true, directorId: true } }),
    async themeSlugTaken(slug) {
      return (await tx.theme.findUnique({ where: { slug }, select: { id: true } })) !== null;
    },
    async createTheme(t) {
      return (await tx.theme.create({ data: t, select: { id: true } })).id;
    },
    async updateTheme(id, t) {
      await tx.theme.update({ where: { id }, data: t });
    },
    indicatorColumns: (slugs, refs) => tx.$queryRaw<(IndicatorColumns & { id: number })[]>`
      SELECT id, ref, slug, name, definition, theme_id::text, owner_id::text, deputy_id::text, unit, polarity::text, frequency::text,
             reporting_lag_days::text, aggregation::text, tolerance_kind::text, tolerance_value::text, dot_basis::text,
             maintained_band_kind::text, maintained_band::text, decimals::text,
             is_key::text, active::text, baseline_value::text, baseline_period, baseline_text, formula
      FROM indicator WHERE slug = ANY(${slugs}::text[]) OR ref = ANY(${refs}::text[])`,
    async updateIndicators(updates, at) {
      await tx.$executeRaw`
        UPDATE indicator AS i SET ref = u.ref, slug = u.slug, name = u.name, definition = u.definition, theme_id = u.theme_id, owner_id = u.owner_id,
               deputy_id = u.deputy_id, unit = u.unit, polarity = u.polarity::"Polarity", frequency = u.frequency::"Frequency",
               reporting_lag_days = u.reporting_lag_days, aggregation = u.aggregation::"Aggregation", tolerance_kind = u.tolerance_kind::"ToleranceKind",
               tolerance_value = u.tolerance_value, dot_basis = u.dot_basis::"DotBasis",
               maintained_band_kind = u.maintained_band_kind::"MaintainedBandKind", maintained_band = u.maintained_band, decimals = u.decimals, is_key = u.is_key, active = u.active,
               baseline_value = u.baseline_value, baseline_period = u.baseline_period, baseline_text = u.baseline_text, formula = u.formula, updated_at = ${at}
        FROM ${indicatorValues(updates, updates.map((u) => u.id))}
        WHERE i.id = u.id`;
    },
    async insertIndicators(inserts, at) {
      const created = await tx.$queryRaw<{ id: number; slug: string }[]>`
        INSERT INTO indicator (ref, slug, name, definition, theme_id, owner_id, deputy_id, unit, polarity, frequency, reporting_lag_days, aggregation,
                               tolerance_kind, tolerance_value, dot_basis, maintained_band_kind, maintained_band, decimals, is_key, active, baseline_value,
                               baseline_period, baseline_text, formula, updated_at)
        SELECT ref, slug, name, definition, theme_id, owner_id, deputy_id, unit, polarity::"Polarity", frequency::"Frequency", reporting_lag_days,
               aggregation::"Aggregation", tolerance_kind::"ToleranceKind", tolerance_value, dot_basis::"DotBasis",
               maintained_band_kind::"MaintainedBandKind", maintained_band, decimals, is_key, active, baseline_value, baseline_period, baseline_text, formula, ${at}
        FROM ${indicatorValues(inserts, null)}
        RETURNING id, slug`;
      return new Map(created.map((c) => [c.slug, c.id]));
    },
    async indicatorsBySlug(slugs) {
      const rows = await tx.$queryRaw<({ id: number } & PlausibilityIndicator)[]>`
        SELECT id, slug, unit, aggregation::text AS aggregation, decimals FROM indicator WHERE slug = ANY(${slugs}::text[])`;
      return new Map(rows.map((r) => [r.slug, r]));
    },
    async indicatorOwner(id) {
      return (await tx.indicator.findUnique({ where: { id }, select: { ownerId: true } }))?.ownerId ?? null;
    },
    async locks() {
      const rows = await tx.periodLock.findMany({ select: { periodKey: true, periodStart: true, periodEnd: true, closedAt: true, closedById: true } });
      return rows.map((l) => ({ ...l, periodStart: toLocalDate(l.periodStart), periodEnd: toLocalDate(l.periodEnd) }));
    },
    async printedValues(ids) {
      if (!ids.length) return [];
      return tx.signedOffValue.findMany({ where: { indicatorId: { in: ids }, version: { not: null } }, select: { quarterKey: true, indicatorId: true, periodKey: true } });
    },
    async targets(ids) {
      const rows = await tx.$queryRaw<{ indicatorId: number; periodKey: string; value: string | null; amberFloor: string | null; text: string | null }[]>`
        SELECT indicator_id AS "indicatorId", period_key AS "periodKey", value::text, amber_floor::text AS "amberFloor", text
        FROM target WHERE indicator_id = ANY(${ids}::int[])`;
      return rows.map((t) => ({ ...t, value: numOrNull(t.value), amberFloor: numOrNull(t.amberFloor) }));
    },
    async upsertTargets(list, at) {
      const col = <K extends keyof (typeof list)[number]>(k: K) => list.map((r) => r[k]);
      await tx.$executeRaw`
        INSERT INTO target (indicator_id, period_key, period_start, period_end, value, amber_floor, text, updated_at)
        SELECT u.indicator_id, u.period_key, u.period_start, u.period_end, u.value, u.amber_floor, u.text, ${at}
        FROM unnest(${col('indicatorId')}::int[], ${col('key')}::text[], ${col('start')}::date[], ${col('end')}::date[],
                    ${list.map((r) => dec(r.value))}::numeric[], ${list.map((r) => dec(r.amberFloor))}::numeric[], ${col('text')}::text[])
             AS u(indicator_id, period_key, period_start, period_end, value, amber_floor, text)
        ON CONFLICT (indicator_id, period_key) DO UPDATE
          SET value = EXCLUDED.value, amber_floor = EXCLUDED.amber_floor, text = EXCLUDED.text, updated_at = EXCLUDED.updated_at`;
    },
    async latestValues(ids) {
      const rows = await tx.$queryRaw<{ id: number; indicatorId: number; periodKey: string; version: number; value: string; estimated: boolean; provisional: boolean; note: string | null; assessedStatus: string | null }[]>`
        SELECT id, indicator_id AS "indicatorId", period_key AS "periodKey", version, value::text, estimated, provisional, note,
               assessed_status::text AS "assessedStatus"
        FROM observation WHERE latest AND indicator_id = ANY(${ids}::int[])`;
      return rows.map((o) => ({ ...o, value: Number(o.value) }));
    },
    async sameUnitIndicators(units) {
      const rows = await tx.$queryRaw<{ id: number; slug: string; unit: string; themeId: number | null; frequency: string; aggregation: string; periodKey: string | null; value: string | null }[]>`
        SELECT i.id, i.slug, i.unit, i.theme_id AS "themeId", i.frequency::text AS frequency, i.aggregation::text AS aggregation, o.period_key AS "periodKey", o.value::text AS value
        FROM indicator i
        LEFT JOIN LATERAL (
          SELECT period_key, value FROM observation WHERE indicator_id = i.id AND latest ORDER BY period_start DESC, period_end DESC LIMIT 1
        ) o ON true
        WHERE i.active AND lower(btrim(i.unit)) = ANY(${units}::text[])`;
      return rows.map(({ periodKey, value, ...i }) => ({ ...i, latest: periodKey !== null && value !== null ? { periodKey, value: Number(value) } : null }));
    },
    async addValues(replaced, list, by) {
      if (replaced.length) await tx.$executeRaw`UPDATE observation SET latest = false WHERE id = ANY(${replaced}::int[])`;
      await tx.$executeRaw`
        INSERT INTO observation (indicator_id, period_key, period_start, period_end, version, latest, value, estimated, provisional, note, assessed_status,
                                 source, submitted_by_id, submitted_by_label, submitted_at, correction_reason)
        SELECT u.indicator_id, u.period_key, u.period_start, u.period_end, u.version, true, u.value, u.estimated, u.provisional, u.note,
               u.assessed_status::"RagStatus", ${by.source}, ${by.actorId}::int, ${by.actorLabel}, ${by.at}, u.reason
        FROM unnest(${list.map((r) => r.indicatorId)}::int[], ${list.map((r) => r.key)}::text[], ${list.map((r) => r.start)}::date[],
                    ${list.map((r) => r.end)}::date[], ${list.map((r) => r.version)}::int[], ${list.map((r) => String(r.o.value))}::numeric[],
                    ${list.map((r) => r.o.estimated)}::bool[], ${list.map((r) => r.o.provisional)}::bool[], ${list.map((r) => r.o.note)}::text[],
                    ${list.map((r) => r.o.assessedStatus)}::text[], ${list.map((r) => r.reason)}::text[])
             AS u(indicator_id, period_key, period_start, period_end, version, value, estimated, provisional, note, assessed_status, reason)`;
    },
    exceptionReport: (indicatorId, periodKey) =>
      tx.exceptionReport.findUnique({ where: { indicatorId_periodKey: { indicatorId, periodKey } }, select: { id: true, questions: true, answers: true, state: true } }),
    async updateExceptionReport(id, data) {
      await tx.exceptionReport.update({ where: { id }, data: { ...data, version: { increment: 1 } } });
    },
    async createExceptionReport(data) {
      await tx.exceptionReport.create({ data });
    },
    async subscribeIfAbsent(w) {
      const n = await tx.$executeRaw`
        INSERT INTO channel_subscription (platform, channel_id, theme_id, indicator_id, events, created_by_id, scope, created_at)
        VALUES (${w.platform}, ${w.channelId}, ${w.themeId}, ${w.indicatorId}, ARRAY[]::text[], ${w.createdById}, ${w.scope}, now())
        ON CONFLICT (platform, channel_id, scope) DO NOTHING`;
      return n === 1;
    },
    async audit(entries) {
      await tx.auditLog.createMany({ data: entries.map(auditRow) });
    },
  };
}

/** The indicator rows as one unnest of column arrays (with their ids for an update). */
function indicatorValues(rows: IndicatorColumns[], ids: number[] | null) {
  const arr = (c: (typeof INDICATOR_COLUMNS)[number]) => rows.map((r) => r[c]);
  return Prisma.sql`unnest(
      ${ids ?? rows.map(() => null)}::int[],
      ${arr('ref')}::text[], ${arr('slug')}::text[], ${arr('name')}::text[], ${arr('definition')}::text[],
      ${arr('theme_id')}::int[], ${arr('owner_id')}::int[], ${arr('deputy_id')}::int[], ${arr('unit')}::text[],
      ${arr('polarity')}::text[], ${arr('frequency')}::text[], ${arr('reporting_lag_days')}::int[], ${arr('aggregation')}::text[],
      ${arr('tolerance_kind')}::text[], ${arr('tolerance_value')}::numeric[], ${arr('dot_basis')}::text[],
      ${arr('maintained_band_kind')}::text[], ${arr('maintained_band')}::numeric[], ${arr('decimals')}::int[],
      ${arr('is_key')}::bool[], ${arr('active')}::bool[], ${arr('baseline_value')}::numeric[], ${arr('baseline_period')}::text[],
      ${arr('baseline_text')}::text[], ${arr('formula')}::text[]
    ) AS u(id, ref, slug, name, definition, theme_id, owner_id, deputy_id, unit, polarity, frequency, reporting_lag_days, aggregation,
           tolerance_kind, tolerance_value, dot_basis, maintained_band_kind, maintained_band, decimals, is_key, active, baseline_value, baseline_period,
           baseline_text, formula)`;
}
