// `kpi evaluate <file.json> [--tolerance 10%]`: the engine over a published-report fixture. Prints one
// JSON object per indicator. Computes from values, targets, polarity and tolerance only.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { evaluate } from '../../domain/evaluate.ts';
import { formatPeriod } from '../../domain/periods.ts';
import type { Tolerance } from '../../domain/types.ts';
import { UserError } from '../../errors.ts';
import { fixtureFileSchema, fixtureToEvaluationInputs, type FixtureFile } from '../../import/fixture-format.ts';

export interface EvaluatedRow {
  ref: string | null;
  name: string;
  period: string | null;
  status: 'green' | 'amber' | 'red' | 'in-measurement' | 'no-target';
  direction: 'improving' | 'maintained' | 'declining' | null;
  explanation: string;
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

export function evaluateFixture(file: FixtureFile, opts: { tolerance?: Tolerance } = {}): EvaluatedRow[] {
  return fixtureToEvaluationInputs(file, { tolerance: opts.tolerance ?? DEFAULT_TOLERANCE }).map(({ row, input }) => {
    const ev = evaluate(input);
    return {
      ref: row.ref,
      name: row.name,
      period: ev.period ? formatPeriod(ev.period) : null,
      status: ev.status.replace('_', '-') as EvaluatedRow['status'],
      direction: ev.direction,
      explanation: ev.explanation,
    };
  });
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

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('compute status and direction for every indicator in a fixture file (JSON lines on stdout)')
    .argument('<file>', 'a file in the fixture format of test/fixtures')
    .option('--tolerance <pct>', 'amber within this % of the target', '10%')
    .action(async (file: string, opts: { tolerance: string }) => {
      const tolerance = parseTolerance(opts.tolerance);
      const rows = evaluateFixture(await readFixture(file), { tolerance });
      process.stdout.write(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    });
}
