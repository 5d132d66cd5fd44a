// Importing an indicator register from a file: CSV, XLSX or the published-report fixture JSON all
// become the same register (src/register/types.ts), are validated the same way, and are written in
// one transaction — or not at all when anything is wrong. Every problem of a file comes back in one
// answer: broken rows, values for periods not begun, values in signed-off periods and unusual values
// are all looked for, whichever is found first. Used by `kpi import` and `/kpi import`.
import path from 'node:path';
import type { Repository } from '../ports.ts';
import type { LocalDate } from '../domain/types.ts';
import { localDateOf } from '../domain/dates.ts';
import { periodFromKey } from '../domain/periods.ts';
import { notStartedError } from '../services/evaluation.ts';
import { PermissionError, ValidationError } from '../errors.ts';
import { LockedPeriodError, UnusualValuesError, type Register, type UnusualValue, type WriteSummary } from '../register/types.ts';
import { fileTooLarge, IMPORT_LIMITS, type ImportLimits, type ImportReadOn } from './limits.ts';
import type { CellOrigin, ImportIssue, KnownRegister } from './register-table.ts';
import { parseImportFile, type ImportFile, type ParsedImport } from './parse.ts';
import { parseOffThread } from './off-thread.ts';

export { importFormat, parseImportFile, type ImportFile, type ImportFormat, type ParsedImport } from './parse.ts';

/** Files larger than this are refused before reading (a register of 100,000 rows is well under it). */
export const MAX_IMPORT_BYTES = IMPORT_LIMITS.fileBytes;

export { fileTooLarge };

export async function knownRegister(repo: Pick<Repository, 'people' | 'indicators' | 'themes' | 'actions' | 'org'>): Promise<KnownRegister> {
  const [people, indicators, themes, actions, org] = await Promise.all([repo.people(), repo.indicators({ activeOnly: false }), repo.themes(), repo.actions.list(), repo.org()]);
  // Only what reading needs: it is sent to the import thread.
  return {
    people: people.map((p) => ({ id: p.id, email: p.email, displayName: p.displayName, identities: { ...p.identities }, ...(p.unconfirmed ? { unconfirmed: { ...p.unconfirmed } } : {}), ...(p.active !== undefined ? { active: p.active } : {}), ...(p.successorId !== undefined ? { successorId: p.successorId } : {}) })),
    indicators: indicators.map((i) => ({ id: i.id, slug: i.slug, ref: i.ref, unit: i.unit, frequency: i.frequency, ownerId: i.ownerId, deputyId: i.deputyId, formula: i.formula })),
    themes: themes.map((t) => ({ name: t.name, slug: t.slug })),
    actions: actions.map((a) => a.ref),
    riskScale: org.riskScale ?? 5,
  };
}

/** Why the period cannot take a value yet (it has not begun by `today`); null when it can, or is no period key (the register check reports that). */
function notBegun(periodKey: string, today: LocalDate, fyStartMonth: number): string | null {
  try {
    return notStartedError(periodFromKey(periodKey, fyStartMonth), today);
  } catch {
    return null;
  }
}

/**
 * One issue per value or exception report whose period starts after `today`, with the message the
 * bot uses everywhere, at the cell it came from when `valueAt` knows it.
 */
export function notStartedRows(register: Register, today: LocalDate, fyStartMonth: number, valueAt: Map<string, CellOrigin> = new Map()): ImportIssue[] {
  const issues: ImportIssue[] = [];
  const check = (slug: string, periodKey: string, value?: number) => {
    const message = notBegun(periodKey, today, fyStartMonth);
    if (!message) return;
    const at = value === undefined ? undefined : valueAt.get(`${slug}|${periodKey}|actual`);
    issues.push(at ? { ...at, message: `${slug}: ${message}`, got: String(value) } : { sheet: null, row: null, column: `${slug} ${periodKey}`, message });
  };
  for (const ind of register.indicators) for (const o of ind.observations) check(ind.slug, o.periodKey, o.value);
  for (const v of register.values) for (const o of v.observations) check(v.slug, o.periodKey, o.value);
  for (const r of register.exceptionReports) check(r.slug, r.periodKey);
  return issues;
}

/** The register without its values and exception reports for periods not begun (already listed as problems). */
function begunOnly(register: Register, today: LocalDate, fyStartMonth: number): Register {
  const keep = <T extends { periodKey: string }>(xs: T[]) => xs.filter((x) => !notBegun(x.periodKey, today, fyStartMonth));
  return {
    ...register,
    indicators: register.indicators.map((i) => ({ ...i, observations: keep(i.observations) })),
    values: register.values.map((v) => ({ ...v, observations: keep(v.observations) })),
    exceptionReports: keep(register.exceptionReports),
  };
}

export interface ImportActor {
  personId: number | null;
  /** <platform>:<user id>, cli, cli:priya@council.gov.uk */
  label: string;
  isAdmin: boolean;
}

export interface ImportOptions {
  dryRun: boolean;
  /** Why values in signed-off periods change (performance admins only). */
  reason: string | null;
  actor: ImportActor;
  at: Date;
  /** Write values the plausibility check asks about (--accept-outliers, the form's tick). */
  acceptOutliers?: boolean;
  /** Progress of the write: register rows done of all. */
  onProgress?: (done: number, total: number) => void;
  /** How much of a file is read (default IMPORT_LIMITS). */
  limits?: ImportLimits;
  /** Where the file is read and checked: on the import thread (default), or on this one (tests of the reading alone). */
  readOn?: ImportReadOn;
}

export interface ImportOutcome extends ParsedImport {
  file: string;
  dryRun: boolean;
  /** What was written (or, in a dry run, would be). Null when the file was refused. */
  summary: WriteSummary | null;
  /** Values refused because they fall in signed-off periods and no reason was given. */
  locked: { slug: string; periodKey: string; lockKey: string }[];
  /** Values the plausibility check asks about: refused without acceptOutliers, written (and listed) with it. */
  unusual: UnusualValue[];
  /** Whether unusual values were accepted. */
  acceptOutliers: boolean;
}

export async function importFile(repo: Repository, file: ImportFile, opts: ImportOptions): Promise<ImportOutcome> {
  if (opts.reason !== null && !opts.actor.isAdmin) {
    throw new PermissionError('Only a performance admin can change values in signed-off periods: name yourself as one (--by <email>) to give a reason.');
  }
  const org = await repo.org();
  const limits = opts.limits ?? IMPORT_LIMITS;
  if (file.bytes.length > limits.fileBytes) throw fileTooLarge(file.name, limits.fileBytes);
  const known = await knownRegister(repo);
  const readOpts = { fyStartMonth: org.fyStartMonth, limits };
  const parsed =
    opts.readOn === 'this-thread' ? await parseImportFile(file, known, readOpts) : await parseOffThread({ name: file.name, bytes: file.bytes, known, opts: readOpts });
  const acceptOutliers = Boolean(opts.acceptOutliers);
  const today = localDateOf(opts.at, org.timeZone);
  // Values (and exception reports) for periods that have not begun are refused, as everywhere else; targets may be set ahead.
  const future = parsed.readable ? notStartedRows(parsed.readable, today, org.fyStartMonth, parsed.valueAt) : [];
  const issues = [...parsed.issues, ...future];
  const base: ImportOutcome = { ...parsed, issues, register: issues.length ? null : parsed.register, file: file.name, dryRun: opts.dryRun, summary: null, locked: [], unusual: [], acceptOutliers };
  // A file with problems is not written, but what could be read of it is still tried (and rolled
  // back), so values in signed-off periods and unusual values are listed in the same answer.
  const register = base.register ?? (parsed.readable && begunOnly(parsed.readable, today, org.fyStartMonth));
  if (!register) return base;
  try {
    const summary = await repo.writeRegister(register, {
      source: `import:${path.basename(file.name)}`,
      at: opts.at,
      actorId: opts.actor.personId,
      actorLabel: opts.actor.label,
      fyStartMonth: org.fyStartMonth,
      dryRun: opts.dryRun || !base.register,
      acceptOutliers,
      ...(opts.reason ? { lockedPeriodReason: opts.reason } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    return base.register ? { ...base, summary, unusual: summary.unusualValues } : { ...base, unusual: summary.unusualValues };
  } catch (e) {
    if (e instanceof LockedPeriodError) return { ...base, locked: e.items, unusual: e.unusual };
    if (e instanceof UnusualValuesError) return { ...base, unusual: e.items };
    if (e instanceof ValidationError) return { ...base, issues: [...base.issues, { sheet: null, row: null, column: null, message: e.message }] };
    throw e;
  }
}
