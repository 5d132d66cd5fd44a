// A Risks sheet: a council's risk register as it keeps one — Trafford's CIP01–CIP10, a directorate's
// register reviewed each quarter — one row per risk: ref, the risk, owner and deputy, its inherent,
// current and target likelihood × impact (separate Likelihood and Impact columns, or one cell as
// councils print it: "4x3", "L4 I3", "4 x 3 = 12"; a Score column beside them is checked against
// them), controls, how often it is reviewed, the actions mitigating it and the indicators watching it,
// and the review that gave its current score (its date and commentary). Each row is read with zod and
// every problem named by sheet, row and column.
import { z } from 'zod';
import { parseDay } from '../domain/dates.ts';
import { OPTIONAL_RISK_FIELDS, type OptionalRiskField, type RegisterRisk } from '../register/types.ts';
import { normalise, optionalText, requiredText } from './cells.ts';
import { matchColumns, RISK_COLUMNS, warnUnused, type Columns } from './headings.ts';
import { parseRow, type ImportIssue } from './rows.ts';
import type { Table, TableRow } from './tables.ts';

export interface RiskReading {
  /** The top of the likelihood and impact scale (the risk-scale setting: this file's, else the register's). */
  scale: number;
  issues: ImportIssue[];
  warnings: string[];
  /** Counts a row read. */
  count(): void;
  /** A person's e-mail for a name, e-mail or chat id on a row; undefined (and noted) when nobody matches. */
  resolve(who: string, role: string): string | undefined;
  /** The short name of an indicator in the file or the register, by short name or reference; null when none. */
  indicatorSlug(id: string): string | null;
  /** The ref of an action in the file or the register (as it is written there); null when none. */
  actionRef(ref: string): string | null;
}

type Pair = { likelihood: number; impact: number };

/** A likelihood or impact as councils write one: 4, "4 - Likely", "Likely (4)"; null when it holds no number. */
export function readLevel(text: string): number | null {
  const t = text.trim();
  const m = /^(\d+)(?:\.0+)?(?:\s*[-–:(]\s*[a-z][a-z ]*\)?)?$/i.exec(t) ?? /^[a-z][a-z ]*[\s–-]*\(\s*(\d+)\s*\)$/i.exec(t);
  return m ? Number(m[1]) : null;
}

/**
 * One cell holding an assessment as councils print it: "4x3", "4 × 3", "L4 x I3", "L4 I3", "L=4, I=3",
 * "4 x 3 = 12", "4x3 (12) High", "12 (4x3)" → likelihood and impact (and the score printed beside
 * them, to check); "12" or "12 High" → a score alone; null when it is neither ("High").
 */
export function readAssessment(text: string): (Pair & { score: number | null }) | { score: number } | null {
  const t = text.trim().replace(/\s+/g, ' ');
  const pair = /^(?:l\s*[=:]?\s*)?(\d+)\s*(?:[x×*]|by)\s*(?:i\s*[=:]?\s*)?(\d+)(?:\s*(?:=\s*(\d+)|\(\s*(\d+)\s*\)))?(?:\s+[a-z][a-z ]*)?$/i.exec(t);
  if (pair) return { likelihood: Number(pair[1]), impact: Number(pair[2]), score: pair[3] ?? pair[4] ? Number(pair[3] ?? pair[4]) : null };
  const named = /^l\s*[=:]?\s*(\d+)\s*[,;/]?\s*i\s*[=:]?\s*(\d+)$/i.exec(t);
  if (named) return { likelihood: Number(named[1]), impact: Number(named[2]), score: null };
  const scoreFirst = /^(\d+)\s*\(\s*(?:l\s*)?(\d+)\s*[x×*]\s*(?:i\s*)?(\d+)\s*\)(?:\s+[a-z][a-z ]*)?$/i.exec(t);
  if (scoreFirst) return { likelihood: Number(scoreFirst[2]), impact: Number(scoreFirst[3]), score: Number(scoreFirst[1]) };
  const score = /^(\d+)(?:\.0+)?(?:\s*[-–(]?\s*[a-z][a-z ]*\)?)?$/i.exec(t);
  return score ? { score: Number(score[1]) } : null;
}

/** How often a risk is reviewed, in months: quarterly, monthly, six-monthly, annually, "every 2 months", "3". */
export function readReviewMonths(text: string): number | null {
  const t = normalise(text);
  const words: Record<string, number> = {
    monthly: 1, month: 1, 'every month': 1, 'bi monthly': 2, bimonthly: 2, quarterly: 3, quarter: 3, 'every quarter': 3, q: 3,
    'six monthly': 6, '6 monthly': 6, 'half yearly': 6, 'bi annually': 6, 'bi annual': 6, biannually: 6, 'twice yearly': 6, 'twice a year': 6,
    annually: 12, annual: 12, yearly: 12, 'every year': 12, 'once a year': 12,
  };
  if (t in words) return words[t]!;
  const m = /^(?:every )?(\d+)(?: months?| monthly)?$/.exec(t);
  const n = m ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 12 ? n : null;
}

const ACTIVE: Record<string, boolean> = {
  yes: true, y: true, true: true, '1': true, active: true, open: true, live: true, current: true,
  no: false, n: false, false: false, '0': false, inactive: false, closed: false, archived: false, retired: false, 'no longer a risk': false,
};

/** parseDay reads a day with its year the same whatever "today" is; a register is not dated. */
const UNDATED = '1970-01-01';

const ROW = z.object({
  ref: requiredText('the risk’s reference (e.g. CIP06)').refine((s) => s.trim().length <= 24, 'expected a reference of at most 24 characters'),
  title: requiredText('what the risk is'),
  description: optionalText,
  theme: optionalText,
  owner: optionalText,
  deputy: optionalText,
  inherentLikelihood: optionalText,
  inherentImpact: optionalText,
  inherent: optionalText,
  likelihood: optionalText,
  impact: optionalText,
  current: optionalText,
  targetLikelihood: optionalText,
  targetImpact: optionalText,
  target: optionalText,
  controls: optionalText,
  reviewMonths: optionalText.transform((s, ctx) => {
    if (s === null) return 3;
    const n = readReviewMonths(s);
    if (n === null) {
      ctx.addIssue({ code: 'custom', message: 'expected how often it is reviewed: monthly, quarterly, six-monthly, annually or a number of months from 1 to 12' });
      return z.NEVER;
    }
    return n;
  }),
  actions: optionalText,
  indicators: optionalText,
  reviewedOn: optionalText.transform((s, ctx) => {
    if (s === null) return null;
    const d = parseDay(s.trim(), UNDATED);
    if (!d || !/\d{4}|\d[/.-]\d{1,2}[/.-]\d{2}$/.test(s)) {
      ctx.addIssue({ code: 'custom', message: 'expected the day of the review with its year, such as 14/12/2017 or 14 December 2017' });
      return z.NEVER;
    }
    return d;
  }),
  commentary: optionalText.refine((s) => s === null || s.length <= 4000, 'expected commentary of at most 4,000 characters'),
  active: optionalText.transform((s, ctx) => {
    if (s === null) return true;
    const v = ACTIVE[normalise(s)];
    if (v === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected yes or no (also open or closed)' });
      return z.NEVER;
    }
    return v;
  }),
});
type Row = z.output<typeof ROW>;
type Col = keyof typeof RISK_COLUMNS;
/** Every column as its text. */
const TEXT = z.object(Object.fromEntries(Object.keys(RISK_COLUMNS).map((k) => [k, optionalText])) as Record<Col, typeof optionalText>);
type Text = z.output<typeof TEXT>;

/** The three assessments of a row, each from its likelihood and impact columns or its one combined cell. */
const ASSESSMENTS = [
  { name: 'inherent', l: 'inherentLikelihood', i: 'inherentImpact', both: 'inherent', words: 'inherent' },
  { name: 'current', l: 'likelihood', i: 'impact', both: 'current', words: 'current' },
  { name: 'target', l: 'targetLikelihood', i: 'targetImpact', both: 'target', words: 'target' },
] as const;

/** The register fields a Risks sheet's columns give: the others keep what the register has. */
const COLUMN_FIELDS: Partial<Record<Col, OptionalRiskField>> = {
  description: 'description',
  theme: 'theme',
  owner: 'ownerEmail',
  deputy: 'deputyEmail',
  controls: 'controls',
  inherentLikelihood: 'inherent',
  inherentImpact: 'inherent',
  inherent: 'inherent',
  targetLikelihood: 'target',
  targetImpact: 'target',
  target: 'target',
  reviewMonths: 'reviewMonths',
  actions: 'actions',
  indicators: 'indicators',
  active: 'active',
};

function givenFields(cols: Columns<typeof RISK_COLUMNS>): OptionalRiskField[] {
  return OPTIONAL_RISK_FIELDS.filter((f) => Object.entries(COLUMN_FIELDS).some(([k, v]) => v === f && cols[k as Col] !== undefined));
}

/** Risks sheets: each row a risk with, when it gives a current likelihood and impact, the review that gave them. */
export function readRisks(tables: Table[], r: RiskReading): RegisterRisk[] {
  const out: RegisterRisk[] = [];
  const seen = new Map<string, string>();
  for (const t of tables) {
    const { cols, used } = matchColumns(t.header, RISK_COLUMNS);
    warnUnused(t, used, r.warnings);
    const missing = (['ref', 'title'] as const).filter((k) => cols[k] === undefined);
    for (const k of missing) r.issues.push({ sheet: t.sheet, row: t.headerRow, column: { ref: 'Ref', title: 'Risk' }[k], message: `expected a "${{ ref: 'Ref', title: 'Risk' }[k]}" column in the risks sheet (${{ ref: 'the reference each risk is known by, such as CIP06', title: 'what the risk is' }[k]})` });
    if (missing.length) continue;
    const given = givenFields(cols);
    for (const row of t.rows) {
      r.count();
      // The cells as text first (never a problem), so a row's assessments are checked even when another of its cells is wrong.
      const text = parseRow(t, row, cols, TEXT, [])!;
      const p = parseRow(t, row, cols, ROW, r.issues);
      const risk = readRow(t, row, cols, text, p, given, r, seen);
      if (risk) out.push(risk);
    }
  }
  return out;
}

/** A row as the register's risk; null when anything on it is wrong (each problem recorded), `p` null when its cells did not read. */
function readRow(t: Table, row: TableRow, cols: Columns<typeof RISK_COLUMNS>, text: Text, p: Row | null, given: OptionalRiskField[], r: RiskReading, seen: Map<string, string>): RegisterRisk | null {
  const at = `${t.sheet} row ${row.row}`;
  const before = r.issues.length;
  const heading = (c: Col) => (cols[c] === undefined ? null : t.header[cols[c]!]!);
  const issue = (c: Col, message: string, got?: string | null) => r.issues.push({ sheet: t.sheet, row: row.row, column: heading(c) ?? c, message, ...(got ? { got } : {}) });
  const ref = text.ref?.trim() ?? '';
  const key = ref.toLowerCase();
  if (ref && seen.has(key)) {
    issue('ref', `expected each risk once; ${ref} is also on ${seen.get(key)}`, ref);
    return null;
  }
  if (ref) seen.set(key, at);

  const assessed: Partial<Record<'inherent' | 'current' | 'target', Pair>> = {};
  for (const a of ASSESSMENTS) {
    const pair = readPair(text, a, heading, issue, r.scale);
    if (pair) assessed[a.name] = pair;
  }
  const actions: string[] = [];
  for (const id of list(text.actions)) {
    const found = r.actionRef(id);
    if (found) actions.push(found);
    else issue('actions', `expected the ref of an action in the register or this file’s Actions sheet; there is none called "${id}"`);
  }
  const indicators: string[] = [];
  for (const id of list(text.indicators)) {
    const slug = r.indicatorSlug(id);
    if (slug) indicators.push(slug);
    else issue('indicators', `expected the short name or reference of an indicator in the register or this file; there is none called "${id}"`);
  }
  if (!p) return null;

  const reviews: RegisterRisk['reviews'] = [];
  const reviewColumn: Col = cols.reviewedOn !== undefined ? 'reviewedOn' : cols.current !== undefined ? 'current' : 'likelihood';
  if (assessed.current && p.reviewedOn) reviews.push({ reviewedOn: p.reviewedOn, ...assessed.current, commentary: p.commentary ?? '' });
  else if (assessed.current) issue(reviewColumn, 'expected the day of the review that gave the current likelihood and impact (a "Review date" column, such as 14/12/2017), so it is kept as that review');
  else if (r.issues.length === before && (p.reviewedOn || p.commentary)) {
    const what = cols.likelihood !== undefined || cols.current !== undefined ? (cols.current !== undefined ? 'current' : 'likelihood') : null;
    issue(what ?? (p.reviewedOn ? 'reviewedOn' : 'commentary'), `expected the current likelihood and impact the review${p.reviewedOn ? ` of ${p.reviewedOn}` : ''} gave${what ? '' : ' (Likelihood and Impact columns, or one such as "Current risk" holding 4x3)'}`);
  }

  if (r.issues.length > before) return null;
  const person = (who: string | null, role: string) => (who ? (r.resolve(who, `${role} of ${ref} (${at})`) ?? null) : null);
  return {
    ref,
    title: p.title.trim(),
    description: p.description,
    theme: p.theme,
    ownerEmail: person(p.owner, 'owner'),
    deputyEmail: person(p.deputy, 'deputy'),
    controls: p.controls,
    inherent: assessed.inherent ?? null,
    target: assessed.target ?? null,
    reviewMonths: p.reviewMonths,
    active: p.active,
    actions: [...new Set(actions)],
    indicators: [...new Set(indicators)],
    reviews,
    given,
  };
}

const list = (s: string | null) => (s ?? '').split(/[,;\n]+/).map((x) => x.trim()).filter(Boolean);

/** One assessment of a row: its likelihood and impact columns, else its combined cell; null (with issues) when not given or unreadable. */
function readPair(p: Text, a: (typeof ASSESSMENTS)[number], heading: (c: Col) => string | null, issue: (c: Col, message: string, got?: string | null) => void, scale: number): Pair | null {
  const [lText, iText, both] = [p[a.l], p[a.i], p[a.both]];
  const onScale = (n: number, c: Col, what: string) => {
    if (n >= 1 && n <= scale) return true;
    issue(c, `expected ${what} from 1 to ${scale} (the risk-scale setting)`, String(n));
    return false;
  };
  const level = (text: string, c: Col, what: string): number | null => {
    const n = readLevel(text);
    if (n === null) {
      issue(c, `expected ${what} as a number from 1 to ${scale}, such as 4 or "4 - Likely" (a word alone, such as High, is a rating, not a score)`, text);
      return null;
    }
    return onScale(n, c, what) ? n : null;
  };
  if (lText !== null || iText !== null) {
    if (lText === null) issue(a.l, `expected the ${a.words} likelihood beside its impact; the cell is empty`);
    if (iText === null) issue(a.i, `expected the ${a.words} impact beside its likelihood; the cell is empty`);
    if (lText === null || iText === null) return null;
    const likelihood = level(lText, a.l, `the ${a.words} likelihood`);
    const impact = level(iText, a.i, `the ${a.words} impact`);
    if (likelihood === null || impact === null) return null;
    if (both !== null) {
      const check = readAssessment(both);
      const agrees = check !== null && ('likelihood' in check ? check.likelihood === likelihood && check.impact === impact : check.score === likelihood * impact);
      if (!agrees) issue(a.both, `expected ${likelihood}×${impact} = ${likelihood * impact}, as the ${heading(a.l)} and ${heading(a.i)} columns give`, both);
    }
    return { likelihood, impact };
  }
  if (both === null) return null;
  const read = readAssessment(both);
  if (read === null || !('likelihood' in read)) {
    const why = read === null ? 'a word alone, such as High, is a rating, not a score' : `a score of ${read.score} alone does not say which likelihood and impact (or give ${a.words === 'current' ? 'Likelihood and Impact' : `${a.words} likelihood and impact`} columns)`;
    issue(a.both, `expected the ${a.words} likelihood × impact, such as 4x3 or L4 I3: ${why}`, both);
    return null;
  }
  if (read.score !== null && read.score !== read.likelihood * read.impact) {
    issue(a.both, `expected the score printed beside ${read.likelihood}×${read.impact} to be ${read.likelihood * read.impact}`, both);
    return null;
  }
  const ok = onScale(read.likelihood, a.both, `the ${a.words} likelihood`) && onScale(read.impact, a.both, `the ${a.words} impact`);
  return ok ? { likelihood: read.likelihood, impact: read.impact } : null;
}
