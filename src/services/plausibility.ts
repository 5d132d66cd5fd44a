// The plausibility check at the ways in that talk to a person (inline, the form, a form shown as a card): the
// rule (src/domain/plausibility.ts) over the indicator's stored values, and the question it asks —
// "84 days is 8× anything sickness-absence has had (7.84–10.49 days). Did you mean 8.4 days? Save 84
// days anyway, or change it?" — as buttons under a message, or as a form with the value to change.
import { checkPlausibility, type Plausibility } from '../domain/plausibility.ts';
import { formatValue } from '../domain/format.ts';
import { formatPeriod, periodFromKey } from '../domain/periods.ts';
import type { Period } from '../domain/types.ts';
import { actions, context, message, text } from '../messages/build.ts';
import type { Action, Form, Message } from '../messages/types.ts';
import type { IndicatorRecord, OrgSettings } from '../ports.ts';
import type { ValueHistory } from './evaluation.ts';

export type UnusualValue = Extract<Plausibility, { kind: 'ask' }>;

/** The check of one value for a period against the indicator's other stored values. */
export function plausibilityOf(ind: IndicatorRecord, h: ValueHistory, period: Period, value: number, org: Pick<OrgSettings, 'fyStartMonth'>): Plausibility {
  const fy = org.fyStartMonth;
  return checkPlausibility({
    indicator: { slug: ind.slug, unit: ind.unit, aggregation: ind.aggregation, decimals: ind.decimals },
    period,
    value,
    history: h.observations.map((o) => ({ period: periodFromKey(o.periodKey, fy), value: o.value })),
    fyStartMonth: fy,
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
