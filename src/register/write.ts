// Write a validated register in one transaction. Upserts by email (people), name (themes) and slug,
// then reference (indicators); a value becomes a new observation version only when it differs from
// the latest, so importing the same file twice changes nothing (not even the audit log).
// Indicators, targets and values are written set-based, a thousand register rows per statement, so
// a register of tens of thousands of rows loads in seconds (bench/import.ts has the figures).
import type { PrismaClient } from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { periodFromKey } from '../domain/periods.ts';
import { checkPlausibility, plausibilityNote, type PlausibilityIndicator } from '../domain/plausibility.ts';
import { ValidationError } from '../errors.ts';
import { toLocalDate } from '../repo/prisma-repository.ts';
import {
  LockedPeriodError,
  UnusualValuesError,
  changedAnything,
  emptySummary,
  type Register,
  type RegisterIndicator,
  type RegisterObservation,
  type RegisterTarget,
  type UnusualValue,
  type WriteOptions,
  type WriteSummary,
} from './types.ts';

export { LockedPeriodError, UnusualValuesError, changedAnything, emptySummary, type WriteOptions, type WriteSummary };
import { TRAFFORD_QUESTIONS, DEFAULT_ORG } from '../repo/defaults.ts';
import { orgData, orgFromRow } from '../repo/org.ts';
import { findSetting } from '../kpi/settings.ts';

class DryRunRollback extends Error {
  constructor(readonly summary: WriteSummary) {
    super('dry run: rolled back');
  }
}

type Tx = Prisma.TransactionClient;

/** Register rows per statement. */
const CHUNK = 1000;

const numOrNull = (s: string | null): number | null => (s === null ? null : Number(s));
const dec = (v: number | null): string | null => (v === null ? null : String(v));

export async function writeRegister(db: PrismaClient, reg: Register, opts: WriteOptions): Promise<WriteSummary> {
  const fy = opts.fyStartMonth ?? 4;
  const summary = emptySummary();
  try {
    return await db.$transaction(
      async (tx) => {
        if (reg.organisation) await writeOrganisation(tx, reg.organisation, summary);
        if (Object.keys(reg.settings).length) await writeSettings(tx, reg.settings, summary);
        const personIds = await writePeople(tx, reg, summary);
        const themeIds = await writeThemes(tx, reg, personIds, summary);
        const locks = (await tx.periodLock.findMany({ select: { periodKey: true, periodStart: true, periodEnd: true } })).map((l) => ({
          key: l.periodKey,
          start: toLocalDate(l.periodStart),
          end: toLocalDate(l.periodEnd),
        }));
        const ctx: WriteContext = { tx, fy, opts, summary, locks, lockedViolations: [], lockedAudits: [], unusual: [] };
        const total = reg.indicators.length + reg.values.length;
        let done = 0;

        for (let i = 0; i < reg.indicators.length; i += CHUNK) {
          const chunk = reg.indicators.slice(i, i + CHUNK);
          for (const ind of chunk) if (ind.theme && !themeIds.has(ind.theme)) await ensureTheme(tx, ind.theme, summary, themeIds);
          const ids = await writeIndicators(tx, chunk, themeIds, personIds, opts.at, summary);
          await writeValues(ctx, chunk.map((ind, k) => ({ indicatorId: ids[k]!, slug: ind.slug, spec: ind, targets: ind.targets, observations: ind.observations })));
          opts.onProgress?.((done += chunk.length), total);
        }
        for (let i = 0; i < reg.values.length; i += CHUNK) {
          const chunk = reg.values.slice(i, i + CHUNK);
          const found = await indicatorsBySlug(tx, chunk.map((v) => v.slug));
          const unknown = chunk.filter((v) => !found.has(v.slug)).map((v) => v.slug);
          if (unknown.length) throw new ValidationError(`No indicator with the short name ${[...new Set(unknown)].slice(0, 10).join(', ')}: add it to the register first. Nothing was written.`);
          await writeValues(ctx, chunk.map((v) => ({ indicatorId: found.get(v.slug)!.id, slug: v.slug, spec: found.get(v.slug)!, targets: v.targets, observations: v.observations })));
          opts.onProgress?.((done += chunk.length), total);
        }
        if (ctx.lockedViolations.length) throw new LockedPeriodError(ctx.lockedViolations);
        if (ctx.unusual.length && !opts.acceptOutliers) throw new UnusualValuesError(ctx.unusual);
        summary.unusualValues = ctx.unusual;
        await writeExceptionReports(tx, reg, summary, opts.at);
        await writeSubscriptions(tx, reg, themeIds, summary, opts.actorId);

        if (changedAnything(summary)) {
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
        }
        if (ctx.lockedAudits.length) {
          await tx.auditLog.createMany({
            data: ctx.lockedAudits.map((a) => ({
              at: opts.at,
              actorId: opts.actorId,
              actorLabel: opts.actorLabel,
              action: 'observation.correct-locked',
              entity: 'observation',
              entityId: `${a.indicatorId}:${a.periodKey}`,
              details: { ...a, source: opts.source, reason: opts.lockedPeriodReason ?? null } as Prisma.InputJsonValue,
            })),
          });
        }
        if (opts.dryRun) throw new DryRunRollback(summary);
        return summary;
      },
      { timeout: 600_000, maxWait: 30_000 },
    );
  } catch (e) {
    if (e instanceof DryRunRollback) return e.summary;
    throw e;
  }
}

interface WriteContext {
  tx: Tx;
  fy: number;
  opts: WriteOptions;
  summary: WriteSummary;
  locks: { key: string; start: string; end: string }[];
  lockedViolations: { slug: string; periodKey: string; lockKey: string }[];
  lockedAudits: { indicatorId: number; slug: string; periodKey: string; lock: string; version: number; value: number; previous: number | null }[];
  /** New or changed values the plausibility check asks about. */
  unusual: UnusualValue[];
}

async function writeOrganisation(tx: Tx, o: NonNullable<Register['organisation']>, summary: WriteSummary) {
  const data = {
    name: o.name,
    ...(o.toleranceKind ? { toleranceKind: o.toleranceKind } : {}),
    ...(o.toleranceValue !== undefined ? { toleranceValue: o.toleranceValue } : {}),
    ...(o.exceptionQuestions ? { exceptionQuestions: o.exceptionQuestions } : {}),
  };
  const cur = await tx.organisation.findUnique({ where: { id: 1 } });
  if (!cur) {
    await tx.organisation.create({ data: { id: 1, exceptionQuestions: TRAFFORD_QUESTIONS, chaseCadence: DEFAULT_ORG.chaseCadence, ...data } });
    summary.organisation.created++;
    return;
  }
  const same =
    cur.name === data.name &&
    (data.toleranceKind === undefined || cur.toleranceKind === data.toleranceKind) &&
    (data.toleranceValue === undefined || cur.toleranceValue.equals(data.toleranceValue)) &&
    (data.exceptionQuestions === undefined || JSON.stringify(cur.exceptionQuestions) === JSON.stringify(data.exceptionQuestions));
  if (!same) {
    await tx.organisation.update({ where: { id: 1 }, data });
    summary.organisation.updated++;
  }
}

/** A Settings sheet: each setting read the same way as `/kpi settings` reads it; all or nothing. */
async function writeSettings(tx: Tx, settings: Record<string, string>, summary: WriteSummary) {
  let next = orgFromRow(await tx.organisation.findUnique({ where: { id: 1 } }));
  const before = JSON.stringify(orgData(next));
  const problems: string[] = [];
  for (const [name, value] of Object.entries(settings)) {
    const def = findSetting(name);
    const r = def ? def.read(value) : { ok: false as const, error: 'not a setting' };
    if (r.ok) next = { ...next, ...r.patch };
    else problems.push(`${name}: ${r.error}`);
  }
  if (problems.length) throw new ValidationError(`The Settings sheet has problems: ${problems.join('; ')}. Nothing was written.`);
  const data = orgData(next);
  if (JSON.stringify(data) === before) return;
  await tx.organisation.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
  summary.organisation.updated++;
}

async function writePeople(tx: Tx, reg: Register, summary: WriteSummary): Promise<Map<string, number>> {
  const emails = [
    ...reg.people.map((p) => p.email),
    ...reg.indicators.flatMap((i) => [i.ownerEmail, i.deputyEmail]),
    ...reg.themes.map((t) => t.directorEmail),
    ...reg.people.map((p) => p.deputyEmail),
  ].filter((e): e is string => Boolean(e));
  const found = await tx.person.findMany({ where: { email: { in: [...new Set(emails)] } }, include: { identities: { select: { platform: true, platformUserId: true } } } });
  const ids = new Map(found.map((p) => [p.email!, p.id]));
  const byEmail = new Map(found.map((p) => [p.email!, p]));
  const absence = (d: string | null | undefined) => (d === undefined ? {} : { absentUntil: d === null ? null : new Date(`${d}T00:00:00.000Z`) });
  for (const p of reg.people) {
    const data = { displayName: p.displayName, email: p.email, role: p.role, ...absence(p.absentUntil) };
    const existing = byEmail.get(p.email);
    let id: number;
    let changed = false;
    if (!existing) {
      id = (await tx.person.create({ data, select: { id: true } })).id;
      ids.set(p.email, id);
      summary.people.created++;
    } else {
      id = existing.id;
      const away = p.absentUntil === undefined ? null : p.absentUntil;
      if (existing.displayName !== data.displayName || existing.role !== data.role || (p.absentUntil !== undefined && (existing.absentUntil ? toLocalDate(existing.absentUntil) : null) !== away)) {
        await tx.person.update({ where: { id }, data });
        changed = true;
      }
    }
    // A platform id in the file links the person there (replacing an older link of theirs).
    for (const [platform, userId] of Object.entries(p.identities)) {
      if (existing?.identities.some((i) => i.platform === platform && i.platformUserId === userId)) continue;
      await tx.personIdentity.deleteMany({ where: { OR: [{ personId: id, platform }, { platform, platformUserId: userId }] } });
      await tx.personIdentity.create({ data: { personId: id, platform, platformUserId: userId, linkedBy: 'import', linkedAt: new Date() } });
      changed = true;
    }
    if (changed && existing) summary.people.updated++;
  }
  for (const p of reg.people) {
    if (!p.deputyEmail) continue;
    const deputyId = ids.get(p.deputyEmail);
    const id = ids.get(p.email)!;
    if (deputyId !== undefined && byEmail.get(p.email)?.deputyId !== deputyId) {
      await tx.person.update({ where: { id }, data: { deputyId } });
      if (byEmail.has(p.email)) summary.people.updated++;
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

/** The indicator columns as text, in a fixed order: what is compared and what is written. */
const INDICATOR_COLUMNS = [
  'ref', 'slug', 'name', 'definition', 'theme_id', 'owner_id', 'deputy_id', 'unit', 'polarity', 'frequency', 'reporting_lag_days', 'aggregation',
  'tolerance_kind', 'tolerance_value', 'dot_basis', 'maintained_band_kind', 'maintained_band', 'decimals', 'is_key', 'active', 'baseline_value', 'baseline_period', 'baseline_text',
] as const;
type IndicatorRow = Record<(typeof INDICATOR_COLUMNS)[number], string | null>;

const str = (v: number | boolean | string | null | undefined): string | null => (v === null || v === undefined ? null : String(v));

function indicatorRow(i: RegisterIndicator, themeId: number | null, ownerId: number | null, deputyId: number | null): IndicatorRow {
  return {
    ref: i.ref,
    slug: i.slug,
    name: i.name,
    definition: i.definition,
    theme_id: str(themeId),
    owner_id: str(ownerId),
    deputy_id: str(deputyId),
    unit: i.unit,
    polarity: i.polarity,
    frequency: i.frequency,
    reporting_lag_days: str(i.reportingLagDays),
    aggregation: i.aggregation,
    tolerance_kind: i.tolerance?.kind ?? null,
    tolerance_value: str(i.tolerance?.value),
    dot_basis: i.dotBasis,
    maintained_band_kind: i.maintainedBand?.kind ?? null,
    maintained_band: i.maintainedBand?.kind === 'relative' ? str(i.maintainedBand.percent) : null,
    decimals: str(i.decimals),
    is_key: str(i.isKey),
    active: str(i.active),
    baseline_value: str(i.baseline?.value),
    baseline_period: i.baseline?.period ?? null,
    baseline_text: i.baseline?.text ?? null,
  };
}

/** Two text forms of a column compare equal (numbers by value: "5.500000" is 5.5). */
function sameCell(col: (typeof INDICATOR_COLUMNS)[number], a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  if (col === 'tolerance_value' || col === 'maintained_band' || col === 'baseline_value') return Number(a) === Number(b);
  return a === b;
}

/** Insert new indicators and update changed ones; returns the id of each, in order. */
async function writeIndicators(
  tx: Tx,
  chunk: RegisterIndicator[],
  themeIds: Map<string, number>,
  personIds: Map<string, number>,
  at: Date,
  summary: WriteSummary,
): Promise<number[]> {
  const slugs = chunk.map((i) => i.slug);
  const refs = chunk.map((i) => i.ref).filter((r): r is string => r !== null);
  const existing = await tx.$queryRaw<({ id: number } & IndicatorRow)[]>`
    SELECT id, ref, slug, name, definition, theme_id::text, owner_id::text, deputy_id::text, unit, polarity::text, frequency::text,
           reporting_lag_days::text, aggregation::text, tolerance_kind::text, tolerance_value::text, dot_basis::text,
           maintained_band_kind::text, maintained_band::text, decimals::text,
           is_key::text, active::text, baseline_value::text, baseline_period, baseline_text
    FROM indicator WHERE slug = ANY(${slugs}::text[]) OR ref = ANY(${refs}::text[])`;
  const bySlug = new Map(existing.map((e) => [e.slug, e]));
  const byRef = new Map(existing.filter((e) => e.ref !== null).map((e) => [e.ref!, e]));
  const ids: (number | null)[] = [];
  const inserts: IndicatorRow[] = [];
  const updates: (IndicatorRow & { id: number })[] = [];
  const clashes: string[] = [];
  for (const ind of chunk) {
    const row = indicatorRow(
      ind,
      ind.theme ? (themeIds.get(ind.theme) ?? null) : null,
      ind.ownerEmail ? (personIds.get(ind.ownerEmail) ?? null) : null,
      ind.deputyEmail ? (personIds.get(ind.deputyEmail) ?? null) : null,
    );
    const found = bySlug.get(ind.slug) ?? (ind.ref ? byRef.get(ind.ref) : undefined);
    if (found && ind.ref && found.ref !== ind.ref && byRef.has(ind.ref)) {
      clashes.push(`${ind.slug} has reference "${ind.ref}", which belongs to ${byRef.get(ind.ref)!.slug}`);
    }
    if (!found) {
      ids.push(null);
      inserts.push(row);
    } else {
      ids.push(found.id);
      if (INDICATOR_COLUMNS.every((c) => sameCell(c, found[c], row[c]))) summary.indicators.unchanged++;
      else {
        updates.push({ ...row, id: found.id });
        summary.indicators.updated++;
      }
    }
  }
  if (clashes.length) throw new ValidationError(`Indicator references clash with the register: ${clashes.slice(0, 10).join('; ')}. Nothing was written.`);

  const arr = (rows: IndicatorRow[], c: (typeof INDICATOR_COLUMNS)[number]) => rows.map((r) => r[c]);
  const values = (rows: IndicatorRow[], ids: number[] | null) => Prisma.sql`unnest(
      ${ids ?? rows.map(() => null)}::int[],
      ${arr(rows, 'ref')}::text[], ${arr(rows, 'slug')}::text[], ${arr(rows, 'name')}::text[], ${arr(rows, 'definition')}::text[],
      ${arr(rows, 'theme_id')}::int[], ${arr(rows, 'owner_id')}::int[], ${arr(rows, 'deputy_id')}::int[], ${arr(rows, 'unit')}::text[],
      ${arr(rows, 'polarity')}::text[], ${arr(rows, 'frequency')}::text[], ${arr(rows, 'reporting_lag_days')}::int[], ${arr(rows, 'aggregation')}::text[],
      ${arr(rows, 'tolerance_kind')}::text[], ${arr(rows, 'tolerance_value')}::numeric[], ${arr(rows, 'dot_basis')}::text[],
      ${arr(rows, 'maintained_band_kind')}::text[], ${arr(rows, 'maintained_band')}::numeric[], ${arr(rows, 'decimals')}::int[],
      ${arr(rows, 'is_key')}::bool[], ${arr(rows, 'active')}::bool[], ${arr(rows, 'baseline_value')}::numeric[], ${arr(rows, 'baseline_period')}::text[],
      ${arr(rows, 'baseline_text')}::text[]
    ) AS u(id, ref, slug, name, definition, theme_id, owner_id, deputy_id, unit, polarity, frequency, reporting_lag_days, aggregation,
           tolerance_kind, tolerance_value, dot_basis, maintained_band_kind, maintained_band, decimals, is_key, active, baseline_value, baseline_period,
           baseline_text)`;

  if (updates.length) {
    await tx.$executeRaw`
      UPDATE indicator AS i SET ref = u.ref, slug = u.slug, name = u.name, definition = u.definition, theme_id = u.theme_id, owner_id = u.owner_id,
             deputy_id = u.deputy_id, unit = u.unit, polarity = u.polarity::"Polarity", frequency = u.frequency::"Frequency",
             reporting_lag_days = u.reporting_lag_days, aggregation = u.aggregation::"Aggregation", tolerance_kind = u.tolerance_kind::"ToleranceKind",
             tolerance_value = u.tolerance_value, dot_basis = u.dot_basis::"DotBasis",
             maintained_band_kind = u.maintained_band_kind::"MaintainedBandKind", maintained_band = u.maintained_band, decimals = u.decimals, is_key = u.is_key, active = u.active,
             baseline_value = u.baseline_value, baseline_period = u.baseline_period, baseline_text = u.baseline_text, updated_at = ${at}
      FROM ${values(updates, updates.map((u) => u.id))}
      WHERE i.id = u.id`;
  }
  if (inserts.length) {
    const created = await tx.$queryRaw<{ id: number; slug: string }[]>`
      INSERT INTO indicator (ref, slug, name, definition, theme_id, owner_id, deputy_id, unit, polarity, frequency, reporting_lag_days, aggregation,
                             tolerance_kind, tolerance_value, dot_basis, maintained_band_kind, maintained_band, decimals, is_key, active, baseline_value,
                             baseline_period, baseline_text, updated_at)
      SELECT ref, slug, name, definition, theme_id, owner_id, deputy_id, unit, polarity::"Polarity", frequency::"Frequency", reporting_lag_days,
             aggregation::"Aggregation", tolerance_kind::"ToleranceKind", tolerance_value, dot_basis::"DotBasis",
             maintained_band_kind::"MaintainedBandKind", maintained_band, decimals, is_key, active, baseline_value, baseline_period, baseline_text, ${at}
      FROM ${values(inserts, null)}
      RETURNING id, slug`;
    summary.indicators.created += created.length;
    const newIds = new Map(created.map((c) => [c.slug, c.id]));
    return chunk.map((ind, k) => ids[k] ?? newIds.get(ind.slug)!);
  }
  return ids as number[];
}

/** Alert channel columns: each named channel subscribed to its theme or indicator (an existing subscription is left as it is). */
async function writeSubscriptions(tx: Tx, reg: Register, themeIds: Map<string, number>, summary: WriteSummary, actorId: number | null) {
  const wanted: { platform: string; channelId: string; themeId: number | null; indicatorId: number | null }[] = [];
  for (const t of reg.themes) for (const c of t.alertChannels) wanted.push({ ...c, themeId: themeIds.get(t.name) ?? null, indicatorId: null });
  const withChannels = reg.indicators.filter((i) => i.alertChannels.length);
  const ids = withChannels.length ? await indicatorIdsBySlug(tx, withChannels.map((i) => i.slug)) : new Map<string, number>();
  for (const i of withChannels) for (const c of i.alertChannels) wanted.push({ ...c, themeId: null, indicatorId: ids.get(i.slug) ?? null });
  for (const w of wanted) {
    if (w.themeId === null && w.indicatorId === null) continue;
    const scope = w.indicatorId !== null ? `indicator:${w.indicatorId}` : `theme:${w.themeId}`;
    const n = await tx.$executeRaw`
      INSERT INTO channel_subscription (platform, channel_id, theme_id, indicator_id, events, created_by_id, scope, created_at)
      VALUES (${w.platform}::"Platform", ${w.channelId}, ${w.themeId}, ${w.indicatorId}, ARRAY[]::text[], ${actorId}, ${scope}, now())
      ON CONFLICT (platform, channel_id, scope) DO NOTHING`;
    if (n === 1) summary.subscriptions.created++;
    else summary.subscriptions.unchanged++;
  }
}

async function indicatorIdsBySlug(tx: Tx, slugs: string[]): Promise<Map<string, number>> {
  return new Map([...(await indicatorsBySlug(tx, slugs))].map(([slug, i]) => [slug, i.id]));
}

/** Indicators by slug, with what the plausibility check needs. */
async function indicatorsBySlug(tx: Tx, slugs: string[]): Promise<Map<string, { id: number } & PlausibilityIndicator>> {
  const rows = await tx.$queryRaw<({ id: number } & PlausibilityIndicator)[]>`
    SELECT id, slug, unit, aggregation::text AS aggregation, decimals FROM indicator WHERE slug = ANY(${slugs}::text[])`;
  return new Map(rows.map((r) => [r.slug, r]));
}

interface ValuesFor {
  indicatorId: number;
  slug: string;
  /** What the plausibility check reads of the indicator. */
  spec: PlausibilityIndicator;
  targets: RegisterTarget[];
  observations: RegisterObservation[];
}

/** Targets and observations of a chunk of indicators: what is new or different is written, the rest counted. */
async function writeValues(ctx: WriteContext, items: ValuesFor[]): Promise<void> {
  await writeTargets(ctx, items);
  await writeObservations(ctx, items);
}

async function writeTargets(ctx: WriteContext, items: ValuesFor[]): Promise<void> {
  const { tx, fy, summary, opts } = ctx;
  const ids = items.filter((i) => i.targets.length).map((i) => i.indicatorId);
  if (!ids.length) return;
  const existing = new Map(
    (
      await tx.$queryRaw<{ indicatorId: number; periodKey: string; value: string | null; amberFloor: string | null; text: string | null }[]>`
        SELECT indicator_id AS "indicatorId", period_key AS "periodKey", value::text, amber_floor::text AS "amberFloor", text
        FROM target WHERE indicator_id = ANY(${ids}::int[])`
    ).map((t) => [`${t.indicatorId}|${t.periodKey}`, t]),
  );
  // The last target given for a period wins (a file naming a period twice).
  const rows = new Map<string, { indicatorId: number; key: string; start: string; end: string; value: number | null; amberFloor: number | null; text: string | null; isNew: boolean }>();
  for (const item of items) {
    for (const t of item.targets) {
      const p = periodFromKey(t.periodKey, fy);
      const k = `${item.indicatorId}|${p.key}`;
      const cur = existing.get(k);
      if (cur && numOrNull(cur.value) === t.value && numOrNull(cur.amberFloor) === t.amberFloor && cur.text === t.text) {
        rows.delete(k);
        continue;
      }
      rows.set(k, { indicatorId: item.indicatorId, key: p.key, start: p.start, end: p.end, value: t.value, amberFloor: t.amberFloor, text: t.text, isNew: !cur });
    }
  }
  const total = items.reduce((n, i) => n + i.targets.length, 0);
  const list = [...rows.values()];
  summary.targets.created += list.filter((r) => r.isNew).length;
  summary.targets.updated += list.filter((r) => !r.isNew).length;
  summary.targets.unchanged += total - list.length;
  if (!list.length) return;
  const col = <K extends keyof (typeof list)[number]>(k: K) => list.map((r) => r[k]);
  await tx.$executeRaw`
    INSERT INTO target (indicator_id, period_key, period_start, period_end, value, amber_floor, text, updated_at)
    SELECT u.indicator_id, u.period_key, u.period_start, u.period_end, u.value, u.amber_floor, u.text, ${opts.at}
    FROM unnest(${col('indicatorId')}::int[], ${col('key')}::text[], ${col('start')}::date[], ${col('end')}::date[],
                ${list.map((r) => dec(r.value))}::numeric[], ${list.map((r) => dec(r.amberFloor))}::numeric[], ${col('text')}::text[])
         AS u(indicator_id, period_key, period_start, period_end, value, amber_floor, text)
    ON CONFLICT (indicator_id, period_key) DO UPDATE
      SET value = EXCLUDED.value, amber_floor = EXCLUDED.amber_floor, text = EXCLUDED.text, updated_at = EXCLUDED.updated_at`;
}

async function writeObservations(ctx: WriteContext, items: ValuesFor[]): Promise<void> {
  const { tx, fy, summary, opts, locks } = ctx;
  const ids = items.filter((i) => i.observations.length).map((i) => i.indicatorId);
  if (!ids.length) return;
  type Latest = { id: number; indicatorId: number; periodKey: string; version: number; value: string; estimated: boolean; provisional: boolean; note: string | null; assessedStatus: string | null };
  const latest = new Map(
    (
      await tx.$queryRaw<Latest[]>`
        SELECT id, indicator_id AS "indicatorId", period_key AS "periodKey", version, value::text, estimated, provisional, note,
               assessed_status::text AS "assessedStatus"
        FROM observation WHERE latest AND indicator_id = ANY(${ids}::int[])`
    ).map((o) => [`${o.indicatorId}|${o.periodKey}`, o]),
  );
  const rows = new Map<string, { indicatorId: number; slug: string; key: string; start: string; end: string; o: RegisterObservation; cur: Latest | undefined }>();
  let total = 0;
  for (const item of items) {
    for (const o of item.observations) {
      total++;
      const p = periodFromKey(o.periodKey, fy);
      const k = `${item.indicatorId}|${p.key}`;
      const cur = latest.get(k);
      if (
        cur &&
        Number(cur.value) === o.value &&
        cur.estimated === o.estimated &&
        cur.provisional === o.provisional &&
        (cur.note ?? null) === o.note &&
        (cur.assessedStatus ?? null) === o.assessedStatus
      ) {
        rows.delete(k);
        continue;
      }
      rows.set(k, { indicatorId: item.indicatorId, slug: item.slug, key: p.key, start: p.start, end: p.end, o, cur });
    }
  }
  const list = [...rows.values()];
  summary.observations.unchanged += total - list.length;
  if (!list.length) return;
  checkValues(ctx, items, list, latest);
  for (const r of list) {
    const lock = locks.find((l) => l.start <= r.start && l.end >= r.end);
    if (!lock) continue;
    if (!opts.lockedPeriodReason) ctx.lockedViolations.push({ slug: r.slug, periodKey: r.key, lockKey: lock.key });
    else {
      summary.lockedPeriodValues++;
      ctx.lockedAudits.push({ indicatorId: r.indicatorId, slug: r.slug, periodKey: r.key, lock: lock.key, version: (r.cur?.version ?? 0) + 1, value: r.o.value, previous: r.cur ? Number(r.cur.value) : null });
    }
  }
  if (ctx.lockedViolations.length) return;
  const replaced = list.filter((r) => r.cur).map((r) => r.cur!.id);
  summary.observations.corrected += replaced.length;
  summary.observations.created += list.length - replaced.length;
  if (replaced.length) await tx.$executeRaw`UPDATE observation SET latest = false WHERE id = ANY(${replaced}::int[])`;
  const reason = (r: (typeof list)[number]) => (r.cur ? (opts.lockedPeriodReason ?? `re-imported from ${opts.source}`) : null);
  await tx.$executeRaw`
    INSERT INTO observation (indicator_id, period_key, period_start, period_end, version, latest, value, estimated, provisional, note, assessed_status,
                             source, submitted_by_id, submitted_by_label, submitted_at, correction_reason)
    SELECT u.indicator_id, u.period_key, u.period_start, u.period_end, u.version, true, u.value, u.estimated, u.provisional, u.note,
           u.assessed_status::"RagStatus", ${opts.source}, ${opts.actorId}::int, ${opts.actorLabel}, ${opts.at}, u.reason
    FROM unnest(${list.map((r) => r.indicatorId)}::int[], ${list.map((r) => r.key)}::text[], ${list.map((r) => r.start)}::date[],
                ${list.map((r) => r.end)}::date[], ${list.map((r) => (r.cur?.version ?? 0) + 1)}::int[], ${list.map((r) => String(r.o.value))}::numeric[],
                ${list.map((r) => r.o.estimated)}::bool[], ${list.map((r) => r.o.provisional)}::bool[], ${list.map((r) => r.o.note)}::text[],
                ${list.map((r) => r.o.assessedStatus)}::text[], ${list.map(reason)}::text[])
         AS u(indicator_id, period_key, period_start, period_end, version, value, estimated, provisional, note, assessed_status, reason)`;
}

/**
 * The plausibility check of every new or changed value: judged against the indicator's values as
 * they will stand (the database's, with the file's in their place), so a file of history is checked
 * against itself.
 */
function checkValues(
  ctx: WriteContext,
  items: ValuesFor[],
  changed: { indicatorId: number; slug: string; key: string; o: RegisterObservation }[],
  latest: Map<string, { indicatorId: number; periodKey: string; value: string }>,
): void {
  const { fy } = ctx;
  const series = new Map<number, Map<string, number>>();
  for (const l of latest.values()) {
    const m = series.get(l.indicatorId) ?? new Map<string, number>();
    m.set(l.periodKey, Number(l.value));
    series.set(l.indicatorId, m);
  }
  const specs = new Map<number, PlausibilityIndicator>();
  for (const item of items) {
    specs.set(item.indicatorId, item.spec);
    const m = series.get(item.indicatorId) ?? new Map<string, number>();
    for (const o of item.observations) m.set(periodFromKey(o.periodKey, fy).key, o.value);
    series.set(item.indicatorId, m);
  }
  const histories = new Map<number, { period: ReturnType<typeof periodFromKey>; value: number }[]>();
  for (const r of changed) {
    const spec = specs.get(r.indicatorId)!;
    let history = histories.get(r.indicatorId);
    if (!history) {
      history = [...series.get(r.indicatorId)!].map(([key, value]) => ({ period: periodFromKey(key, fy), value }));
      histories.set(r.indicatorId, history);
    }
    const verdict = checkPlausibility({ indicator: { ...spec, slug: r.slug }, period: periodFromKey(r.key, fy), value: r.o.value, history, fyStartMonth: fy });
    if (verdict.kind === 'ask') ctx.unusual.push({ slug: r.slug, periodKey: r.key, value: r.o.value, note: plausibilityNote(verdict, { ...spec, slug: r.slug }) });
  }
}

async function writeExceptionReports(tx: Tx, reg: Register, summary: WriteSummary, at: Date): Promise<void> {
  if (!reg.exceptionReports.length) return;
  const ids = await indicatorIdsBySlug(tx, reg.exceptionReports.map((e) => e.slug));
  for (const er of reg.exceptionReports) {
    const indicatorId = ids.get(er.slug);
    if (indicatorId === undefined) throw new ValidationError(`An exception report names "${er.slug}", which is not in the register. Nothing was written.`);
    const cur = await tx.exceptionReport.findUnique({ where: { indicatorId_periodKey: { indicatorId, periodKey: er.periodKey } } });
    if (cur && JSON.stringify(cur.questions) === JSON.stringify(er.questions) && JSON.stringify(cur.answers) === JSON.stringify(er.answers) && cur.state === er.state) {
      summary.exceptionReports.unchanged++;
      continue;
    }
    const owner = await tx.indicator.findUnique({ where: { id: indicatorId }, select: { ownerId: true } });
    const data = { questions: er.questions, answers: er.answers, state: er.state };
    if (cur) {
      await tx.exceptionReport.update({ where: { id: cur.id }, data: { ...data, version: { increment: 1 } } });
      summary.exceptionReports.updated++;
    } else {
      const done = er.state === 'submitted' || er.state === 'approved';
      await tx.exceptionReport.create({
        data: { indicatorId, periodKey: er.periodKey, ...data, authorId: owner?.ownerId ?? null, ...(done ? { submittedAt: at } : {}), ...(er.state === 'approved' ? { reviewedAt: at } : {}) },
      });
      summary.exceptionReports.created++;
    }
  }
}
