// Spreadsheet tables (CSV or XLSX sheets) → the register. Five kinds of sheet, told apart by their
// headings (headings.ts; docs/performance-team.md, "Import", has the full column mapping):
//   Indicators — one row per indicator, with "Target <period>" and "Actual <period>" columns;
//   Values     — one row per indicator and period (historic values and targets);
//   People     — owners, deputies, directors and admins;
//   Themes     — each theme's director and the channels that get its alerts;
//   Settings   — the organisation's settings, one per row (as `/kpi settings` names them);
//   Actions    — actions and milestones with their quarter's progress (action-rows.ts);
//   Risks      — the risk register with each risk's current review (risk-rows.ts).
// One reader per kind of sheet, in the order they depend on each other (people first: indicator and
// theme rows name them). Every row is validated with zod; a problem names the sheet, row, column and
// what was expected.
import { z } from 'zod';
import { printedDecimals } from '../domain/format.ts';
import { formatPeriod, FREQUENCY_WORDS, KIND_WORDS, parsePeriodLabel, periodKindFor } from '../domain/periods.ts';
import type { Frequency, Period } from '../domain/types.ts';
import { indicatorSlug, slugify } from '../register/from-fixture.ts';
import type { OptionalIndicatorField, RegisterAction, RegisterInput, RegisterIndicator, RegisterRisk } from '../register/types.ts';
import { readActions } from './action-rows.ts';
import { readRisks } from './risk-rows.ts';
import {
  AGGREGATION,
  FREQUENCY,
  POLARITY,
  ROLE,
  cellString,
  choice,
  email,
  normalise,
  optionalText,
  readTargetCell,
  readValueCell,
  requiredText,
  tolerance,
  wholeNumber,
  yesNo,
  absentUntil,
  alertChannels,
  type NoValue,
} from './cells.ts';
import { findSetting, SETTINGS } from '../services/settings.ts';
import { dotBasisCell, maintainedBandCell } from '../services/direction-settings.ts';
import { IDENTITY_COLUMNS, identityField, INDICATOR_COLUMNS, kindOf, layoutNotes, matchColumns, PEOPLE_COLUMNS, periodColumn, SETTINGS_COLUMNS, THEME_COLUMNS, VALUE_COLUMNS, warnUnused, type Columns, type SheetKind } from './headings.ts';
import type { Table, TableRow } from './tables.ts';
import { parseRow, type ImportIssue } from './rows.ts';
import { matchPersonRow, sheetIds, type KnownPerson } from './people-rows.ts';
import { readFormulas, type FormulaCells } from './formulas.ts';

export { periodColumn } from './headings.ts';

export type { ImportIssue } from './rows.ts';

/** What the register already holds: indicators are matched by slug or reference, people by email, platform user id or name. */
export interface KnownRegister {
  people: KnownPerson[];
  indicators: { id: number; slug: string; ref: string | null; unit: string; frequency: Frequency; ownerId: number | null; deputyId: number | null; formula?: string | null }[];
  themes: { name: string; slug: string }[];
  /** The refs of the register's actions (a risk's mitigating actions name them). */
  actions?: string[];
  /** The top of the register's likelihood and impact scale (5 unless set). */
  riskScale?: number;
}

/** Where a cell is: sheet, row and column heading. */
export interface CellOrigin {
  sheet: string;
  row: number;
  column: string | null;
}

export interface UnknownPerson {
  who: string;
  /** e.g. "owner of sickness-absence (Indicators row 7)". */
  where: string[];
}

export interface TableMapping {
  register: RegisterInput;
  issues: ImportIssue[];
  warnings: string[];
  unknownPeople: UnknownPerson[];
  /** Data rows read, by kind of sheet. */
  rows: { indicators: number; values: number; people: number; themes?: number; settings?: number; actions?: number; risks?: number };
  /** Where each indicator of the register came from. */
  origins: { sheet: string; row: number }[];
  /** Where each value was given: `slug|periodKey|actual` (or `target`) → its cell. */
  valueAt: Map<string, CellOrigin>;
}

type KnownIndicator = KnownRegister['indicators'][number];
type Draft = Required<Pick<RegisterInput, 'people' | 'themes' | 'values'>> & { indicators: RegisterIndicator[]; actions?: RegisterAction[]; risks?: RegisterRisk[] };

/** What every sheet reader adds to as it goes. */
interface Reading {
  fy: number;
  known: KnownRegister;
  register: Draft;
  issues: ImportIssue[];
  warnings: string[];
  rows: Required<TableMapping['rows']>;
  origins: TableMapping['origins'];
  /** `slug|period|actual` (or `target`) → where it was given: one of each per indicator and period. */
  valueKeys: Map<string, CellOrigin>;
  /** Cells read as no value ("M", "N/A", "Refer comment", "-", empty), for the import's answer. */
  noValues: NoValueCell[];
  /** Register people whose address this file changes: old e-mail → new (rows elsewhere may still name the old one). */
  renamed: Map<string, string>;
  /** Register people a People row of this file is. */
  claimed: Set<number>;
  /** The Formula (or Numerator / Denominator) cells of indicator rows, read once every indicator is known. */
  formulas: FormulaCells[];
}

/** A value or target cell read as no value, and why. */
interface NoValueCell extends NoValue {
  sheet: string;
  row: number;
  what: 'value' | 'target';
  /** "sickness-absence 2017/18 Q3". */
  of: string;
  /** The row's note, when it has one ("Refer comment" points at it). */
  note: string | null;
}

/** A person's email for a name, email or platform user id on a row; undefined (and noted) when nobody matches. */
type ResolvePerson = (who: string, role: string) => string | undefined;

interface FilePerson {
  email: string;
  identities: Partial<Record<string, string>>;
  displayName: string;
}

const where = (sheet: string, row: number, column?: string | null) => `${sheet} row ${row}${column ? `, column ${column}` : ''}`;
const whereAt = (o: CellOrigin) => where(o.sheet, o.row, o.column);

/** Period kinds an indicator of this frequency takes values and targets for. */
function acceptsPeriod(frequency: Frequency, p: Period, what: 'target' | 'actual'): boolean {
  const own = periodKindFor(frequency);
  if (p.kind === own) return true;
  // Annual targets for monthly and quarterly indicators (profiled or pro-rata in the engine).
  return what === 'target' && p.kind === 'financial_year' && (own === 'month' || own === 'quarter');
}

/** A heading the sheet must have, else an issue against the heading row. */
function requireColumns<T>(t: Table, cols: Columns<T>, wanted: readonly (readonly [keyof T & string, string])[], sheetName: string, r: Reading, article = 'a'): void {
  for (const [key, label] of wanted) {
    if (cols[key] === undefined) r.issues.push({ sheet: t.sheet, row: t.headerRow, column: label, message: `expected ${article} "${label}" column in ${sheetName}` });
  }
}

export function tablesToRegister(tables: Table[], known: KnownRegister, opts: { fyStartMonth?: number } = {}): TableMapping {
  const r: Reading = {
    fy: opts.fyStartMonth ?? 4,
    known,
    register: { people: [], themes: [], indicators: [], values: [] },
    issues: [],
    warnings: [],
    rows: { indicators: 0, values: 0, people: 0, themes: 0, settings: 0, actions: 0, risks: 0 },
    origins: [],
    valueKeys: new Map(),
    noValues: [],
    renamed: new Map(),
    claimed: new Set(),
    formulas: [],
  };
  const byKind = sortSheets(tables, r);
  const filePeople = readPeople(byKind.people, r);
  const { resolve, unknown } = personResolver(filePeople, r);
  const settings = readSettings(byKind.settings, r);
  const sheetThemes = readThemes(byKind.themes, r, resolve);
  const index = readIndicators(byKind.indicators, r, resolve);
  addThemeDirectors(index.themeDirectors, sheetThemes, r);
  r.register.values = readValues(byKind.values, r, index);
  const indicatorSlug = (id: string) => {
    const key = id.trim().toLowerCase();
    if (index.fileBySlug.has(key) || index.knownBySlug.has(key)) return key;
    const ref = [...index.fileBySlug.values()].find((f) => f.ind.ref?.toLowerCase() === key) ?? null;
    return ref?.ind.slug ?? index.knownByRef.get(key)?.slug ?? null;
  };
  readFormulas(r.formulas, {
    issues: r.issues,
    indicatorSlug,
    inFile: (slug) => index.fileBySlug.get(slug)?.ind ?? null,
    known: (slug) => index.knownBySlug.get(slug) ?? null,
    valueKeys: r.valueKeys,
  });
  r.register.actions = readActions(byKind.actions, { fy: r.fy, issues: r.issues, warnings: r.warnings, count: () => r.rows.actions++, resolve, indicatorSlug });
  // A risk's mitigating actions: this file's (as its Actions sheet writes them) or the register's.
  const actionRefs = new Map([...(known.actions ?? []), ...r.register.actions.map((a) => a.ref)].map((ref) => [ref.trim().toLowerCase(), ref]));
  r.register.risks = readRisks(byKind.risks, {
    scale: riskScaleOf(settings) ?? known.riskScale ?? 5,
    issues: r.issues,
    warnings: r.warnings,
    count: () => r.rows.risks++,
    resolve,
    indicatorSlug,
    actionRef: (ref) => actionRefs.get(ref.trim().toLowerCase()) ?? null,
  });
  return {
    register: Object.keys(settings).length ? { ...r.register, settings } : r.register,
    issues: r.issues,
    warnings: [...r.warnings, ...noValueNotes(r.noValues)],
    unknownPeople: [...unknown].map(([who, w]) => ({ who, where: w })),
    rows: r.rows,
    origins: r.origins,
    valueAt: r.valueKeys,
  };
}

/** The risk scale a Settings sheet of this file sets; null when it sets none. */
function riskScaleOf(settings: Record<string, string>): number | null {
  const value = settings['risk-scale'];
  const read = value === undefined ? null : findSetting('risk-scale')!.read(value);
  return read?.ok ? (read.patch.riskScale ?? null) : null;
}

/** How many places each line of the answer names before "and N more". */
const NAMED = 5;

/**
 * The cells read as no value, one line per sheet and reason, for the import's answer (the register
 * keeps no reason for a missing value: a period without one shows as "In measurement"):
 * `Indicators: "M" read as no value (in measurement) for sickness-absence 2017/18 Q3 (row 5).`
 */
function noValueNotes(cells: NoValueCell[]): string[] {
  const groups = new Map<string, NoValueCell[]>();
  for (const c of cells) {
    const k = `${c.sheet}|${c.what}|${c.reason}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  return [...groups.values()].map((g) => {
    const { sheet, what, reason } = g[0]!;
    const words = [...new Set(g.map((c) => c.word))];
    const said = reason === 'empty' ? 'rows with neither an actual nor a target' : words.map((w) => `"${w}"`).join(', ');
    const meaning = what === 'target' ? 'no target' : `no value${reason === 'empty' ? '' : ` (${reason})`}`;
    const places = g.slice(0, NAMED).map((c) => `${c.of} (row ${c.row}${c.note ? `: "${c.note.length > 60 ? `${c.note.slice(0, 57)}…` : c.note}"` : ''})`);
    const more = g.length > NAMED ? ` and ${g.length - NAMED} more` : '';
    return `${sheet}: ${said} read as ${meaning} for ${places.join(', ')}${more}.`;
  });
}

/** Each table by its kind; a table of no kind is an issue (the only table) or skipped with a warning. */
function sortSheets(tables: Table[], r: Reading): Record<SheetKind, Table[]> {
  const byKind: Record<SheetKind, Table[]> = { indicators: [], values: [], people: [], themes: [], settings: [], actions: [], risks: [] };
  for (const t of tables) {
    const k = kindOf(t);
    if (!k) {
      if (tables.length === 1) {
        r.issues.push({
          sheet: t.sheet, row: t.headerRow, column: null,
          message: 'expected the headings of an indicator register (Name, Polarity, Frequency, …), a values table (Indicator, Period, Actual, …), a people list (Name, Email, …), a themes list (Theme, Director, Alert channel), settings (Setting, Value), actions (Ref, Action, Due) or risks (Ref, Risk, Likelihood, Impact) — see docs/performance-team.md, "Import"',
        });
      } else r.warnings.push(`Sheet "${t.sheet}" was skipped: its headings are not those of indicators, values, people, themes, settings, actions or risks.`);
      continue;
    }
    r.warnings.push(...layoutNotes(t));
    const dupes = t.header.map(normalise).filter((h, i, all) => h && all.indexOf(h) !== i);
    for (const d of new Set(dupes)) r.issues.push({ sheet: t.sheet, row: t.headerRow, column: d, message: 'expected each heading once; this one appears twice' });
    byKind[k].push(t);
  }
  return byKind;
}

// ---------------------------------------------------------------- people

const PERSON_ROW = z.object({
  name: requiredText('the person’s name'),
  email: email.refine((e) => e !== null, 'expected an email address; the cell is empty'),
  previousEmail: optionalText.transform((s, ctx) => {
    if (s === null) return null;
    if (/^new$/i.test(s.trim())) return 'new';
    if (!z.email().safeParse(s.trim()).success) {
      ctx.addIssue({ code: 'custom', message: 'expected the e-mail address the register has for this person now (or "new" for a new person)' });
      return z.NEVER;
    }
    return s.trim().toLowerCase();
  }),
  role: choice(ROLE, 'officer, director or admin', 'officer'),
  ...Object.fromEntries(IDENTITY_COLUMNS.map((c) => [identityField(c.platform), optionalText.refine((s) => s === null || c.pattern.test(s), c.invalid)])),
  deputyEmail: email,
  absentUntil: absentUntil(),
});

/**
 * People sheets → the register's people; the people of this file by email, for the other sheets to
 * name. Each row is matched to the register person it is (src/import/people-rows.ts): an address
 * that changed is that person's, not a new one.
 */
function readPeople(tables: Table[], r: Reading): Map<string, FilePerson> {
  const filePeople = new Map<string, FilePerson>();
  const rows: { t: Table; row: TableRow; p: NonNullable<ReturnType<typeof parsePerson>>; emailCol: string }[] = [];
  for (const t of tables) {
    const { cols, used } = matchColumns(t.header, PEOPLE_COLUMNS);
    warnUnused(t, used, r.warnings);
    requireColumns(t, cols, [['name', 'Name'], ['email', 'Email']], 'the people sheet', r);
    if (cols.name === undefined || cols.email === undefined) continue;
    for (const row of t.rows) {
      r.rows.people++;
      const p = parsePerson(t, row, cols, r);
      if (p) rows.push({ t, row, p, emailCol: t.header[cols.email] ?? 'Email' });
    }
  }
  const inFile = new Set(rows.map((x) => x.p.email));
  const idsAt = new Map<string, string>();
  let unconfirmedIds = 0;
  for (const { t, row, p, emailCol } of rows) {
    const at = where(t.sheet, row.row);
    if (filePeople.has(p.email)) {
      r.issues.push({ sheet: t.sheet, row: row.row, column: emailCol, message: 'expected each person once; this email is on an earlier row', got: p.email });
      continue;
    }
    const m = matchPersonRow({ name: p.name, email: p.email, previousEmail: p.previousEmail, identities: p.identities }, r.known.people, inFile);
    if (m.kind === 'problem') {
      r.issues.push({ sheet: t.sheet, row: row.row, column: m.column === 'previousEmail' ? 'Previous email' : m.column === 'name' ? 'Name' : emailCol, message: m.message, got: m.column === 'previousEmail' ? (p.previousEmail ?? '') : m.column === 'name' ? p.name : p.email });
      continue;
    }
    if (m.kind === 'inactive') {
      r.warnings.push(`${at}: ${m.person.displayName} (${p.email}) is no longer active in the register (retired, or merged into someone else), so the row is skipped. To bring them back: kpi people edit ${p.email} --active yes.`);
      continue;
    }
    const self = m.kind === 'new' ? null : m.person;
    if (self) {
      if (r.claimed.has(self.id)) {
        r.issues.push({ sheet: t.sheet, row: row.row, column: emailCol, message: `expected each register person once; ${self.displayName} (${self.email}) is also an earlier row`, got: p.email });
        continue;
      }
      r.claimed.add(self.id);
    }
    if (m.kind === 'changed') {
      r.renamed.set(m.person.email!, p.email);
      if (m.note) r.warnings.push(`${at}: ${p.name} — ${m.note}.`);
    }
    const ids = sheetIds({ name: p.name, email: p.email, previousEmail: p.previousEmail, identities: p.identities }, self, r.known.people);
    for (const d of ids.dropped) r.warnings.push(`${at}: ${d}.`);
    const identities: Record<string, string> = {};
    for (const [platform, id] of Object.entries(ids.keep)) {
      const other = idsAt.get(`${platform}:${id}`);
      if (other) {
        r.issues.push({ sheet: t.sheet, row: row.row, column: IDENTITY_COLUMNS.find((c) => c.platform === platform)?.columns[0] ?? platform, message: `expected each user id once; it is also on ${other}`, got: id });
        continue;
      }
      idsAt.set(`${platform}:${id}`, at);
      identities[platform] = id;
      if (self?.identities[platform] !== id && self?.unconfirmed?.[platform] !== id) unconfirmedIds++;
    }
    filePeople.set(p.email, { email: p.email, identities, displayName: p.name });
    r.register.people.push({
      displayName: p.name,
      email: p.email,
      ...(m.kind === 'changed' ? { previousEmail: m.person.email! } : {}),
      role: p.role ?? 'officer',
      identities,
      ...(p.deputyEmail ? { deputyEmail: r.renamed.get(p.deputyEmail) ?? p.deputyEmail } : {}),
      ...(p.absentUntil !== undefined ? { absentUntil: p.absentUntil } : {}),
    });
  }
  // A deputy named by an address a later row changed.
  for (const person of r.register.people) if (person.deputyEmail) person.deputyEmail = r.renamed.get(person.deputyEmail) ?? person.deputyEmail;
  if (unconfirmedIds) {
    r.warnings.push(
      `${unconfirmedIds} chat user id${unconfirmedIds === 1 ? '' : 's'} from the People sheet ${unconfirmedIds === 1 ? 'is' : 'are'} used only once the platform confirms ${unconfirmedIds === 1 ? 'it belongs' : 'each belongs'} to the person's e-mail (at the first message to them, when they write, or with kpi people sync); until then people are found by e-mail.`,
    );
  }
  return filePeople;
}

/** One People row, its user ids normalised. */
function parsePerson(t: Table, row: TableRow, cols: Columns<typeof PEOPLE_COLUMNS>, r: Reading) {
  const p = parseRow(t, row, cols, PERSON_ROW, r.issues);
  if (!p) return null;
  const identities: Record<string, string> = Object.fromEntries(
    IDENTITY_COLUMNS.flatMap((c) => {
      const id = (p as Record<string, unknown>)[identityField(c.platform)];
      return typeof id === 'string' && id ? [[c.platform, c.normalise(id)]] : [];
    }),
  );
  return { name: p.name, email: p.email!, previousEmail: p.previousEmail, role: p.role, deputyEmail: p.deputyEmail, absentUntil: p.absentUntil, identities };
}

/**
 * People named on rows, by email, platform user id or (unique) name — this file's people first, then
 * the register's. A register person whose address this file changes is named by the new one; one
 * retired or merged, by whoever took over (and said so).
 */
function personResolver(filePeople: Map<string, FilePerson>, r: Reading): { resolve: ResolvePerson; unknown: Map<string, string[]> } {
  const unknown = new Map<string, string[]>();
  const known = r.known.people;
  const follow = (p: KnownPerson, w: string, role: string): string | undefined => {
    if (p.active !== false) return p.email ? (r.renamed.get(p.email) ?? p.email) : undefined;
    const next = p.successorId ? known.find((k) => k.id === p.successorId && k.active !== false) : undefined;
    if (next?.email) {
      r.warnings.push(`${role}: ${p.displayName} (${w}) is no longer active in the register; ${next.displayName} (${next.email}), who took over, is used instead.`);
      return r.renamed.get(next.email) ?? next.email;
    }
    r.warnings.push(`${role}: ${p.displayName} (${w}) is no longer active in the register, so it is left as it was.`);
    return undefined;
  };
  const resolve: ResolvePerson = (who, role) => {
    const w = who.trim();
    const lw = w.toLowerCase();
    // A platform's own user id (src/catalogue/<name>.ts says its form): whoever has it on that platform.
    const idOn = IDENTITY_COLUMNS.find((c) => c.pattern.test(w));
    let filed: FilePerson | undefined;
    let registered: KnownPerson | undefined;
    if (w.includes('@')) {
      filed = filePeople.get(r.renamed.get(lw) ?? lw);
      registered = filed ? undefined : known.find((p) => p.email?.toLowerCase() === lw);
    } else if (idOn) {
      const id = idOn.normalise(w);
      filed = [...filePeople.values()].find((p) => p.identities[idOn.platform] === id);
      registered = filed ? undefined : (known.find((p) => p.identities[idOn.platform] === id) ?? known.find((p) => p.unconfirmed?.[idOn.platform] === id));
    } else {
      const all = [...filePeople.values(), ...known.filter((p) => p.active !== false && !r.claimed.has(p.id) && (!p.email || !filePeople.has(p.email)))];
      const named = all.filter((p) => p.displayName.toLowerCase() === lw);
      if (named.length === 1) [filed, registered] = 'id' in named[0]! ? [undefined, named[0] as KnownPerson] : [named[0] as FilePerson, undefined];
    }
    if (filed) return filed.email;
    if (registered) {
      const e = follow(registered, w, role);
      if (e) return e;
      if (registered.active === false) return undefined;
    }
    unknown.set(w, [...(unknown.get(w) ?? []), role]);
    return undefined;
  };
  return { resolve, unknown };
}

// ---------------------------------------------------------------- settings

/** Settings sheets: one per row, read as `/kpi settings` reads them. */
function readSettings(tables: Table[], r: Reading): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const t of tables) {
    const { cols, used } = matchColumns(t.header, SETTINGS_COLUMNS);
    warnUnused(t, used, r.warnings);
    if (cols.setting === undefined || cols.value === undefined) {
      r.issues.push({ sheet: t.sheet, row: t.headerRow, column: cols.setting === undefined ? 'Setting' : 'Value', message: 'expected "Setting" and "Value" columns in the settings sheet' });
      continue;
    }
    for (const row of t.rows) {
      r.rows.settings++;
      const name = cellString(row.cells[cols.setting]);
      const value = cellString(row.cells[cols.value]);
      if (!name) continue;
      const def = findSetting(name);
      if (!def) {
        r.issues.push({ sheet: t.sheet, row: row.row, column: t.header[cols.setting]!, message: `expected a setting: ${SETTINGS.map((x) => x.name).join(', ')}`, got: name });
        continue;
      }
      const read = value === null ? { ok: false as const, error: `expected a value, e.g. ${def.example}` } : def.read(value);
      // A setting's error quotes the value for chat (`— got "soon"`); here the issue quotes the cell, once.
      if (!read.ok) r.issues.push({ sheet: t.sheet, row: row.row, column: t.header[cols.value]!, message: read.error.replace(/ — got ".*"\.?$/s, ''), ...(value ? { got: value } : {}) });
      else settings[def.name] = value!;
    }
  }
  return settings;
}

// ---------------------------------------------------------------- themes

const THEME_ROW = z.object({
  name: requiredText('the theme’s name'),
  slug: optionalText.transform((s) => s?.toLowerCase() ?? null).refine((s) => s === null || /^[a-z0-9][a-z0-9-]*$/.test(s), 'expected lower-case letters, digits and hyphens, e.g. housing-growth'),
  director: optionalText,
  alertChannel: alertChannels(),
});

/** Themes sheets: each theme's director and the channels its alerts go to. Returns where each theme was given. */
function readThemes(tables: Table[], r: Reading, resolve: ResolvePerson): Map<string, { at: string }> {
  const sheetThemes = new Map<string, { at: string }>();
  for (const t of tables) {
    const { cols, used } = matchColumns(t.header, THEME_COLUMNS);
    warnUnused(t, used, r.warnings);
    if (cols.name === undefined) {
      r.issues.push({ sheet: t.sheet, row: t.headerRow, column: 'Theme', message: 'expected a "Theme" column in the themes sheet' });
      continue;
    }
    for (const row of t.rows) {
      r.rows.themes++;
      const p = parseRow(t, row, cols, THEME_ROW, r.issues);
      if (!p) continue;
      const at = where(t.sheet, row.row);
      if (sheetThemes.has(p.name)) {
        r.issues.push({ sheet: t.sheet, row: row.row, column: t.header[cols.name]!, message: `expected each theme once; it is also on ${sheetThemes.get(p.name)!.at}`, got: p.name });
        continue;
      }
      sheetThemes.set(p.name, { at });
      const existing = r.known.themes.find((x) => x.name === p.name);
      const directorEmail = p.director ? resolve(p.director, `director of ${p.name} (${at})`) : undefined;
      r.register.themes.push({ name: p.name, slug: p.slug ?? existing?.slug ?? (slugify(p.name, 40) || 'theme'), kind: 'theme', ...(directorEmail ? { directorEmail } : {}), alertChannels: p.alertChannel });
    }
  }
  return sheetThemes;
}

/** Themes with a director named on indicator rows (existing themes keep their short names). */
function addThemeDirectors(themeDirectors: Map<string, { email: string; at: string }>, sheetThemes: Map<string, { at: string }>, r: Reading): void {
  for (const [name, d] of themeDirectors) {
    const fromSheet = r.register.themes.find((t) => t.name === name);
    if (fromSheet) {
      // The themes sheet names the director; indicator rows may only agree with it.
      if (fromSheet.directorEmail && fromSheet.directorEmail !== d.email) r.issues.push({ sheet: null, row: null, column: 'Director', message: `expected one director for ${name}: the themes sheet (${sheetThemes.get(name)!.at}) gives ${fromSheet.directorEmail}, ${d.at} gives ${d.email}` });
      else fromSheet.directorEmail ??= d.email;
      continue;
    }
    const existing = r.known.themes.find((t) => t.name === name);
    r.register.themes.push({ name, slug: existing?.slug ?? (slugify(name, 40) || 'theme'), kind: 'theme', directorEmail: d.email });
  }
}

// ---------------------------------------------------------------- indicators

const INDICATOR_ROW = z.object({
  ref: optionalText,
  slug: optionalText.transform((s) => s?.toLowerCase() ?? null).refine((s) => s === null || /^[a-z0-9][a-z0-9-]{1,62}$/.test(s), 'expected lower-case letters, digits and hyphens, e.g. sickness-absence'),
  name: requiredText('the indicator’s name'),
  definition: optionalText,
  theme: optionalText,
  owner: optionalText,
  deputy: optionalText,
  director: optionalText,
  unit: optionalText.transform((s) => s ?? 'number'),
  polarity: choice(POLARITY, 'higher, lower or none (also "higher is better", "lower is better")'),
  frequency: choice(FREQUENCY, 'monthly, quarterly, annual, academic year or calendar year (also M, Q, A)'),
  aggregation: choice(AGGREGATION, 'snapshot, cumulative, ytd, cumulative % or average', 'snapshot'),
  reportingLagDays: wholeNumber(0, 730, 0),
  tolerance,
  dotBasis: dotBasisCell,
  maintainedBand: maintainedBandCell,
  decimals: wholeNumber(0, 6, null),
  isKey: yesNo(false),
  active: yesNo(true),
  baseline: optionalText,
  baselinePeriod: optionalText,
  baselineOutturn: optionalText,
  alertChannel: alertChannels(),
  formula: optionalText,
  numerator: optionalText,
  denominator: optionalText,
  multiplier: optionalText,
});
type IndicatorRow = z.output<typeof INDICATOR_ROW>;

/** The indicators read so far and the register's, by short name and reference; the theme directors indicator rows name. */
interface IndicatorIndex {
  knownBySlug: Map<string, KnownIndicator>;
  knownByRef: Map<string, KnownIndicator>;
  fileBySlug: Map<string, { row: string; ind: RegisterIndicator }>;
  /** Lower-case reference → where it was given. */
  fileByRef: Map<string, string>;
  /** Lower-case reference or short name of an indicators row that could not be read → where it is. */
  unreadRows: Map<string, string>;
  usedSlugs: Set<string>;
  themeDirectors: Map<string, { email: string; at: string }>;
}

/** A "Target <period>" or "Actual <period>" column of an indicators sheet. */
interface PeriodCol {
  index: number;
  what: 'target' | 'actual';
  period: Period;
}

/** An indicators sheet as read: the table, its field columns and its period columns. */
interface IndicatorSheet {
  t: Table;
  cols: Columns<typeof INDICATOR_COLUMNS>;
  periodCols: PeriodCol[];
}

function readIndicators(tables: Table[], r: Reading, resolve: ResolvePerson): IndicatorIndex {
  const index: IndicatorIndex = {
    knownBySlug: new Map(r.known.indicators.map((i) => [i.slug, i])),
    knownByRef: new Map(r.known.indicators.filter((i) => i.ref).map((i) => [i.ref!.toLowerCase(), i])),
    fileBySlug: new Map(),
    fileByRef: new Map(),
    unreadRows: new Map(),
    usedSlugs: new Set(),
    themeDirectors: new Map(),
  };
  for (const t of tables) {
    const sheet = indicatorSheet(t, r);
    if (!sheet) continue;
    for (const row of t.rows) {
      r.rows.indicators++;
      readIndicatorRow(sheet, row, r, index, resolve);
    }
  }
  return index;
}

/** The columns of an indicators sheet, or null (with issues) when a required one is missing. */
function indicatorSheet(t: Table, r: Reading): IndicatorSheet | null {
  const { cols, used } = matchColumns(t.header, INDICATOR_COLUMNS);
  // A register without a Name column names indicators by their definition.
  if (cols.name === undefined && cols.definition !== undefined) {
    cols.name = cols.definition;
    delete cols.definition;
  }
  const periodCols: PeriodCol[] = [];
  t.header.forEach((h, i) => {
    if (used.has(i)) return;
    const pc = periodColumn(h, r.fy);
    if (!pc) return;
    used.add(i);
    if ('error' in pc) r.issues.push({ sheet: t.sheet, row: t.headerRow, column: h, message: `expected "${pc.what === 'target' ? 'Target' : 'Actual'} <period>": ${pc.error}` });
    else periodCols.push({ index: i, ...pc });
  });
  warnUnused(t, used, r.warnings);
  requireColumns(t, cols, [['name', 'Name'], ['polarity', 'Polarity'], ['frequency', 'Frequency']], 'the indicator register', r);
  if (cols.name === undefined || cols.polarity === undefined || cols.frequency === undefined) return null;
  return { t, cols, periodCols };
}

function readIndicatorRow(s: IndicatorSheet, row: TableRow, r: Reading, index: IndicatorIndex, resolve: ResolvePerson): void {
  const { t, cols } = s;
  const at = where(t.sheet, row.row);
  const p = parseRow(t, row, cols, INDICATOR_ROW, r.issues);
  if (!p) {
    // Still check the rest of the row, so one pass lists every problem in it.
    const cell = (k: keyof typeof cols) => (cols[k] === undefined ? null : cellString(row.cells[cols[k]!]));
    readPeriodCells(s, row, cell('unit') ?? 'number', FREQUENCY[normalise(cell('frequency') ?? '')] ?? null, null, r);
    const ref = cell('ref');
    if (ref && !index.fileByRef.has(ref.toLowerCase())) index.fileByRef.set(ref.toLowerCase(), at);
    // Its values on a Values sheet wait for this row to be put right (one problem, not one per value).
    for (const id of [ref, cell('slug')]) if (id && !index.unreadRows.has(id.trim().toLowerCase())) index.unreadRows.set(id.trim().toLowerCase(), at);
    return;
  }
  const slug = slugFor(p, index);
  const dupe = index.fileBySlug.get(slug);
  if (dupe) {
    r.issues.push({ sheet: t.sheet, row: row.row, column: t.header[cols.slug ?? cols.name!] ?? 'Slug', message: `expected each indicator once; ${slug} is also on ${dupe.row}`, got: slug });
    return;
  }
  index.usedSlugs.add(slug);
  if (p.ref) checkRef(s, row, p.ref, slug, r, index);
  const existing = index.knownBySlug.get(slug) ?? (p.ref ? index.knownByRef.get(p.ref.toLowerCase()) : undefined);
  const personEmail = (named: string | null, role: 'owner' | 'deputy', keepId: number | null): string | null => {
    if (!named) return null;
    const e = resolve(named, `${role} of ${slug} (${at})`);
    if (e !== undefined) return e;
    // Unknown: keep whoever the register already has rather than clear it.
    const kept = keepId === null ? undefined : r.known.people.find((x) => x.id === keepId)?.email;
    return kept ? (r.renamed.get(kept) ?? kept) : null;
  };
  themeDirector(s, row, p, r, index, resolve);

  const { targets, observations } = readPeriodCells(s, row, p.unit, p.frequency!, slug, r);
  for (const tg of targets) r.valueKeys.set(`${slug}|${tg.periodKey}|target`, { sheet: t.sheet, row: row.row, column: null });
  const ind = { ...registerIndicator(p, slug, { owner: personEmail(p.owner, 'owner', existing?.ownerId ?? null), deputy: personEmail(p.deputy, 'deputy', existing?.deputyId ?? null) }, targets, observations), given: givenFields(cols) };
  const calc = formulaCells(s, row, p);
  if (calc) r.formulas.push({ slug, ...calc });
  index.fileBySlug.set(slug, { row: at, ind });
  r.register.indicators.push(ind);
  r.origins.push({ sheet: t.sheet, row: row.row });
}

/** A row's Formula, or Numerator / Denominator (and Multiplier), cells as given; null when it has none. */
function formulaCells(s: IndicatorSheet, row: TableRow, p: IndicatorRow): Omit<FormulaCells, 'slug'> | null {
  if (p.formula === null && p.numerator === null && p.denominator === null && p.multiplier === null) return null;
  const heading = (k: 'formula' | 'numerator' | 'denominator' | 'multiplier') => (s.cols[k] === undefined ? null : s.t.header[s.cols[k]!]!);
  return {
    sheet: s.t.sheet,
    row: row.row,
    unit: p.unit,
    formula: p.formula === null ? null : { text: p.formula, column: heading('formula')! },
    numerator: p.numerator === null ? null : { text: p.numerator, column: heading('numerator')! },
    denominator: p.denominator === null ? null : { text: p.denominator, column: heading('denominator')! },
    multiplier: p.multiplier === null ? null : { text: p.multiplier, column: heading('multiplier')! },
  };
}

/** The register fields an indicators sheet's columns give: the others keep the register's values. */
const COLUMN_FIELDS: Partial<Record<keyof typeof INDICATOR_COLUMNS, OptionalIndicatorField>> = {
  ref: 'ref',
  definition: 'definition',
  theme: 'theme',
  owner: 'ownerEmail',
  deputy: 'deputyEmail',
  unit: 'unit',
  reportingLagDays: 'reportingLagDays',
  aggregation: 'aggregation',
  tolerance: 'tolerance',
  dotBasis: 'dotBasis',
  maintainedBand: 'maintainedBand',
  decimals: 'decimals',
  isKey: 'isKey',
  active: 'active',
  baseline: 'baseline',
  baselinePeriod: 'baseline',
  baselineOutturn: 'baseline',
  formula: 'formula',
  numerator: 'formula',
  denominator: 'formula',
};

function givenFields(cols: Columns<typeof INDICATOR_COLUMNS>): OptionalIndicatorField[] {
  const fields = new Set<OptionalIndicatorField>();
  for (const key of Object.keys(cols) as (keyof typeof INDICATOR_COLUMNS)[]) {
    const field = COLUMN_FIELDS[key];
    if (field && cols[key] !== undefined) fields.add(field);
  }
  return [...fields];
}

/** A row as the register's indicator; its decimals, when not given, are those its figures are printed with. */
function registerIndicator(p: IndicatorRow, slug: string, emails: { owner: string | null; deputy: string | null }, targets: RegisterIndicator['targets'], observations: RegisterIndicator['observations']): RegisterIndicator {
  return {
    ref: p.ref,
    slug,
    name: p.name,
    definition: p.definition,
    theme: p.theme,
    ownerEmail: emails.owner,
    deputyEmail: emails.deputy,
    unit: p.unit,
    polarity: p.polarity!,
    frequency: p.frequency!,
    reportingLagDays: p.reportingLagDays!,
    aggregation: p.aggregation!,
    tolerance: p.tolerance,
    dotBasis: p.dotBasis,
    maintainedBand: p.maintainedBand,
    decimals: p.decimals ?? printedDecimals([...observations.map((o) => o.value), ...targets.flatMap((x) => (x.value === null ? [] : [x.value]))]),
    isKey: p.isKey,
    active: p.active,
    baseline: baselineOf(p),
    // Read once every indicator of the file is known (formulas.ts: its names, cycles and units).
    formula: null,
    targets,
    observations,
    alertChannels: p.alertChannel,
  };
}

/**
 * The row's short name: as given, else the register's for its reference, else made from its name — what
 * people type, not the reference few of them know (council-tax-collected, not bv-9). Unique in the file,
 * and never the short name of a register indicator with another reference.
 */
function slugFor(p: IndicatorRow, index: IndicatorIndex): string {
  if (p.slug) return p.slug;
  const byRef = p.ref ? index.knownByRef.get(p.ref.toLowerCase()) : undefined;
  if (byRef) return byRef.slug;
  const base = indicatorSlug(p.name);
  const taken = (slug: string) => {
    const known = index.knownBySlug.get(slug);
    return index.usedSlugs.has(slug) || Boolean(p.ref && known?.ref && known.ref.toLowerCase() !== p.ref.toLowerCase());
  };
  let slug = base;
  for (let k = 2; taken(slug); k++) slug = `${base}-${k}`;
  return slug;
}

/** A reference is given once in the file, and is not another indicator's in the register. */
function checkRef(s: IndicatorSheet, row: TableRow, ref: string, slug: string, r: Reading, index: IndicatorIndex): void {
  const refKey = ref.toLowerCase();
  const other = index.fileByRef.get(refKey);
  const existing = index.knownByRef.get(refKey);
  const column = s.t.header[s.cols.ref!]!;
  if (other) r.issues.push({ sheet: s.t.sheet, row: row.row, column, message: `expected each reference once; it is also on ${other}`, got: ref });
  else if (existing && existing.slug !== slug && index.knownBySlug.has(slug)) {
    r.issues.push({ sheet: s.t.sheet, row: row.row, column, message: `expected a reference not used by another indicator; ${ref} belongs to ${existing.slug}`, got: ref });
  }
  index.fileByRef.set(refKey, where(s.t.sheet, row.row));
}

/** A director on an indicator row is the director of its theme: one per theme. */
function themeDirector(s: IndicatorSheet, row: TableRow, p: IndicatorRow, r: Reading, index: IndicatorIndex, resolve: ResolvePerson): void {
  if (!p.director) return;
  const column = s.t.header[s.cols.director!]!;
  if (!p.theme) {
    r.issues.push({ sheet: s.t.sheet, row: row.row, column, message: 'expected a Theme on the row: a director is accountable for a theme', got: p.director });
    return;
  }
  const at = where(s.t.sheet, row.row);
  const e = resolve(p.director, `director of ${p.theme} (${at})`);
  const prev = index.themeDirectors.get(p.theme);
  if (e && prev && prev.email !== e) {
    r.issues.push({ sheet: s.t.sheet, row: row.row, column, message: `expected one director per theme; ${prev.at} gives ${prev.email}`, got: p.director });
  } else if (e) index.themeDirectors.set(p.theme, { email: e, at });
}

/**
 * A row's baseline: the `Baseline` cell with its `Baseline period`, or — when only a `Baseline (outturn)`
 * column has it — last year's outturn, its period kept as "2016/17 outturn" (or "Outturn" when no
 * period is given: the year before whichever period it is compared with).
 */
function baselineOf(p: IndicatorRow): RegisterIndicator['baseline'] {
  const outturn = !p.baseline && p.baselineOutturn ? p.baselineOutturn : null;
  const text = p.baseline ?? outturn;
  if (!text && !p.baselinePeriod) return null;
  const v = text ? readValueCell(text, p.unit) : null;
  const period = outturn ? (p.baselinePeriod ? (/outturn|actual/i.test(p.baselinePeriod) ? p.baselinePeriod : `${p.baselinePeriod} outturn`) : 'Outturn') : p.baselinePeriod;
  return { value: v?.ok && v.value ? v.value.value : null, period, text };
}

/** The Target/Actual <period> cells of a row; `frequency` null when the row's own is unreadable (only values are checked then). */
function readPeriodCells(s: IndicatorSheet, row: TableRow, unit: string, frequency: Frequency | null, slug: string | null, r: Reading) {
  const { t } = s;
  const targets: RegisterIndicator['targets'] = [];
  const observations: RegisterIndicator['observations'] = [];
  for (const pc of s.periodCols) {
    const text = cellString(row.cells[pc.index]);
    if (text === null) continue;
    const col = t.header[pc.index]!;
    const problem = (message: string) => r.issues.push({ sheet: t.sheet, row: row.row, column: col, message, got: text });
    if (frequency && !acceptsPeriod(frequency, pc.period, pc.what)) {
      problem(`expected values for ${KIND_WORDS[periodKindFor(frequency)]}: ${pc.period.key} is ${KIND_WORDS[pc.period.kind]}, and this indicator is reported ${FREQUENCY_WORDS[frequency]}`);
      continue;
    }
    const noValue = (n: NoValue) => {
      if (slug) r.noValues.push({ ...n, sheet: t.sheet, row: row.row, what: pc.what === 'target' ? 'target' : 'value', of: `${slug} ${formatPeriod(pc.period)}`, note: null });
    };
    if (pc.what === 'target') {
      const v = readTargetCell(text, unit);
      if (!v.ok) problem(v.error);
      else if (v.value) targets.push({ periodKey: pc.period.key, ...v.value });
      else if (v.noValue) noValue(v.noValue);
    } else {
      const v = readValueCell(text, unit);
      if (!v.ok) problem(v.error);
      else if (v.value) {
        observations.push({ periodKey: pc.period.key, ...v.value, note: null, assessedStatus: null });
        if (slug) r.valueKeys.set(`${slug}|${pc.period.key}|actual`, { sheet: t.sheet, row: row.row, column: col });
      } else if (v.noValue) noValue(v.noValue);
    }
  }
  return { targets, observations };
}

// ---------------------------------------------------------------- values

function valueRow(fy: number) {
  return z.object({
    indicator: requiredText('the indicator’s short name or reference'),
    period: requiredText('a period such as 2017/18 Q3, Dec 2017 or 2017/18').transform((s, ctx) => {
      const p = parsePeriodLabel(s, fy);
      if (!p.ok) {
        ctx.addIssue({ code: 'custom', message: `expected a period: ${p.error}` });
        return z.NEVER;
      }
      return p.value;
    }),
    actual: optionalText,
    target: optionalText,
    estimated: yesNo(false),
    provisional: yesNo(false),
    note: optionalText.refine((s) => s === null || s.length <= 2000, 'expected a note of at most 2,000 characters'),
  });
}
type ValueRow = z.output<ReturnType<typeof valueRow>>;
type ValuesEntry = { slug: string; targets: RegisterIndicator['targets']; observations: RegisterIndicator['observations'] };

/** Values sheets: one row per indicator and period, for indicators of this file or the register. */
function readValues(tables: Table[], r: Reading, index: IndicatorIndex): ValuesEntry[] {
  const values = new Map<string, ValuesEntry>();
  const schema = valueRow(r.fy);
  for (const t of tables) {
    const { cols, used } = matchColumns(t.header, VALUE_COLUMNS);
    warnUnused(t, used, r.warnings);
    requireColumns(t, cols, [['indicator', 'Indicator'], ['period', 'Period']], 'the values sheet', r, 'an');
    if (cols.actual === undefined && cols.target === undefined) r.issues.push({ sheet: t.sheet, row: t.headerRow, column: 'Actual', message: 'expected an "Actual" or a "Target" column in the values sheet' });
    if (cols.indicator === undefined || cols.period === undefined || (cols.actual === undefined && cols.target === undefined)) continue;
    const col = (k: keyof typeof VALUE_COLUMNS) => (cols[k] === undefined ? k : t.header[cols[k]!]!);
    // Values of an indicator whose own row could not be read: one problem per indicator, naming its rows.
    const waiting = new Map<string, { got: string; rows: number[] }>();
    for (const row of t.rows) {
      r.rows.values++;
      const p = parseRow(t, row, cols, schema, r.issues);
      if (!p) continue;
      const id = p.indicator.trim().toLowerCase();
      if (index.unreadRows.has(id) && !index.fileBySlug.has(id) && !r.register.indicators.some((i) => i.ref?.toLowerCase() === id)) {
        const w = waiting.get(id) ?? { got: p.indicator.trim(), rows: [] };
        w.rows.push(row.row);
        waiting.set(id, w);
        continue;
      }
      readValueRow(t, row, p, col, r, index, values);
    }
    for (const [id, w] of waiting) {
      const rows = w.rows.length === 1 ? `row ${w.rows[0]}` : `${w.rows.length} rows, from row ${w.rows[0]}`;
      r.issues.push({ sheet: t.sheet, row: w.rows[0]!, column: col('indicator'), message: `${w.got} is on ${index.unreadRows.get(id)}, which has a problem (listed above): its values here (${rows}) are read once that row is put right`, got: w.got });
    }
  }
  return [...values.values()];
}

function readValueRow(t: Table, row: TableRow, p: ValueRow, col: (k: keyof typeof VALUE_COLUMNS) => string, r: Reading, index: IndicatorIndex, values: Map<string, ValuesEntry>): void {
  const id = p.indicator.trim().toLowerCase();
  const inFile = index.fileBySlug.get(id)?.ind ?? r.register.indicators.find((i) => i.ref?.toLowerCase() === id);
  const ind = inFile ? { slug: inFile.slug, unit: inFile.unit, frequency: inFile.frequency } : (index.knownBySlug.get(id) ?? index.knownByRef.get(id));
  const issue = (column: string, message: string, got?: string) => r.issues.push({ sheet: t.sheet, row: row.row, column, message, ...(got !== undefined ? { got } : {}) });
  if (!ind) return void issue(col('indicator'), 'expected the short name or reference of an indicator in the register or in this file', p.indicator.trim());
  if (p.actual === null && p.target === null) {
    r.noValues.push({ word: '', reason: 'empty', sheet: t.sheet, row: row.row, what: 'value', of: `${ind.slug} ${formatPeriod(p.period)}`, note: p.note });
    return;
  }
  const entry = values.get(ind.slug) ?? { slug: ind.slug, targets: [], observations: [] };
  values.set(ind.slug, entry);
  for (const what of ['actual', 'target'] as const) {
    const s = p[what];
    if (!s) continue;
    if (!acceptsPeriod(ind.frequency, p.period, what)) {
      issue(col('period'), `expected ${KIND_WORDS[periodKindFor(ind.frequency)]}: ${ind.slug} is reported ${FREQUENCY_WORDS[ind.frequency]}`, p.period.key);
      break;
    }
    const v = what === 'target' ? readTargetCell(s, ind.unit) : readValueCell(s, ind.unit);
    if (!v.ok) {
      issue(col(what), v.error, s);
      continue;
    }
    if (!v.value) {
      if (v.noValue) r.noValues.push({ ...v.noValue, sheet: t.sheet, row: row.row, what: what === 'target' ? 'target' : 'value', of: `${ind.slug} ${formatPeriod(p.period)}`, note: p.note });
      continue;
    }
    const key = `${ind.slug}|${p.period.key}|${what}`;
    const earlier = r.valueKeys.get(key);
    if (earlier) {
      issue(col(what), `expected one ${what} per indicator and period; ${whereAt(earlier)} gives ${ind.slug} ${formatPeriod(p.period)} too`, s);
      continue;
    }
    r.valueKeys.set(key, { sheet: t.sheet, row: row.row, column: col(what) });
    const value = v.value;
    if ('amberFloor' in value) entry.targets.push({ periodKey: p.period.key, ...value });
    else entry.observations.push({ periodKey: p.period.key, value: value.value, estimated: value.estimated || p.estimated, provisional: value.provisional || p.provisional, note: p.note, assessedStatus: null });
  }
}

// ---------------------------------------------------------------- rows

