// Periods in words: as councils print them, and in the sentences the bot says about them.
import { periodContaining, periodKindFor, previousPeriod } from './calendar.ts';
import type { Frequency, LocalDate, Period, PeriodKind } from '../types.ts';

export const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** As councils print it: `2017/18 Q3`, `Dec 2017`, `2017/18`, `2016/17 (academic year)`, `2017`. */
export function formatPeriod(p: Period): string {
  switch (p.kind) {
    case 'month':
      return `${MONTH_NAMES[Number(p.key.slice(5, 7)) - 1]} ${p.key.slice(0, 4)}`;
    case 'academic_year':
      return `${p.key.slice(3)} (academic year)`;
    default:
      return p.key;
  }
}

/** A period said back in full, its months too where the name alone could be misread: `2017/18 Q3 (Oct–Dec 2017)`, `Dec 2017`, `2017/18`. */
export function formatPeriodInFull(p: Period): string {
  return p.kind === 'quarter' ? `${formatPeriod(p)} (${describeSpan(p)})` : formatPeriod(p);
}

/** Short forms for chart axes and sentences: `Q3`, `Dec`, `2017/18`, `AY 2016/17`, `2017`. */
export function formatPeriodShort(p: Period): string {
  if (p.kind === 'quarter') return p.key.slice(-2);
  if (p.kind === 'month') return MONTH_NAMES[Number(p.key.slice(5, 7)) - 1]!;
  return p.key;
}

/** The months a period spans, for telling two candidates apart: `Jul–Sep 2025`. */
export function describeSpan(p: Period): string {
  const s = MONTH_NAMES[Number(p.start.slice(5, 7)) - 1];
  const e = MONTH_NAMES[Number(p.end.slice(5, 7)) - 1];
  return `${s}–${e} ${p.end.slice(0, 4)}`;
}

/** "a quarter", "an academic year": a period kind in a sentence. */
export const KIND_WORDS: Record<PeriodKind, string> = {
  month: 'a month',
  quarter: 'a quarter',
  financial_year: 'a financial year',
  academic_year: 'an academic year',
  calendar_year: 'a calendar year',
};

/** "reported quarterly", "reported by academic year": a frequency in a sentence. */
export const FREQUENCY_WORDS: Record<Frequency, string> = {
  monthly: 'monthly',
  quarterly: 'quarterly',
  annual: 'annually (by financial year)',
  academic_year: 'by academic year',
  calendar_year: 'by calendar year',
};

/** Other ways to type a period of this kind, after an example: ", Q2 or last quarter". */
export const KIND_ALTERNATIVES: Record<PeriodKind, string> = {
  month: ', Sep or last month',
  quarter: ', Q2 or last quarter',
  financial_year: ' or last year',
  academic_year: '',
  calendar_year: '',
};

/** An example of the expected kind near today, for messages: the last period of the kind that has ended. */
export function examplePeriod(kind: PeriodKind, today: LocalDate, fy = 4): string {
  return formatPeriod(previousPeriod(periodContaining(today, kind, fy), fy));
}

/** An example period for an indicator of this frequency, near today: `2025/26 Q2`, `Sep 2025`. */
export function exampleFor(frequency: Frequency, today: LocalDate, fy = 4): string {
  return examplePeriod(periodKindFor(frequency), today, fy);
}
