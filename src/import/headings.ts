// Which kind of sheet a table is and which of its columns is which: the headings councils use for
// each field (docs/performance-team.md, "Import", has the full mapping), and "Target <period>" / "Actual <period>" columns.
// Where a sheet's table is: its heading row is the first that reads as a known table's headings
// (below a council's title rows), and single-cell rows after it ("Source: …") are notes, not data.
import { parsePeriodLabel } from '../domain/periods.ts';
import type { Period } from '../domain/types.ts';
import { normalise } from './cells.ts';
import { identityColumns } from '../catalogue/platforms.ts';
import { columnLetter, headingsOf, ownCells, type Sheet, type Table, type TableRow } from './tables.ts';

export type SheetKind = 'indicators' | 'values' | 'people' | 'themes' | 'settings' | 'actions' | 'risks';

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
  /** Last year's outturn as the baseline: a count's whole-year figure (src/domain/baseline.ts). */
  /** A calculated indicator (src/domain/formula.ts): its formula, or a numerator and a denominator (× a multiplier; a % unit means × 100). */
  formula: ['formula', 'calculation', 'calculated as', 'calculated from'],
  numerator: ['numerator'],
  denominator: ['denominator'],
  multiplier: ['multiplier', 'multiply by', 'scale'],
  baselineOutturn: ['baseline outturn', 'outturn baseline', 'baseline last year s outturn', 'last year s outturn', 'previous year outturn', 'baseline previous year outturn'],
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

/** Every chat platform's user id column (the column names each platform's data in src/catalogue/ lists), from the platform catalogue. */
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

/** An Actions sheet: actions and milestones (Cheshire West's planned actions, Halton's Key Milestones). */
export const ACTION_COLUMNS = {
  ref: ['ref', 'reference', 'action ref', 'milestone ref', 'code', 'id'],
  title: ['action', 'milestone', 'milestones', 'key milestone', 'key milestones', 'title', 'task', 'commitment', 'planned action'],
  kind: ['type', 'kind', 'action or milestone'],
  description: ['description', 'detail', 'details'],
  theme: ['theme', 'outcome', 'outcome plan', 'work stream', 'workstream', 'business area', 'directorate', 'service', 'priority', 'objective'],
  owner: ['owner', 'owner email', 'lead officer', 'responsible officer', 'lead', 'officer'],
  deputy: ['deputy', 'deputy email', 'deputy owner'],
  start: ['start', 'start date', 'starts'],
  due: ['due', 'due date', 'deadline', 'target date', 'completion date', 'due by', 'revised due date', 'revised date'],
  originalDue: ['original due', 'original due date', 'original deadline', 'original date', 'original target date'],
  rephaseReason: ['reason', 'rephase reason', 're phase reason', 'reason for re phasing', 'reason for rephasing', 'reason for change'],
  progress: ['progress', 'status', 'current progress', 'rag', 'progress status'],
  percentComplete: ['% complete', 'percent complete', 'complete', 'completion', 'percentage complete'],
  commentary: ['commentary', 'supporting commentary', 'comment', 'comments', 'progress update', 'update'],
  period: ['period', 'quarter', 'reporting period'],
  indicators: ['indicators', 'indicator', 'linked indicators', 'related indicators', 'kpis', 'measures'],
  isKey: ['key', 'key action', 'key milestone flag', 'is key'],
  active: ['active', 'in use'],
} as const;

/**
 * A Risks sheet: a council's risk register (Trafford's CIP01–CIP10, a directorate risk register) — each
 * assessment as Likelihood and Impact columns, or one cell as councils print it ("4x3", "L4 I3", "4 x 3 = 12");
 * a Score column beside likelihood and impact is checked against them.
 */
export const RISK_COLUMNS = {
  ref: ['ref', 'reference', 'risk ref', 'risk reference', 'risk id', 'risk no', 'risk number', 'id', 'code'],
  title: ['risk', 'title', 'risk title', 'risk name', 'risk description', 'description of risk', 'risk event', 'the risk'],
  description: ['description', 'detail', 'details', 'cause', 'causes', 'cause and effect', 'causes and consequences', 'consequences', 'consequence'],
  theme: ['theme', 'outcome', 'outcome plan', 'directorate', 'service', 'business area', 'priority', 'objective', 'portfolio'],
  owner: ['owner', 'risk owner', 'owner email', 'lead officer', 'responsible officer', 'lead', 'officer'],
  deputy: ['deputy', 'deputy email', 'deputy owner', 'deputy risk owner'],
  inherentLikelihood: ['inherent likelihood', 'initial likelihood', 'gross likelihood', 'original likelihood', 'raw likelihood', 'likelihood before controls', 'inherent l'],
  inherentImpact: ['inherent impact', 'initial impact', 'gross impact', 'original impact', 'raw impact', 'impact before controls', 'inherent severity', 'inherent i'],
  inherent: ['inherent', 'inherent risk', 'inherent score', 'inherent rating', 'inherent risk score', 'inherent risk rating', 'initial risk', 'initial score', 'initial rating', 'gross risk', 'gross score', 'inherent l x i', 'inherent risk l x i', 'initial l x i', 'gross l x i', 'inherent l i', 'inherent risk l i'],
  likelihood: ['likelihood', 'current likelihood', 'residual likelihood', 'net likelihood', 'probability', 'current l'],
  impact: ['impact', 'current impact', 'residual impact', 'net impact', 'severity', 'current severity', 'current i'],
  current: ['current', 'current risk', 'current score', 'current rating', 'current risk score', 'current risk rating', 'residual risk', 'residual score', 'residual rating', 'net risk', 'net score', 'score', 'risk score', 'rating', 'risk rating', 'l x i', 'current l x i', 'residual l x i', 'current risk l x i', 'l i', 'current l i', 'residual l i'],
  targetLikelihood: ['target likelihood', 'future likelihood', 'target l'],
  targetImpact: ['target impact', 'future impact', 'target severity', 'target i'],
  target: ['target', 'target risk', 'target score', 'target rating', 'target risk score', 'target risk rating', 'target l x i', 'target risk l x i', 'target l i'],
  controls: ['controls', 'existing controls', 'controls in place', 'current controls', 'key controls', 'control measures', 'internal controls'],
  reviewMonths: ['review frequency', 'frequency of review', 'review cycle', 'reviewed', 'frequency'],
  actions: ['mitigating actions', 'mitigating action', 'actions', 'action refs', 'action ref', 'linked actions', 'mitigating action refs', 'further actions'],
  indicators: ['indicators', 'indicator', 'linked indicators', 'related indicators', 'kpis', 'measures', 'key indicators'],
  reviewedOn: ['review date', 'last reviewed', 'date reviewed', 'reviewed on', 'last review', 'last review date', 'date of review', 'date of last review', 'date of assessment', 'assessed on', 'as at'],
  commentary: ['commentary', 'review commentary', 'comment', 'comments', 'latest review', 'update', 'progress update', 'latest position', 'current position', 'review notes'],
  active: ['active', 'in use', 'open', 'risk status', 'status'],
} as const;

/** Headings only a risk register has: an assessment's likelihood or impact, inherent or residual risk. */
const RISK_MARK = /likelihood|impact|inherent|residual|probability|severity|\bl x i\b|\bl i$/;

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
  const riskMarked = [...norm].some((h) => RISK_MARK.test(h));
  if (riskMarked && has(...RISK_COLUMNS.ref, ...RISK_COLUMNS.title) && !has('polarity', 'freq', 'unit', 'units')) return 'risks';
  if (has(...ACTION_COLUMNS.title) && has(...ACTION_COLUMNS.due) && !has('polarity', 'frequency', 'freq')) return 'actions';
  if (has('period', 'quarter', 'month') && has(...VALUE_COLUMNS.indicator)) return 'values';
  const themeName = has(...THEME_COLUMNS.name.filter((n) => n !== 'name')) || (has('name') && /theme|outcome|directorate/.test(normalise(t.sheet)));
  if (themeName && has('alert channel', 'alert channels', 'alerts channel', 'alerts to', 'director') && !has('polarity', 'frequency', 'freq', 'email') && !t.header.some((h) => periodColumn(h) !== null)) return 'themes';
  if (has('polarity', 'frequency', 'freq', 'slug') || t.header.some((h) => periodColumn(h) !== null)) return 'indicators';
  if (has('email', 'email address') && has(...PEOPLE_COLUMNS.name)) return 'people';
  const sheet = normalise(t.sheet);
  if (/risk/.test(sheet)) return 'risks';
  if (/indicator|register|kpi/.test(sheet)) return 'indicators';
  if (/value|data|history|actual/.test(sheet)) return 'values';
  if (/people|person|owner|staff/.test(sheet)) return 'people';
  if (/theme|outcome|directorate/.test(sheet)) return 'themes';
  if (/setting|config/.test(sheet)) return 'settings';
  if (/action|milestone/.test(sheet)) return 'actions';
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

/** The headings of each kind of sheet, for telling a heading row from a title. */
const SPEC: Record<SheetKind, Record<string, readonly string[]>> = {
  indicators: INDICATOR_COLUMNS,
  values: VALUE_COLUMNS,
  people: PEOPLE_COLUMNS,
  themes: THEME_COLUMNS,
  settings: SETTINGS_COLUMNS,
  actions: ACTION_COLUMNS,
  risks: RISK_COLUMNS,
};

/** How far down a sheet its headings are looked for. */
const HEADINGS_WITHIN = 30;

/** A row reads as headings when its sheet kind is known and at least two of its cells are headings of that kind. */
function readsAsHeadings(sheet: string, header: string[], fy: number): boolean {
  const kind = kindOf({ sheet, header, headerRow: 0, rows: [], titleFrom: null, notes: [] });
  if (!kind) return false;
  const names = new Set(Object.values(SPEC[kind]).flat());
  let known = 0;
  for (const h of header) {
    if (!h) continue;
    const pc = kind === 'indicators' ? periodColumn(h, fy) : null;
    if (names.has(normalise(h)) || (pc && !('error' in pc))) known++;
  }
  return known >= 2;
}

/** The words notes below a table start with. */
const NOTE_WORDS = /^(source|sources|notes?|nb|n\.b|key|data (as at|source)|last updated|updated|produced|prepared|please|figures|\*|†|‡|¹|\(\d\)|\[\d\])/i;

/**
 * The rows at the end of a sheet that are notes rather than data: each one cell, and the first of
 * them set apart from the table by a blank row or starting as notes do ("Source:", "Note", "*").
 * On a themes sheet (where one cell is a whole row) only rows starting as notes do.
 */
function notesBelow(rows: TableRow[], onlyWords: boolean): number {
  let from = rows.length;
  while (from > 0 && ownCells(rows[from - 1]!).length === 1) from--;
  for (let i = from; i < rows.length; i++) {
    const text = String(ownCells(rows[i]!)[0]!.value).trim();
    const apart = i > 0 && rows[i]!.row > rows[i - 1]!.row + 1;
    if (NOTE_WORDS.test(text) || (apart && !onlyWords)) return i;
  }
  return rows.length;
}

/**
 * A sheet as a table: the headings are on the first row (of the first 30) that reads as a known
 * table's headings — rows above it are a title — else on the first row; notes below it are set aside.
 */
export function findTable(s: Sheet, fy = 4): Table {
  const within = s.rows.slice(0, HEADINGS_WITHIN);
  const found = within.findIndex((r) => readsAsHeadings(s.sheet, headingsOf(r), fy));
  const at = Math.max(found, 0);
  const head = s.rows[at]!;
  const body = s.rows.slice(at + 1);
  const table: Table = { sheet: s.sheet, header: headingsOf(head), headerRow: head.row, rows: body, titleFrom: at > 0 ? s.rows[0]!.row : null, notes: [] };
  const end = notesBelow(body, kindOf(table) === 'themes');
  return { ...table, rows: body.slice(0, end), notes: body.slice(end) };
}

const rowSpan = (from: number, to: number) => (from === to ? `row ${from}` : `rows ${from}–${to}`);
const reads = (from: number, to: number) => (from === to ? 'reads' : 'read');

/** What was set aside around a table, for the import's answer: "Indicators: headings found on row 3; rows 1–2 read as a title." */
export function layoutNotes(t: Table): string[] {
  const out: string[] = [];
  if (t.titleFrom !== null) out.push(`${t.sheet}: headings found on row ${t.headerRow}; ${rowSpan(t.titleFrom, t.headerRow - 1)} ${reads(t.titleFrom, t.headerRow - 1)} as a title.`);
  if (t.notes.length) {
    const first = String(ownCells(t.notes[0]!)[0]!.value).replace(/\s+/g, ' ').trim();
    const [from, to] = [t.notes[0]!.row, t.notes.at(-1)!.row];
    out.push(`${t.sheet}: ${rowSpan(from, to)}, below the table, ${reads(from, to)} as notes ("${first.length > 60 ? `${first.slice(0, 57)}…` : first}").`);
  }
  return out;
}
