// Spreadsheet tables (CSV or XLSX sheets) → the register. Five kinds of sheet, told apart by their
// headings (README "Import" has the full column mapping):
//   Indicators — one row per indicator, with "Target <period>" and "Actual <period>" columns;
//   Values     — one row per indicator and period (historic values and targets);
//   People     — owners, deputies, directors and admins;
//   Themes     — each theme's director and the channels that get its alerts;
//   Settings   — the organisation's settings, one per row (as `/kpi settings` names them).
// Every row is validated with zod; a problem names the sheet, row, column and what was expected.
import { z } from 'zod';
import { printedDecimals } from '../domain/format.ts';
import { FREQUENCY_WORDS, KIND_WORDS, parsePeriodLabel, periodKindFor } from '../domain/periods.ts';
import type { Frequency, Period } from '../domain/types.ts';
import { slugify } from '../register/from-fixture.ts';
import type { RegisterInput, RegisterIndicator } from '../register/types.ts';
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
} from './cells.ts';
import { findSetting, SETTINGS } from '../services/settings.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
import { columnLetter, type Table, type TableRow } from './tables.ts';
import { dotBasisCell, maintainedBandCell } from '../services/direction-settings.ts';

export interface ImportIssue {
  /** Sheet (XLSX) or file (CSV). */
  sheet: string | null;
  row: number | null;
  column: string | null;
  message: string;
  /** The cell as given. */
  got?: string;
}

/** What the register already holds: indicators are matched by slug or reference, people by email, Slack id or name. */
export interface KnownRegister {
  people: { email: string | null; identities: Partial<Record<string, string>>; displayName: string; id: number }[];
  indicators: { id: number; slug: string; ref: string | null; unit: string; frequency: Frequency; ownerId: number | null; deputyId: number | null }[];
  themes: { name: string; slug: string }[];
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
  rows: { indicators: number; values: number; people: number; themes?: number; settings?: number };
  /** Where each indicator of the register came from. */
  origins: { sheet: string; row: number }[];
}

type SheetKind = 'indicators' | 'values' | 'people' | 'themes' | 'settings';

const INDICATOR_COLUMNS = {
  ref: ['ref', 'reference', 'pi ref', 'indicator ref', 'code', 'pi code'],
  slug: ['slug', 'short name', 'key'],
  name: ['name', 'indicator', 'indicator name', 'measure', 'title', 'pi'],
  definition: ['definition', 'description', 'detail'],
  theme: ['theme', 'vision 2031 theme', 'outcome', 'outcome plan', 'priority', 'corporate priority', 'directorate', 'service'],
  owner: ['owner', 'owner email', 'lead officer', 'officer', 'responsible officer'],
  deputy: ['deputy', 'deputy email', 'deputy owner'],
  director: ['director', 'director email', 'lead director', 'accountable director'],
  unit: ['unit', 'units', 'measure unit'],
  polarity: ['polarity', 'good performance', 'better', 'direction'],
  frequency: ['frequency', 'freq', 'reported'],
  aggregation: ['aggregation', 'year to date', 'ytd'],
  reportingLagDays: ['reporting lag days', 'reporting lag', 'lag days', 'lag'],
  tolerance: ['tolerance', 'amber tolerance', 'amber within'],
  dotBasis: ['dot basis', 'direction of travel basis', 'dot compared with', 'compare with', 'dot against', 'direction of travel compared with'],
  maintainedBand: ['maintained band', 'dot maintained band', 'maintained within', 'maintained threshold', 'dot band'],
  decimals: ['decimals', 'decimal places', 'dp'],
  isKey: ['key indicator', 'kpi', 'is key'],
  active: ['active', 'in use'],
  baseline: ['baseline', 'baseline value'],
  alertChannel: ['alert channel', 'alert channels', 'alerts channel', 'alerts to'],
  baselinePeriod: ['baseline period', 'baseline date'],
} as const;

const VALUE_COLUMNS = {
  indicator: ['indicator', 'slug', 'ref', 'reference', 'short name', 'indicator slug', 'indicator ref'],
  period: ['period', 'quarter', 'month', 'year'],
  actual: ['actual', 'value', 'result', 'performance'],
  target: ['target'],
  estimated: ['estimated', 'estimate', 'est'],
  provisional: ['provisional', 'prov', 'subject to verification'],
  note: ['note', 'notes', 'comment', 'commentary'],
} as const;

const PEOPLE_COLUMNS = {
  name: ['name', 'display name', 'full name', 'person'],
  email: ['email', 'email address', 'e mail'],
  role: ['role'],
  slackUserId: ['slack id', 'slack user id', 'slack user', 'slack'],
  teamsUserId: ['teams id', 'teams user id', 'entra object id', 'aad object id', 'entra id'],
  deputyEmail: ['deputy', 'deputy email'],
  absentUntil: ['absent until', 'away until', 'out of office until', 'absent', 'away'],
} as const;

const THEME_COLUMNS = {
  name: ['theme', 'name', 'theme name', 'outcome', 'outcome plan', 'directorate', 'service', 'priority'],
  slug: ['slug', 'short name', 'key'],
  director: ['director', 'director email', 'lead director', 'accountable director'],
  alertChannel: ['alert channel', 'alert channels', 'alerts channel', 'alerts to', 'channel'],
} as const;

const SETTINGS_COLUMNS = {
  setting: ['setting', 'name', 'option'],
  value: ['value', 'setting value'],
} as const;

type Columns<T> = { -readonly [K in keyof T]?: number };

function matchColumns<T extends Record<string, readonly string[]>>(header: string[], spec: T): { cols: Columns<T>; used: Set<number> } {
  const cols: Columns<T> = {};
  const used = new Set<number>();
  const norm = header.map(normalise);
  for (const key of Object.keys(spec) as (keyof T)[]) {
    for (const alias of spec[key]!) {
      const i = norm.findIndex((h, k) => h === alias && !used.has(k));
      if (i >= 0) {
        cols[key] = i;
        used.add(i);
        break;
      }
    }
  }
  return { cols, used };
}

function kindOf(t: Table): SheetKind | null {
  const norm = new Set(t.header.map(normalise));
  const has = (...names: string[]) => names.some((n) => norm.has(n));
  if (has('setting') && has('value')) return 'settings';
  if (has('period', 'quarter', 'month') && has(...VALUE_COLUMNS.indicator)) return 'values';
  const themeName = has(...THEME_COLUMNS.name.filter((n) => n !== 'name')) || (has('name') && /theme|outcome|directorate/.test(normalise(t.sheet)));
  if (themeName && has('alert channel', 'alert channels', 'alerts channel', 'alerts to', 'director') && !has('polarity', 'frequency', 'freq', 'email') && !t.header.some((h) => periodColumn(h) !== null)) return 'themes';
  if (has('polarity', 'frequency', 'freq', 'slug') || t.header.some((h) => periodColumn(h) !== null)) return 'indicators';
  if (has('email', 'email address') && has(...PEOPLE_COLUMNS.name)) return 'people';
  const sheet = normalise(t.sheet);
  if (/indicator|register|kpi/.test(sheet)) return 'indicators';
  if (/value|data|history|actual/.test(sheet)) return 'values';
  if (/people|person|owner|staff/.test(sheet)) return 'people';
  if (/theme|outcome|directorate/.test(sheet)) return 'themes';
  if (/setting|config/.test(sheet)) return 'settings';
  return null;
}

/** "Target 2017/18 Q3", "2017/18 Q3 actual", "Actual: Dec 2017" → what and when. */
export function periodColumn(header: string, fy = 4): { what: 'target' | 'actual'; period: Period } | { what: 'target' | 'actual'; error: string } | null {
  const h = header.trim();
  const m = /^(target|actual|value|result|outturn)s?\b[\s:–-]*(.+)$/i.exec(h) ?? /^(.+?)[\s:–-]+(target|actual|value|result|outturn)s?$/i.exec(h);
  if (!m) return null;
  const [word, rest] = /^(target|actual|value|result|outturn)/i.test(m[1]!) ? [m[1]!, m[2]!] : [m[2]!, m[1]!];
  const what = /^target/i.test(word) ? 'target' : 'actual';
  const p = parsePeriodLabel(rest, fy);
  return p.ok ? { what, period: p.value } : { what, error: p.error };
}

const where = (sheet: string, row: number, column?: string | null) => `${sheet} row ${row}${column ? `, column ${column}` : ''}`;

/** Period kinds an indicator of this frequency takes values and targets for. */
function acceptsPeriod(frequency: Frequency, p: Period, what: 'target' | 'actual'): boolean {
  const own = periodKindFor(frequency);
  if (p.kind === own) return true;
  // Annual targets for monthly and quarterly indicators (profiled or pro-rata in the engine).
  return what === 'target' && p.kind === 'financial_year' && (own === 'month' || own === 'quarter');
}


export function tablesToRegister(tables: Table[], known: KnownRegister, opts: { fyStartMonth?: number } = {}): TableMapping {
  const fy = opts.fyStartMonth ?? 4;
  const issues: ImportIssue[] = [];
  const warnings: string[] = [];
  const register: Required<Pick<RegisterInput, 'people' | 'themes' | 'values'>> & { indicators: RegisterIndicator[] } = { people: [], themes: [], indicators: [], values: [] };
  const rows = { indicators: 0, values: 0, people: 0, themes: 0, settings: 0 };
  const byKind: Record<SheetKind, Table[]> = { indicators: [], values: [], people: [], themes: [], settings: [] };

  for (const t of tables) {
    const k = kindOf(t);
    if (!k) {
      if (tables.length === 1) {
        issues.push({
          sheet: t.sheet, row: t.headerRow, column: null,
          message: 'expected the headings of an indicator register (Name, Polarity, Frequency, …), a values table (Indicator, Period, Actual, …), a people list (Name, Email, …), a themes list (Theme, Director, Alert channel) or settings (Setting, Value) — see the README, "Import"',
        });
      } else warnings.push(`Sheet "${t.sheet}" was skipped: its headings are not those of indicators, values, people, themes or settings.`);
      continue;
    }
    const dupes = t.header.map(normalise).filter((h, i, all) => h && all.indexOf(h) !== i);
    for (const d of new Set(dupes)) issues.push({ sheet: t.sheet, row: t.headerRow, column: d, message: 'expected each heading once; this one appears twice' });
    byKind[k].push(t);
  }

  // People first: owners named on indicator rows may be in this file.
  const filePeople = new Map<string, { email: string; identities: Partial<Record<string, string>>; displayName: string }>();
  for (const t of byKind.people) {
    const { cols, used } = matchColumns(t.header, PEOPLE_COLUMNS);
    warnUnused(t, used, warnings);
    for (const [key, label] of [['name', 'Name'], ['email', 'Email']] as const) {
      if (cols[key] === undefined) issues.push({ sheet: t.sheet, row: t.headerRow, column: label, message: `expected a "${label}" column in the people sheet` });
    }
    if (cols.name === undefined || cols.email === undefined) continue;
    const schema = z.object({
      name: requiredText('the person’s name'),
      email: email.refine((e) => e !== null, 'expected an email address; the cell is empty'),
      role: choice(ROLE, 'officer, director or admin', 'officer'),
      slackUserId: optionalText.refine((s) => s === null || /^[UW][A-Z0-9]{2,}$/.test(s), 'expected a Slack user id such as U012AB3CD'),
      teamsUserId: optionalText.refine((s) => s === null || GUID.test(s), 'expected a Microsoft Entra object id such as 6e0a8f2c-3b1d-4c5e-9f7a-1b2c3d4e5f60'),
      deputyEmail: email,
      absentUntil: absentUntil(),
    });
    for (const r of t.rows) {
      rows.people++;
      const parsed = parseRow(t, r, cols, schema, issues);
      if (!parsed) continue;
      if (filePeople.has(parsed.email!)) {
        issues.push({ sheet: t.sheet, row: r.row, column: t.header[cols.email] ?? 'Email', message: 'expected each person once; this email is on an earlier row', got: parsed.email! });
        continue;
      }
      const identities: Record<string, string> = {
        ...(parsed.slackUserId ? { slack: parsed.slackUserId } : {}),
        ...(parsed.teamsUserId ? { teams: parsed.teamsUserId.toLowerCase() } : {}),
      };
      filePeople.set(parsed.email!, { email: parsed.email!, identities, displayName: parsed.name });
      register.people.push({
        displayName: parsed.name,
        email: parsed.email!,
        role: parsed.role ?? 'officer',
        identities,
        ...(parsed.deputyEmail ? { deputyEmail: parsed.deputyEmail } : {}),
        ...(parsed.absentUntil !== undefined ? { absentUntil: parsed.absentUntil } : {}),
      });
    }
  }

  const unknown = new Map<string, string[]>();
  const resolvePerson = (who: string, role: string): string | null | undefined => {
    const w = who.trim();
    const lw = w.toLowerCase();
    let found: { email: string | null } | undefined;
    if (w.includes('@')) found = filePeople.get(lw) ?? known.people.find((p) => p.email?.toLowerCase() === lw);
    else if (/^[UW][A-Z0-9]{2,}$/.test(w)) found = [...filePeople.values()].find((p) => p.identities.slack === w) ?? known.people.find((p) => p.identities.slack === w);
    else {
      const all = [...filePeople.values(), ...known.people.filter((p) => !p.email || !filePeople.has(p.email))];
      const named = all.filter((p) => p.displayName.toLowerCase() === lw);
      if (named.length === 1) found = named[0];
    }
    if (found?.email) return found.email;
    unknown.set(w, [...(unknown.get(w) ?? []), role]);
    return undefined;
  };

  // Settings: one per row, read as `/kpi settings` reads them.
  const settings: Record<string, string> = {};
  for (const t of byKind.settings) {
    const { cols, used } = matchColumns(t.header, SETTINGS_COLUMNS);
    warnUnused(t, used, warnings);
    if (cols.setting === undefined || cols.value === undefined) {
      issues.push({ sheet: t.sheet, row: t.headerRow, column: cols.setting === undefined ? 'Setting' : 'Value', message: 'expected "Setting" and "Value" columns in the settings sheet' });
      continue;
    }
    for (const r of t.rows) {
      rows.settings++;
      const name = cellString(r.cells[cols.setting]);
      const value = cellString(r.cells[cols.value]);
      if (!name) continue;
      const def = findSetting(name);
      if (!def) {
        issues.push({ sheet: t.sheet, row: r.row, column: t.header[cols.setting]!, message: `expected a setting: ${SETTINGS.map((x) => x.name).join(', ')}`, got: name });
        continue;
      }
      const read = value === null ? { ok: false as const, error: `expected a value, e.g. ${def.example}` } : def.read(value);
      if (!read.ok) issues.push({ sheet: t.sheet, row: r.row, column: t.header[cols.value]!, message: read.error, ...(value ? { got: value } : {}) });
      else settings[def.name] = value!;
    }
  }

  // Themes: each one's director and the channels its alerts go to.
  const sheetThemes = new Map<string, { at: string }>();
  for (const t of byKind.themes) {
    const { cols, used } = matchColumns(t.header, THEME_COLUMNS);
    warnUnused(t, used, warnings);
    if (cols.name === undefined) {
      issues.push({ sheet: t.sheet, row: t.headerRow, column: 'Theme', message: 'expected a "Theme" column in the themes sheet' });
      continue;
    }
    const schema = z.object({
      name: requiredText('the theme’s name'),
      slug: optionalText.transform((s) => s?.toLowerCase() ?? null).refine((s) => s === null || /^[a-z0-9][a-z0-9-]*$/.test(s), 'expected lower-case letters, digits and hyphens, e.g. housing-growth'),
      director: optionalText,
      alertChannel: alertChannels(),
    });
    for (const r of t.rows) {
      rows.themes++;
      const p = parseRow(t, r, cols, schema, issues);
      if (!p) continue;
      const at = where(t.sheet, r.row);
      if (sheetThemes.has(p.name)) {
        issues.push({ sheet: t.sheet, row: r.row, column: t.header[cols.name]!, message: `expected each theme once; it is also on ${sheetThemes.get(p.name)!.at}`, got: p.name });
        continue;
      }
      sheetThemes.set(p.name, { at });
      const existing = known.themes.find((x) => x.name === p.name);
      const directorEmail = p.director ? resolvePerson(p.director, `director of ${p.name} (${at})`) : undefined;
      register.themes.push({ name: p.name, slug: p.slug ?? existing?.slug ?? (slugify(p.name, 40) || 'theme'), kind: 'theme', ...(directorEmail ? { directorEmail } : {}), alertChannels: p.alertChannel });
    }
  }

  // Indicators.
  const knownBySlug = new Map(known.indicators.map((i) => [i.slug, i]));
  const knownByRef = new Map(known.indicators.filter((i) => i.ref).map((i) => [i.ref!.toLowerCase(), i]));
  const fileBySlug = new Map<string, { row: string; ind: RegisterIndicator }>();
  const fileByRef = new Map<string, string>();
  const themeDirectors = new Map<string, { email: string; at: string }>();
  const valueKeys = new Map<string, string>();
  const usedSlugs = new Set<string>();
  const origins: TableMapping['origins'] = [];

  for (const t of byKind.indicators) {
    const { cols, used } = matchColumns(t.header, INDICATOR_COLUMNS);
    if (cols.name === undefined && cols.definition !== undefined) {
      cols.name = cols.definition;
      delete cols.definition;
    }
    const periodCols: { index: number; what: 'target' | 'actual'; period: Period }[] = [];
    t.header.forEach((h, i) => {
      if (used.has(i)) return;
      const pc = periodColumn(h, fy);
      if (!pc) return;
      used.add(i);
      if ('error' in pc) issues.push({ sheet: t.sheet, row: t.headerRow, column: h, message: `expected "${pc.what === 'target' ? 'Target' : 'Actual'} <period>": ${pc.error}` });
      else periodCols.push({ index: i, ...pc });
    });
    warnUnused(t, used, warnings);
    for (const [key, label] of [['name', 'Name'], ['polarity', 'Polarity'], ['frequency', 'Frequency']] as const) {
      if (cols[key] === undefined) issues.push({ sheet: t.sheet, row: t.headerRow, column: label, message: `expected a "${label}" column in the indicator register` });
    }
    if (cols.name === undefined || cols.polarity === undefined || cols.frequency === undefined) continue;
    const schema = z.object({
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
      aggregation: choice(AGGREGATION, 'snapshot, cumulative, ytd or average', 'snapshot'),
      reportingLagDays: wholeNumber(0, 730, 0),
      tolerance,
      dotBasis: dotBasisCell,
      maintainedBand: maintainedBandCell,
      decimals: wholeNumber(0, 6, null),
      isKey: yesNo(false),
      active: yesNo(true),
      baseline: optionalText,
      baselinePeriod: optionalText,
      alertChannel: alertChannels(),
    });
    /** The Target/Actual <period> cells of a row; `frequency` null when the row's own is unreadable (only values are checked then). */
    const readPeriodCells = (r: TableRow, unit: string, frequency: Frequency | null, slug: string | null) => {
      const targets: RegisterIndicator['targets'] = [];
      const observations: RegisterIndicator['observations'] = [];
      for (const pc of periodCols) {
        const s = cellString(r.cells[pc.index]);
        if (s === null) continue;
        const col = t.header[pc.index]!;
        if (frequency && !acceptsPeriod(frequency, pc.period, pc.what)) {
          issues.push({ sheet: t.sheet, row: r.row, column: col, message: `expected values for ${KIND_WORDS[periodKindFor(frequency)]}: ${pc.period.key} is ${KIND_WORDS[pc.period.kind]}, and this indicator is reported ${FREQUENCY_WORDS[frequency]}`, got: s });
          continue;
        }
        if (pc.what === 'target') {
          const v = readTargetCell(s, unit);
          if (!v.ok) issues.push({ sheet: t.sheet, row: r.row, column: col, message: v.error, got: s });
          else targets.push({ periodKey: pc.period.key, ...v.value });
        } else {
          const v = readValueCell(s, unit);
          if (!v.ok) issues.push({ sheet: t.sheet, row: r.row, column: col, message: v.error, got: s });
          else if (v.value) {
            observations.push({ periodKey: pc.period.key, ...v.value, note: null, assessedStatus: null });
            if (slug) valueKeys.set(`${slug}|${pc.period.key}|actual`, where(t.sheet, r.row, col));
          }
        }
      }
      return { targets, observations };
    };
    for (const r of t.rows) {
      rows.indicators++;
      const at = where(t.sheet, r.row);
      const p = parseRow(t, r, cols, schema, issues);
      if (!p) {
        // Still check the rest of the row, so one pass lists every problem in it.
        const cell = (k: keyof typeof cols) => (cols[k] === undefined ? null : cellString(r.cells[cols[k]!]));
        readPeriodCells(r, cell('unit') ?? 'number', FREQUENCY[normalise(cell('frequency') ?? '')] ?? null, null);
        const ref = cell('ref');
        if (ref && !fileByRef.has(ref.toLowerCase())) fileByRef.set(ref.toLowerCase(), at);
        continue;
      }
      let slug = p.slug ?? (p.ref ? slugify(p.ref) : slugify(p.name));
      if (!p.slug) {
        const byRef = p.ref ? knownByRef.get(p.ref.toLowerCase()) : undefined;
        if (byRef) slug = byRef.slug;
        else for (let k = 2; usedSlugs.has(slug); k++) slug = `${slugify(p.name, 44)}-${k}`;
      }
      const dupe = fileBySlug.get(slug);
      if (dupe) {
        issues.push({ sheet: t.sheet, row: r.row, column: t.header[cols.slug ?? cols.name] ?? 'Slug', message: `expected each indicator once; ${slug} is also on ${dupe.row}`, got: slug });
        continue;
      }
      usedSlugs.add(slug);
      if (p.ref) {
        const refKey = p.ref.toLowerCase();
        const other = fileByRef.get(refKey);
        const existing = knownByRef.get(refKey);
        if (other) issues.push({ sheet: t.sheet, row: r.row, column: t.header[cols.ref!]!, message: `expected each reference once; it is also on ${other}`, got: p.ref });
        else if (existing && existing.slug !== slug && knownBySlug.has(slug)) {
          issues.push({ sheet: t.sheet, row: r.row, column: t.header[cols.ref!]!, message: `expected a reference not used by another indicator; ${p.ref} belongs to ${existing.slug}`, got: p.ref });
        }
        fileByRef.set(refKey, at);
      }
      const existing = knownBySlug.get(slug) ?? (p.ref ? knownByRef.get(p.ref.toLowerCase()) : undefined);
      const personEmail = (cell: string | null, role: 'owner' | 'deputy', keepId: number | null): string | null => {
        if (!cell) return null;
        const e = resolvePerson(cell, `${role} of ${slug} (${at})`);
        if (e !== undefined) return e;
        // Unknown: keep whoever the register already has rather than clear it.
        return keepId === null ? null : (known.people.find((x) => x.id === keepId)?.email ?? null);
      };
      if (p.director && p.theme) {
        const e = resolvePerson(p.director, `director of ${p.theme} (${at})`);
        const prev = themeDirectors.get(p.theme);
        if (e && prev && prev.email !== e) {
          issues.push({ sheet: t.sheet, row: r.row, column: t.header[cols.director!]!, message: `expected one director per theme; ${prev.at} gives ${prev.email}`, got: p.director });
        } else if (e) themeDirectors.set(p.theme, { email: e, at });
      } else if (p.director && !p.theme) {
        issues.push({ sheet: t.sheet, row: r.row, column: t.header[cols.director!]!, message: 'expected a Theme on the row: a director is accountable for a theme', got: p.director });
      }

      const { targets, observations } = readPeriodCells(r, p.unit, p.frequency!, slug);
      for (const tg of targets) valueKeys.set(`${slug}|${tg.periodKey}|target`, where(t.sheet, r.row));
      let baseline: RegisterIndicator['baseline'] = null;
      if (p.baseline || p.baselinePeriod) {
        const v = p.baseline ? readValueCell(p.baseline, p.unit) : null;
        baseline = { value: v?.ok && v.value ? v.value.value : null, period: p.baselinePeriod, text: p.baseline };
      }
      const ind: RegisterIndicator = {
        ref: p.ref,
        slug,
        name: p.name,
        definition: p.definition,
        theme: p.theme,
        ownerEmail: personEmail(p.owner, 'owner', existing?.ownerId ?? null),
        deputyEmail: personEmail(p.deputy, 'deputy', existing?.deputyId ?? null),
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
        baseline,
        targets,
        observations,
        alertChannels: p.alertChannel,
      };
      fileBySlug.set(slug, { row: at, ind });
      register.indicators.push(ind);
      origins.push({ sheet: t.sheet, row: r.row });
    }
  }

  // Themes with a director named on their rows (existing themes keep their short names).
  for (const [name, d] of themeDirectors) {
    const fromSheet = register.themes.find((t) => t.name === name);
    if (fromSheet) {
      // The themes sheet names the director; indicator rows may only agree with it.
      if (fromSheet.directorEmail && fromSheet.directorEmail !== d.email) issues.push({ sheet: null, row: null, column: 'Director', message: `expected one director for ${name}: the themes sheet (${sheetThemes.get(name)!.at}) gives ${fromSheet.directorEmail}, ${d.at} gives ${d.email}` });
      else fromSheet.directorEmail ??= d.email;
      continue;
    }
    const existing = known.themes.find((t) => t.name === name);
    register.themes.push({ name, slug: existing?.slug ?? (slugify(name, 40) || 'theme'), kind: 'theme', directorEmail: d.email });
  }

  // Values: one row per indicator and period.
  const values = new Map<string, { slug: string; targets: RegisterIndicator['targets']; observations: RegisterIndicator['observations'] }>();
  for (const t of byKind.values) {
    const { cols, used } = matchColumns(t.header, VALUE_COLUMNS);
    warnUnused(t, used, warnings);
    for (const [key, label] of [['indicator', 'Indicator'], ['period', 'Period']] as const) {
      if (cols[key] === undefined) issues.push({ sheet: t.sheet, row: t.headerRow, column: label, message: `expected an "${label}" column in the values sheet` });
    }
    if (cols.actual === undefined && cols.target === undefined) issues.push({ sheet: t.sheet, row: t.headerRow, column: 'Actual', message: 'expected an "Actual" or a "Target" column in the values sheet' });
    if (cols.indicator === undefined || cols.period === undefined || (cols.actual === undefined && cols.target === undefined)) continue;
    const schema = z.object({
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
    for (const r of t.rows) {
      rows.values++;
      const p = parseRow(t, r, cols, schema, issues);
      if (!p) continue;
      const col = (k: keyof typeof VALUE_COLUMNS) => (cols[k] === undefined ? k : t.header[cols[k]!]!);
      const id = p.indicator.trim();
      const inFile = fileBySlug.get(id.toLowerCase())?.ind ?? register.indicators.find((i) => i.ref?.toLowerCase() === id.toLowerCase());
      const inDb = knownBySlug.get(id.toLowerCase()) ?? knownByRef.get(id.toLowerCase());
      const ind = inFile ? { slug: inFile.slug, unit: inFile.unit, frequency: inFile.frequency } : inDb;
      if (!ind) {
        issues.push({ sheet: t.sheet, row: r.row, column: col('indicator'), message: 'expected the short name or reference of an indicator in the register or in this file', got: id });
        continue;
      }
      if (p.actual === null && p.target === null) {
        issues.push({ sheet: t.sheet, row: r.row, column: col('actual'), message: 'expected an actual value or a target; both are empty' });
        continue;
      }
      const entry = values.get(ind.slug) ?? { slug: ind.slug, targets: [], observations: [] };
      values.set(ind.slug, entry);
      for (const what of ['actual', 'target'] as const) {
        const s = p[what];
        if (!s) continue;
        if (!acceptsPeriod(ind.frequency, p.period, what)) {
          issues.push({ sheet: t.sheet, row: r.row, column: col('period'), message: `expected ${KIND_WORDS[periodKindFor(ind.frequency)]}: ${ind.slug} is reported ${FREQUENCY_WORDS[ind.frequency]}`, got: p.period.key });
          break;
        }
        const key = `${ind.slug}|${p.period.key}|${what}`;
        const earlier = valueKeys.get(key);
        if (earlier) {
          issues.push({ sheet: t.sheet, row: r.row, column: col(what), message: `expected one ${what} per indicator and period; ${earlier} gives ${ind.slug} ${p.period.key} too`, got: s });
          continue;
        }
        valueKeys.set(key, where(t.sheet, r.row, col(what)));
        if (what === 'target') {
          const v = readTargetCell(s, ind.unit);
          if (!v.ok) issues.push({ sheet: t.sheet, row: r.row, column: col('target'), message: v.error, got: s });
          else entry.targets.push({ periodKey: p.period.key, ...v.value });
        } else {
          const v = readValueCell(s, ind.unit);
          if (!v.ok) issues.push({ sheet: t.sheet, row: r.row, column: col('actual'), message: v.error, got: s });
          else if (v.value) {
            entry.observations.push({
              periodKey: p.period.key,
              value: v.value.value,
              estimated: v.value.estimated || p.estimated,
              provisional: v.value.provisional || p.provisional,
              note: p.note,
              assessedStatus: null,
            });
          }
        }
      }
    }
  }
  register.values = [...values.values()];

  return {
    register: Object.keys(settings).length ? { ...register, settings } : register,
    issues,
    warnings,
    unknownPeople: [...unknown].map(([who, w]) => ({ who, where: w })),
    rows,
    origins,
  };
}

function warnUnused(t: Table, used: Set<number>, warnings: string[]) {
  const unused = t.header.map((h, i) => ({ h, i })).filter(({ h, i }) => h && !used.has(i));
  if (unused.length) {
    warnings.push(`${t.sheet}: column${unused.length > 1 ? 's' : ''} ${unused.map(({ h, i }) => `${columnLetter(i)} "${h}"`).join(', ')} ${unused.length > 1 ? 'are' : 'is'} not used.`);
  }
}

/** One row through its zod schema: the parsed values, or null with each problem recorded against its column. */
function parseRow<S extends z.ZodType>(t: Table, r: TableRow, cols: Record<string, number | undefined>, schema: S, issues: ImportIssue[]): z.output<S> | null {
  const raw: Record<string, string | null> = {};
  for (const [key, i] of Object.entries(cols)) if (i !== undefined) raw[key] = r.cells[i]?.date ?? cellString(r.cells[i]);
  const shape = (schema as unknown as z.ZodObject).shape as Record<string, unknown>;
  for (const key of Object.keys(shape)) if (!(key in raw)) raw[key] = null;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '');
    const i = cols[key];
    issues.push({ sheet: t.sheet, row: r.row, column: i === undefined ? key : t.header[i]!, message: issue.message, ...(raw[key] ? { got: raw[key]! } : {}) });
  }
  return null;
}
