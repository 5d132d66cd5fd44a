// Calculated indicators in an indicators sheet: a Formula column, or Numerator and Denominator
// columns (× a Multiplier; a % unit with no multiplier means × 100). Read once every indicator of the
// file is known, so a formula may name one further down: each name must be an indicator (short name
// or reference, of this file or the register), never the row's own, of the same frequency, in no
// cycle, and the units must not be nonsense (src/domain/formula.ts). The formula is stored with
// short names; a calculated indicator's values come from its inputs, so a value given for it here is
// refused at its cell.
import { findCycle, formatFormula, formulaRefs, parseFormula, ratioFormula, renameRefs, unitProblem, type Formula } from '../domain/formula.ts';
import { FREQUENCY_WORDS } from '../domain/periods.ts';
import type { Frequency } from '../domain/types.ts';
import type { RegisterIndicator } from '../register/types.ts';
import type { ImportIssue } from './rows.ts';

interface Cell {
  text: string;
  /** Its column's heading. */
  column: string;
}

/** A row's formula cells as given. */
export interface FormulaCells {
  slug: string;
  sheet: string;
  row: number;
  unit: string;
  formula: Cell | null;
  numerator: Cell | null;
  denominator: Cell | null;
  multiplier: Cell | null;
}

interface Context {
  issues: ImportIssue[];
  /** A short name or reference → the indicator's short name (this file's or the register's); null: none. */
  indicatorSlug: (id: string) => string | null;
  inFile: (slug: string) => RegisterIndicator | null;
  known: (slug: string) => { unit: string; frequency: Frequency; formula?: string | null } | null;
  /** `slug|period|actual` → where a value was given. */
  valueKeys: ReadonlyMap<string, { sheet: string; row: number; column: string | null }>;
}

/** "× 100", "x100", "100" → 100; null when it is not a number. */
function multiplierOf(text: string): number | null {
  const s = text.trim().replace(/^[×x*]\s*/i, '').replace(/,/g, '');
  return /^\d+(\.\d+)?$/.test(s) && Number(s) > 0 ? Number(s) : null;
}

/** The formula a row gives, as written (names not yet resolved); null with an issue when it cannot be read. */
function written(c: FormulaCells, issue: (column: string, message: string, got?: string) => void): { formula: Formula; column: string } | null {
  if (c.formula) {
    const other = c.numerator ?? c.denominator;
    if (other) return issue(other.column, `expected a Formula or a Numerator and Denominator, not both; this row has a Formula (${c.formula.text})`, other.text), null;
    const p = parseFormula(c.formula.text);
    if (!p.ok) return issue(c.formula.column, `expected a formula over other indicators (e.g. staff-days-lost / average-fte): ${p.error}`, c.formula.text), null;
    return { formula: p.formula, column: c.formula.column };
  }
  if (!c.numerator || !c.denominator) {
    const given = c.numerator ?? c.denominator ?? c.multiplier!;
    const missing = !c.numerator ? 'Numerator' : 'Denominator';
    return issue(given.column, `expected a ${missing} too: a calculated indicator is a numerator / a denominator (or a Formula)`, given.text), null;
  }
  let multiplier = c.unit.trim() === '%' ? 100 : 1;
  if (c.multiplier) {
    const m = multiplierOf(c.multiplier.text);
    if (m === null) return issue(c.multiplier.column, 'expected a multiplier such as 100 (for a percentage) or 1000', c.multiplier.text), null;
    multiplier = m;
  }
  return { formula: ratioFormula(c.numerator.text.trim(), c.denominator.text.trim(), multiplier), column: c.numerator.column };
}

export function readFormulas(cells: FormulaCells[], ctx: Context): void {
  const read = new Map<string, { formula: Formula; column: string; at: FormulaCells }>();
  for (const c of cells) {
    const issue = (column: string, message: string, got?: string) => ctx.issues.push({ sheet: c.sheet, row: c.row, column, message, ...(got !== undefined ? { got } : {}) });
    const w = written(c, issue);
    if (!w) continue;
    const own = ctx.inFile(c.slug)!;
    let ok = true;
    const slugs = new Map<string, string>();
    for (const ref of formulaRefs(w.formula)) {
      const slug = ctx.indicatorSlug(ref);
      if (!slug) {
        issue(w.column, `expected the short name or reference of an indicator in the register or in this file; there is no ${ref} (write minus with spaces: "a - b")`, ref);
        ok = false;
        continue;
      }
      if (slug === c.slug) {
        issue(w.column, `expected a formula over other indicators; ${c.slug} cannot be calculated from itself`, ref);
        ok = false;
        continue;
      }
      const input = ctx.inFile(slug) ?? ctx.known(slug);
      if (input && input.frequency !== own.frequency) {
        issue(w.column, `expected inputs reported ${FREQUENCY_WORDS[own.frequency]}, like ${c.slug}: ${slug} is reported ${FREQUENCY_WORDS[input.frequency]}`, ref);
        ok = false;
      }
      slugs.set(ref, slug);
    }
    if (!ok) continue;
    const formula = renameRefs(w.formula, (ref) => slugs.get(ref)!);
    const units = unitProblem(formula, (slug) => (ctx.inFile(slug) ?? ctx.known(slug))?.unit, c.unit);
    if (units) {
      issue(w.column, `expected a formula whose units make sense: ${units}`, formatFormula(w.formula));
      continue;
    }
    read.set(c.slug, { formula, column: w.column, at: c });
  }

  // Cycles among this file's formulas and the register's (a row without a Formula column keeps its own).
  const graph = new Map<string, string[]>();
  for (const [slug, f] of read) graph.set(slug, formulaRefs(f.formula));
  const registerFormula = (slug: string): string[] | null => {
    const inFile = ctx.inFile(slug);
    if (inFile && (!inFile.given || inFile.given.includes('formula'))) return null;
    const text = ctx.known(slug)?.formula;
    const p = text ? parseFormula(text) : null;
    return p?.ok ? formulaRefs(p.formula) : null;
  };
  const pending = [...graph.values()].flat();
  while (pending.length) {
    const slug = pending.pop()!;
    if (graph.has(slug)) continue;
    const refs = registerFormula(slug);
    if (refs) {
      graph.set(slug, refs);
      pending.push(...refs);
    }
  }
  for (let cycle = findCycle(graph); cycle; cycle = findCycle(graph)) {
    const first = cycle.find((s) => read.has(s)) ?? cycle[0]!;
    const r = read.get(first);
    const message = `expected formulas that do not depend on themselves: ${cycle.join(' → ')}`;
    ctx.issues.push(r ? { sheet: r.at.sheet, row: r.at.row, column: r.column, message } : { sheet: null, row: null, column: first, message });
    // One issue per cycle: leave it out and look again.
    graph.delete(first);
    read.delete(first);
  }

  for (const [slug, f] of read) ctx.inFile(slug)!.formula = formatFormula(f.formula);

  // A calculated indicator's values come from its inputs.
  const calculated = new Map<string, string[]>();
  for (const [slug, f] of read) calculated.set(slug, formulaRefs(f.formula));
  for (const [key, at] of ctx.valueKeys) {
    const [slug, period, what] = key.split('|');
    const inputs = calculated.get(slug!) ?? registerFormula(slug!);
    if (what !== 'actual' || !inputs) continue;
    ctx.issues.push({ sheet: at.sheet, row: at.row, column: at.column, message: `expected no value for ${slug} ${period}: it is calculated from ${inputs.join(', ')} — give their values and it is worked out` });
  }
}
