// `kpi import <file> [--dry-run] [--reason …] [--by <email>]`: load an indicator register, targets and
// historic values from CSV, XLSX or the published-report fixture JSON. Every row is checked first;
// nothing is written unless the whole file is valid, and then in one transaction.
import { readFile, stat } from 'node:fs/promises';
import { fileTooLarge, IMPORT_LIMITS } from '../../import/limits.ts';
import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { describeImport, importReportLines } from '../../import/describe.ts';
import { importFile, type ImportActor } from '../../import/import.ts';
import type { Repository } from '../../ports.ts';
import { progressBar } from '../progress.ts';
import { commandClock, withDatabase } from '../context.ts';

/** The person a CLI command acts as (`--by <email>`), or the anonymous operator. */
export async function cliActor(repo: Repository, by: string | undefined): Promise<ImportActor & { name: string }> {
  if (!by) return { personId: null, label: 'cli', isAdmin: false, name: 'the command line' };
  const p = await repo.personByEmail(by);
  if (!p) throw new UserError(`No one with the email ${by} is in the register.`);
  return { personId: p.id, label: `cli:${p.email ?? by}`, isAdmin: p.role === 'admin' && p.active, name: p.displayName };
}

export async function readInputFile(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}.`);
  }
}

export function addImportCommand(program: Command): void {
  program
    .command('import')
    .description('import indicators, targets, values and people from CSV, XLSX or fixture JSON (all or nothing)')
    .argument('<file>', 'a .csv, .xlsx or .json file (see docs/performance-team.md, "Import", and examples/register-sample.csv)')
    .option('--dry-run', 'check the file and say what would change, without writing anything')
    .option('--reason <text>', 'why values in signed-off quarters change (needs --by a performance admin; audited)')
    .option('--by <email>', 'the person importing (recorded on every value and in the audit log)')
    .option('--now <time>', 'as of this time: which periods have begun, and when the values were given (default: now, on the organisation\'s own date where it has one, as in chat)')
    .option('--accept-outliers', 'import values that look unusual (a slipped decimal point, a sign flip, a percentage over 100, far outside their history) as they are')
    .addHelpText(
      'after',
      '\nEvery problem of the file is listed at once; headings may sit below a title, and M, N/A, Refer comment, TBC or - in a value cell is no value.\nRe-importing the same file changes nothing. Exit status: 0 imported (or dry run passed), 1 nothing written (problems listed).\n',
    )
    .action(async (file: string, opts: { dryRun?: boolean; reason?: string; by?: string; acceptOutliers?: boolean; now?: string }) => {
      // A file over the limit is refused before it is read.
      const size = await stat(file).then((s) => (s.isFile() ? s.size : 0), () => 0);
      if (size > IMPORT_LIMITS.fileBytes) throw fileTooLarge(file);
      const bytes = await readInputFile(file);
      if (opts.reason !== undefined && !opts.reason.trim()) throw new UserError('--reason needs the reason as text.');
      await withDatabase(async ({ repo, config }) => {
        const at = (await commandClock(repo, opts.now)).now();
        const actor = await cliActor(repo, opts.by);
        if (opts.reason && !opts.by) throw new UserError('--reason changes signed-off values: say which performance admin you are with --by <email>.');
        const bar = progressBar(opts.dryRun ? 'Checking' : 'Importing');
        let outcome;
        try {
          outcome = await importFile(repo, { name: file, bytes }, {
            dryRun: Boolean(opts.dryRun),
            reason: opts.reason?.trim() || null,
            acceptOutliers: Boolean(opts.acceptOutliers),
            actor,
            at,
            onProgress: (done, total) => bar.update(done, total),
            limits: config.importLimits,
            readOn: config.importReadOn,
          });
        } finally {
          bar.stop();
        }
        const report = describeImport(outcome, {
          reasonHint: 'A performance admin can import them with --by <email> --reason "…" (audited).',
          acceptHint: 'run the import again with --accept-outliers.',
        });
        process.stdout.write(importReportLines(report).join('\n') + '\n');
        if (!report.ok) throw new UserError(`nothing was written from ${file}.`);
      });
    });
}
