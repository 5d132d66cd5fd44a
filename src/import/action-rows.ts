// An Actions sheet: actions and milestones as councils list them — Cheshire West's planned actions
// (ref, action, outcome plan, owner, due, status, reason for re-phasing) and Halton's Key Milestones
// (Ref, Milestones, Progress, Supporting Commentary). Each row is read with zod and every problem
// named by sheet, row and column; a due date is a date or a period (its last day); progress is read in
// the words councils use and needs the quarter it is for.
import { z } from 'zod';
import { leadingProgress, readProgress, type Progress } from '../domain/actions.ts';
import { parseDay } from '../domain/dates.ts';
import { parsePeriodLabel } from '../domain/periods.ts';
import { OPTIONAL_ACTION_FIELDS, type OptionalActionField, type RegisterAction } from '../register/types.ts';
import { optionalText, requiredText, yesNo } from './cells.ts';
import { ACTION_COLUMNS, matchColumns, warnUnused, type Columns } from './headings.ts';
import { parseRow, type ImportIssue } from './rows.ts';
import type { Table } from './tables.ts';

export interface ActionReading {
  fy: number;
  issues: ImportIssue[];
  warnings: string[];
  /** Counts a row read. */
  count(): void;
  /** A person's e-mail for a name, e-mail or chat id on a row; undefined (and noted) when nobody matches. */
  resolve(who: string, role: string): string | undefined;
  /** The short name of an indicator in the file or the register, by short name or reference; null when none. */
  indicatorSlug(id: string): string | null;
}

/** parseDay reads a day with its year the same whatever "today" is; a register is not dated, so no other day is read. */
const UNDATED = '1970-01-01';

/**
 * A day as councils write one — 2014-03-31, 31/03/2014, 31 March 2014 (src/domain/dates.ts parseDay,
 * only with its year) — or a month or period, meaning its last day: March 2014, 2013/14 Q4, 2013/14.
 */
export function readDueDay(text: string, fy: number): string | null {
  const t = text.trim();
  const day = /\d{4}|\d[/.-]\d{1,2}[/.-]\d{2}$/.test(t) ? parseDay(t, UNDATED) : null;
  if (day) return day;
  const p = parsePeriodLabel(t, fy);
  return p.ok ? p.value.end : null;
}

const day = (what: string, required: boolean, fy: number) =>
  optionalText.transform((s, ctx) => {
    if (s === null) {
      if (required) ctx.addIssue({ code: 'custom', message: `expected ${what}; the cell is empty` });
      return required ? z.NEVER : null;
    }
    const d = readDueDay(s, fy);
    if (!d) {
      ctx.addIssue({ code: 'custom', message: `expected ${what}: a date such as 31/03/2014 or 31 March 2014, a month such as March 2014, or a period such as 2013/14 Q4` });
      return z.NEVER;
    }
    return d;
  });

const progressCell = optionalText.transform((s, ctx) => {
  if (s === null) return null;
  const p = readProgress(s);
  if (!p) {
    ctx.addIssue({ code: 'custom', message: 'expected the progress: on target, at risk, off track, not started, delivered or no longer viable (also green, amber, red)' });
    return z.NEVER;
  }
  return p;
});

const percentCell = optionalText.transform((s, ctx) => {
  if (s === null) return null;
  const n = Number(s.replace(/%$/, '').trim());
  // A cell formatted as a percentage reads as 40% already; a bare fraction 0.4 is 40 %.
  const pct = /%$/.test(s) ? n : n > 0 && n < 1 ? n * 100 : n;
  if (!Number.isFinite(pct) || pct < 0 || pct > 100) {
    ctx.addIssue({ code: 'custom', message: 'expected a percentage complete from 0% to 100%' });
    return z.NEVER;
  }
  return Math.round(pct);
});

const rowSchema = (fy: number) =>
  z.object({
    ref: requiredText('the action’s reference (e.g. EEP 02)').refine((s) => s.length <= 40, 'expected a reference of at most 40 characters'),
    title: requiredText('what the action or milestone is'),
    kind: optionalText.transform((s, ctx) => {
      if (s === null) return null;
      if (/^milestones?$/i.test(s.trim())) return 'milestone' as const;
      if (/^(actions?|tasks?|commitments?)$/i.test(s.trim())) return 'action' as const;
      ctx.addIssue({ code: 'custom', message: 'expected action or milestone' });
      return z.NEVER;
    }),
    description: optionalText,
    theme: optionalText,
    owner: optionalText,
    deputy: optionalText,
    start: day('the start date', false, fy),
    due: day('the due date', true, fy),
    originalDue: day('the original due date', false, fy),
    rephaseReason: optionalText,
    progress: progressCell,
    percentComplete: percentCell,
    commentary: optionalText,
    period: optionalText,
    indicators: optionalText,
    isKey: yesNo(false),
    active: yesNo(true),
  });

/** The register fields an Actions sheet's columns give: the others keep what the register has. */
const COLUMN_FIELDS: Partial<Record<keyof typeof ACTION_COLUMNS, OptionalActionField>> = {
  kind: 'kind',
  description: 'description',
  theme: 'theme',
  owner: 'ownerEmail',
  deputy: 'deputyEmail',
  start: 'start',
  originalDue: 'originalDue',
  rephaseReason: 'rephaseReason',
  isKey: 'isKey',
  active: 'active',
  indicators: 'indicators',
};

function givenFields(cols: Columns<typeof ACTION_COLUMNS>): OptionalActionField[] {
  return OPTIONAL_ACTION_FIELDS.filter((f) => Object.entries(COLUMN_FIELDS).some(([k, v]) => v === f && cols[k as keyof typeof ACTION_COLUMNS] !== undefined));
}

/** Actions sheets: each row an action with, when it has a Progress, that quarter's update. */
export function readActions(tables: Table[], r: ActionReading): RegisterAction[] {
  const out: RegisterAction[] = [];
  const seen = new Map<string, string>();
  const schema = rowSchema(r.fy);
  for (const t of tables) {
    const { cols, used } = matchColumns(t.header, ACTION_COLUMNS);
    warnUnused(t, used, r.warnings);
    const missing = (['ref', 'title', 'due'] as const).filter((k) => cols[k] === undefined);
    for (const k of missing) r.issues.push({ sheet: t.sheet, row: t.headerRow, column: { ref: 'Ref', title: 'Action', due: 'Due' }[k], message: `expected a "${{ ref: 'Ref', title: 'Action', due: 'Due' }[k]}" column in the actions sheet (${{ ref: 'the reference each action is known by', title: 'what the action or milestone is', due: 'when it is due: a date or a period' }[k]})` });
    if (missing.length) continue;
    const defaultKind = /milestone/i.test(t.header[cols.title!]!) || /milestone/i.test(t.sheet) ? 'milestone' : 'action';
    const given = givenFields(cols);
    for (const row of t.rows) {
      r.count();
      const p = parseRow(t, row, cols, schema, r.issues);
      if (!p) continue;
      const at = `${t.sheet} row ${row.row}`;
      const issue = (column: keyof typeof ACTION_COLUMNS, message: string, got?: string) => r.issues.push({ sheet: t.sheet, row: row.row, column: t.header[cols[column]!] ?? column, message, ...(got ? { got } : {}) });
      const key = p.ref.toLowerCase();
      if (seen.has(key)) {
        issue('ref', `expected each action once; ${p.ref} is also on ${seen.get(key)}`, p.ref);
        continue;
      }
      seen.set(key, at);
      const person = (who: string | null, role: string) => (who ? (r.resolve(who, `${role} of ${p.ref} (${at})`) ?? null) : null);
      const indicators: string[] = [];
      for (const id of (p.indicators ?? '').split(/[,;\n]+/).map((s) => s.trim()).filter(Boolean)) {
        const slug = r.indicatorSlug(id);
        if (slug) indicators.push(slug);
        else issue('indicators', `expected the short name or reference of an indicator in the register or this file; there is none called "${id}"`);
      }
      if (p.start && p.start > p.due!) issue('start', `expected a start no later than the due date (${p.due})`, p.start);
      // Progress: the words may lead the commentary ("On target – contract signed").
      let progress: Progress | null = p.progress;
      let commentary = p.commentary ?? '';
      if (!progress && commentary && cols.progress === undefined) {
        const lead = leadingProgress(commentary.replace(/^[\s–-]+/, ''));
        if (lead) ({ progress, rest: commentary } = { progress: lead.progress, rest: lead.rest.replace(/^[\s:–-]+/, '') });
      }
      const updates: RegisterAction['updates'] = [];
      if (progress) {
        const period = p.period ? parsePeriodLabel(p.period, r.fy) : null;
        if (!p.period) issue(cols.period === undefined ? 'progress' : 'period', 'expected the quarter this progress is for (a "Period" column such as 2013/14 Q2), so it is not taken as another quarter’s');
        else if (!period!.ok || period!.value.kind !== 'quarter') issue('period', 'expected a quarter such as 2013/14 Q2 (progress is given quarter by quarter)', p.period);
        else updates.push({ periodKey: period!.value.key, progress, percentComplete: p.percentComplete, commentary });
      } else if (p.commentary && cols.progress !== undefined) issue('progress', 'expected the progress the commentary goes with (on target, at risk, off track, not started, delivered or no longer viable)');
      out.push({
        ref: p.ref,
        kind: p.kind ?? defaultKind,
        title: p.title,
        description: p.description,
        theme: p.theme,
        ownerEmail: person(p.owner, 'owner'),
        deputyEmail: person(p.deputy, 'deputy'),
        start: p.start,
        due: p.due!,
        originalDue: p.originalDue,
        rephaseReason: p.rephaseReason,
        isKey: p.isKey,
        active: p.active,
        indicators: [...new Set(indicators)],
        updates,
        given,
      });
    }
  }
  return out;
}
