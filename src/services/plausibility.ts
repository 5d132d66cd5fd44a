// The plausibility check at the ways in that talk to a person (inline, the form, a form shown as a card): the
// rule (src/domain/plausibility.ts) over the indicator's stored values — and, when they are too few,
// its target, the value being replaced and similar indicators — and the question it asks: "84 days
// is 8× anything sickness-absence has had (7.84–10.49 days). Did you mean 8.4 days? Save 84 days
// anyway, or change it?" — as buttons under a message, or as a form with the value to change.
import { accumulates } from '../domain/aggregation.ts';
import { checkPlausibility, hasHistoryReference, nearestSiblings, referenceFor, referenceTarget, uncheckedNote, type Plausibility, type PlausibilityInput, type Sibling } from '../domain/plausibility.ts';
import { formatValue } from '../domain/format.ts';
import { formatPeriod, periodFromKey } from '../domain/periods.ts';
import type { Period } from '../domain/types.ts';
import { actions, context, message, text } from '../messages/build.ts';
import type { Action, Form, Message } from '../messages/types.ts';
import type { IndicatorRecord, OrgSettings, Repository } from '../ports.ts';
import { evaluationInput, type ValueHistory } from './evaluation.ts';

export type UnusualValue = Extract<Plausibility, { kind: 'ask' }>;

/** A verdict, and — when nothing could be checked — the small print that says so. */
export interface Judged {
  verdict: Plausibility;
  /** "Not checked for plausibility: … has only 1 earlier value, and no target …" (null: it was checked). */
  unchecked: string | null;
}

/** Two units are the same when they read the same ("%", "days per employee per annum"). */
const sameUnit = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The check of one value for a period: against the indicator's other stored values, or — with too
 * few of them — against the period's target, the value it replaces and the latest values of the
 * other indicators of the same unit and frequency (read only then).
 */
export async function plausibilityOf(
  repo: Pick<Repository, 'indicators' | 'recentHistories'>,
  ind: IndicatorRecord,
  h: ValueHistory,
  period: Period,
  value: number,
  org: OrgSettings,
): Promise<Judged> {
  const fy = org.fyStartMonth;
  // As the engine reads it: a percentage the register calls a snapshot may be a percentage to date
  // (council tax collected), judged by its pace, not against a history that starts again every April.
  const aggregation = evaluationInput(ind, h, org).indicator.aggregation;
  const input: PlausibilityInput = {
    indicator: { slug: ind.slug, unit: ind.unit, aggregation, decimals: ind.decimals },
    period,
    value,
    history: h.observations.map((o) => ({ period: periodFromKey(o.periodKey, fy), value: o.value })),
    fyStartMonth: fy,
  };
  if (!hasHistoryReference(input)) {
    const ev = evaluationInput(ind, h, org, period);
    input.known = {
      target: referenceTarget(period, aggregation, ev.targets, fy),
      replaces: h.observations.find((o) => o.periodKey === period.key)?.value ?? null,
      siblings: await siblingsOf(repo, ind),
    };
  }
  const verdict = checkPlausibility(input);
  return { verdict, unchecked: verdict.kind === 'unchecked' ? uncheckedNote(input.indicator, verdict, referenceFor(input).values.length) : null };
}

/** The latest value of every other active indicator of the same unit and frequency that does not build up over the year. */
async function siblingsOf(repo: Pick<Repository, 'indicators' | 'recentHistories'>, ind: IndicatorRecord): Promise<Sibling[]> {
  const alike = (await repo.indicators({ activeOnly: true }))
    .filter((i) => i.id !== ind.id && sameUnit(i.unit, ind.unit) && i.frequency === ind.frequency && !accumulates(i.aggregation))
    .map((i) => ({ i, sameTheme: i.themeId !== null && i.themeId === ind.themeId }));
  const chosen = nearestSiblings(alike);
  if (!chosen.length) return [];
  const latest = await repo.recentHistories(1, chosen.map((x) => x.i.id));
  return chosen.flatMap(({ i, sameTheme }) => {
    const v = latest.get(i.id)?.observations.at(-1)?.value;
    return v === undefined ? [] : [{ slug: i.slug, value: v, sameTheme }];
  });
}

/** The value a submission carries, and how to carry it on: the state for the value as typed, or as suggested. */
export interface AskContext {
  ind: IndicatorRecord;
  period: Period;
  value: number;
  verdict: UnusualValue;
  /** The submission's state (JSON) with this value, accepted as unusual. */
  stateFor: (value: number) => string;
}

/** Inline: the question with buttons — save it anyway, save what was probably meant, or change it. */
export function askMessage(a: AskContext): Message {
  const fmt = (v: number) => formatValue(v, a.ind.unit, a.ind.decimals);
  const buttons: Action[] = [{ id: 'confirm-value', label: `Save ${fmt(a.value)} anyway`.slice(0, 75), value: a.stateFor(a.value) }];
  if (a.verdict.suggestion !== null) buttons.push({ id: 'confirm-value', label: `Save ${fmt(a.verdict.suggestion)} instead`.slice(0, 75), value: a.stateFor(a.verdict.suggestion), style: 'primary' });
  buttons.push({ id: 'open-submit', label: 'Change it', value: JSON.stringify({ indicatorId: a.ind.id, periodKey: a.period.key }) });
  return message(
    `${a.verdict.question} (${a.ind.slug}, ${formatPeriod(a.period)}: nothing saved yet)`,
    text(`⚠️ **${a.ind.slug}**, ${formatPeriod(a.period)}: ${a.verdict.question}`),
    actions(...buttons),
    context('Nothing is saved until you choose.'),
  );
}

/** The form: the question above the value, which can be kept (saved as given) or changed (checked again). */
export function askForm(a: AskContext, typed: string): Form {
  return {
    id: 'confirm-value',
    title: 'Check the value',
    submitLabel: 'Save',
    intro: [text(`⚠️ **${a.ind.slug}**, ${formatPeriod(a.period)}: ${a.verdict.question}`)],
    fields: [
      {
        id: 'value',
        label: `Value (${a.ind.unit})`,
        kind: 'text',
        required: true,
        initial: typed,
        hint:
          a.verdict.suggestion !== null
            ? `Keep ${typed} to save it as it is, or change it (did you mean ${formatValue(a.verdict.suggestion, a.ind.unit, a.ind.decimals)}?).`
            : `Keep ${typed} to save it as it is, or change it.`,
      },
    ],
    state: a.stateFor(a.value),
  };
}
