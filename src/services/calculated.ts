// What people are told about a calculated indicator: why a value typed for it is refused (naming its
// inputs), and how it is calculated for a period — the formula and each input's value, or why it
// is not yet calculable (the inputs with no value, a division by zero). The recalculation itself
// happens where values are saved (src/repo/calculated.ts).
import type { IndicatorRecord, Repository } from '../ports.ts';
import { evaluateFormula, formulaRefs, parseFormula } from '../domain/formula.ts';
import { formatValue } from '../domain/format.ts';
import { inCode, literalCode } from '../messages/markup.ts';

/** The input indicators a calculated indicator reads, by slug, in the order its formula names them. */
export function formulaInputs(ind: Pick<IndicatorRecord, 'formula'>): string[] {
  const p = ind.formula ? parseFormula(ind.formula) : null;
  return p?.ok ? formulaRefs(p.formula) : [];
}

const andList = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);

/** Why a value typed for a calculated indicator is refused: null when it is not calculated. */
export function calculatedRefusal(ind: Pick<IndicatorRecord, 'slug' | 'formula'>): string | null {
  if (!ind.formula) return null;
  const inputs = formulaInputs(ind);
  const first = inputs[0];
  return `${ind.slug} is calculated (${literalCode(ind.formula)}), so it is not typed: it is worked out when ${inputs.length === 1 ? 'its input arrives' : 'its inputs arrive'}. Give ${inputs.length === 1 ? 'the value' : 'the values'} of ${andList(inputs.map((s) => `\`${s}\``))} instead${first ? ` (e.g. \`/kpi submit ${first} …\`)` : ''}.`;
}

export interface CalculationLine {
  /** "staff-days-lost / average-fte * 100" */
  formula: string;
  /** Each input with its value for the period (null: none yet), formatted in its unit. */
  inputs: { slug: string; value: string | null }[];
  /** Null when it can be calculated; else why not, in a sentence. */
  notYet: string | null;
}

/** How a calculated indicator is worked out for a period, from its inputs' latest values. Null when it is not calculated. */
export async function calculationFor(repo: Pick<Repository, 'indicatorBySlug' | 'histories'>, ind: IndicatorRecord, periodKey: string | null): Promise<CalculationLine | null> {
  if (!ind.formula) return null;
  const p = parseFormula(ind.formula);
  if (!p.ok) return { formula: ind.formula, inputs: [], notYet: `its formula cannot be read (${p.error})` };
  const slugs = formulaRefs(p.formula);
  const found = await Promise.all(slugs.map((s) => repo.indicatorBySlug(s)));
  const inputs = found.filter((i): i is IndicatorRecord => i !== null);
  const histories = await repo.histories(inputs.map((i) => i.id));
  const value = (slug: string): number | null => {
    const i = inputs.find((x) => x.slug === slug);
    if (!i || periodKey === null) return null;
    return histories.get(i.id)?.observations.find((o) => o.periodKey === periodKey)?.value ?? null;
  };
  const r = evaluateFormula(p.formula, value);
  const notYet = r.ok ? null : r.missing.length ? `not yet calculable: no value yet for ${andList(r.missing)}` : `not calculable: it would divide by zero (${andList(r.divisionByZero)})`;
  return {
    formula: ind.formula,
    inputs: slugs.map((slug) => {
      const i = inputs.find((x) => x.slug === slug);
      const v = value(slug);
      return { slug, value: v === null || !i ? null : formatValue(v, i.unit, i.decimals) };
    }),
    notYet,
  };
}

/** "Calculated: staff-days-lost / average-fte × 100 · staff-days-lost 840 days, average-fte 100 FTE" (markup; names are slugs). */
export function calculationText(c: CalculationLine, periodWords: string | null): string {
  const inputs = c.inputs.map((i) => `\`${inCode(i.slug)}\` ${i.value ?? '—'}`).join(', ');
  return `**Calculated** as ${literalCode(c.formula)}${periodWords ? ` · ${periodWords}: ${inputs}` : ''}${c.notYet ? ` · ${c.notYet}` : ''}`;
}
