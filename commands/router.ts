// Routes "/kpi <subcommand> <args>" to the command that owns the word (commands/index.ts); a bare
// /kpi is help, an unknown word gets help with what was not understood. Errors are answered by the
// policy in commands/errors.ts.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { helpFor } from './help.ts';
import { SLASH_COMMANDS } from './index.ts';
import { answering } from './errors.ts';
import { literalCode, say } from '../src/messages/build.ts';
import { formatNumber } from '../src/domain/format.ts';
import type { SlashCommand } from './types.ts';

export function findSlashCommand(word: string, commands: readonly SlashCommand[] = SLASH_COMMANDS): SlashCommand | undefined {
  const w = word.toLowerCase();
  return commands.find((c) => c.name === w || c.aliases?.includes(w));
}

/** The longest command read: a note is at most 2,000 characters, and the longest setting (eight questions) fits too. */
export const MAX_COMMAND_CHARS = 4000;

export async function runSlashCommand(deps: CommandDeps, actor: Actor, input: string, commands: readonly SlashCommand[] = SLASH_COMMANDS): Promise<CommandResult> {
  const trimmed = input.trim().replace(/^\/?kpi\b\s*/i, '');
  if (trimmed.length > MAX_COMMAND_CHARS) {
    return say(`That command is ${formatNumber(trimmed.length, 0)} characters long; I read commands of up to ${formatNumber(MAX_COMMAND_CHARS, 0)} (a note can have 2,000). Nothing was changed.`);
  }
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const cmd = findSlashCommand(first || 'help', commands);
  if (!cmd) return helpFor(commands, actor, first ? `I don't know ${literalCode(first)}. Here is what I can do:` : undefined);
  return answering(deps, () => cmd.run(deps, actor, rest.join(' '), commands), actor);
}
