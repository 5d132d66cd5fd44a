// Why a period could not be read, as data (a code and what is needed to say it), and the one
// function that says it to people. Callers that word a case differently pass a PeriodWording
// instead of rewriting the sentence.
import { describeSpan, formatPeriod, FREQUENCY_WORDS, KIND_ALTERNATIVES, KIND_WORDS } from './format.ts';
import { FIRST_YEAR, LAST_YEAR, periodKindFor, yy } from './calendar.ts';
import type { Frequency, Period } from '../types.ts';
// Typed text said back goes into chat messages: as text, never markup.
import { literal } from '../../messages/markup.ts';

/** What the reader expected: the indicator's frequency, and an example period near today. */
export interface Expected {
  frequency: Frequency;
  example: string;
}

export type PeriodErrorCode = PeriodError['code'];

export type PeriodError =
  /** Nothing typed where a period was needed. */
  | { code: 'empty'; expected: Expected }
  /** A period that reads fine but is of another kind than the indicator's frequency: a month for a quarterly indicator. */
  | { code: 'wrong-frequency'; input: string; period: Period; expected: Expected }
  /** Two years that do not follow each other: `2025/27`. */
  | { code: 'not-a-year-pair'; pair: string; startYear: number }
  /** A numeric month outside 1–12: `13/2025`. */
  | { code: 'not-a-month'; input: string; month: number }
  /** A quarter number other than 1–4: `Q5`. */
  | { code: 'no-such-quarter'; input: string }
  /** A quarter with a single year (`Q2 2025`): which financial year is meant? */
  | { code: 'ambiguous-quarter'; input: string; candidates: [Period, Period] }
  /** A single year for a financial or academic year (`2025`): the one starting or ending in it? */
  | { code: 'ambiguous-year'; input: string; candidates: [Period, Period] }
  /** Nothing that looks like a period at all. */
  | { code: 'unreadable'; input: string; expected: Expected }
  /** In a file: a period without its year, or relative to today (`Q3`, `last quarter`). */
  | { code: 'needs-year'; input: string }
  /** In a file: not a period. */
  | { code: 'not-a-period'; input: string }
  /** A period outside the years kept (FIRST_YEAR…LAST_YEAR): `0000/01 Q3`, `9999/00`. */
  | { code: 'year-out-of-range'; input: string };

/** How a caller puts the expectation: whose frequency it is, or why this kind of period is wanted. */
export interface PeriodWording {
  /** Whose frequency it is, as in "sickness-absence is reported quarterly" (default "this indicator"). */
  indicator?: string;
  /** Instead of the indicator's frequency, why this kind is wanted: "reports and sign-off are by quarter". */
  because?: string;
}

/** Files carry explicit periods only; the forms they may take. */
const LABEL_EXAMPLES = 'e.g. 2017/18 Q3, 2017/18, Dec 2017 or AY 2016/17';

/** "this indicator is reported quarterly: type a quarter such as 2025/26 Q2, Q2 or last quarter" */
function expectation(e: Expected, w: PeriodWording): string {
  const kind = periodKindFor(e.frequency);
  const rule = w.because ?? `${w.indicator ?? 'this indicator'} is reported ${FREQUENCY_WORDS[e.frequency]}`;
  return `${rule}: type ${KIND_WORDS[kind]} such as ${e.example}${KIND_ALTERNATIVES[kind]}`;
}

/** The sentence a person reads for a period that could not be read. */
export function describePeriodError(e: PeriodError, w: PeriodWording = {}): string {
  switch (e.code) {
    case 'empty':
      return `No period given: ${expectation(e.expected, w)}.`;
    case 'wrong-frequency':
      return `"${literal(e.input)}" is ${KIND_WORDS[e.period.kind]} (${formatPeriod(e.period)}), but ${expectation(e.expected, w)}.`;
    case 'not-a-year-pair':
      return `"${literal(e.pair)}" is not a year pair: a financial or academic year runs over two consecutive years, e.g. ${e.startYear}/${yy(e.startYear + 1)}.`;
    case 'not-a-month':
      return `"${literal(e.input)}" is not a month (${e.month} is not 1–12) nor a year pair such as 2025/26.`;
    case 'no-such-quarter':
      return `"${literal(e.input)}": a financial year has quarters Q1–Q4 only.`;
    case 'ambiguous-quarter': {
      const [a, b] = e.candidates;
      return `"${literal(e.input)}" is ambiguous: financial-year quarters are written with the year pair, e.g. ${a.key} (${describeSpan(a)}) or ${b.key} (${describeSpan(b)}).`;
    }
    case 'ambiguous-year':
      return `"${literal(e.input)}" is ambiguous: do you mean ${formatPeriod(e.candidates[0])} or ${formatPeriod(e.candidates[1])}?`;
    case 'unreadable':
      return `I could not read "${literal(e.input)}" as a period: ${expectation(e.expected, w)}.`;
    case 'needs-year':
      return `"${literal(e.input)}" is not a period with its year (${LABEL_EXAMPLES})`;
    case 'not-a-period':
      return `"${literal(e.input)}" is not a period (${LABEL_EXAMPLES})`;
    case 'year-out-of-range':
      return `"${literal(e.input)}" is not a period I can keep: periods run from ${FIRST_YEAR} to ${LAST_YEAR}.`;
  }
}
