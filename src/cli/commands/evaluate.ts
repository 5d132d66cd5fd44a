// `kpi evaluate <file.json> [--tolerance 10%] [--direction-basis previous|same-last-year|baseline]
// [--maintained-band 2%]`: the engine over a published-report fixture. Prints one JSON object per
// indicator. Computes from values, targets, baselines, polarity and tolerance only: the file's
// published columns (the statuses and arrows the report printed) are not read at all.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { evaluate, type NoDirection, type NoStatusCode } from '../../domain/evaluate.ts';
import { formatPeriod } from '../../domain/periods.ts';
import type { DotBasis, MaintainedBand, Tolerance } from '../../domain/types.ts';
import { UserError } from '../../errors.ts';
import { fixtureFileSchema, fixtureToEvaluationInputs, type FixtureFile, type FixtureRules } from '../../import/fixture-format.ts';
import { parseDotBasis, parseMaintainedBand } from '../../services/direction-settings.ts';

/** The bases as the command line spells them. */
export const BASIS_OPTION: Record<DotBasis, string> = { previous: 'previous', same_last_year: 'same-last-year', baseline: 'baseline' };

export interface EvaluatedRow {
  ref: string | null;
  name: string;
  period: string | null;
  status: 'green' | 'amber' | 'red' | 'in-measurement' | 'no-target';
  direction: 'improving' | 'maintained' | 'declining' | null;
  /** What direction of travel compared with: previous, same-last-year or baseline. */
  basis: string;
  explanation: string;
  /** The period whose value stands in, when the period's own is not in yet (the latest available). */
  latestAvailable?: string;
  /** Why there is no RAG status, when there is none: one short reason, and its kind. */
  statusReason?: string;
  statusReasonCode?: NoStatusCode;
  /** Why there is no direction, when there is none, and its kind. */
  directionNote?: string;
  directionReasonCode?: NoDirection;
}

/** Default tolerance: Trafford's published rule (2013/14: "A — within 10% of the target"). */
export const DEFAULT_TOLERANCE: Tolerance = { kind: 'relative', value: 10 };

export function parseTolerance(text: string): Tolerance {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) throw new UserError(`--tolerance "${text}" is not a percentage: give e.g. 10% or 5.`);
  const value = Number(m[1]);
  if (value > 100) throw new UserError(`--tolerance ${text} is over 100%.`);
  return { kind: 'relative', value };
}

export function evaluateFixture(file: FixtureFile, opts: Partial<FixtureRules> = {}): EvaluatedRow[] {
  return fixtureToEvaluationInputs(file, { ...opts, tolerance: opts.tolerance ?? DEFAULT_TOLERANCE }).map(({ row, input }) => {
    const ev = evaluate(input);
    return {
      ref: row.ref,
      name: row.name,
      period: ev.period ? formatPeriod(ev.period) : null,
      status: ev.status.replace('_', '-') as EvaluatedRow['status'],
      direction: ev.direction,
      basis: BASIS_OPTION[ev.directionBasis],
      explanation: ev.explanation,
      ...(ev.latestAvailable ? { latestAvailable: formatPeriod(ev.latestAvailable) } : {}),
      ...(ev.statusReason ? { statusReason: ev.statusReason.text, statusReasonCode: ev.statusReason.code } : {}),
      ...(ev.direction === null && ev.directionNote ? { directionNote: ev.directionNote } : {}),
      ...(ev.direction === null && ev.directionReason ? { directionReasonCode: ev.directionReason } : {}),
    };
  });
}

const NO_STATUS: Record<NoStatusCode, string> = {
  'no-value-yet': 'no value yet',
  'no-value-this-year': 'no value this year',
  'not-yet-in': 'not in yet (latest-available is off)',
  'reported-annually': 'annual, its year-end figure not in yet',
  'no-target': 'no target',
  'target-is-text': 'target is text',
  contextual: 'a contextual measure',
};

const NO_DIRECTION: Record<NoDirection, string> = {
  'no-value': 'no value to judge',
  'nothing-before': 'no earlier value to compare with',
  'year-to-date-incomplete': 'the year to date is incomplete',
  'no-same-point': 'no same point last year and no baseline to pro-rate',
  'no-baseline': 'no baseline',
  'baseline-not-a-number': 'baseline not a number',
  'baseline-not-before': 'baseline not before the period',
  'baseline-not-a-year': 'baseline not for a financial year',
  contextual: 'a contextual measure',
};

/** "14 annual, its year-end figure not in yet; 2 target is text (TBC ×2)": reasons counted, most first. */
function counted(rows: EvaluatedRow[], key: (r: EvaluatedRow) => string | null): string {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const k = key(r);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `${n} ${k}`).join('; ');
}

/**
 * The closing summary of `kpi evaluate`: how many rows have a status and a direction, and for the
 * rest, the reasons counted.
 */
export function evaluationSummary(rows: EvaluatedRow[]): string[] {
  const rag = (r: EvaluatedRow) => r.status === 'green' || r.status === 'amber' || r.status === 'red';
  const noStatus = rows.filter((r) => !rag(r));
  const noDirection = rows.filter((r) => r.direction === null);
  const latest = rows.filter((r) => r.latestAvailable).length;
  const texts = (r: EvaluatedRow) => (r.statusReasonCode === 'target-is-text' ? /^the target is text \("(.*?)"\)/.exec(r.statusReason ?? '')?.[1] ?? null : null);
  const textual = counted(noStatus, texts).replace(/(\d+) ([^;]+)/g, '$2 ×$1');
  const statusWhy = counted(noStatus, (r) => (r.statusReasonCode ? NO_STATUS[r.statusReasonCode] : 'no reason given'));
  return [
    `${rows.length} indicators: ${rows.length - noStatus.length} with a status, ${rows.length - noDirection.length} with a direction${latest ? ` (${latest} on the latest value available this year)` : ''}.`,
    ...(noStatus.length ? [`No status (${noStatus.length}): ${textual ? statusWhy.replace('target is text', `target is text (${textual})`) : statusWhy}.`] : []),
    ...(noDirection.length ? [`No direction (${noDirection.length}): ${counted(noDirection, (r) => (r.directionReasonCode ? NO_DIRECTION[r.directionReasonCode] : 'no reason given'))}.`] : []),
  ];
}

export async function readFixture(path: string): Promise<FixtureFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError(`Cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path} is not valid JSON: ${(e as Error).message}.`);
  }
  const parsed = fixtureFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((i) => `  - ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new UserError(`${path} is not in the fixture format (see test/fixtures/README.md):\n${problems.join('\n')}`);
  }
  return parsed.data;
}

/** The command line's options → the rules; a mistake is a UserError naming the option. */
export function evaluateOptions(opts: { tolerance: string; directionBasis: string; maintainedBand: string }): FixtureRules {
  const dotBasis: DotBasis = parseDotBasis(opts.directionBasis, '--direction-basis');
  const maintainedBand: MaintainedBand = parseMaintainedBand(opts.maintainedBand, '--maintained-band');
  return { tolerance: parseTolerance(opts.tolerance), dotBasis, maintainedBand };
}

export function addEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description('compute status and direction for every indicator in a fixture file (JSON lines on stdout); the file\'s published columns are not read')
    .argument('<file>', 'a file in the fixture format of test/fixtures')
    .option('--tolerance <pct>', 'amber within this % of the target', '10%')
    .option('--direction-basis <basis>', 'compare with the previous period, the same period last year or the baseline: previous | same-last-year | baseline', 'previous')
    .option('--maintained-band <band>', 'maintained within this % of the value compared with, or "equal" (the same at the printed precision)', 'equal')
    .action(async (file: string, opts: { tolerance: string; directionBasis: string; maintainedBand: string }) => {
      const rules = evaluateOptions(opts);
      const rows = evaluateFixture(await readFixture(file), rules);
      process.stdout.write(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      // The summary goes to stderr, so stdout stays JSON lines.
      process.stderr.write(`${basename(file)}: ${evaluationSummary(rows).join('\n')}\n`);
    });
}
