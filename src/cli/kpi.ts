#!/usr/bin/env tsx
// The one admin entry point: `npm run kpi -- <command>`. `--help` on every command; a non-zero
// exit on any error, with the message a person can act on.
// Its commands are src/cli/commands/<name>.ts (one per `kpi <name>`): operator commands, not the chat
// commands people type after /kpi (commands/, listed in commands/index.ts).
import { Command, CommanderError } from 'commander';
import { isUserError } from '../errors.ts';
import { withoutControlCharacters } from '../domain/format.ts';
import { loadDotEnv } from '../config.ts';
import { addDbCommand } from './commands/db.ts';
import { addDemoCommand } from './commands/demo.ts';
import { addEvaluateCommand } from './commands/evaluate.ts';
import { addConsoleCommand } from './commands/console.ts';
import { addJobCommand } from './commands/job.ts';
import { addPlatformCommands } from '../platforms/index.ts';
import { SLASH_COMMANDS } from '../../commands/index.ts';
import { addImportCommand } from './commands/import.ts';
import { addReportCommand } from './commands/report.ts';
import { addCloseQuarterCommand } from './commands/close-quarter.ts';
import { addForecastCommand } from './commands/forecast.ts';
import { addSubscribeCommand } from './commands/subscribe.ts';
import { addPeopleCommand } from './commands/people.ts';
import { addSettingsCommand } from './commands/settings.ts';
import { addNotCollectedCommand } from './commands/not-collected.ts';
import { addActionsCommand } from './commands/actions.ts';
import { addRisksCommand } from './commands/risks.ts';
import { addCommentaryCommand } from './commands/commentary.ts';
import { addComparatorsCommand } from './commands/comparators.ts';
import { addApiTokenCommand } from './commands/api-token.ts';
import { injectedDatabase } from './context.ts';
import type { Database } from '../db/database.ts';
import type { Config } from '../config.ts';
import type { Clock } from '../ports.ts';
import { withoutEscapes } from '../messages/markup.ts';

export function buildProgram(): Command {
  const program = new Command('kpi')
    .description('kpi-bot admin: database, demo data, imports, reports, people, alert channels, settings and job runs')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  addDbCommand(program);
  addDemoCommand(program);
  addEvaluateCommand(program);
  addImportCommand(program);
  addReportCommand(program);
  addForecastCommand(program);
  addCloseQuarterCommand(program);
  addSubscribeCommand(program);
  addPeopleCommand(program);
  addSettingsCommand(program);
  addNotCollectedCommand(program);
  addActionsCommand(program);
  addRisksCommand(program);
  addCommentaryCommand(program);
  addComparatorsCommand(program);
  addApiTokenCommand(program);
  addConsoleCommand(program);
  addJobCommand(program);
  addPlatformCommands(program, { commands: SLASH_COMMANDS });
  return program;
}

/** `database`: run on this open database and configuration (tests), and by `clock` when given instead of the machine's. */
export async function runCli(argv: string[], opts: { database?: { db: Database; config: Config; clock?: Clock } } = {}): Promise<number> {
  const program = buildProgram();
  try {
    // Arguments as people mean them: a terminal's escape sequences or a pasted bell are not part of a name or a period.
    const run = () => program.parseAsync(argv.map(withoutControlCharacters), { from: 'user' });
    await (opts.database ? injectedDatabase.run(opts.database, run) : run());
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has already printed the problem (or the help / version text).
      return e.exitCode;
    }
    if (isUserError(e)) {
      process.stderr.write(`kpi: ${withoutEscapes(e.message)}\n${e.hint ? withoutEscapes(e.hint) + '\n' : ''}`);
      return 1;
    }
    process.stderr.write(`kpi: unexpected error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  loadDotEnv();
  const code = await runCli(process.argv.slice(2));
  // Exit now: the WebAssembly migration engine leaves a ~10 s timer that would hold a finished command open.
  process.exit(code);
}
