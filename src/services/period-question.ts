// Saying a period back before a value is written for it, when the person did not type its year and
// the reading could be wrong (src/domain/periods/intent.ts decides when): "Save 12 for 2017/18 Q4
// (Jan–Mar 2018)?" — as buttons (Save / the other year's / Change period) under a message, or as a
// form with the period to keep or change. The same way the plausibility question is asked.
import { formatValue } from '../domain/format.ts';
import { formatDate } from '../domain/dates.ts';
import { formatPeriod, formatPeriodInFull, type PeriodQuestion, type PeriodSource } from '../domain/periods.ts';
import type { Period } from '../domain/types.ts';
import { actions, context, message, text } from '../messages/build.ts';
import type { Action, Form, Message } from '../messages/types.ts';
import type { IndicatorRecord } from '../ports.ts';

/** A period question about one submission, and how to carry the submission on. */
export interface PeriodAsk {
  ind: IndicatorRecord;
  question: PeriodQuestion;
  value: number;
  /** How the period was given, and the words typed for it (empty when none). */
  source: Exclude<PeriodSource, 'typed'>;
  typed: string;
  /** The later period's value (for `later-value`). */
  laterValue: number | null;
  /** The submission's state (JSON) for a period key. */
  stateFor: (periodKey: string) => string;
}

const list = (ps: Period[]) => (ps.length === 1 ? formatPeriodInFull(ps[0]!) : `${ps.slice(0, -1).map(formatPeriodInFull).join(', ')} and ${formatPeriodInFull(ps.at(-1)!)}`);

/** Why the period is asked about, in one or two sentences. */
export function periodReason(a: PeriodAsk): string {
  const q = a.question;
  const fmt = (v: number) => formatValue(v, a.ind.unit, a.ind.decimals);
  if (q.why === 'later-value') {
    const read = a.source === 'default' ? `You gave no period, so I took ${formatPeriodInFull(q.period)}, the period due` : `"${a.typed}" reads as ${formatPeriodInFull(q.period)}`;
    return `${read}; but ${formatPeriod(q.later)}, a later period, already has ${a.laterValue !== null ? fmt(a.laterValue) : 'a value'}.`;
  }
  // A period given by default that is not being collected: every period that has ended is before go-live.
  const read = a.source === 'default' ? `You gave no period, so I took ${formatPeriodInFull(q.period)}, the latest that has ended` : `"${a.typed}" reads as ${formatPeriodInFull(q.period)}`;
  if (!q.collecting.length) {
    const since = q.collectedFrom ? ` (values are collected for periods ending on or after ${formatDate(q.collectedFrom)})` : '';
    return `${read}${q.open ? ', which has not ended yet' : ''}; none of its periods is being collected yet${since}.`;
  }
  const being = q.collecting.length === 1 ? 'the period being collected now is' : 'the periods being collected now are';
  return `${read}${q.open ? ', which has not ended yet' : ''}; ${being} ${list(q.collecting)}.`;
}

/** The question itself: "Save 12 for 2017/18 Q4 (Jan–Mar 2018)?" */
export function periodQuestionText(a: PeriodAsk): string {
  return `Save **${formatValue(a.value, a.ind.unit, a.ind.decimals)}** for **${formatPeriodInFull(a.question.period)}**?`;
}

/** Inline: the question with buttons — save for this period, for the other year's, or change the period. */
export function periodMessage(a: PeriodAsk): Message {
  const q = a.question;
  const buttons: Action[] = [{ id: 'confirm-period', label: `Save for ${formatPeriod(q.period)}`, value: a.stateFor(q.period.key), style: 'primary' }];
  if (q.alternative) buttons.push({ id: 'confirm-period', label: `Save for ${formatPeriod(q.alternative)}`, value: a.stateFor(q.alternative.key) });
  buttons.push({ id: 'change-period', label: 'Change period', value: a.stateFor(q.period.key) });
  const fmt = formatValue(a.value, a.ind.unit, a.ind.decimals);
  return message(
    `Save ${fmt} for ${a.ind.slug}, ${formatPeriodInFull(q.period)}? (nothing saved yet)`,
    text(`📅 **${a.ind.slug}**: ${periodReason(a)} ${periodQuestionText(a)}`),
    actions(...buttons),
    context('Nothing is saved until you choose.'),
  );
}

/** The form: the question above the period, which can be kept or changed. */
export function periodForm(a: PeriodAsk): Form {
  const q = a.question;
  const other = q.alternative ? `, type ${q.alternative.key} for ${formatPeriodInFull(q.alternative)}` : '';
  return {
    id: 'confirm-period',
    title: 'Check the period',
    submitLabel: 'Save',
    intro: [text(`📅 **${a.ind.slug}**: ${periodReason(a)} ${periodQuestionText(a)}`)],
    fields: [{ id: 'period', label: 'Period', kind: 'text', required: true, initial: q.period.key, hint: `Keep ${q.period.key} to save the value for it${other}, or type another period.` }],
    state: a.stateFor(q.period.key),
  };
}
