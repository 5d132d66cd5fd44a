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
import { fixtureFileSchema } from './fixture-format.ts';
import { fixtureToRegister } from '../register/from-fixture.ts';
import { LockedPeriodError, UnusualValuesError, registerSchema, type Register, type RegisterInput, type UnusualValue, type WriteSummary } from '../register/types.ts';
import { readCsv, readXlsx } from './tables.ts';
import { findTable } from './headings.ts';
import { tablesToRegister, type CellOrigin, type ImportIssue, type KnownRegister, type UnknownPerson } from './register-table.ts';

export type ImportFormat = 'csv' | 'xlsx' | 'json';

export interface ImportFile {
  name: string;
  bytes: Uint8Array;
}

/** Files larger than this are refused before reading (a register of 100,000 rows is well under it). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** The one answer for a file over the limit, whichever way it came in. */
export function fileTooLarge(name: string, maxBytes: number = MAX_IMPORT_BYTES): ValidationError {
  return new ValidationError(`${name} is over ${Math.round(maxBytes / 2 ** 20)} MB, the most I import.`);
}

export function importFormat(file: ImportFile): ImportFormat {
  const ext = path.extname(file.name).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx' || ext === '.xlsm') return 'xlsx';
  if (ext === '.json') return 'json';
  if (ext === '.xls' || ext === '.ods' || ext === '.numbers') {
    throw new ValidationError(`${file.name} is a ${ext.slice(1).toUpperCase()} file: save it as an Excel Workbook (.xlsx) or as CSV, then import that.`);
  }
  // No telling extension: look at the bytes (an XLSX file is a ZIP archive).
  const b = file.bytes;
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'xlsx';
  const head = Buffer.from(b.subarray(0, 64)).toString('utf8').trimStart();
  if (head.startsWith('{')) return 'json';
  return 'csv';
}

export interface ParsedImport {
  format: ImportFormat;
  /** The register to write: null when anything in the file is wrong. */
  register: Register | null;
  /** What of the file could be read (its rows without problems), to look for every other problem in the same round. */
  readable: Register | null;
  /** Where each value was given (`slug|periodKey|actual`), for problems found after reading. */
  valueAt: Map<string, CellOrigin>;
  issues: ImportIssue[];
  warnings: string[];
  unknownPeople: UnknownPerson[];
  rows: { indicators: number; values: number; people: number; themes?: number; settings?: number; actions?: number };
}

export async function knownRegister(repo: Pick<Repository, 'people' | 'indicators' | 'themes'>): Promise<KnownRegister> {
  const [people, indicators, themes] = await Promise.all([repo.people(), repo.indicators({ activeOnly: false }), repo.themes()]);
  return { people, indicators, themes };
}

/** Read and validate a file into a register; nothing is written. */
export async function parseImportFile(file: ImportFile, known: KnownRegister, opts: { fyStartMonth?: number } = {}): Promise<ParsedImport> {
  if (file.bytes.length === 0) throw new ValidationError(`${file.name} is empty.`);
  if (file.bytes.length > MAX_IMPORT_BYTES) throw fileTooLarge(file.name);
  const format = importFormat(file);
  let input: RegisterInput;
  let mapped: Omit<ParsedImport, 'format' | 'register' | 'readable'>;
  /** Where indicator i of the register came from, for problems found by the final check. */
  let origin: (i: number) => Pick<ImportIssue, 'sheet' | 'row'>;
  if (format === 'json') {
    const r = parseFixture(file);
    if ('issues' in r) return { format, register: null, readable: null, valueAt: new Map(), issues: r.issues, warnings: [], unknownPeople: [], rows: { indicators: 0, values: 0, people: 0 } };
    input = r.input;
    mapped = { issues: [], warnings: r.notes, unknownPeople: [], rows: { indicators: input.indicators?.length ?? 0, values: 0, people: 0 }, valueAt: new Map() };
    origin = (i) => ({ sheet: file.name, row: i + 1 });
  } else {
    const base = path.basename(file.name);
    const sheets = format === 'csv' ? readCsv(file.bytes, base) : await readXlsx(file.bytes, base);
    if (!sheets.length) throw new ValidationError(`${file.name} has no rows.`);
    const tables = sheets.map((s) => findTable(s, opts.fyStartMonth ?? 4));
    const t = tablesToRegister(tables, known, opts);
    input = t.register;
    mapped = { issues: t.issues, warnings: t.warnings, unknownPeople: t.unknownPeople, rows: t.rows, valueAt: t.valueAt };
    origin = (i) => t.origins[i] ?? { sheet: null, row: null };
  }
  // The one check every format goes through (also catches anything the readers let by).
  const parsed = registerSchema.safeParse(input);
  const issues = [...mapped.issues];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [section, index, ...rest] = issue.path;
      const o = section === 'indicators' && typeof index === 'number' ? origin(index) : { sheet: null, row: null };
      const name = section === 'indicators' && typeof index === 'number' ? (input.indicators?.[index]?.slug ?? input.indicators?.[index]?.name) : undefined;
      issues.push({ ...o, column: [name ? `${name}:` : '', ...rest.map(String)].join(' ').trim() || String(section ?? ''), message: issue.message });
    }
  }
  const readable = parsed.success ? parsed.data : null;
  return { format, register: readable && !issues.length ? readable : null, readable, ...mapped, issues };
}

function parseFixture(file: ImportFile): { input: RegisterInput; notes: string[] } | { issues: ImportIssue[] } {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(file.bytes).toString('utf8'));
  } catch (e) {
    return { issues: [{ sheet: file.name, row: null, column: null, message: `expected JSON: ${(e as Error).message}` }] };
  }
  const parsed = fixtureFileSchema.safeParse(json);
  if (!parsed.success) {
    return {
      issues: parsed.error.issues.map((i) => {
        const [section, index, ...rest] = i.path;
        const isRow = section === 'indicators' && typeof index === 'number';
        return { sheet: file.name, row: isRow ? index + 1 : null, column: (isRow ? rest : i.path).map(String).join('.') || null, message: i.message };
      }),
    };
  }
  const mapped = fixtureToRegister(parsed.data);
  return { input: mapped.register, notes: mapped.notes };
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
  const parsed = await parseImportFile(file, await knownRegister(repo), { fyStartMonth: org.fyStartMonth });
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
