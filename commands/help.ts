// /kpi help — what you can do, with examples. Unknown subcommands land here too.
import type { Actor } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, header, message, reply, text } from '../src/messages/build.ts';
import { defineCommand, type SlashCommand } from './types.ts';

export function helpFor(commands: readonly SlashCommand[], actor: Actor, problem?: string): CommandResult {
  const role = actor.person?.role;
  const visible = commands.filter((c) => !c.roles || (role && c.roles.includes(role)));
  const lines = visible.map((c) => `\`/kpi ${c.usage}\` — ${c.summary}`);
  const examples = visible.flatMap((c) => c.examples ?? []).slice(0, 6);
  const blocks = [
    header('kpi-bot: performance indicators in chat'),
    ...(problem ? [text(problem)] : []),
    text(lines.join('\n')),
    ...(examples.length ? [context(`Examples: ${examples.map((e) => `\`${e}\``).join(' · ')}`)] : []),
    ...(actor.person
      ? []
      : [context(actor.held ?? 'You are not linked to a person in the indicator register yet, so you can look but not submit. Ask your performance team to add you.')]),
  ];
  return reply('private', message(problem ?? 'kpi-bot help', ...blocks));
}

export const helpCommand = defineCommand({
  name: 'help',
  aliases: ['--help', '?'],
  usage: 'help',
  summary: 'this list',
  run: async (_deps, actor, _args, among) => helpFor(among, actor),
});
