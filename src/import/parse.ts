// Reading and validating an import file into a register, with nothing written: the part of an
// import that runs on the import thread (off-thread.ts). CSV and XLSX are read as streams within the
// limits (limits.ts); the fixture JSON is parsed whole (it is under the file-size limit).
import path from 'node:path';
import { ValidationError } from '../errors.ts';
import { fixtureFileSchema } from './fixture-format.ts';
import { fixtureToRegister } from '../register/from-fixture.ts';
import { registerSchema, type Register, type RegisterInput } from '../register/types.ts';
import { readCsv, readXlsx } from './tables.ts';
import { fileTooLarge, IMPORT_LIMITS, type ImportLimits } from './limits.ts';
import { findTable } from './headings.ts';
import { tablesToRegister, type CellOrigin, type ImportIssue, type KnownRegister, type UnknownPerson } from './register-table.ts';

export type ImportFormat = 'csv' | 'xlsx' | 'json';

export interface ImportFile {
  name: string;
  bytes: Uint8Array;
}

/** Files larger than this are refused before reading (a register of 100,000 rows is well under it). */
export const MAX_IMPORT_BYTES = IMPORT_LIMITS.fileBytes;

export { fileTooLarge };

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
  rows: { indicators: number; values: number; people: number; themes?: number; settings?: number; actions?: number; risks?: number };
}

/** Read and validate a file into a register; nothing is written. */
export async function parseImportFile(file: ImportFile, known: KnownRegister, opts: { fyStartMonth?: number; limits?: ImportLimits } = {}): Promise<ParsedImport> {
  const limits = opts.limits ?? IMPORT_LIMITS;
  if (file.bytes.length === 0) throw new ValidationError(`${file.name} is empty.`);
  if (file.bytes.length > limits.fileBytes) throw fileTooLarge(file.name, limits.fileBytes);
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
    const read = format === 'csv' ? await readCsv(file.bytes, base, limits) : await readXlsx(file.bytes, base, limits);
    if (!read.sheets.length) throw new ValidationError(`${file.name} has no rows.`);
    const tables = read.sheets.map((s) => findTable(s, opts.fyStartMonth ?? 4));
    const t = tablesToRegister(tables, known, opts);
    input = t.register;
    mapped = { issues: t.issues, warnings: [...read.notes, ...t.warnings], unknownPeople: t.unknownPeople, rows: t.rows, valueAt: t.valueAt };
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


/** What the import thread is given (parse-worker.ts). */
export interface ParseJob {
  name: string;
  bytes: Uint8Array;
  known: KnownRegister;
  opts: { fyStartMonth?: number; limits?: ImportLimits };
}

/** What it sends back: the file read, or why not (`user`: the person's answer; otherwise a bug). */
export type ParseReply = { ok: true; parsed: ParsedImport } | { ok: false; message: string; user: boolean; stack: string };
