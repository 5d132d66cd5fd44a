// Which kind of sheet a table is and which of its columns is which: the headings councils use for
// each field (README "Import" has the full mapping), and "Target <period>" / "Actual <period>" columns.
import { parsePeriodLabel } from '../domain/periods.ts';
import type { Period } from '../domain/types.ts';
import { normalise } from './cells.ts';
import { identityColumns } from '../platforms/catalogue.ts';
import { columnLetter, type Table } from './tables.ts';

export type SheetKind = 'indicators' | 'values' | 'people' | 'themes' | 'settings';

export const INDICATOR_COLUMNS = {
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

export const VALUE_COLUMNS = {
  indicator: ['indicator', 'slug', 'ref', 'reference', 'short name', 'indicator slug', 'indicator ref'],
  period: ['period', 'quarter', 'month', 'year'],
  actual: ['actual', 'value', 'result', 'performance'],
  target: ['target'],
  estimated: ['estimated', 'estimate', 'est'],
  provisional: ['provisional', 'prov', 'subject to verification'],
  note: ['note', 'notes', 'comment', 'commentary'],
} as const;

/** The field a platform's user id column is read into: "<platform>" → "<platform>UserId". */
export const identityField = (platform: string): `${string}UserId` => `${platform}UserId`;

/** Every chat platform's user id column (the column names each platform's about.ts lists), from the platform catalogue. */
export const IDENTITY_COLUMNS = identityColumns();

export const PEOPLE_COLUMNS = {
  name: ['name', 'display name', 'full name', 'person'],
  email: ['email', 'email address', 'e mail'],
  previousEmail: ['previous email', 'previous email address', 'old email', 'former email', 'email was'],
  role: ['role'],
  ...(Object.fromEntries(IDENTITY_COLUMNS.map((c) => [identityField(c.platform), c.columns])) as Record<`${string}UserId`, readonly string[]>),
  deputyEmail: ['deputy', 'deputy email'],
  absentUntil: ['absent until', 'away until', 'out of office until', 'absent', 'away'],
} as const;

export const THEME_COLUMNS = {
  name: ['theme', 'name', 'theme name', 'outcome', 'outcome plan', 'directorate', 'service', 'priority'],
  slug: ['slug', 'short name', 'key'],
  director: ['director', 'director email', 'lead director', 'accountable director'],
  alertChannel: ['alert channel', 'alert channels', 'alerts channel', 'alerts to', 'channel'],
} as const;

export const SETTINGS_COLUMNS = {
  setting: ['setting', 'name', 'option'],
  value: ['value', 'setting value'],
} as const;

export type Columns<T> = { -readonly [K in keyof T]?: number };

/** Each field's column: the first heading that is one of its names, each heading used once. */
export function matchColumns<T extends Record<string, readonly string[]>>(header: string[], spec: T): { cols: Columns<T>; used: Set<number> } {
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

/** The kind of sheet, by its headings, then by its name. */
export function kindOf(t: Table): SheetKind | null {
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

/** A warning naming the columns no field took. */
export function warnUnused(t: Table, used: Set<number>, warnings: string[]) {
  const unused = t.header.map((h, i) => ({ h, i })).filter(({ h, i }) => h && !used.has(i));
  if (unused.length) {
    warnings.push(`${t.sheet}: column${unused.length > 1 ? 's' : ''} ${unused.map(({ h, i }) => `${columnLetter(i)} "${h}"`).join(', ')} ${unused.length > 1 ? 'are' : 'is'} not used.`);
  }
}
