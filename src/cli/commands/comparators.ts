// `kpi comparators import <file> [--map FILE] [--dry-run]`, `kpi comparators group <name> --areas …|--file`,
// `kpi comparators groups`: benchmarks against other councils — LG Inform's long CSV of other areas'
// values (all or nothing, every problem with its row and column; importing it again changes nothing)
// and comparator groups as lists of area codes. Our area code and our group are settings
// (`kpi settings our-area E08000009`, `kpi settings comparator-group "Greater Manchester"`).
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { fileTooLarge, IMPORT_LIMITS } from '../../import/limits.ts';
import { comparatorImportLines, groupAreas, importComparators } from '../../services/comparators.ts';
import { commandClock, withDatabase } from '../context.ts';
import { cliActor, readInputFile } from './import.ts';

async function readSmallFile(file: string): Promise<{ name: string; bytes: Uint8Array }> {
  const size = await stat(file).then((s) => (s.isFile() ? s.size : 0), () => 0);
  if (size > IMPORT_LIMITS.fileBytes) throw fileTooLarge(file);
  return { name: file, bytes: await readInputFile(file) };
}

export function addComparatorsCommand(program: Command): void {
  const cmd = program.command('comparators').description('benchmarks against other councils: import their values (LG Inform’s CSV) and comparator groups');

  cmd
    .command('import')
    .description('import other councils’ values for our indicators from the long CSV LG Inform exports (all or nothing)')
    .argument('<file>', 'a .csv (or .xlsx) with columns Area code, Area name, Period, Indicator, Value (see docs/performance-team.md, "Benchmarks")')
    .option('--map <file>', 'a CSV of two columns — their indicator name, our slug or reference — for indicators named differently')
    .option('--dry-run', 'check the file and say what would change, without writing anything')
    .option('--by <email>', 'the person importing (recorded in the audit log)')
    .option('--now <time>', 'as of this time (when the values were imported)')
    .addHelpText(
      'after',
      '\nHeadings may sit below a title; M, .., -, N/A or a blank value is an area that reported nothing; 1,234.5 is read with its thousands separator.\nTheir indicator is ours by slug, reference or name, by an "Our indicator" column, or by --map.\nExit status: 0 imported (or dry run passed), 1 nothing written (problems listed).\n',
    )
    .action(async (file: string, opts: { map?: string; dryRun?: boolean; by?: string; now?: string }) => {
      const input = await readSmallFile(file);
      const mapping = opts.map ? await readSmallFile(opts.map) : undefined;
      await withDatabase(async ({ repo }) => {
        const at = (await commandClock(repo, opts.now)).now();
        const actor = await cliActor(repo, opts.by);
        let r;
        try {
          r = await importComparators(repo, input, { ...(mapping ? { mapping } : {}), at, actorId: actor.personId, actorLabel: actor.label, dryRun: Boolean(opts.dryRun) });
        } catch (e) {
          if (e instanceof UserError && e.hint) {
            process.stdout.write(`${e.hint}\n`);
            throw new UserError(e.message);
          }
          throw e;
        }
        process.stdout.write(comparatorImportLines(r, Boolean(opts.dryRun)).join('\n') + '\n');
        const org = await repo.org();
        if (!org.comparatorArea) process.stdout.write('Our own area code is not set yet: kpi settings our-area <code> (Trafford: E08000009) so we can be ranked.\n');
      });
    });

  cmd
    .command('group')
    .description('create or replace a comparator group: a name and its area codes')
    .argument('<name...>', 'the group’s name as people read it, e.g. Greater Manchester')
    .option('--areas <codes>', 'the area codes, separated by commas: E08000001,E08000002,…')
    .option('--file <csv>', 'a CSV of area codes (an "Area code" column, or codes in the first column)')
    .option('--ours', 'make it our group (the one we are ranked in unless another is named)')
    .option('--by <email>', 'the person changing it (recorded in the audit log)')
    .action(async (words: string[], opts: { areas?: string; file?: string; ours?: boolean; by?: string }) => {
      const name = words.join(' ').trim();
      if (!name || name.length > 120) throw new UserError('A group needs a name of at most 120 characters, e.g. kpi comparators group Greater Manchester --areas E08000001,…');
      if (!opts.areas === !opts.file) throw new UserError('Give the group’s areas with --areas E08000001,E08000002,… or --file areas.csv (one of them).');
      const areas = await groupAreas({ ...(opts.areas ? { areas: opts.areas } : {}), ...(opts.file ? { file: await readSmallFile(opts.file) } : {}) });
      await withDatabase(async ({ repo }) => {
        const at = (await commandClock(repo)).now();
        const actor = await cliActor(repo, opts.by);
        const change = await repo.comparators.saveGroup({ name, areas }, { at, actorId: actor.personId, actorLabel: actor.label }, at);
        console.log(change === 'unchanged' ? `${name} already has these ${areas.length} areas.` : `${change === 'created' ? 'Created' : 'Replaced'} the group ${name}: ${areas.length} area${areas.length === 1 ? '' : 's'}.`);
        const org = await repo.org();
        if (opts.ours && org.comparatorGroup !== name) {
          await repo.updateOrg({ comparatorGroup: name });
          await repo.audit({ at, actorId: actor.personId, actorLabel: actor.label, action: 'settings.change', entity: 'organisation', entityId: 'comparator-group', details: { before: org.comparatorGroup ?? null, after: name } });
          console.log(`${name} is our group now.`);
        }
      });
    });

  cmd
    .command('groups')
    .description('list the comparator groups, ours first marked')
    .action(async () => {
      await withDatabase(async ({ repo }) => {
        const [groups, org] = await Promise.all([repo.comparators.groups(), repo.org()]);
        if (!groups.length) console.log('No comparator groups yet: kpi comparators group <name> --areas E08000001,…');
        for (const g of groups) console.log(`${g.name === org.comparatorGroup ? '* ' : '  '}${g.name} (${g.areas.length} areas): ${g.areas.join(', ')}`);
        console.log(`Our area code: ${org.comparatorArea ?? 'not set (kpi settings our-area <code>)'}.`);
      });
    });
}
