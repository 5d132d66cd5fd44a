// Reporting periods as English councils use them: financial years April–March (`2017/18`),
// quarters of the financial year (`2017/18 Q3` = Oct–Dec 2017), months, academic years
// (September–August) and calendar years. The public face of src/domain/periods/:
//   calendar.ts  period keys, the kinds of year, quarters and months, and the arithmetic between them
//   format.ts    periods in words: printed labels, FREQUENCY_WORDS, examples
//   parse.ts     reading what people type (one small reader per form) and what files write
//   errors.ts    why a period could not be read (PeriodError, by code) and the one sentence for each
//   intent.ts    which period a submission without a year means, and when to say it back first
export {
  academicYear,
  calendarYear,
  comparePeriods,
  dueDate,
  financialYear,
  financialYearOf,
  FIRST_YEAR,
  LAST_YEAR,
  isPeriodKey,
  latestDuePeriod,
  month,
  nextPeriod,
  periodContaining,
  periodFromKey,
  periodKindFor,
  periodsOfYearTo,
  periodsPerYear,
  previousPeriod,
  quarter,
  samePeriodLastYear,
  withinYears,
} from './periods/calendar.ts';
export { describeSpan, examplePeriod, exampleFor, formatPeriod, formatPeriodInFull, formatPeriodShort, FREQUENCY_WORDS, KIND_WORDS } from './periods/format.ts';
export { collectingPeriods, defaultPeriod, periodQuestion, type PeriodCadence, type PeriodQuestion, type PeriodSource } from './periods/intent.ts';
export { parsePeriod, parsePeriodLabel, type ParseOptions, type ParseResult, type PeriodResult } from './periods/parse.ts';
export { describePeriodError, type PeriodError, type PeriodErrorCode, type PeriodWording } from './periods/errors.ts';
