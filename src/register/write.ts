// Write a validated register in one transaction. Upserts by email (people), name (themes) and slug,
// then reference (indicators); a value becomes a new observation version only when it differs from
// the latest, so importing the same file twice changes nothing (not even the audit log).
// This is the algorithm, once, over a RegisterTx: what a store reads and writes in the transaction.
// The Prisma store (src/repo/prisma-register.ts) does it set-based, a thousand register rows per
// statement, so a register of tens of thousands of rows loads in seconds (bench/import.ts has the
// figures); the in-memory store (test/support/memory/register.ts, for unit tests) in arrays.
import { accumulates } from '../domain/aggregation.ts';
import { isPercentUnit } from '../domain/format.ts';
import { readAggregation } from '../domain/percent-to-date.ts';
import type { TargetPoint } from '../domain/evaluate.ts';
import { comparePeriods, periodFromKey } from '../domain/periods.ts';
import { checkPlausibility, hasHistoryReference, nearestSiblings, plausibilityNote, referenceTarget, type PlausibilityIndicator, type PlausibilityInput, type Sibling } from '../domain/plausibility.ts';
import type { Aggregation, LocalDate } from '../domain/types.ts';
import { ValidationError } from '../errors.ts';
import type { RiskFields, RiskRecord, RiskStore } from '../ports.ts';
import type { ActionFields, ActionStore, AuditEntry, IndicatorRecord, ObservationRecord, OrgSettings, PeriodLockRecord, Role, ThemeRecord } from '../ports.ts';
import { localDateOf } from '../domain/dates.ts';
import {
  LockedPeriodError,
  UnusualValuesError,
  changedAnything,
  emptySummary,
  OPTIONAL_INDICATOR_FIELDS,
  type OptionalActionField,
  type OptionalIndicatorField,
  type OptionalRiskField,
  type Register,
  type RegisterIndicator,
  type RegisterObservation,
  type RegisterRisk,
  type RegisterTarget,
  type UnusualValue,
  type WriteOptions,
  type WriteSummary,
} from './types.ts';
import { TRAFFORD_QUESTIONS, DEFAULT_ORG } from '../repo/defaults.ts';
import { sameUpdate } from '../repo/action-rules.ts';
import { orgData } from '../repo/org.ts';
import { signOffHold, subscriptionScope } from '../repo/rules.ts';
import { findSetting, settingPatch } from '../services/settings.ts';

/** A person as the writer compares them. */
export interface StoredPerson {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  deputyId: number | null;
  absentUntil: LocalDate | null;
  /** `confirmed`: the platform said so; false for an id from a People sheet. */
  identities: { platform: string; platformUserId: string; confirmed: boolean }[];
}

/** The indicator columns as text, in a fixed order: what is compared and what is written. */
export const INDICATOR_COLUMNS = [
  'ref', 'slug', 'name', 'definition', 'theme_id', 'owner_id', 'deputy_id', 'unit', 'polarity', 'frequency', 'reporting_lag_days', 'aggregation',
  'tolerance_kind', 'tolerance_value', 'dot_basis', 'maintained_band_kind', 'maintained_band', 'decimals', 'is_key', 'active', 'baseline_value', 'baseline_period', 'baseline_text', 'formula',
] as const;
export type IndicatorColumns = Record<(typeof INDICATOR_COLUMNS)[number], string | null>;

export interface StoredTarget {
  indicatorId: number;
  periodKey: string;
  value: number | null;
  amberFloor: number | null;
  text: string | null;
}

export interface NewTarget {
  indicatorId: number;
  key: string;
  start: LocalDate;
  end: LocalDate;
  value: number | null;
  amberFloor: number | null;
  text: string | null;
}

/** The latest version of a value, as the writer compares it. */
export type StoredValue = Pick<ObservationRecord, 'id' | 'indicatorId' | 'periodKey' | 'version' | 'value' | 'estimated' | 'provisional' | 'note'> & { assessedStatus: string | null };

export interface NewValue {
  indicatorId: number;
  key: string;
  start: LocalDate;
  end: LocalDate;
  version: number;
  o: RegisterObservation;
  /** Why it replaces the latest (null for a first value). */
  reason: string | null;
}

/** An indicator of a unit, as the plausibility check compares it with its siblings. */
export interface UnitIndicator {
  id: number;
  slug: string;
  unit: string;
  themeId: number | null;
  frequency: string;
  aggregation: string;
  /** The latest value of its latest period (null: none). */
  latest: { periodKey: string; value: number } | null;
}

/** A unit as units are compared: trimmed, in lower case. */
export const unitKey = (unit: string) => unit.trim().toLowerCase();

/** What writing a register reads and writes, inside one transaction. */
export interface RegisterTx {
  /** The organisation, or null when it has not been set up. */
  organisation(): Promise<OrgSettings | null>;
  saveOrganisation(o: OrgSettings): Promise<void>;
  peopleByEmail(emails: string[]): Promise<StoredPerson[]>;
  createPerson(p: { displayName: string; email: string; role: Role; absentUntil?: LocalDate | null }): Promise<number>;
  updatePerson(id: number, p: Partial<{ email: string; displayName: string; role: Role; absentUntil: LocalDate | null; deputyId: number }>): Promise<void>;
  /**
   * Link the person to the platform user as a People sheet gives it: unconfirmed, replacing only
   * unconfirmed links (theirs there, anyone's to that user). False when a confirmed link stands in the way.
   */
  linkFromSheet(personId: number, platform: string, userId: string, at: Date): Promise<boolean>;
  /** Forget what e-mail lookups found for a person (their address changed). */
  forgetLookups(personId: number): Promise<void>;
  themes(): Promise<ThemeRecord[]>;
  themeSlugTaken(slug: string): Promise<boolean>;
  createTheme(t: Omit<ThemeRecord, 'id'>): Promise<number>;
  updateTheme(id: number, t: Omit<ThemeRecord, 'id'>): Promise<void>;
  /** Actions and milestones, inside the transaction. */
  actions: ActionStore;
  /** The risk register, inside the transaction. */
  risks: RiskStore;
  /** Indicators with one of these slugs or references. */
  indicatorColumns(slugs: string[], refs: string[]): Promise<(IndicatorColumns & { id: number })[]>;
  updateIndicators(rows: (IndicatorColumns & { id: number })[], at: Date): Promise<void>;
  /** Returns each new indicator's id by slug. */
  insertIndicators(rows: IndicatorColumns[], at: Date): Promise<Map<string, number>>;
  /** Indicators by slug, with what the plausibility check reads of them. */
  indicatorsBySlug(slugs: string[]): Promise<Map<string, { id: number } & PlausibilityIndicator>>;
  indicatorOwner(id: number): Promise<number | null>;
  locks(): Promise<PeriodLockRecord[]>;
  /** The values signed-off quarters' reports printed for these indicators (signed_off_value with a version). */
  printedValues(indicatorIds: number[]): Promise<{ quarterKey: string; indicatorId: number; periodKey: string }[]>;
  targets(indicatorIds: number[]): Promise<StoredTarget[]>;
  upsertTargets(rows: NewTarget[], at: Date): Promise<void>;
  latestValues(indicatorIds: number[]): Promise<StoredValue[]>;
  /**
   * Every active indicator whose unit is one of these (compared trimmed, in lower case), with the
   * latest value of its latest period: what the plausibility check compares a value of an indicator
   * with too little history with (similar indicators).
   */
  sameUnitIndicators(units: string[]): Promise<UnitIndicator[]>;
  /** The values in `replaced` stop being the latest; `rows` become it. */
  addValues(replaced: number[], rows: NewValue[], by: { source: string; actorId: number | null; actorLabel: string; at: Date }): Promise<void>;
  exceptionReport(indicatorId: number, periodKey: string): Promise<{ id: number; questions: unknown; answers: unknown; state: string } | null>;
  /** A new version of the report's questions, answers and state. */
  updateExceptionReport(id: number, data: { questions: string[]; answers: string[]; state: RegisterState; approvedValue?: number | null }): Promise<void>;
  createExceptionReport(data: {
    indicatorId: number;
    periodKey: string;
    questions: string[];
    answers: string[];
    state: RegisterState;
    authorId: number | null;
    submittedAt?: Date;
    reviewedAt?: Date;
    approvedValue?: number | null;
  }): Promise<void>;
  /** Subscribe a channel unless it already is for the scope; true when subscribed now. */
  subscribeIfAbsent(s: { platform: string; channelId: string; themeId: number | null; indicatorId: number | null; scope: string; createdById: number | null }): Promise<boolean>;
  audit(entries: AuditEntry[]): Promise<void>;
}

type RegisterState = Register['exceptionReports'][number]['state'];

/** Runs the work in one transaction; rolls back when it throws. */
export type RegisterTransaction = <T>(work: (tx: RegisterTx) => Promise<T>) => Promise<T>;

class DryRunRollback extends Error {
  constructor(readonly summary: WriteSummary) {
    super('dry run: rolled back');
  }
}

/** Register rows per round of reads and writes. */
const CHUNK = 1000;

export async function writeRegister(transaction: RegisterTransaction, reg: Register, opts: WriteOptions): Promise<WriteSummary> {
  const fy = opts.fyStartMonth ?? 4;
  const summary = emptySummary();
  try {
    return await transaction(async (tx) => {
      if (reg.organisation) await writeOrganisation(tx, reg.organisation, summary);
      if (Object.keys(reg.settings).length) await writeSettings(tx, reg.settings, summary, opts.at);
      const personAudits: AuditEntry[] = [];
      const personIds = await writePeople(tx, reg, summary, opts.at, personAudits);
      const themeIds = await writeThemes(tx, reg, personIds, summary);
      const today = localDateOf(opts.at, (await tx.organisation())?.timeZone ?? DEFAULT_ORG.timeZone);
      const ctx: WriteContext = { tx, fy, today, opts, summary, locks: await tx.locks(), lockedViolations: [], lockedAudits: [], unusual: [] };
      const total = reg.indicators.length + reg.values.length;
      let done = 0;

      for (let i = 0; i < reg.indicators.length; i += CHUNK) {
        const chunk = reg.indicators.slice(i, i + CHUNK);
        for (const ind of chunk) if (ind.theme && !themeIds.has(ind.theme)) await ensureTheme(tx, ind.theme, summary, themeIds);
        const ids = await writeIndicators(tx, chunk, themeIds, personIds, opts.at, summary);
        // A row that left fields out is checked as the register now holds it (its unit may not be in the file).
        const stored = chunk.some((ind) => ind.given) ? await tx.indicatorsBySlug(chunk.map((ind) => ind.slug)) : null;
        await writeValues(ctx, chunk.map((ind, k) => ({ indicatorId: ids[k]!, slug: ind.slug, spec: (ind.given && stored?.get(ind.slug)) || ind, targets: ind.targets, observations: ind.observations })));
        opts.onProgress?.((done += chunk.length), total);
      }
      for (let i = 0; i < reg.values.length; i += CHUNK) {
        const chunk = reg.values.slice(i, i + CHUNK);
        const found = await tx.indicatorsBySlug(chunk.map((v) => v.slug));
        const unknown = chunk.filter((v) => !found.has(v.slug)).map((v) => v.slug);
        if (unknown.length) throw new ValidationError(`No indicator with the short name ${[...new Set(unknown)].slice(0, 10).join(', ')}: add it to the register first. Nothing was written.`);
        await writeValues(ctx, chunk.map((v) => ({ indicatorId: found.get(v.slug)!.id, slug: v.slug, spec: found.get(v.slug)!, targets: v.targets, observations: v.observations })));
        opts.onProgress?.((done += chunk.length), total);
      }
      if (ctx.lockedViolations.length) throw new LockedPeriodError(ctx.lockedViolations, ctx.unusual);
      if (ctx.unusual.length && !opts.acceptOutliers) throw new UnusualValuesError(ctx.unusual);
      summary.unusualValues = ctx.unusual;
      await writeExceptionReports(tx, reg, summary, opts.at);
      await writeSubscriptions(tx, reg, themeIds, summary, opts.actorId);
      if (reg.actions.length) await writeActions(tx, reg, themeIds, personIds, summary, opts);
      if (reg.risks.length) await writeRisks(tx, reg, themeIds, personIds, summary, opts);

      const by = { at: opts.at, actorId: opts.actorId, actorLabel: opts.actorLabel };
      const audits: AuditEntry[] = personAudits.map((a) => ({ ...a, ...by, details: { ...(a.details as object), source: opts.source } }));
      if (changedAnything(summary)) audits.push({ ...by, action: 'register.import', entity: 'register', entityId: opts.source, details: summary });
      for (const a of ctx.lockedAudits) {
        audits.push({ ...by, action: 'observation.correct-locked', entity: 'observation', entityId: `${a.indicatorId}:${a.periodKey}`, details: { ...a, source: opts.source, reason: opts.lockedPeriodReason ?? null } });
      }
      if (audits.length) await tx.audit(audits);
      if (opts.dryRun) throw new DryRunRollback(summary);
      return summary;
    });
  } catch (e) {
    if (e instanceof DryRunRollback) return e.summary;
    throw e;
  }
}

interface WriteContext {
  tx: RegisterTx;
  fy: number;
  /** The day the values are given, in the organisation's time zone (a year still running is held by a sign-off). */
  today: LocalDate;
  opts: WriteOptions;
  summary: WriteSummary;
  locks: PeriodLockRecord[];
  lockedViolations: { slug: string; periodKey: string; lockKey: string }[];
  lockedAudits: { indicatorId: number; slug: string; periodKey: string; lock: string; version: number; value: number; previous: number | null }[];
  /** New or changed values the plausibility check asks about. */
  unusual: UnusualValue[];
}

async function writeOrganisation(tx: RegisterTx, o: NonNullable<Register['organisation']>, summary: WriteSummary) {
  const cur = await tx.organisation();
  const base = cur ?? { ...DEFAULT_ORG, exceptionQuestions: TRAFFORD_QUESTIONS };
  const next: OrgSettings = {
    ...base,
    name: o.name,
    tolerance: { kind: o.toleranceKind ?? base.tolerance.kind, value: o.toleranceValue ?? base.tolerance.value },
    exceptionQuestions: o.exceptionQuestions ?? base.exceptionQuestions,
  };
  if (!cur) {
    await tx.saveOrganisation(next);
    summary.organisation.created++;
  } else if (JSON.stringify(orgData(next)) !== JSON.stringify(orgData(cur))) {
    await tx.saveOrganisation(next);
    summary.organisation.updated++;
  }
}

/** A Settings sheet: each setting read the same way as `/kpi settings` reads it; all or nothing. */
async function writeSettings(tx: RegisterTx, settings: Record<string, string>, summary: WriteSummary, at: Date) {
  let next = (await tx.organisation()) ?? DEFAULT_ORG;
  const today = localDateOf(at, next.timeZone);
  const before = JSON.stringify(orgData(next));
  const problems: string[] = [];
  for (const [name, value] of Object.entries(settings)) {
    const def = findSetting(name);
    const r = def ? settingPatch(def, value, next, today) : { ok: false as const, error: 'not a setting' };
    if (r.ok) next = { ...next, ...r.patch };
    else problems.push(`${name}: ${r.error}`);
  }
  if (problems.length) throw new ValidationError(`The Settings sheet has problems: ${problems.join('; ')}. Nothing was written.`);
  if (JSON.stringify(orgData(next)) === before) return;
  await tx.saveOrganisation(next);
  summary.organisation.updated++;
}

async function writePeople(tx: RegisterTx, reg: Register, summary: WriteSummary, at: Date, audits: AuditEntry[]): Promise<Map<string, number>> {
  const emails = [
    ...reg.people.flatMap((p) => [p.email, p.previousEmail]),
    ...reg.indicators.flatMap((i) => [i.ownerEmail, i.deputyEmail]),
    ...reg.themes.map((t) => t.directorEmail),
    ...reg.people.map((p) => p.deputyEmail),
    ...reg.actions.flatMap((a) => [a.ownerEmail, a.deputyEmail]),
    ...reg.risks.flatMap((r) => [r.ownerEmail, r.deputyEmail]),
  ].filter((e): e is string => Boolean(e));
  const found = await tx.peopleByEmail([...new Set(emails)]);
  const ids = new Map(found.map((p) => [p.email, p.id]));
  const byEmail = new Map(found.map((p) => [p.email, p]));
  for (const p of reg.people) {
    const data = { displayName: p.displayName, role: p.role, ...(p.absentUntil === undefined ? {} : { absentUntil: p.absentUntil }) };
    let existing = byEmail.get(p.email);
    let id: number;
    let changed = false;
    const previous = p.previousEmail && p.previousEmail !== p.email ? byEmail.get(p.previousEmail) : undefined;
    if (previous && existing && previous.id !== existing.id) {
      throw new ValidationError(`${p.previousEmail} and ${p.email} are two people in the register (${previous.displayName}, ${existing.displayName}): merge them (people merge ${p.previousEmail} ${p.email}) rather than changing an address. Nothing was written.`);
    }
    if (previous && !existing) {
      // A changed address: the same person (their indicators, links and history), not a new one.
      await tx.updatePerson(previous.id, { email: p.email });
      await tx.forgetLookups(previous.id);
      summary.emailChanges.push({ name: p.displayName, from: previous.email, to: p.email });
      audits.push({ at, actorId: null, actorLabel: '', action: 'person.edit', entity: 'person', entityId: String(previous.id), details: { person: { id: previous.id, name: previous.displayName, email: previous.email }, changes: { email: { from: previous.email, to: p.email } } } });
      existing = { ...previous, email: p.email };
      byEmail.delete(previous.email);
      byEmail.set(p.email, existing);
      ids.set(p.email, previous.id);
      changed = true;
    }
    if (!existing) {
      id = await tx.createPerson({ ...data, email: p.email });
      ids.set(p.email, id);
      summary.people.created++;
    } else {
      id = existing.id;
      if (existing.displayName !== data.displayName || existing.role !== data.role || (p.absentUntil !== undefined && existing.absentUntil !== p.absentUntil)) {
        await tx.updatePerson(id, data);
        changed = true;
      }
    }
    // A platform id in the file is kept unconfirmed until its platform says it is this person's.
    for (const [platform, userId] of Object.entries(p.identities)) {
      if (existing?.identities.some((i) => i.platform === platform && i.platformUserId === userId)) continue;
      if (await tx.linkFromSheet(id, platform, userId, at)) changed = true;
    }
    if (changed && existing) summary.people.updated++;
  }
  for (const p of reg.people) {
    if (!p.deputyEmail) continue;
    const deputyId = ids.get(p.deputyEmail);
    const id = ids.get(p.email)!;
    if (deputyId !== undefined && byEmail.get(p.email)?.deputyId !== deputyId) {
      await tx.updatePerson(id, { deputyId });
      if (byEmail.has(p.email)) summary.people.updated++;
    }
  }
  return ids;
}

async function writeThemes(tx: RegisterTx, reg: Register, personIds: Map<string, number>, summary: WriteSummary): Promise<Map<string, number>> {
  const found = await tx.themes();
  const ids = new Map(found.map((t) => [t.name, t.id]));
  for (const t of reg.themes) {
    const directorId = t.directorEmail ? (personIds.get(t.directorEmail) ?? null) : null;
    const existing = found.find((f) => f.name === t.name || f.slug === t.slug);
    const data = { name: t.name, slug: t.slug, kind: t.kind, directorId };
    if (!existing) {
      ids.set(t.name, await tx.createTheme(data));
      summary.themes.created++;
    } else {
      ids.set(t.name, existing.id);
      if (existing.slug !== t.slug || existing.kind !== t.kind || existing.directorId !== directorId || existing.name !== t.name) {
        await tx.updateTheme(existing.id, data);
        summary.themes.updated++;
      }
    }
  }
  return ids;
}

/** A theme named only on an indicator row: create it with a slug from its name. */
async function ensureTheme(tx: RegisterTx, name: string, summary: WriteSummary, ids: Map<string, number>): Promise<number> {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'theme';
  let slug = base;
  for (let n = 2; await tx.themeSlugTaken(slug); n++) slug = `${base}-${n}`;
  const id = await tx.createTheme({ name, slug, kind: 'theme', directorId: null });
  ids.set(name, id);
  summary.themes.created++;
  return id;
}

const str = (v: number | boolean | string | null | undefined): string | null => (v === null || v === undefined ? null : String(v));

/** An indicator's fields, with its theme and people as ids: from a register row, or as a store keeps it. */
export type IndicatorFields = Pick<
  IndicatorRecord,
  'ref' | 'slug' | 'name' | 'definition' | 'themeId' | 'ownerId' | 'deputyId' | 'unit' | 'polarity' | 'frequency' | 'reportingLagDays' | 'aggregation' | 'tolerance' | 'dotBasis' | 'maintainedBand' | 'decimals' | 'isKey' | 'active'
> & { baseline: IndicatorRecord['baseline'] | null; formula?: string | null };

/** The indicator columns as text. */
export function indicatorColumns(i: IndicatorFields): IndicatorColumns {
  return {
    ref: i.ref,
    slug: i.slug,
    name: i.name,
    definition: i.definition,
    theme_id: str(i.themeId),
    owner_id: str(i.ownerId),
    deputy_id: str(i.deputyId),
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
    formula: i.formula ?? null,
  };
}

/** Two text forms of a column compare equal (numbers by value: "5.500000" is 5.5). */
function sameCell(col: (typeof INDICATOR_COLUMNS)[number], a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  if (col === 'tolerance_value' || col === 'maintained_band' || col === 'baseline_value') return Number(a) === Number(b);
  return a === b;
}

/** The columns each optional field is written to. */
const FIELD_COLUMNS: Record<OptionalIndicatorField, (typeof INDICATOR_COLUMNS)[number][]> = {
  ref: ['ref'],
  definition: ['definition'],
  theme: ['theme_id'],
  ownerEmail: ['owner_id'],
  deputyEmail: ['deputy_id'],
  unit: ['unit'],
  reportingLagDays: ['reporting_lag_days'],
  aggregation: ['aggregation'],
  tolerance: ['tolerance_kind', 'tolerance_value'],
  dotBasis: ['dot_basis'],
  maintainedBand: ['maintained_band_kind', 'maintained_band'],
  decimals: ['decimals'],
  isKey: ['is_key'],
  active: ['active'],
  baseline: ['baseline_value', 'baseline_period', 'baseline_text'],
  formula: ['formula'],
};

/** An existing indicator keeps the fields its row did not give (a partial sheet changes only what it holds). */
function keepNotGiven(row: IndicatorColumns, found: IndicatorColumns, given: readonly OptionalIndicatorField[]): void {
  for (const field of OPTIONAL_INDICATOR_FIELDS) {
    if (given.includes(field)) continue;
    for (const c of FIELD_COLUMNS[field]) row[c] = found[c];
  }
}

/** Insert new indicators and update changed ones; returns the id of each, in order. */
async function writeIndicators(
  tx: RegisterTx,
  chunk: RegisterIndicator[],
  themeIds: Map<string, number>,
  personIds: Map<string, number>,
  at: Date,
  summary: WriteSummary,
): Promise<number[]> {
  const existing = await tx.indicatorColumns(
    chunk.map((i) => i.slug),
    chunk.map((i) => i.ref).filter((r): r is string => r !== null),
  );
  const bySlug = new Map(existing.map((e) => [e.slug!, e]));
  const byRef = new Map(existing.filter((e) => e.ref !== null).map((e) => [e.ref!, e]));
  const ids: (number | null)[] = [];
  const inserts: IndicatorColumns[] = [];
  const updates: (IndicatorColumns & { id: number })[] = [];
  const clashes: string[] = [];
  for (const ind of chunk) {
    const row = indicatorColumns({
      ...ind,
      themeId: ind.theme ? (themeIds.get(ind.theme) ?? null) : null,
      ownerId: ind.ownerEmail ? (personIds.get(ind.ownerEmail) ?? null) : null,
      deputyId: ind.deputyEmail ? (personIds.get(ind.deputyEmail) ?? null) : null,
    });
    const found = bySlug.get(ind.slug) ?? (ind.ref ? byRef.get(ind.ref) : undefined);
    if (found && ind.given) keepNotGiven(row, found, ind.given);
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
  if (updates.length) await tx.updateIndicators(updates, at);
  if (!inserts.length) return ids as number[];
  const created = await tx.insertIndicators(inserts, at);
  summary.indicators.created += created.size;
  return chunk.map((ind, k) => ids[k] ?? created.get(ind.slug)!);
}

/** Alert channel columns: each named channel subscribed to its theme or indicator (an existing subscription is left as it is). */
async function writeSubscriptions(tx: RegisterTx, reg: Register, themeIds: Map<string, number>, summary: WriteSummary, actorId: number | null) {
  const wanted: { platform: string; channelId: string; themeId: number | null; indicatorId: number | null }[] = [];
  for (const t of reg.themes) for (const c of t.alertChannels) wanted.push({ ...c, themeId: themeIds.get(t.name) ?? null, indicatorId: null });
  const withChannels = reg.indicators.filter((i) => i.alertChannels.length);
  const ids = withChannels.length ? await indicatorIdsBySlug(tx, withChannels.map((i) => i.slug)) : new Map<string, number>();
  for (const i of withChannels) for (const c of i.alertChannels) wanted.push({ ...c, themeId: null, indicatorId: ids.get(i.slug) ?? null });
  for (const w of wanted) {
    if (w.themeId === null && w.indicatorId === null) continue;
    if (await tx.subscribeIfAbsent({ ...w, scope: subscriptionScope(w), createdById: actorId })) summary.subscriptions.created++;
    else summary.subscriptions.unchanged++;
  }
}

/**
 * An Actions sheet: each action created or changed by ref (a field its sheet has no column for keeps
 * what the register has), then its progress updates, each a new version only when it says something new.
 */
async function writeActions(tx: RegisterTx, reg: Register, themeIds: Map<string, number>, personIds: Map<string, number>, summary: WriteSummary, opts: WriteOptions): Promise<void> {
  for (const a of reg.actions) if (a.theme && !themeIds.has(a.theme)) await ensureTheme(tx, a.theme, summary, themeIds);
  const indicatorIds = await indicatorIdsBySlug(tx, [...new Set(reg.actions.flatMap((a) => a.indicators))]);
  const unknown = [...new Set(reg.actions.flatMap((a) => a.indicators).filter((s) => !indicatorIds.has(s)))];
  if (unknown.length) throw new ValidationError(`No indicator with the short name ${unknown.slice(0, 10).join(', ')}: an action can only address indicators in the register. Nothing was written.`);
  const stored = new Map((await tx.actions.list()).map((a) => [a.ref, a]));
  const person = (email: string | null) => (email ? (personIds.get(email) ?? null) : null);
  const fields: ActionFields[] = reg.actions.map((a) => {
    const found = stored.get(a.ref);
    const keep = (f: OptionalActionField) => found !== undefined && a.given !== undefined && !a.given.includes(f);
    return {
      ref: a.ref,
      kind: keep('kind') ? found!.kind : a.kind,
      title: a.title,
      description: keep('description') ? found!.description : a.description,
      themeId: keep('theme') ? found!.themeId : a.theme ? themeIds.get(a.theme)! : null,
      ownerId: keep('ownerEmail') ? found!.ownerId : person(a.ownerEmail),
      deputyId: keep('deputyEmail') ? found!.deputyId : person(a.deputyEmail),
      start: keep('start') ? found!.start : a.start,
      due: a.due,
      originalDue: keep('originalDue') ? null : a.originalDue,
      ...(keep('rephaseReason') ? {} : { rephaseReason: a.rephaseReason }),
      isKey: keep('isKey') ? found!.isKey : a.isKey,
      active: keep('active') ? found!.active : a.active,
      indicatorIds: keep('indicators') ? found!.indicatorIds : a.indicators.map((s) => indicatorIds.get(s)!),
    };
  });
  const written = await tx.actions.upsert(fields, opts.at);
  summary.actions.created += written.created;
  summary.actions.updated += written.updated;
  summary.actions.unchanged += written.unchanged;
  const by = { at: opts.at, actorId: opts.actorId, actorLabel: opts.actorLabel };
  // Progress for a signed-off quarter is as its report printed it: only with a performance admin's reason (audited with it).
  const locks = await tx.locks();
  if (locks.length && !opts.lockedPeriodReason) {
    const fy = (await tx.organisation())?.fyStartMonth ?? DEFAULT_ORG.fyStartMonth;
    const storedUpdates = await tx.actions.updates([...written.ids.values()]);
    const news: { slug: string; periodKey: string; lockKey: string }[] = [];
    for (const a of reg.actions) {
      for (const u of a.updates) {
        const q = periodFromKey(u.periodKey, fy);
        const lock = locks.find((l) => l.periodStart <= q.start && l.periodEnd >= q.end);
        if (!lock) continue;
        // Only an update that says something new would change what the report printed.
        const current = storedUpdates.find((x) => x.actionId === written.ids.get(a.ref) && x.periodKey === u.periodKey);
        if (!current || !sameUpdate(current, { ...u, actionId: current.actionId, authorId: null, source: '', at: opts.at })) news.push({ slug: `action ${a.ref}`, periodKey: u.periodKey, lockKey: lock.periodKey });
      }
    }
    if (news.length) throw new LockedPeriodError(news);
  }
  for (const a of reg.actions) {
    for (const u of a.updates) {
      const r = await tx.actions.saveUpdate({ actionId: written.ids.get(a.ref)!, ...u, authorId: opts.actorId, source: opts.source, at: opts.at }, by);
      if (r.created) summary.actionUpdates.created++;
      else summary.actionUpdates.unchanged++;
    }
  }
}

/**
 * A Risks sheet: each risk created or changed by ref, then its reviews — a review already kept (the same
 * day, likelihood, impact and commentary) is no change; a new one dated in a signed-off quarter needs an
 * admin's reason, as values do. Likelihoods and impacts must be on the organisation's scale.
 */
async function writeRisks(tx: RegisterTx, reg: Register, themeIds: Map<string, number>, personIds: Map<string, number>, summary: WriteSummary, opts: WriteOptions): Promise<void> {
  for (const r of reg.risks) if (r.theme && !themeIds.has(r.theme)) await ensureTheme(tx, r.theme, summary, themeIds);
  const scale = (await tx.organisation())?.riskScale ?? 5;
  const off = reg.risks.flatMap((r) =>
    ([['inherent', r.inherent], ['target', r.target], ...r.reviews.map((v) => [`review of ${v.reviewedOn}`, v])] as [string, { likelihood: number; impact: number } | null][])
      .filter(([, a]) => a && (a.likelihood > scale || a.impact > scale))
      .map(([what, a]) => `${r.ref} ${what} ${a!.likelihood}×${a!.impact}`),
  );
  if (off.length) throw new ValidationError(`Likelihood and impact are scored 1–${scale} (the risk-scale setting): ${off.slice(0, 10).join('; ')}${off.length > 10 ? ` and ${off.length - 10} more` : ''}. Nothing was written.`);
  const indicatorIds = await indicatorIdsBySlug(tx, [...new Set(reg.risks.flatMap((r) => r.indicators))]);
  const unknown = [...new Set(reg.risks.flatMap((r) => r.indicators).filter((s) => !indicatorIds.has(s)))];
  if (unknown.length) throw new ValidationError(`No indicator with the short name ${unknown.slice(0, 10).join(', ')}: a risk can only be watched by indicators in the register. Nothing was written.`);
  const actionIds = new Map((await tx.actions.list()).map((a) => [a.ref.toLowerCase(), a.id]));
  const noAction = [...new Set(reg.risks.flatMap((r) => r.actions).filter((ref) => !actionIds.has(ref.toLowerCase())))];
  if (noAction.length) throw new ValidationError(`No action with the ref ${noAction.slice(0, 10).join(', ')}: a risk's mitigating actions must be in the register (an Actions sheet). Nothing was written.`);
  const person = (email: string | null) => (email ? (personIds.get(email) ?? null) : null);
  // A sheet without a column leaves that field as the register has it.
  const stored = new Map((await tx.risks.list()).map((x) => [x.ref, x]));
  const fields: RiskFields[] = reg.risks.map((r) => keepUngiven(r, stored.get(r.ref), {
    ref: r.ref,
    title: r.title,
    description: r.description,
    themeId: r.theme ? themeIds.get(r.theme)! : null,
    ownerId: person(r.ownerEmail),
    deputyId: person(r.deputyEmail),
    controls: r.controls,
    inherent: r.inherent,
    target: r.target,
    reviewMonths: r.reviewMonths,
    active: r.active,
    actionIds: [...new Set(r.actions.map((ref) => actionIds.get(ref.toLowerCase())!))],
    indicatorIds: [...new Set(r.indicators.map((s) => indicatorIds.get(s)!))],
  }),
  );
  const written = await tx.risks.upsert(fields, opts.at);
  summary.risks.created += written.created;
  summary.risks.updated += written.updated;
  summary.risks.unchanged += written.unchanged;
  const storedReviews = await tx.risks.reviews([...written.ids.values()]);
  const kept = (riskId: number, v: RegisterRisk['reviews'][number]) => storedReviews.some((s) => s.riskId === riskId && s.reviewedOn === v.reviewedOn && s.likelihood === v.likelihood && s.impact === v.impact && s.commentary === v.commentary);
  const news = reg.risks.flatMap((r) => [...r.reviews].sort((a, b) => (a.reviewedOn < b.reviewedOn ? -1 : a.reviewedOn > b.reviewedOn ? 1 : 0)).map((v) => ({ r, v, riskId: written.ids.get(r.ref)! })));
  const fresh = news.filter((n) => !kept(n.riskId, n.v));
  summary.riskReviews.unchanged += news.length - fresh.length;
  const locks = await tx.locks();
  if (locks.length && !opts.lockedPeriodReason) {
    const held = fresh.flatMap(({ r, v }) => {
      const lock = locks.find((l) => l.periodStart <= v.reviewedOn && l.periodEnd >= v.reviewedOn);
      return lock ? [{ slug: `risk ${r.ref}`, periodKey: v.reviewedOn, lockKey: lock.periodKey }] : [];
    });
    if (held.length) throw new LockedPeriodError(held);
  }
  const by = { at: opts.at, actorId: opts.actorId, actorLabel: opts.actorLabel };
  for (const { v, riskId } of fresh) {
    const saved = await tx.risks.saveReview({ riskId, ...v, authorId: opts.actorId, source: opts.source, at: opts.at }, by);
    if (saved.created) summary.riskReviews.created++;
    else summary.riskReviews.unchanged++;
  }
}

/** A risk's fields, those the sheet did not give (no column) kept as the register has them. */
function keepUngiven(r: RegisterRisk, was: RiskRecord | undefined, fields: RiskFields): RiskFields {
  if (!was || !r.given) return fields;
  const given = new Set<OptionalRiskField>(r.given);
  const keep = <K extends keyof RiskFields>(field: OptionalRiskField, key: K, value: RiskFields[K]) => (given.has(field) ? {} : { [key]: value });
  return {
    ...fields,
    ...keep('description', 'description', was.description),
    ...keep('theme', 'themeId', was.themeId),
    ...keep('ownerEmail', 'ownerId', was.ownerId),
    ...keep('deputyEmail', 'deputyId', was.deputyId),
    ...keep('controls', 'controls', was.controls),
    ...keep('inherent', 'inherent', was.inherent),
    ...keep('target', 'target', was.target),
    ...keep('reviewMonths', 'reviewMonths', was.reviewMonths),
    ...keep('active', 'active', was.active),
    ...keep('actions', 'actionIds', was.actionIds),
    ...keep('indicators', 'indicatorIds', was.indicatorIds),
  };
}

async function indicatorIdsBySlug(tx: RegisterTx, slugs: string[]): Promise<Map<string, number>> {
  return new Map([...(await tx.indicatorsBySlug(slugs))].map(([slug, i]) => [slug, i.id]));
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
  const existing = new Map((await tx.targets(ids)).map((t) => [`${t.indicatorId}|${t.periodKey}`, t]));
  // The last target given for a period wins (a file naming a period twice).
  const rows = new Map<string, NewTarget & { isNew: boolean }>();
  for (const item of items) {
    for (const t of item.targets) {
      const p = periodFromKey(t.periodKey, fy);
      const k = `${item.indicatorId}|${p.key}`;
      const cur = existing.get(k);
      if (cur && cur.value === t.value && cur.amberFloor === t.amberFloor && cur.text === t.text) {
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
  if (list.length) await tx.upsertTargets(list.map(({ isNew: _n, ...r }) => r), opts.at);
}

async function writeObservations(ctx: WriteContext, items: ValuesFor[]): Promise<void> {
  const { tx, fy, summary, opts, locks } = ctx;
  const ids = items.filter((i) => i.observations.length).map((i) => i.indicatorId);
  if (!ids.length) return;
  const latest = new Map((await tx.latestValues(ids)).map((o) => [`${o.indicatorId}|${o.periodKey}`, o]));
  const rows = new Map<string, { indicatorId: number; slug: string; key: string; start: string; end: string; o: RegisterObservation; cur: StoredValue | undefined }>();
  let total = 0;
  for (const item of items) {
    for (const o of item.observations) {
      total++;
      const p = periodFromKey(o.periodKey, fy);
      const k = `${item.indicatorId}|${p.key}`;
      const cur = latest.get(k);
      if (cur && cur.value === o.value && cur.estimated === o.estimated && cur.provisional === o.provisional && (cur.note ?? null) === o.note && (cur.assessedStatus ?? null) === o.assessedStatus) {
        rows.delete(k);
        continue;
      }
      rows.set(k, { indicatorId: item.indicatorId, slug: item.slug, key: p.key, start: p.start, end: p.end, o, cur });
    }
  }
  const list = [...rows.values()];
  summary.observations.unchanged += total - list.length;
  if (!list.length) return;
  await checkValues(ctx, items, list, latest);
  // The sign-off rule of every other way in (src/repo/rules.ts): a signed-off quarter's months, and the years its report covers.
  const printed = locks.length ? await tx.printedValues([...new Set(list.map((r) => r.indicatorId))]) : [];
  for (const r of list) {
    if (!locks.length) break;
    const printedIn = printed.filter((p) => p.indicatorId === r.indicatorId && p.periodKey === r.key).map((p) => p.quarterKey);
    const lock = signOffHold(locks, printedIn, periodFromKey(r.key, fy), ctx.today, fy);
    if (!lock) continue;
    if (!opts.lockedPeriodReason) ctx.lockedViolations.push({ slug: r.slug, periodKey: r.key, lockKey: lock.periodKey });
    else {
      summary.lockedPeriodValues++;
      ctx.lockedAudits.push({ indicatorId: r.indicatorId, slug: r.slug, periodKey: r.key, lock: lock.periodKey, version: (r.cur?.version ?? 0) + 1, value: r.o.value, previous: r.cur ? r.cur.value : null });
    }
  }
  if (ctx.lockedViolations.length) return;
  const replaced = list.filter((r) => r.cur).map((r) => r.cur!.id);
  summary.observations.corrected += replaced.length;
  summary.observations.created += list.length - replaced.length;
  await tx.addValues(
    replaced,
    list.map((r) => ({ indicatorId: r.indicatorId, key: r.key, start: r.start, end: r.end, version: (r.cur?.version ?? 0) + 1, o: r.o, reason: r.cur ? (opts.lockedPeriodReason ?? `re-imported from ${opts.source}`) : null })),
    { source: opts.source, actorId: opts.actorId, actorLabel: opts.actorLabel, at: opts.at },
  );
}

/**
 * The plausibility check of every new or changed value: judged against the indicator's values as
 * they will stand (the store's, with the file's in their place), so a file of history is checked
 * against itself; with too few of them, against the period's target, the value it replaces and
 * similar indicators (the same unit and frequency). Values nothing could be checked against are
 * counted (summary.uncheckedValues), not asked about.
 */
async function checkValues(
  ctx: WriteContext,
  items: ValuesFor[],
  changed: { indicatorId: number; slug: string; key: string; o: RegisterObservation; cur: StoredValue | undefined }[],
  latest: Map<string, StoredValue>,
): Promise<void> {
  const { fy } = ctx;
  const series = new Map<number, Map<string, number>>();
  for (const l of latest.values()) {
    const m = series.get(l.indicatorId) ?? new Map<string, number>();
    m.set(l.periodKey, l.value);
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
  const { known, targetsOf } = lazyKnown(ctx, items, series);
  for (const r of changed) {
    const spec = specs.get(r.indicatorId)!;
    let history = histories.get(r.indicatorId);
    if (!history) {
      history = [...series.get(r.indicatorId)!].map(([key, value]) => ({ period: periodFromKey(key, fy), value }));
      histories.set(r.indicatorId, history);
    }
    // As the engine reads it: a percentage registered as a snapshot may be a percentage to date (council
    // tax collected), read from its targets and its other values (not the one being judged), and judged by its pace.
    const aggregation =
      spec.aggregation === 'snapshot' && isPercentUnit(spec.unit)
        ? readAggregation({ aggregation: spec.aggregation, unit: spec.unit, observations: history.filter((x) => x.period.key !== r.key), targets: await targetsOf(r.indicatorId), fyStartMonth: fy }).aggregation
        : spec.aggregation;
    const indicator = { ...spec, aggregation, slug: r.slug };
    const period = periodFromKey(r.key, fy);
    const input: PlausibilityInput = { indicator, period, value: r.o.value, history, fyStartMonth: fy };
    if (!hasHistoryReference(input)) input.known = { ...(await known(r.indicatorId, period, aggregation)), replaces: r.cur?.value ?? null };
    const verdict = checkPlausibility(input);
    if (verdict.kind === 'ask') ctx.unusual.push({ slug: r.slug, periodKey: r.key, value: r.o.value, note: plausibilityNote(verdict, indicator) });
    else if (verdict.kind === 'unchecked') ctx.summary.uncheckedValues.push({ slug: r.slug, periodKey: r.key });
  }
}

/** The target and similar indicators of an indicator, read once per chunk and only when some value needs them. */
function lazyKnown(ctx: WriteContext, items: ValuesFor[], series: Map<number, Map<string, number>>) {
  const { tx, fy } = ctx;
  const byId = new Map(items.map((i) => [i.indicatorId, i]));
  let read: Promise<{ targets: Map<number, TargetPoint[]>; byUnit: Map<string, (UnitIndicator & { value: number | null })[]> }> | null = null;
  const load = async () => {
    const targets = new Map<number, TargetPoint[]>();
    for (const t of await tx.targets(items.map((i) => i.indicatorId))) {
      targets.set(t.indicatorId, [...(targets.get(t.indicatorId) ?? []), { period: periodFromKey(t.periodKey, fy), value: t.value, amberFloor: t.amberFloor, text: t.text }]);
    }
    const byUnit = new Map<string, (UnitIndicator & { value: number | null })[]>();
    for (const u of await tx.sameUnitIndicators([...new Set(items.map((i) => unitKey(i.spec.unit)))])) {
      byUnit.set(unitKey(u.unit), [...(byUnit.get(unitKey(u.unit)) ?? []), { ...u, value: latestOf(u) }]);
    }
    return { targets, byUnit };
  };
  /** The latest value of an indicator: the file's and the store's together for one in this chunk. */
  const latestOf = (u: UnitIndicator): number | null => {
    const m = series.get(u.id);
    if (!m?.size) return u.latest?.value ?? null;
    let best: { period: ReturnType<typeof periodFromKey>; value: number } | null = null;
    for (const [key, value] of m) {
      const period = periodFromKey(key, fy);
      if (!best || comparePeriods(period, best.period) > 0) best = { period, value };
    }
    return best!.value;
  };
  const siblings = new Map<number, Sibling[]>();
  const siblingsOf = (indicatorId: number, family: (UnitIndicator & { value: number | null })[]): Sibling[] => {
    const self = family.find((u) => u.id === indicatorId);
    if (!self) return [];
    const alike = family.filter((u) => u.id !== indicatorId && u.value !== null && u.frequency === self.frequency && !accumulates(u.aggregation as Aggregation));
    return nearestSiblings(alike.map((u) => ({ slug: u.slug, value: u.value!, sameTheme: u.themeId !== null && u.themeId === self.themeId })));
  };
  return {
    known: async (indicatorId: number, period: ReturnType<typeof periodFromKey>, aggregation: Aggregation): Promise<{ target: number | null; siblings: Sibling[] }> => {
      const { targets, byUnit } = await (read ??= load());
      const item = byId.get(indicatorId)!;
      const target = referenceTarget(period, aggregation, targets.get(indicatorId) ?? [], fy);
      let mine = siblings.get(indicatorId);
      if (!mine) siblings.set(indicatorId, (mine = siblingsOf(indicatorId, byUnit.get(unitKey(item.spec.unit)) ?? [])));
      return { target, siblings: mine };
    },
    /** The indicator's targets, as stored with the file's. */
    targetsOf: async (indicatorId: number): Promise<TargetPoint[]> => (await (read ??= load())).targets.get(indicatorId) ?? [],
  };
}

async function writeExceptionReports(tx: RegisterTx, reg: Register, summary: WriteSummary, at: Date): Promise<void> {
  if (!reg.exceptionReports.length) return;
  const ids = await indicatorIdsBySlug(tx, reg.exceptionReports.map((e) => e.slug));
  for (const er of reg.exceptionReports) {
    const indicatorId = ids.get(er.slug);
    if (indicatorId === undefined) throw new ValidationError(`An exception report names "${er.slug}", which is not in the register. Nothing was written.`);
    const cur = await tx.exceptionReport(indicatorId, er.periodKey);
    if (cur && JSON.stringify(cur.questions) === JSON.stringify(er.questions) && JSON.stringify(cur.answers) === JSON.stringify(er.answers) && cur.state === er.state) {
      summary.exceptionReports.unchanged++;
      continue;
    }
    // An approved report is approved for the value its period has now (src/services/exception-states.ts: a change of it needs an update).
    const approvedValue = er.state === 'approved' ? ((await tx.latestValues([indicatorId])).find((v) => v.periodKey === er.periodKey)?.value ?? null) : null;
    const data = { questions: er.questions, answers: er.answers, state: er.state, approvedValue };
    if (cur) {
      await tx.updateExceptionReport(cur.id, data);
      summary.exceptionReports.updated++;
    } else {
      const done = er.state === 'submitted' || er.state === 'approved';
      await tx.createExceptionReport({ indicatorId, periodKey: er.periodKey, ...data, authorId: await tx.indicatorOwner(indicatorId), ...(done ? { submittedAt: at } : {}), ...(er.state === 'approved' ? { reviewedAt: at } : {}) });
      summary.exceptionReports.created++;
    }
  }
}
