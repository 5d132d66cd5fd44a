// Calculated indicators worked out again when a value arrives — by whatever way it came (chat, a
// form, an import, the HTTP API): both repositories call this after saving values, so no way in
// can forget it. Each calculated indicator reading a changed one (directly or through another
// calculated indicator, in calculation order) is evaluated for the periods concerned from its
// inputs' latest values, and a result that differs from what it has is saved as a new version:
// source "calculated", given by "calculated from <inputs>", its note the inputs' values and — for a
// later version — which inputs changed it ("recalculated: sickness-days 810 → 840"). Saved like
// any value, so status evaluation, alerts and the history follow. Not yet calculable (an input
// missing, a division by zero): nothing is saved; `show` says why (src/services/calculated.ts).
import type { IndicatorRecord, NewObservation, ObservationRecord, Repository } from '../ports.ts';
import { calculationOrder, evaluateFormula, formulaRefs, parseFormula, type Formula } from '../domain/formula.ts';
import { periodFromKey } from '../domain/periods.ts';
import { round6, type Register } from '../register/types.ts';
import { ConflictError, LockedPeriodSaveError } from '../errors.ts';

/** What recalculating needs of a repository: `saveOne` saves a value without recalculating again. */
export interface CalculationStore extends Pick<Repository, 'indicators' | 'histories' | 'org'> {
  saveOne(o: NewObservation): Promise<ObservationRecord>;
  /** Whether any indicator has a formula: most registers have none, and a save then costs no listing of the register. */
  anyCalculated(): Promise<boolean>;
}

/** The source of a calculated value. */
export const CALCULATED_SOURCE = 'calculated';

/** "calculated from staff-days-lost, average-fte": who gave a calculated value. */
export const calculatedBy = (inputs: readonly string[]) => `calculated from ${inputs.join(', ')}`;

const GROUPED = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 6 });
/** How an input's value is written in a calculated value's note: exact (it is read back), grouped as people read it. */
const plain = (v: number) => GROUPED.format(round6(v));

/** "staff-days-lost 8,400; average-fte 100": the note of a calculated value. */
export const inputsNote = (values: readonly (readonly [string, number])[]) => values.map(([slug, v]) => `${slug} ${plain(v)}`).join('; ');

/** An input's value as a calculated value's note gives it; undefined when it does not. */
export function noteValue(note: string | null, slug: string): number | undefined {
  if (!note) return undefined;
  for (const part of note.split('; ')) {
    if (part.startsWith(`${slug} `)) {
      const n = Number(part.slice(slug.length + 1).replace(/,/g, ''));
      if (Number.isFinite(n)) return n;
    }
  }
  return undefined;
}

/** The indicators a written register gave values or a formula for (what to work out again after an import). */
export async function registerIndicatorIds(repo: Pick<Repository, 'indicators'>, reg: Register): Promise<number[]> {
  const slugs = new Set([...reg.indicators.filter((i) => i.observations.length || i.formula).map((i) => i.slug), ...reg.values.filter((v) => v.observations.length).map((v) => v.slug)]);
  if (!slugs.size) return [];
  return (await repo.indicators({ activeOnly: false })).filter((i) => slugs.has(i.slug)).map((i) => i.id);
}

interface Calc {
  ind: IndicatorRecord;
  formula: Formula;
  inputs: string[];
}

/** The calculated indicators of a register, with their formulas read; a formula that cannot be read is left out. */
export function calculatedIndicators(all: readonly IndicatorRecord[]): Map<string, Calc> {
  const out = new Map<string, Calc>();
  for (const ind of all) {
    if (!ind.formula) continue;
    const p = parseFormula(ind.formula);
    if (p.ok) out.set(ind.slug, { ind, formula: p.formula, inputs: formulaRefs(p.formula) });
  }
  return out;
}

/**
 * Work out again the calculated indicators that read `changed` (indicator ids; a calculated one among
 * them is worked out itself), for `periodKeys` (all periods its inputs have values for when absent).
 * Returns the values saved.
 */
export async function recalculate(store: CalculationStore, changed: { indicatorIds: readonly number[]; periodKeys?: readonly string[] }, at: Date): Promise<ObservationRecord[]> {
  if (!changed.indicatorIds.length || !(await store.anyCalculated())) return [];
  const all = await store.indicators({ activeOnly: false });
  const calcs = calculatedIndicators(all);
  if (!calcs.size) return [];
  const bySlug = new Map(all.map((i) => [i.slug, i]));
  const byId = new Map(all.map((i) => [i.id, i]));
  const affected = new Set(changed.indicatorIds.map((id) => byId.get(id)?.slug).filter((s): s is string => s !== undefined));
  const todo: Calc[] = [];
  for (const slug of calculationOrder(new Map([...calcs].map(([s, c]) => [s, c.inputs])))) {
    const c = calcs.get(slug)!;
    if (affected.has(slug) || c.inputs.some((i) => affected.has(i))) {
      affected.add(slug);
      todo.push(c);
    }
  }
  if (!todo.length) return [];
  const ids = [...new Set(todo.flatMap((c) => [c.ind.id, ...c.inputs.map((s) => bySlug.get(s)?.id).filter((id): id is number => id !== undefined)]))];
  const histories = await store.histories(ids);
  // Latest value per indicator and period, kept up to date as calculated values are saved (for chains).
  const latest = new Map<string, Map<string, ObservationRecord>>();
  for (const id of ids) latest.set(byId.get(id)!.slug, new Map((histories.get(id)?.observations ?? []).map((o) => [o.periodKey, o])));
  const fy = (await store.org()).fyStartMonth;
  const saved: ObservationRecord[] = [];
  for (const c of todo) {
    const periods = changed.periodKeys ?? [...new Set(c.inputs.flatMap((s) => [...(latest.get(s)?.keys() ?? [])]))];
    for (const periodKey of periods) {
      const s = await calculateOne(store, c, periodKey, latest, fy, at);
      if (s) {
        saved.push(s);
        latest.get(c.ind.slug)!.set(periodKey, s);
      }
    }
  }
  return saved;
}

/** One calculated indicator for one period: saved when its result differs from the value it has. */
async function calculateOne(store: CalculationStore, c: Calc, periodKey: string, latest: Map<string, Map<string, ObservationRecord>>, fy: number, at: Date): Promise<ObservationRecord | null> {
  const input = (slug: string) => latest.get(slug)?.get(periodKey);
  const result = evaluateFormula(c.formula, (slug) => input(slug)?.value);
  if (!result.ok) return null;
  const value = round6(result.value);
  const current = latest.get(c.ind.slug)?.get(periodKey) ?? null;
  // An estimate or a provisional figure in, the same out.
  const estimated = c.inputs.some((s) => input(s)!.estimated);
  const provisional = c.inputs.some((s) => input(s)!.provisional);
  if (current && current.value === value && current.estimated === estimated && current.provisional === provisional) return null;
  const values = c.inputs.map((s) => [s, input(s)!.value] as const);
  // Which inputs changed the result, as the previous calculated value's note had them.
  const fromNote = (slug: string) => {
    const was = noteValue(current?.note ?? null, slug);
    return was === undefined ? '?' : plain(was);
  };
  const moved = current ? values.filter(([s, v]) => noteValue(current.note, s) !== round6(v)) : [];
  // The same result, but an input is no longer (or now) an estimate or provisional: which way it went.
  const flags = (e: boolean, p: boolean) => [e ? 'estimated' : '', p ? 'provisional' : ''].filter(Boolean).join(' and ') || 'final';
  const reason = !current
    ? null
    : current.value === value
      ? `recalculated: its inputs are now ${flags(estimated, provisional)} (were ${flags(current.estimated, current.provisional)})`
      : `recalculated: ${(moved.length ? moved : values).map(([s, v]) => `${s} ${fromNote(s)} → ${plain(v)}`).join(', ')}`;
  let period;
  try {
    period = periodFromKey(periodKey, fy);
  } catch {
    return null;
  }
  const obs: NewObservation = {
    indicatorId: c.ind.id,
    periodKey,
    periodStart: period.start,
    periodEnd: period.end,
    value,
    estimated,
    provisional,
    note: inputsNote(values),
    source: CALCULATED_SOURCE,
    submittedById: null,
    submittedByLabel: calculatedBy(c.inputs),
    submittedAt: at,
    replacesVersion: current?.version ?? null,
    correctionReason: reason,
  };
  try {
    return await store.saveOne(obs);
  } catch (e) {
    // A first calculated value in a signed-off period follows the input's correction there (which had its reason).
    if (e instanceof LockedPeriodSaveError && !reason) return store.saveOne({ ...obs, correctionReason: `calculated from ${inputsNote(values)}` });
    // Another value arrived at the same moment and recalculated first: read again and try once more.
    if (!(e instanceof ConflictError)) throw e;
    const h = (await store.histories([c.ind.id])).get(c.ind.id);
    const now = h?.observations.find((o) => o.periodKey === periodKey) ?? null;
    if (now?.value === value) return null;
    return store.saveOne({ ...obs, replacesVersion: now?.version ?? null });
  }
}
